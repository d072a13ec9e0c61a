// e2e (foundation issue): the served page shows a live sys.ping answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_OPTIONS, startStack, newPage, shot, signIn } from './lib/harness.mjs';

test('the hall page shows a live sys.ping answer from the server', TEST_OPTIONS, async (t) => {
  const stack = await startStack('ping');
  t.after(() => stack.stop());
  const page = await newPage(stack, { label: 'visitor' });

  const res = await page.goto(`${stack.base}/`);
  assert.equal(res.status(), 200);
  assert.match(res.headers()['content-type'] || '', /text\/html/);

  // The footer status fills in from sys.ping. A buyer sees that the expo is reachable, not
  // which server answered or how fast (issue 14).
  const status = page.locator('#ping-status[data-ok="true"]');
  await status.waitFor({ timeout: 20000 });
  const now = await status.getAttribute('data-now');
  assert.ok(!Number.isNaN(Date.parse(now)), `server time is RFC 3339 (${now})`);
  assert.ok(Math.abs(Date.parse(now) - Date.now()) < 5 * 60000, 'server time is about now');
  assert.equal(await status.textContent(), 'Connected to the expo');
  assert.equal(await status.getAttribute('data-node'), null, 'no node id for buyers');
  assert.doesNotMatch(await page.locator('#site-footer').textContent(), /\bms\b/, 'no latency for buyers');

  // An organizer sees the node id and the round-trip time.
  await signIn(page, 'organizer@demo.expo', 'demo1234');
  const orgStatus = page.locator('#ping-status[data-node]');
  await orgStatus.waitFor({ timeout: 20000 });
  const node = await orgStatus.getAttribute('data-node');
  const rtt = Number(await orgStatus.getAttribute('data-rtt'));
  assert.ok(node && node.length > 0, 'node id shown');
  assert.ok(Number.isFinite(rtt) && rtt >= 0, `round-trip time is a number (${rtt})`);
  const text = await orgStatus.textContent();
  assert.ok(text.includes(node), `status line names the node: ${text}`);

  // Every page is served with the browser hardening headers.
  for (const h of ['content-security-policy', 'x-content-type-options', 'referrer-policy']) {
    assert.ok(res.headers()[h], `${h} is sent`);
  }
  const csp = res.headers()['content-security-policy'];
  assert.match(csp, /script-src 'self'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /script-src[^;]*unsafe-inline/);

  // The connection indicator says live.
  await page.locator('#conn-state[data-state="open"]').waitFor();

  // It is live: the answer is refreshed after a reconnect (a new ping on the new socket).
  await page.evaluate(() => window.__expo.ws.close());
  await page.locator('#conn-state[data-state="open"]').waitFor({ timeout: 20000 });
  await page.waitForFunction((prev) => document.querySelector('#ping-status').dataset.now !== prev, now, { timeout: 20000 });

  await shot(page, 'ping-hall');
  assert.deepEqual(page.errors, []);
});
