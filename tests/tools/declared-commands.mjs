// declared-commands: skip (this file names commands in its comments and patterns)
//
// declared-commands: finds every external program that the project's scripts, CMake files and
// tests invoke, and reports each one that scripts/packages.txt does not declare with `cmd=`.
//
//   node tests/tools/declared-commands.mjs [REPO]     prints "file:line: command" per finding,
//                                                     exit 1 when there is any, 0 when none
//
// Why: a command that a developer installed by hand (jq, once) makes the tests pass on that
// machine and fail on a fresh one. A command counts as declared when it is
//   - named by `cmd=` on a line of scripts/packages.txt (`cmd=a,b` or several `cmd=` tokens),
//   - part of a minimal Debian 12 (tests/tools/base-commands.txt: the commands of the packages
//     that `debootstrap --variant=minbase bookworm` installs),
//   - one of PREINSTALLED below (what a user needs before the first command can run at all),
//   - a bash builtin or keyword, or a function defined in one of the scanned shell files.
// Programs run by a path inside the repository (scripts/pg-cluster, build/boothd, "$x/setup")
// are the project's own and are scanned themselves; a command word built from a variable is
// not a name this scan can check (the places that build one, like pg-cluster's `pg initdb`,
// are wrapper functions, whose first argument is checked instead).
//
// What is scanned (relative to REPO): shell scripts (a bash/sh shebang, or *.sh) under scripts/,
// tests/ and .ci/; every CMakeLists.txt and *.cmake (COMMAND, find_program); C sources and JS
// modules under tests/ and scripts/ (exec*/spawn*/system/popen calls and absolute program
// paths such as "/usr/bin/psql"). node_modules and build trees are skipped.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Present before the README's first command: sudo (how a non-root user installs anything) and
// git (how the clone was made). Everything else must be declared.
export const PREINSTALLED = new Set(['sudo', 'git']);

export const BASH_BUILTINS = new Set(`. : [ [[ ]] alias bg bind break builtin caller cd command
  compgen complete compopt continue declare dirs disown echo enable eval exec exit export false
  fc fg getopts hash help history jobs kill let local logout mapfile popd printf pushd pwd read
  readarray readonly return set shift shopt source suspend test times trap true type typeset
  ulimit umask unalias unset wait`.split(/\s+/).filter(Boolean));

const RESERVED_PREFIX = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{',
  '}', 'time', 'fi', 'done', 'esac', 'coproc']);

// Wrappers run their argument as a command; each entry says how to skip to it.
// opts: options that take a value; skipFirst: plain words to skip after the options.
const WRAPPERS = {
  sudo: { opts: ['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U'] },
  exec: { opts: ['-a'] },
  env: { opts: ['-u', '-C', '-S'], assignments: true },
  nohup: {}, setsid: {}, stdbuf: {}, time: {}, builtin: {},
  nice: { opts: ['-n'] },
  ionice: { opts: ['-c', '-n', '-p'] },
  timeout: { opts: ['-s', '-k'], skipFirst: 1 },
  xargs: { opts: ['-I', '-n', '-P', '-d', '-L', '-s', '-a', '-E'] },
  runuser: { opts: ['-u', '-g', '-G', '-c', '-s'] },
  chroot: { opts: ['--userspec', '--groups'], skipFirst: 1 },
  taskset: { skipFirst: 1 },
  flock: { opts: ['-w', '-E'], skipFirst: 1 },
  setpriv: {},
  prlimit: {},
};

// ---- shell ------------------------------------------------------------------------------------

/** Splits shell text into tokens: {t:'w', v, dyn, line} words, {t:'op', v, line} operators,
 *  {t:'nl', line}. Command substitutions found inside words are scanned recursively and their
 *  commands reported through `nested` (an array of token lists). */
export function shellTokens(src, nested = [], lineBase = 1) {
  const toks = [];
  let i = 0, line = lineBase;
  const n = src.length;
  const heredocs = []; // delimiters waiting for the end of the current line
  const push = (t) => { toks.push(t); };

  // Reads a balanced $( ... ) / <( ... ) body starting after the opening paren; returns its end.
  function balanced(start) {
    let depth = 1, j = start, q = null;
    while (j < n && depth > 0) {
      const c = src[j];
      if (q) {
        if (c === '\\' && q === '"') { j += 2; continue; }
        if (c === q) q = null;
      } else if (c === '\\') { j += 2; continue; }
      else if (c === "'" || c === '"' || c === '`') q = c;
      else if (c === '#' && (j === start || /\s/.test(src[j - 1]))) {
        while (j < n && src[j] !== '\n') j++;
        continue;
      } else if (c === '(') depth++;
      else if (c === ')') depth--;
      j++;
    }
    return j; // index just after the closing paren
  }

  function substitution(bodyStart) { // after "$(" or "<(": scan the body as commands
    const end = balanced(bodyStart);
    const body = src.slice(bodyStart, end - 1);
    const before = src.slice(0, bodyStart).split('\n').length - 1 + lineBase;
    nested.push(shellTokens(body, nested, before));
    line += (body.match(/\n/g) || []).length;
    return end;
  }

  while (i < n) {
    const c = src[i];
    if (c === '\n') {
      push({ t: 'nl', line });
      line++; i++;
      // heredoc bodies start on the next line
      while (heredocs.length) {
        const { delim, strip } = heredocs.shift();
        while (i < n) {
          let e = src.indexOf('\n', i);
          if (e < 0) e = n;
          let l = src.slice(i, e);
          if (strip) l = l.replace(/^\t+/, '');
          i = e + 1; line++;
          if (l === delim) break;
        }
      }
      continue;
    }
    if (c === ' ' || c === '\t') { i++; continue; }
    if (c === '\\' && src[i + 1] === '\n') { i += 2; line++; continue; }
    if (c === '#') { while (i < n && src[i] !== '\n') i++; continue; }
    // arithmetic command (( ... ))
    if (c === '(' && src[i + 1] === '(') { i = balanced(i + 2); if (src[i] === ')') i++; continue; }
    // operators
    const ops = [';;&', ';;', ';&', '&&', '||', '|&', '&>>', '&>', '>>', '>&', '<&', '<<<', '<>', ';',
      '&', '|', '(', ')', '>', '<'];
    if (c === '<' && src[i + 1] === '<' && src[i + 2] !== '<') { // heredoc
      let j = i + 2;
      const strip = src[j] === '-';
      if (strip) j++;
      while (src[j] === ' ') j++;
      const m = /^(['"]?)([A-Za-z_0-9-]+)\1/.exec(src.slice(j));
      if (m) { heredocs.push({ delim: m[2], strip }); i = j + m[0].length; continue; }
    }
    if ((c === '<' || c === '>') && src[i + 1] === '(') { i = substitution(i + 2); continue; }
    const op = ops.find((o) => src.startsWith(o, i));
    if (op) {
      if (op === '>' || op === '<' || op === '>>' || op === '&>' || op === '&>>' || op === '>&' ||
          op === '<&' || op === '<<<' || op === '<>') push({ t: 'redir', v: op, line });
      else push({ t: 'op', v: op, line });
      i += op.length;
      continue;
    }
    // a word
    let v = '', dyn = false, quoted = false;
    const startLine = line;
    while (i < n) {
      const d = src[i];
      if (d === ' ' || d === '\t' || d === '\n' || d === ';' || d === '&' || d === '|' ||
          d === '(' || d === ')' || d === '<' || d === '>') {
        // array assignment: name=( ... )
        if (d === '(' && /^[A-Za-z_][A-Za-z_0-9]*(\[[^\]]*\])?\+?=$/.test(v)) {
          const end = balanced(i + 1);
          line += (src.slice(i, end).match(/\n/g) || []).length;
          v += src.slice(i, end);
          i = end;
          continue;
        }
        // fd number glued to a redirection (2>&1, 3<file)
        if ((d === '<' || d === '>') && /^\d+$/.test(v) && !quoted) { v = ''; break; }
        break;
      }
      if (d === '\\') { v += src[i + 1] ?? ''; if (src[i + 1] === '\n') line++; i += 2; continue; }
      if (d === "'") {
        const e = src.indexOf("'", i + 1);
        const end = e < 0 ? n : e;
        const s = src.slice(i + 1, end);
        line += (s.match(/\n/g) || []).length;
        v += s; quoted = true; i = end + 1; continue;
      }
      if (d === '"') {
        quoted = true; i++;
        while (i < n && src[i] !== '"') {
          if (src[i] === '\\') { v += src[i + 1] ?? ''; i += 2; continue; }
          if (src[i] === '$' && src[i + 1] === '(' && src[i + 2] !== '(') { dyn = true; i = substitution(i + 2); continue; }
          if (src[i] === '`') {
            const e = src.indexOf('`', i + 1);
            const end = e < 0 ? n : e;
            nested.push(shellTokens(src.slice(i + 1, end), nested, line));
            dyn = true; i = end + 1; continue;
          }
          if (src[i] === '$') dyn = true;
          if (src[i] === '\n') line++;
          v += src[i]; i++;
        }
        i++;
        continue;
      }
      if (d === '$' && src[i + 1] === '(' && src[i + 2] === '(') { dyn = true; i = balanced(i + 3); if (src[i] === ')') i++; continue; }
      if (d === '$' && src[i + 1] === '(') { dyn = true; i = substitution(i + 2); continue; }
      if (d === '$' && src[i + 1] === '{') {
        dyn = true;
        let depth = 0, j = i + 1;
        for (; j < n; j++) {
          if (src[j] === '{') depth++;
          else if (src[j] === '}' && --depth === 0) break;
        }
        v += src.slice(i, j + 1); i = j + 1; continue;
      }
      if (d === '$') dyn = true;
      if (d === '`') {
        const e = src.indexOf('`', i + 1);
        const end = e < 0 ? n : e;
        nested.push(shellTokens(src.slice(i + 1, end), nested, line));
        dyn = true; i = end + 1; continue;
      }
      v += d; i++;
    }
    if (v !== '' || quoted) push({ t: 'w', v, dyn, quoted, line: startLine });
  }
  return toks;
}

/** Groups tokens into simple commands: arrays of word tokens. Also returns the names of the
 *  functions defined. Case patterns, for-lists, [[ ]] and redirection targets are dropped. */
export function shellCommands(toks) {
  const cmds = [];
  const functions = new Set();
  let cur = [];
  let caseDepth = 0, expectPattern = false;
  let skipUntilDoubleBracket = false;
  const flush = () => { if (cur.length) cmds.push(cur); cur = []; };
  for (let k = 0; k < toks.length; k++) {
    const tk = toks[k];
    if (expectPattern) {
      if (tk.t === 'nl') continue;
      if (tk.t === 'w' && tk.v === 'esac') { caseDepth--; expectPattern = false; continue; }
      if (tk.t === 'op' && tk.v === ')') { expectPattern = false; continue; }
      continue; // pattern words, '(' and '|'
    }
    if (skipUntilDoubleBracket) {
      if (tk.t === 'w' && tk.v === ']]') skipUntilDoubleBracket = false;
      continue;
    }
    if (tk.t === 'redir') { k++; continue; } // and its target
    if (tk.t === 'w') {
      if (cur.length === 0 && tk.v === '[[' && !tk.quoted) { skipUntilDoubleBracket = true; continue; }
      if (cur.length === 0 && (tk.v === 'for' || tk.v === 'select') && !tk.quoted) {
        // skip to the end of the list: `; do` or newline
        while (k + 1 < toks.length && !(toks[k + 1].t === 'nl' || (toks[k + 1].t === 'op' && toks[k + 1].v === ';'))) k++;
        continue;
      }
      if (cur.length === 0 && tk.v === 'case' && !tk.quoted) {
        while (k + 1 < toks.length && !(toks[k + 1].t === 'w' && toks[k + 1].v === 'in')) k++;
        k++; caseDepth++; expectPattern = true; continue;
      }
      if (cur.length === 0 && tk.v === 'function' && !tk.quoted && toks[k + 1]?.t === 'w') {
        functions.add(toks[k + 1].v); k++; continue;
      }
      if (cur.length === 0 && RESERVED_PREFIX.has(tk.v) && !tk.quoted) continue;
      cur.push(tk);
      continue;
    }
    if (tk.t === 'op' && tk.v === '(' && cur.length === 1 && toks[k + 1]?.t === 'op' && toks[k + 1].v === ')') {
      functions.add(cur[0].v); cur = []; k++; continue; // name() { ... }
    }
    if (tk.t === 'op' && (tk.v === ';;' || tk.v === ';&' || tk.v === ';;&') && caseDepth > 0) {
      flush(); expectPattern = true; continue;
    }
    flush();
  }
  flush();
  return { cmds, functions };
}

/** The command a simple command runs, following wrappers. Returns a list of
 *  {name, line} (the wrapper and what it runs), skipping assignments. `wrapperFns` holds
 *  functions that run their first argument (detected by isWrapperFunction). */
export function commandNames(words, wrapperFns = new Set()) {
  const out = [];
  let k = 0;
  const assign = (w) => /^[A-Za-z_][A-Za-z_0-9]*(\[[^\]]*\])?\+?=/.test(w.v) && !w.quoted;
  while (k < words.length && assign(words[k])) k++;
  while (k < words.length) {
    const w = words[k];
    out.push({ name: w.v, dyn: w.dyn, line: w.line });
    if (w.dyn) break;
    if (w.v === 'command') {
      k++;
      while (k < words.length && words[k].v.startsWith('-')) k++;
      continue;
    }
    const spec = WRAPPERS[w.v] || (wrapperFns.has(w.v) ? {} : null);
    if (!spec) break;
    k++;
    while (k < words.length) {
      const a = words[k].v;
      if (a === '--') { k++; break; }
      if (spec.assignments && assign(words[k])) { k++; continue; }
      if (!a.startsWith('-') || a === '-') break;
      k += spec.opts?.includes(a) ? 2 : 1;
    }
    for (let s = 0; s < (spec.skipFirst || 0); s++) k++;
  }
  return out;
}

/** A function runs its argument when its body has a command word that is an expansion
 *  ("$@", "$1", "$PG_BINDIR/$bin"). */
export function wrapperFunctions(src) {
  const found = new Set();
  const re = /^\s*(?:function\s+)?([A-Za-z_][A-Za-z_0-9-]*)\s*\(\)\s*\{/gm;
  let m;
  while ((m = re.exec(src))) {
    // the body: up to the matching closing brace at the start of a line, or a one-liner
    const start = m.index + m[0].length;
    let depth = 1, j = start;
    for (; j < src.length && depth; j++) {
      if (src[j] === '{') depth++;
      else if (src[j] === '}') depth--;
    }
    const body = src.slice(start, j - 1);
    const nested = [];
    const toks = shellTokens(body, nested);
    for (const t of [toks, ...nested]) {
      for (const c of shellCommands(t).cmds) {
        const names = commandNames(c);
        const last = names[names.length - 1];
        if (last && last.dyn && /^\$(\{?[@1*]|\{?[A-Za-z_]+\}?\/\$)/.test(last.name)) found.add(m[1]);
        if (last && last.dyn && /^\$[@1]$/.test(last.name)) found.add(m[1]);
      }
    }
  }
  return found;
}

/** A command word that names a program: 'jq' -> 'jq', '/usr/bin/psql' -> 'psql';
 *  null for repository paths, expansions and builtins. */
export function programOf(word) {
  if (word.dyn) return null;
  const v = word.name;
  if (!v || BASH_BUILTINS.has(v)) return null;
  if (v.includes('/')) {
    const m = /^(?:\/usr)?\/s?bin\/([^/]+)$/.exec(v) || /^\/usr\/lib\/postgresql\/\d+\/bin\/([^/]+)$/.exec(v);
    return m ? m[1] : null;
  }
  if (!/^[A-Za-z0-9_.+-]+$/.test(v) || /^[-+]/.test(v) || /^\d/.test(v)) return null;
  return v;
}

/** Programs a shell script invokes: [{name, line}]. */
export function shellPrograms(src, functions = new Set(), wrapperFns = new Set()) {
  const nested = [];
  const toks = shellTokens(src, nested);
  const found = [];
  for (const t of [toks, ...nested]) {
    const { cmds, functions: defs } = shellCommands(t);
    for (const f of defs) functions.add(f);
    for (const c of cmds) {
      for (const w of commandNames(c, wrapperFns)) {
        const p = programOf(w);
        if (p) found.push({ name: p, line: w.line });
      }
    }
  }
  return found;
}

// ---- CMake, C and JS ----------------------------------------------------------------------------

const lineOf = (src, idx) => src.slice(0, idx).split('\n').length;

/** CMake: COMMAND <literal> and find_program(VAR [NAMES] a b ...). find_program's names are
 *  alternatives: one of them declared is enough, so they come back as one entry with `any`. */
export function cmakePrograms(src, targets = new Set()) {
  const found = [];
  const text = src.replace(/#[^\n]*/g, (s) => ' '.repeat(s.length));
  for (const m of text.matchAll(/\bCOMMAND\s+("?)([^\s")$]+)\1/g)) {
    const v = m[2];
    if (v.includes('$') || v.includes('/')) {
      const p = /^\/(?:usr\/)?s?bin\/([^/]+)$/.exec(v);
      if (p) found.push({ name: p[1], line: lineOf(text, m.index) });
      continue;
    }
    if (!targets.has(v)) found.push({ name: v, line: lineOf(text, m.index) });
  }
  for (const m of text.matchAll(/\bfind_program\s*\(\s*\w+\s+([^)]*)\)/g)) {
    const names = [];
    const words = m[1].split(/\s+/).filter(Boolean);
    let inNames = !words.includes('NAMES');
    for (const w of words) {
      if (w === 'NAMES') { inNames = true; continue; }
      if (/^[A-Z_]+$/.test(w)) { inNames = false; continue; }
      if (inNames) names.push(w);
    }
    if (names.length) found.push({ name: names[0], any: names, line: lineOf(text, m.index) });
  }
  return found;
}

/** C and JS: absolute program paths in string literals, and the literal first argument of
 *  exec, spawn, system and popen calls (for system/popen/exec/execSync: the first word of the string). */
export function sourcePrograms(src) {
  const found = [];
  // comments are not calls (keep the line count)
  src = src.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:'"\\])\/\/[^\n]*/g, (c, p) => p + ' '.repeat(c.length - p.length));
  for (const m of src.matchAll(/["'`]((?:\/usr)?\/s?bin\/[A-Za-z0-9_.+-]+|\/usr\/lib\/postgresql\/\d+\/bin\/[A-Za-z0-9_.+-]+)["'`]/g)) {
    found.push({ name: m[1].split('/').pop(), line: lineOf(src, m.index) });
  }
  const calls = /\b(execlp|execvp|execvpe|posix_spawnp|spawn|spawnSync|execFile|execFileSync|system|popen|execSync|exec)\s*\(\s*(?:[A-Za-z_&]+\s*,\s*)?["'`]([^"'`]+)["'`]/g;
  for (const m of src.matchAll(calls)) {
    let v = m[2];
    if (['system', 'popen', 'execSync', 'exec'].includes(m[1])) v = v.trim().split(/\s+/)[0];
    if (v.includes('/') || v.includes('$')) continue;
    if (m[1] === 'posix_spawnp' && !/^[a-z]/.test(v)) continue;
    found.push({ name: v, line: lineOf(src, m.index) });
  }
  return found;
}

// ---- the repository -----------------------------------------------------------------------------

/** Declared commands: every cmd= of packages.txt. */
export function declaredCommands(packagesText) {
  const cmds = new Set();
  for (const line of packagesText.split('\n')) {
    if (/^\s*(#|$)/.test(line)) continue;
    for (const m of line.matchAll(/\bcmd=(\S+)/g)) for (const c of m[1].split(',')) if (c) cmds.add(c);
  }
  return cmds;
}

function walk(dir, out = []) {
  let entries;
  try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return out; }
  for (const e of entries) {
    if (e.name === 'node_modules' || e.name === '.git' || /^build/.test(e.name) || e.name === '.run') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile()) out.push(p);
  }
  return out;
}

export function classify(file, head) {
  const base = path.basename(file);
  if (base === 'CMakeLists.txt' || base.endsWith('.cmake')) return 'cmake';
  if (/\.(c|h)$/.test(base)) return 'c';
  if (/\.(mjs|js|cjs)$/.test(base)) return 'js';
  if (/\.sh$/.test(base) || /^#!.*\b(ba)?sh\b/.test(head)) return 'shell';
  if (/^#!.*\bnode\b/.test(head)) return 'js';
  return null;
}

/** Scans the repository; returns [{file, line, name}] of undeclared commands. */
export function scanRepo(repo) {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const base = new Set(fs.readFileSync(path.join(here, 'base-commands.txt'), 'utf8')
    .split('\n').filter((l) => l && !l.startsWith('#')));
  const declared = declaredCommands(fs.readFileSync(path.join(repo, 'scripts', 'packages.txt'), 'utf8'));
  const files = [path.join(repo, 'CMakeLists.txt'),
    ...['scripts', 'tests', '.ci', 'cmake'].flatMap((d) => walk(path.join(repo, d)))]
    .filter((f) => fs.existsSync(f));
  const shell = [], others = [];
  for (const f of files) {
    const src = fs.readFileSync(f, 'utf8');
    if (/declared-commands: skip/.test(src.slice(0, 400))) continue;
    const kind = classify(f, src.slice(0, 200));
    if (kind === 'shell') shell.push({ f, src });
    else if (kind) others.push({ f, src, kind });
  }
  // functions and wrapper functions of every shell file (lib.sh is sourced by the others)
  const functions = new Set(), wrapperFns = new Set();
  const per = shell.map(({ f, src }) => {
    for (const w of wrapperFunctions(src)) wrapperFns.add(w);
    return { f, src };
  });
  const uses = [];
  for (const { f, src } of per) for (const u of shellPrograms(src, functions, wrapperFns)) uses.push({ file: f, ...u });
  // executables that the CMake files build are the project's own
  const targets = new Set(others.filter((o) => o.kind === 'cmake')
    .flatMap((o) => [...o.src.matchAll(/\badd_executable\s*\(\s*([A-Za-z0-9_.+-]+)/g)].map((m) => m[1])));
  for (const { f, src, kind } of others) {
    const list = kind === 'cmake' ? cmakePrograms(src, targets) : sourcePrograms(src);
    for (const u of list) uses.push({ file: f, ...u });
  }
  const ok = (name) => declared.has(name) || base.has(name) || PREINSTALLED.has(name) ||
    BASH_BUILTINS.has(name) || functions.has(name);
  const bad = [];
  for (const u of uses) {
    const names = u.any || [u.name];
    if (names.some(ok)) continue;
    bad.push({ file: path.relative(repo, u.file), line: u.line, name: names.join(' or ') });
  }
  return bad;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const repo = path.resolve(process.argv[2] || path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..'));
  const bad = scanRepo(repo);
  for (const b of bad) {
    console.log(`${b.file}:${b.line}: '${b.name}' is invoked but not declared in scripts/packages.txt (add its package with cmd=${b.name.split(' ')[0]})`);
  }
  process.exit(bad.length ? 1 : 0);
}
