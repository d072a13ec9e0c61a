// send-pacer: sends go out in order at the allowed pace; rate_limited is retried, not surfaced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importAsset } from '../lib/assets.mjs';

// booth-assets/ has no package.json: Node 18 (Debian 12) would load its .js as CommonJS.
const { SendPacer } = await importAsset('js/send-pacer.js');

/** A fake clock whose timers run when advanced. */
function fakeTime() {
  let now = 0;
  let timers = [];
  return {
    now: () => now,
    setTimeout: (fn, ms) => { const t = { at: now + ms, fn }; timers.push(t); return t; },
    clearTimeout: (t) => { timers = timers.filter((x) => x !== t); },
    async advance(ms) {
      const end = now + ms;
      for (;;) {
        await new Promise((r) => setImmediate(r));
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = due.at;
        due.fn();
      }
      now = end;
      await new Promise((r) => setImmediate(r));
    },
  };
}

test('a burst of 25 goes out in order, never faster than the server allows', async () => {
  const clock = fakeTime();
  const p = new SendPacer({ ratePerSec: 2, burst: 10, ...clock });
  const sentAt = [];
  const results = [];
  for (let i = 0; i < 25; i++) p.run(async () => { sentAt.push(clock.now()); return i; }).then((v) => results.push(v));
  await clock.advance(30000);
  assert.deepEqual(results, [...Array(25).keys()]);
  // server bucket: 10 at once, then 2/s. Check that no window of the server's bucket overflows.
  for (let i = 0; i < sentAt.length; i++) {
    const tokensUsed = i + 1;
    const allowed = 10 + (sentAt[i] / 1000) * 2;
    assert.ok(tokensUsed <= allowed + 1e-9, `send ${i} at ${sentAt[i]} ms exceeds the server's bucket`);
  }
});

test('rate_limited is retried with backoff and the order is kept; other errors reject', async () => {
  const clock = fakeTime();
  const states = [];
  const p = new SendPacer({ ratePerSec: 2, burst: 10, ...clock, onChange: (s) => states.push(s) });
  let first = 0;
  const order = [];
  const a = p.run(async () => {
    first++;
    if (first < 3) throw Object.assign(new Error('slow down'), { code: 'rate_limited' });
    order.push('a');
    return 'a';
  });
  const b = p.run(async () => { order.push('b'); return 'b'; });
  const c = p.run(async () => { throw Object.assign(new Error('no'), { code: 'forbidden' }); });
  const cFailed = assert.rejects(c, (e) => e.code === 'forbidden');
  await clock.advance(20000);
  assert.equal(await a, 'a');
  assert.equal(await b, 'b');
  await cFailed;
  assert.deepEqual(order, ['a', 'b']);
  assert.equal(first, 3);
  assert.ok(states.some((s) => s.retrying), 'the page is told a retry is pending');
  assert.deepEqual(p.state, { queued: 0, retrying: false });
});

test('limits from the server replace the defaults', () => {
  const p = new SendPacer({});
  p.setLimits({ chat_per_s: 10, chat_burst: 50 });
  assert.equal(p.rate, 9);
  assert.equal(p.burst, 45);
});
