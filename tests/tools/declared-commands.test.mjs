// declared-commands: skip (the cases below name undeclared commands on purpose)
//
// Unit test of tests/tools/declared-commands.mjs (ctest unit.declared_commands): the scan of
// this repository finds no undeclared command, and the scanner finds commands where shell,
// CMake, C and JS put them, and nothing where they are not commands.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { shellPrograms, wrapperFunctions, cmakePrograms, sourcePrograms, declaredCommands, scanRepo }
  from './declared-commands.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const names = (list) => [...new Set(list.map((u) => u.name))].sort();

test('every command the repository runs is declared in scripts/packages.txt', () => {
  const bad = scanRepo(REPO);
  assert.deepEqual(bad.map((b) => `${b.file}:${b.line}: ${b.name}`), []);
});

test('shell: commands in pipelines, substitutions, conditions and wrappers', () => {
  const src = [
    'set -euo pipefail',
    'x=$(jq -r .a f | sort -u)',
    'if curl -s "http://x/$y" >/dev/null 2>&1; then echo ok; fi',
    'while read -r a; do awk "{print}" <<<"$a"; done < <(psql -At -c "select 1")',
    'sudo env A=1 B=2 apt-get install -y pkg',
    'timeout 5 nc -z 127.0.0.1 80 || true',
    'echo "$(date +%s) and `hostname`"',
    'arr=(one two three)',
    'FOO=bar chromium --headless &',
    'exec runuser -u postgres -- /usr/lib/postgresql/15/bin/initdb -D d',
    'command -v ss >/dev/null',
  ].join('\n');
  assert.deepEqual(names(shellPrograms(src)),
    ['apt-get', 'awk', 'chromium', 'curl', 'date', 'env', 'hostname', 'initdb', 'jq', 'nc', 'psql',
      'runuser', 'sort', 'ss', 'sudo', 'timeout'].sort());
});

test('shell: case patterns, heredocs, comments, for lists, [[ ]] and functions are not commands', () => {
  const src = [
    '# jq is mentioned here only',
    'case $1 in',
    '  start|stop) run_it "$1" ;;',
    '  --port=*) port=${1#--port=} ;;',
    '  *) usage ;;',
    'esac',
    'cat <<EOF',
    'psql would be text here',
    'EOF',
    'for w in jq curl wget; do echo "$w"; done',
    '[[ -x build/boothd ]] && build/boothd --help',
    'run_it() { "$@"; }',
    'run_it gzip -9 f',
    '(( n > 3 )) && echo "$n"',
  ].join('\n');
  const wrappers = wrapperFunctions(src);
  assert.deepEqual([...wrappers], ['run_it']);
  const fns = new Set();
  assert.deepEqual(names(shellPrograms(src, fns, wrappers)), ['cat', 'gzip', 'run_it', 'usage']);
  assert.ok(fns.has('run_it'));
});

test('CMake: COMMAND words and find_program names; built targets are the project\'s own', () => {
  const src = 'find_program(NODE NAMES node nodejs)\nadd_test(NAME a COMMAND jq . f)\n' +
    'add_test(NAME b COMMAND ${NODE} x)\nadd_test(NAME c COMMAND mytool)\n# COMMAND commented\n';
  const found = cmakePrograms(src, new Set(['mytool']));
  assert.deepEqual(found.map((f) => f.any ? f.any.join('|') : f.name), ['jq', 'node|nodejs']);
});

test('C and JS: exec/spawn literals and absolute program paths, not comments', () => {
  const c = 'execl("/usr/bin/psql", "psql", NULL);\n/* execlp("gone", ...) */\nexeclp("pg_dump", "pg_dump", NULL);\n';
  assert.deepEqual(names(sourcePrograms(c)), ['pg_dump', 'psql']);
  const js = "import { spawn } from 'node:child_process';\n// spawn('no')\nspawn('ss', ['-tn']);\n" +
    "execSync('jq -r .x f');\nconst b = { executablePath: '/usr/bin/chromium' };\nspawn(path.join(R, 'x'));\n";
  assert.deepEqual(names(sourcePrograms(js)), ['chromium', 'jq', 'ss']);
});

test('packages.txt: cmd= lists, several cmd= tokens, comments', () => {
  const d = declaredCommands('# cmd=nope\nfoo build cmd=a,b\nbar test cmd=c cmd=d\nbaz run\n');
  assert.deepEqual([...d].sort(), ['a', 'b', 'c', 'd']);
});

test('a script that runs jq without declaring it is reported, naming the file and line', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'declared-'));
  try {
    fs.mkdirSync(path.join(dir, 'scripts'));
    fs.writeFileSync(path.join(dir, 'CMakeLists.txt'), 'project(x C)\n');
    fs.writeFileSync(path.join(dir, 'scripts', 'packages.txt'), 'curl run cmd=curl\n');
    fs.writeFileSync(path.join(dir, 'scripts', 'summary'), '#!/usr/bin/env bash\ncurl -s x |\n  jq .a\n');
    const bad = scanRepo(dir);
    assert.deepEqual(bad, [{ file: path.join('scripts', 'summary'), line: 3, name: 'jq' }]);
    fs.writeFileSync(path.join(dir, 'scripts', 'packages.txt'), 'curl run cmd=curl\njq test cmd=jq\n');
    assert.deepEqual(scanRepo(dir), []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
