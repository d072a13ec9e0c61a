// harness.mjs: what every e2e test needs: a private PostgreSQL cluster (scripts/pg-cluster),
// a boothd serving the demo expo on a free port, and headless Debian chromium driven by
// playwright-core. Everything started here is stopped by stack.stop(), also when a test fails
// or the process is interrupted.
//
// Inputs (environment, set by tests/e2e/CMakeLists.txt; defaults suit a manual run from the
// repository):
//   BOOTHD_BIN         boothd executable          (default <repo>/build/boothd)
//   BOOTHD_SOURCE_DIR  repository root            (default: two levels above this folder)
//   CHROMIUM           browser executable         (default /usr/bin/chromium)
//   E2E_ARTIFACTS      screenshots and logs       (default /tmp/boothd-e2e)
//   E2E_TIMEOUT_MS     node's per-test timeout    (default 270000); CMake sets it 30 s below
//                      ctest's TIMEOUT so a hung test fails in node and its t.after() hooks
//                      still stop the stack (`--test-timeout` needs node >= 20.11)

import { spawn, execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
export const E2E_DIR = path.resolve(here, '..');
export const REPO = path.resolve(process.env.BOOTHD_SOURCE_DIR || path.join(E2E_DIR, '..', '..'));
export const ARTIFACTS = process.env.E2E_ARTIFACTS || path.join(os.tmpdir(), 'boothd-e2e');
fs.mkdirSync(ARTIFACTS, { recursive: true });

/** The options every e2e test passes to test(): `test(name, TEST_OPTIONS, async (t) => ...)`. */
export const TEST_OPTIONS = { timeout: Number(process.env.E2E_TIMEOUT_MS) || 270000 };

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
];

/** playwright-core, or a clear error telling how to install it. */
export async function loadPlaywright() {
  const require = createRequire(path.join(E2E_DIR, 'package.json'));
  let entry;
  try {
    entry = require.resolve('playwright-core');
  } catch {
    throw new Error(`playwright-core is not installed in ${E2E_DIR}/node_modules.\n`
      + '  Run ./scripts/setup (it runs `npm ci` in tests/e2e), or by hand: (cd tests/e2e && npm ci)');
  }
  const mod = await import(entry);
  return mod.default || mod;
}

// A random port in 10000-19999 that binds now: below pg-cluster's 20000+ and below the
// kernel's ephemeral range (32768+), so no outgoing connection can take it before boothd
// binds it a few seconds later (a port from listen(0) is ephemeral and can).
function tryPort(port) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.unref();
    s.once('error', () => resolve(false));
    s.listen(port, '0.0.0.0', () => s.close(() => resolve(true)));
  });
}

async function freePort() {
  for (let i = 0; i < 200; i++) {
    const port = 10000 + Math.floor(Math.random() * 10000);
    if (await tryPort(port)) return port;
  }
  throw new Error('no free TCP port found in 10000-19999');
}

function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 120000, ...opts }, (err, stdout, stderr) => {
      if (err) { err.message += `\n${stderr}`; reject(err); } else resolve({ stdout, stderr });
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitHealthy(base, proc, logFile, timeoutMs = 90000) {
  const t0 = Date.now();
  let last = '';
  while (Date.now() - t0 < timeoutMs) {
    if (proc && proc.exitCode !== null) {
      throw new Error(`boothd exited with ${proc.exitCode} before /healthz answered; log:\n${tail(logFile)}`);
    }
    try {
      const r = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (r.status === 200) return;
      last = `status ${r.status}`;
    } catch (e) { last = e.message; }
    await sleep(250);
  }
  throw new Error(`${base}/healthz not 200 after ${timeoutMs} ms (${last}); log:\n${tail(logFile)}`);
}

function tail(file, n = 60) {
  try { return fs.readFileSync(file, 'utf8').split('\n').slice(-n).join('\n'); } catch { return '(no log)'; }
}

const live = new Set(); // stacks not yet stopped, for signal cleanup
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, async () => {
    await Promise.allSettled([...live].map((s) => s.stop()));
    process.exit(130);
  });
}
process.once('exit', () => {
  // Last resort (synchronous): kill what is still running; clusters are destroyed by stop().
  for (const s of live) s.killSync();
});

/**
 * Starts PostgreSQL + boothd (--demo) + chromium. Returns
 * {base, browser, newPage(opts), shot(page, name), log(), stop()}.
 */
export async function startStack(name = 'e2e') {
  const pw = await loadPlaywright(); // fail fast, before starting anything
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `boothd-${name}-`));
  const logFile = path.join(ARTIFACTS, `${name}.boothd.log`);
  const st = { tmp, cluster: null, proc: null, browser: null, stopped: false };
  const stack = {
    base: null,
    browser: null,
    logFile,
    killSync() {
      if (st.proc && st.proc.exitCode === null) { try { st.proc.kill('SIGKILL'); } catch { /* gone */ } }
      if (st.cluster && !st.stopped) {
        try { execFileSync(path.join(REPO, 'scripts', 'pg-cluster'), ['destroy', st.cluster], { stdio: 'ignore', timeout: 60000 }); } catch { /* best effort */ }
      }
      fs.rmSync(tmp, { recursive: true, force: true });
    },
    async stop() {
      if (st.stopped) return;
      st.stopped = true;
      live.delete(stack);
      if (st.browser) await st.browser.close().catch(() => {});
      if (st.proc && st.proc.exitCode === null) {
        const exited = new Promise((r) => st.proc.once('exit', r));
        st.proc.kill('SIGTERM');
        let timer;
        const done = await Promise.race([exited.then(() => true), new Promise((r) => { timer = setTimeout(() => r(false), 10000); })]);
        clearTimeout(timer);
        if (!done) { console.error('boothd did not exit 10 s after SIGTERM: SIGKILL'); st.proc.kill('SIGKILL'); await exited; }
      }
      if (st.cluster) await run(path.join(REPO, 'scripts', 'pg-cluster'), ['destroy', st.cluster]).catch((e) => console.error(`pg-cluster destroy: ${e.message}`));
      fs.rmSync(tmp, { recursive: true, force: true });
    },
    log: () => tail(logFile, 200),
  };
  live.add(stack);
  try {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const out = fs.openSync(logFile, 'w');
    {
      const bin = process.env.BOOTHD_BIN || path.join(REPO, 'build', 'boothd');
      if (!fs.existsSync(bin)) throw new Error(`boothd not found at ${bin} (build it, or set BOOTHD_BIN)`);
      st.cluster = path.join(tmp, 'pg');
      const { stdout } = await run(path.join(REPO, 'scripts', 'pg-cluster'), ['start', st.cluster], { env: { ...process.env, PG_CLUSTER_FAST: '1' } });
      const url = stdout.trim().split('\n').pop();
      if (!/^postgres(ql)?:\/\//.test(url)) throw new Error(`pg-cluster start printed no URL: ${stdout}`);
      st.proc = spawn(bin, [
        '--db', url, '--assets', path.join(REPO, 'booth-assets'), '--demo', '--port', String(port),
        '--allowed-origin', base, '--allowed-origin', `http://localhost:${port}`, '--log-level', process.env.E2E_LOG_LEVEL || 'info',
      ], { stdio: ['ignore', out, out] });
    }
    fs.closeSync(out);
    await waitHealthy(base, st.proc, logFile);
    stack.base = base;
    st.browser = await pw.chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
    });
    stack.browser = st.browser;
    return stack;
  } catch (e) {
    await stack.stop();
    throw e;
  }
}

/**
 * A page in a new browser context (its own storage: its own user), with the language set
 * and page errors collected in page.errors. Options: lang ('en'|'ko'), viewport.
 */
export async function newPage(stack, { lang = 'en', viewport = { width: 1280, height: 860 }, label = 'page' } = {}) {
  const ctx = await stack.browser.newContext({ viewport, locale: lang === 'ko' ? 'ko-KR' : 'en-US', timezoneId: 'America/Chicago' });
  ctx.setDefaultTimeout(15000);
  await ctx.addInitScript((l) => { try { if (!localStorage.getItem('expo.lang')) localStorage.setItem('expo.lang', l); } catch { /* */ } }, lang);
  const page = await ctx.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(`${label}: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) page.errors.push(`${label} console: ${m.text()}`); });
  return page;
}

/** Elements within `scope` (a selector) reaching past the viewport's width: up to 5, named. */
export async function overflowing(page, scope) {
  return page.evaluate((sel) => {
    const w = document.documentElement.clientWidth;
    return [...document.querySelectorAll(`${sel}, ${sel} *`)].filter((n) => n.getBoundingClientRect().right > w + 1)
      .slice(0, 5).map((n) => `${n.tagName.toLowerCase()}#${n.id}.${n.className}`);
  }, scope);
}

/** Saves a screenshot to ARTIFACTS/<name>.png and returns the path. */
export async function shot(page, name, opts = {}) {
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, ...opts });
  return file;
}

/** Signs in through the header's dialog. */
export async function signIn(page, email, password) {
  await page.click('#sign-in');
  await page.fill('#auth-email', email);
  await page.fill('#auth-password', password);
  await page.click('#auth-submit');
  await page.waitForSelector('#sign-out');
}

/** Registers a new visitor through the header's dialog; returns the email. */
export async function register(page, { name, email, password = 'visitor-pass-1', company, country } = {}) {
  const addr = email || `buyer-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
  await page.click('#sign-up');
  await page.fill('#auth-name', name || 'Jane Buyer');
  await page.fill('#auth-email', addr);
  await page.fill('#auth-password', password);
  if (company) await page.fill('#auth-company', company);
  if (country) await page.fill('#auth-country', country);
  await page.click('#auth-submit');
  await page.waitForSelector('#sign-out');
  return addr;
}

/**
 * Basic accessibility checks of what is on screen: every form control has a label (label[for],
 * a wrapping label, aria-label or aria-labelledby), every img has an alt attribute, every
 * button has a name. Returns a list of problems (empty = fine).
 */
export async function a11yProblems(page) {
  return page.evaluate(() => {
    const out = [];
    const visible = (n) => !!(n.offsetWidth || n.offsetHeight || n.getClientRects().length);
    for (const n of document.querySelectorAll('input, select, textarea')) {
      if (n.type === 'hidden' || !visible(n)) continue;
      const named = (n.id && document.querySelector(`label[for="${CSS.escape(n.id)}"]`)) || n.closest('label')
        || n.getAttribute('aria-label') || n.getAttribute('aria-labelledby');
      if (!named) out.push(`unlabelled ${n.tagName.toLowerCase()}#${n.id || '?'}`);
    }
    for (const n of document.querySelectorAll('img')) if (!n.hasAttribute('alt')) out.push(`img without alt: ${n.src}`);
    for (const n of document.querySelectorAll('button, a[href]')) {
      if (!visible(n)) continue;
      if (!(n.textContent.trim() || n.getAttribute('aria-label') || n.title)) out.push(`${n.tagName.toLowerCase()} without a name`);
    }
    return out;
  });
}
