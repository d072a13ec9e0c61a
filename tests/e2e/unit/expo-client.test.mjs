// Unit tests of booth-assets/js/expo-client.js against a fake WebSocket: envelopes, errors
// with codes, timeouts, events, reconnect with backoff, re-auth and booth re-entry with
// since_seq, idempotent resend of unacknowledged chat messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importAsset } from '../lib/assets.mjs';

const { ExpoClient, ExpoError, decodeFrame, backoffDelay, PROTOCOL } = await importAsset('js/expo-client.js');

const tick = () => new Promise((r) => setImmediate(r));
async function settle(n = 5) { for (let i = 0; i < n; i++) await tick(); }

/** A scripted server: `handlers[type](data, sock)` returns reply data or throws {code}. */
function fakeServer(handlers = {}) {
  const server = { sockets: [], sent: [], handlers, open: true };
  class FakeWS {
    constructor(url, proto) {
      this.url = url; this.proto = proto; this.readyState = 0;
      server.sockets.push(this);
      setImmediate(() => {
        if (!server.open) { this.readyState = 3; this.onclose?.({ code: 1006 }); return; }
        this.readyState = 1; this.onopen?.();
      });
    }
    send(text) {
      const msg = JSON.parse(text);
      server.sent.push(msg);
      const h = server.handlers[msg.type];
      if (h === 'ignore') return;
      setImmediate(() => {
        if (this.readyState !== 1) return;
        try {
          const data = h ? h(msg.data, this) : {};
          this.receive({ id: msg.id, ok: true, data });
        } catch (e) {
          this.receive({ id: msg.id, ok: false, error: { code: e.code || 'internal', message: e.message } });
        }
      });
    }
    receive(obj) { this.onmessage?.({ data: JSON.stringify(obj) }); }
    close() { if (this.readyState === 3) return; this.readyState = 3; setImmediate(() => this.onclose?.({ code: 1000 })); }
    drop() { this.readyState = 3; this.onclose?.({ code: 1006 }); }
  }
  server.WS = FakeWS;
  server.last = () => server.sockets[server.sockets.length - 1];
  server.of = (type) => server.sent.filter((m) => m.type === type);
  return server;
}

function memStorage(init = {}) {
  const m = new Map(Object.entries(init));
  return { getItem: (k) => (m.has(k) ? m.get(k) : null), setItem: (k, v) => m.set(k, String(v)), removeItem: (k) => m.delete(k) };
}

function mkClient(server, opts = {}) {
  return new ExpoClient({ url: 'ws://test/ws', WebSocket: server.WS, storage: memStorage(opts.storage), backoff: { base: 5, max: 20 }, requestTimeout: opts.timeout ?? 500, random: () => 0.5 });
}

const fail = (code) => { throw Object.assign(new Error(code), { code }); };

test('decodeFrame: a banned answer keeps its reason and end', () => {
  assert.deepEqual(decodeFrame('{"id":3,"ok":false,"error":{"code":"banned","message":"m","reason":"spam","until":null}}'),
    { kind: 'reply', id: 3, ok: false, code: 'banned', message: 'm', reason: 'spam', until: null });
  assert.equal(decodeFrame('{"id":3,"ok":false,"error":{"code":"banned","message":"m","reason":"x","until":"2099-01-01T00:00:00.000Z"}}').until,
    '2099-01-01T00:00:00.000Z');
});

test('decodeFrame: replies, errors, events, garbage', () => {
  assert.deepEqual(decodeFrame('{"id":1,"ok":true,"data":{"a":1}}'), { kind: 'reply', id: 1, ok: true, data: { a: 1 } });
  assert.deepEqual(decodeFrame('{"id":"x","ok":false,"error":{"code":"conflict","message":"m"}}'), { kind: 'reply', id: 'x', ok: false, code: 'conflict', message: 'm' });
  assert.deepEqual(decodeFrame('{"type":"chat.message","data":{"x":1}}'), { kind: 'event', type: 'chat.message', data: { x: 1 } });
  assert.equal(decodeFrame('nope').kind, 'invalid');
  assert.equal(decodeFrame('[1]').kind, 'invalid');
  assert.equal(decodeFrame('{"foo":1}').kind, 'invalid');
});

test('backoff grows exponentially with jitter and a cap', () => {
  const r = () => 1;
  assert.equal(backoffDelay(0, { base: 500, max: 15000, random: r }), 500);
  assert.equal(backoffDelay(3, { base: 500, max: 15000, random: r }), 4000);
  assert.equal(backoffDelay(30, { base: 500, max: 15000, random: r }), 15000);
  assert.equal(backoffDelay(3, { base: 500, max: 15000, random: () => 0 }), 2000);
});

test('request resolves with data; error rejects with ExpoError carrying code', async () => {
  const s = fakeServer({ 'sys.ping': () => ({ now: 'n', node: 'a' }), 'x.bad': () => fail('forbidden') });
  const c = mkClient(s);
  c.connect();
  assert.deepEqual(await c.request('sys.ping'), { now: 'n', node: 'a' });
  assert.equal(s.last().proto, PROTOCOL);
  await assert.rejects(c.request('x.bad'), (e) => e instanceof ExpoError && e.code === 'forbidden');
  const ids = s.sent.map((m) => m.id);
  assert.equal(new Set(ids).size, ids.length, 'ids are unique');
  assert.ok(s.sent.every((m) => typeof m.type === 'string' && m.data && typeof m.data === 'object'));
  c.close();
});

test('request times out with code timeout', async () => {
  const s = fakeServer({ 'slow.op': 'ignore' });
  const c = mkClient(s, { timeout: 30 });
  c.connect();
  await assert.rejects(c.request('slow.op'), (e) => e.code === 'timeout');
  c.close();
});

test('events reach listeners; state changes are reported', async () => {
  const s = fakeServer();
  const c = mkClient(s);
  const states = [];
  c.on('state', (x) => states.push(x));
  const got = [];
  c.on('announcement.new', (d) => got.push(d));
  c.connect();
  await settle();
  s.last().receive({ type: 'announcement.new', data: { text: 'hi' } });
  assert.deepEqual(got, [{ text: 'hi' }]);
  assert.deepEqual(states, ['connecting', 'open']);
  c.close();
  assert.equal(c.state, 'closed');
});

test('reconnect: resumes auth, re-enters booths with since_seq, no duplicates, pending chat resent with the same client_msg_id', async () => {
  const booth = { seq: 0, msgs: [], byKey: new Map() };
  const post = (text, cid) => {
    if (booth.byKey.has(cid)) return booth.byKey.get(cid);
    const m = { booth_id: 7, seq: ++booth.seq, id: `m${booth.seq}`, author: { id: 1, name: 'v', role: 'visitor' }, text, sent_at: 't' };
    booth.msgs.push(m); booth.byKey.set(cid, m); return m;
  };
  const s = fakeServer({
    'auth.login': () => ({ token: 'tok', user: { id: 1, name: 'v', role: 'visitor' } }),
    'auth.resume': (d) => (d.token === 'tok' ? { user: { id: 1, name: 'v', role: 'visitor' } } : fail('unauthorized')),
    'booth.enter': (d) => {
      const msgs = d.since_seq != null ? booth.msgs.filter((m) => m.seq > d.since_seq) : booth.msgs.slice(-50);
      return { visitors_now: 1, last_seq: booth.seq, messages: msgs };
    },
    'chat.send': (d) => ({ message: post(d.text, d.client_msg_id) }),
  });
  const c = mkClient(s);
  c.connect();
  await c.login('v@x', 'pw12345678');
  assert.equal(c.token, 'tok');
  post('before', 'other-1');
  const room = c.room(7);
  const seen = [];
  room.on('messages', (added) => seen.push(...added.map((m) => m.seq)));
  await room.enter();
  assert.deepEqual(seen, [1]);

  // messages 2..3 are committed while we are away; our own send is in flight when the socket drops
  s.handlers['chat.send'] = 'ignore';
  const sending = room.send('mine', 'cid-1');
  await settle();
  s.last().drop();
  await assert.rejects(sending, (e) => e.code === 'disconnected');
  post('away 1', 'other-2');
  post('away 2', 'other-3');
  s.handlers['chat.send'] = (d) => ({ message: post(d.text, d.client_msg_id) });

  await new Promise((resolve) => { const off = c.on('state', (x) => { if (x === 'open') { off(); resolve(); } }); });
  await settle(10);
  const resumes = s.of('auth.resume');
  assert.equal(resumes.length, 1);
  assert.equal(resumes[0].data.token, 'tok');
  const enters = s.of('booth.enter');
  assert.equal(enters.length, 2);
  assert.equal(enters[1].data.since_seq, 1, 're-enter from the last contiguous seq');
  // order on the new socket: resume, then enter, then everything else
  const onNew = s.sent.slice(s.sent.indexOf(resumes[0]));
  assert.deepEqual(onNew.slice(0, 2).map((m) => m.type), ['auth.resume', 'booth.enter']);
  // the pending message was resent with the same client_msg_id and stored once
  const sends = s.of('chat.send');
  assert.equal(sends.length, 2);
  assert.equal(sends[0].data.client_msg_id, sends[1].data.client_msg_id);
  assert.equal(room.outbox.size, 0);
  // event for a message we already have is not shown twice
  s.last().receive({ type: 'chat.message', data: { message: booth.msgs[1] } });
  assert.deepEqual(room.log.messages().map((m) => m.seq), [1, 2, 3, 4]);
  assert.deepEqual([...seen].sort((a, b) => a - b), [1, 2, 3, 4]);
  assert.equal(new Set(seen).size, seen.length, 'each message delivered to the page once');
  c.close();
});

test('a revoked token on resume signs the page out and stops re-entering', async () => {
  const s = fakeServer({ 'auth.resume': () => fail('unauthorized') });
  const c = new ExpoClient({ url: 'ws://t', WebSocket: s.WS, storage: memStorage({ 'expo.token': 'old' }), backoff: { base: 5, max: 5 } });
  const users = [];
  c.on('auth', (u) => users.push(u));
  c.connect();
  await c.whenReady();
  assert.equal(c.token, null);
  assert.equal(c.user, null);
  assert.deepEqual(users, [null]);
  assert.equal(s.of('booth.enter').length, 0);
  c.close();
});

test('requests made while disconnected wait for the connection, then go out once', async () => {
  const s = fakeServer({ 'sys.ping': () => ({ node: 'n' }) });
  s.open = false;
  const c = mkClient(s, { timeout: 2000 });
  c.connect();
  const p = c.request('sys.ping');
  await new Promise((r) => setTimeout(r, 40));
  assert.equal(c.state, 'connecting');
  s.open = true;
  assert.deepEqual(await p, { node: 'n' });
  assert.equal(s.of('sys.ping').length, 1);
  c.close();
});

test('truncated resume reloads the newest history and resets the view', async () => {
  let seq = 3;
  const s = fakeServer({
    'auth.resume': () => ({ user: { id: 1, name: 'v', role: 'visitor' } }),
    'booth.enter': (d) => (d.since_seq != null
      ? { visitors_now: 1, last_seq: 700, messages: [], truncated: true }
      : { visitors_now: 1, last_seq: seq, messages: [1, 2, 3].map((n) => ({ seq: n, text: `${n}` })) }),
    'chat.history': () => ({ messages: Array.from({ length: 200 }, (_, i) => ({ seq: 501 + i, text: 'h' })) }),
  });
  const c = new ExpoClient({ url: 'ws://t', WebSocket: s.WS, storage: memStorage({ 'expo.token': 'tok' }), backoff: { base: 5, max: 5 } });
  c.connect();
  await c.whenReady();
  const room = c.room(1);
  let resets = 0;
  room.on('messages', (_a, { reset }) => { if (reset) resets++; });
  await room.enter();
  seq = 700;
  s.last().drop();
  await new Promise((resolve) => { const off = room.on('messages', (_a, { reset }) => { if (reset) { off(); resolve(); } }); });
  assert.equal(resets, 1);
  assert.equal(room.log.messages()[0].seq, 501);
  assert.equal(room.log.resumeFrom(), 700);
  assert.equal(room.log.hasOlder, true);
  c.close();
});

test('logout drops the token and starts over on a fresh anonymous socket', async () => {
  const s = fakeServer({
    'auth.login': () => ({ token: 'tok', user: { id: 1, name: 'v', role: 'visitor' } }),
    'auth.logout': () => ({}),
  });
  const c = mkClient(s);
  c.connect();
  await c.login('v@x', 'pw12345678');
  const first = s.last();
  await c.logout();
  assert.equal(c.token, null);
  assert.equal(c.user, null);
  await new Promise((resolve) => { const off = c.on('state', (x) => { if (x === 'open') { off(); resolve(); } }); });
  assert.notEqual(s.last(), first, 'a new socket');
  assert.equal(s.of('auth.resume').length, 0, 'no resume without a token');
  c.close();
});
