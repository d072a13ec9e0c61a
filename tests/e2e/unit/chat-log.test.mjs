// Unit tests of booth-assets/js/chat-log.js: dedupe by seq, gap detection, resume point.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importAsset } from '../lib/assets.mjs';

const { ChatLog } = await importAsset('js/chat-log.js');

const msg = (seq, text = `m${seq}`) => ({ booth_id: 1, seq, id: `id${seq}`, author: { id: 1, name: 'a', role: 'visitor' }, text, sent_at: '2025-01-01T00:00:00Z' });
const range = (a, b) => Array.from({ length: b - a + 1 }, (_, i) => msg(a + i));

test('first enter: newest window, older history available, resume from last', () => {
  const log = new ChatLog();
  const { added, needReload } = log.applyEnter({ last_seq: 120, messages: range(71, 120) }, null);
  assert.equal(needReload, false);
  assert.equal(added.length, 50);
  assert.equal(log.floor, 70);
  assert.equal(log.hasOlder, true);
  assert.equal(log.resumeFrom(), 120);
});

test('empty booth: resume from 0, nothing older', () => {
  const log = new ChatLog();
  log.applyEnter({ last_seq: 0, messages: [] }, null);
  assert.equal(log.resumeFrom(), 0);
  assert.equal(log.hasOlder, false);
  log.add([msg(1)]);
  assert.equal(log.resumeFrom(), 1);
});

test('duplicates from events and replies are stored once', () => {
  const log = new ChatLog();
  log.applyEnter({ last_seq: 3, messages: range(1, 3) }, null);
  assert.deepEqual(log.add([msg(3), msg(4), msg(4)]).map((m) => m.seq), [4]);
  const r = log.applyEnter({ last_seq: 6, messages: range(4, 6) }, 4);
  assert.deepEqual(r.added.map((m) => m.seq), [5, 6]);
  assert.deepEqual(log.messages().map((m) => m.seq), [1, 2, 3, 4, 5, 6]);
});

test('an event that arrives before the resume reply does not move the resume point past a gap', () => {
  const log = new ChatLog();
  log.applyEnter({ last_seq: 10, messages: range(1, 10) }, null);
  // disconnected; messages 11..14 were sent; on reconnect event 15 arrives first
  log.add([msg(15)]);
  assert.equal(log.resumeFrom(), 10, 'contiguous stays at 10');
  assert.deepEqual(log.gap(), { beforeSeq: 15, count: 4 });
  log.applyEnter({ last_seq: 15, messages: range(11, 15) }, 10);
  assert.equal(log.gap(), null);
  assert.equal(log.resumeFrom(), 15);
  assert.deepEqual(log.messages().map((m) => m.seq), range(1, 15).map((m) => m.seq));
});

test('truncated resume asks for a reload; reload via history resets the window', () => {
  const log = new ChatLog();
  log.applyEnter({ last_seq: 10, messages: range(1, 10) }, null);
  const r = log.applyEnter({ last_seq: 900, messages: range(11, 510), truncated: true }, 10);
  assert.equal(r.needReload, true);
  log.reset();
  log.applyHistory(range(701, 900), null, 200);
  assert.equal(log.size, 200);
  assert.equal(log.floor, 700);
  assert.equal(log.hasOlder, true);
  assert.equal(log.resumeFrom(), 900);
});

test('loading older pages extends the window down to seq 1', () => {
  const log = new ChatLog();
  log.applyEnter({ last_seq: 80, messages: range(31, 80) }, null);
  log.applyHistory(range(1, 30), 31, 50);
  assert.equal(log.floor, 0);
  assert.equal(log.hasOlder, false);
  assert.deepEqual(log.messages().map((m) => m.seq), range(1, 80).map((m) => m.seq));
});

test('big gaps are filled in pages of at most 200', () => {
  const log = new ChatLog();
  log.applyEnter({ last_seq: 1, messages: [msg(1)] }, null);
  log.add([msg(1000)]);
  assert.deepEqual(log.gap(), { beforeSeq: 1000, count: 200 });
  log.add(range(800, 999));
  assert.deepEqual(log.gap(), { beforeSeq: 800, count: 200 });
});

test('messages without a valid seq are ignored', () => {
  const log = new ChatLog();
  log.applyEnter({ last_seq: 0, messages: [] }, null);
  assert.deepEqual(log.add([{ seq: 'x' }, null, { seq: 0 }, { seq: 1.5 }]), []);
});

test('hidden messages: placeholder for visitors, text marked for staff, later copies masked', () => {
  const log = new ChatLog();
  log.applyEnter({ last_seq: 3, messages: range(1, 3) }, null);
  // a visitor's chat.hidden: no text, no author
  const m2 = log.hide(2);
  assert.equal(m2.hidden, true);
  assert.equal(m2.text, '');
  assert.equal(m2.author, null);
  // staff: the text stays, with who hid it
  const staff = new ChatLog();
  staff.applyEnter({ last_seq: 3, messages: range(1, 3) }, null);
  const s2 = staff.hide(2, { booth_id: 1, seq: 2, hidden_at: '2025-01-01T00:01:00.000Z', hidden_by: { id: 9, name: 'Org' } });
  assert.equal(s2.text, 'm2');
  assert.equal(s2.hidden, true);
  assert.equal(s2.hidden_by.name, 'Org');
  // a hide that arrives before its message: the copy added later is masked too
  assert.equal(log.hide(5), null);
  const [m5] = log.add([msg(4), msg(5)]).filter((m) => m.seq === 5);
  assert.equal(m5.text, '');
  assert.equal(m5.hidden, true);
  assert.equal(log.messages().length, 5);
  // bad seqs are ignored
  assert.equal(log.hide(0), null);
  assert.equal(log.hide('3'), null);
});
