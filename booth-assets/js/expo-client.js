// expo-client.js: the one module that speaks the expo.v1 protocol for every page.
//
// What it is: a WebSocket client for `/ws` (subprotocol `expo.v1`) with
//   - requests `{id, type, data}` -> a Promise of the reply's `data`, or a rejection with an
//     ExpoError carrying the server's `code` (or a local code: `timeout`, `disconnected`, `closed`);
//   - events `{type, data}` (no id) dispatched to listeners registered with on(type, fn);
//   - reconnect with exponential backoff and jitter; after a reconnect it re-authenticates with
//     `auth.resume {token}` (token kept in localStorage) and re-enters every open booth with
//     `booth.enter {booth_id, since_seq}` so each booth's chat fills its gap exactly (ChatLog
//     dedupes by seq; a `truncated` resume reloads through `chat.history`);
//   - a connection state for the pages' indicator: 'connecting' | 'open' | 'reconnecting' | 'closed'.
// What it is not: it never touches the DOM. Pages render; this module only moves data.
//
// Ordering contract: after a (re)connect, requests made by pages wait until auth.resume and every
// booth.enter have been answered, so a chat.send never reaches the server before its booth.enter.
//
// Works in browsers and in node (tests inject WebSocket, storage and timers).

import { ChatLog } from './chat-log.js';
import { SendPacer } from './send-pacer.js';
import { Emitter } from './emitter.js';

export const PROTOCOL = 'expo.v1';
const TOKEN_KEY = 'expo.token';

export class ExpoError extends Error {
  constructor(code, message, fields) {
    super(message || code);
    this.name = 'ExpoError';
    this.code = code;
    // A form's refusals: {field name: reason code} (error.fields of bad_request), or undefined.
    if (fields) this.fields = fields;
  }
}

/** The ws(s) URL of `/ws` on the page's own origin. */
export function defaultUrl(loc = globalThis.location) {
  const proto = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${loc.host}/ws`;
}

/** Backoff delay for attempt n (0-based): base*2^n capped at max, with "full jitter" in [d/2, d]. */
export function backoffDelay(n, { base = 500, max = 15000, random = Math.random } = {}) {
  const d = Math.min(max, base * 2 ** Math.min(n, 20));
  return Math.round(d / 2 + random() * (d / 2));
}

/** Parses one inbound frame. Returns {kind: 'reply'|'event'|'invalid', ...}. Pure. */
export function decodeFrame(text) {
  let msg;
  try { msg = JSON.parse(text); } catch { return { kind: 'invalid' }; }
  if (!msg || typeof msg !== 'object' || Array.isArray(msg)) return { kind: 'invalid' };
  if (msg.id !== undefined && msg.id !== null) {
    if (msg.ok === true) return { kind: 'reply', id: msg.id, ok: true, data: msg.data ?? {} };
    const e = (msg.error && typeof msg.error === 'object') ? msg.error : {};
    const r = { kind: 'reply', id: msg.id, ok: false, code: String(e.code || 'internal'), message: String(e.message || '') };
    if (e.fields && typeof e.fields === 'object' && !Array.isArray(e.fields)) r.fields = e.fields;
    // `banned`: why and until when (ISO time, or null: no end)
    if (typeof e.reason === 'string') r.reason = e.reason;
    if (e.until === null || typeof e.until === 'string') r.until = e.until;
    return r;
  }
  if (typeof msg.type === 'string') return { kind: 'event', type: msg.type, data: msg.data ?? {} };
  return { kind: 'invalid' };
}

function memoryStorage() {
  const m = new Map();
  return { getItem: (k) => (m.has(k) ? m.get(k) : null), setItem: (k, v) => m.set(k, String(v)), removeItem: (k) => m.delete(k) };
}

function safeStorage(s) {
  // localStorage can throw (privacy modes); fall back to memory for this page.
  try { if (s) { s.getItem(TOKEN_KEY); return s; } } catch { /* fall through */ }
  return memoryStorage();
}

export class ExpoClient {
  /**
   * opts: url, WebSocket (constructor), storage, requestTimeout (ms), backoff {base, max},
   * random, setTimeout/clearTimeout (for tests), autoResume (default true).
   */
  constructor(opts = {}) {
    this.url = opts.url || defaultUrl();
    this.WS = opts.WebSocket || globalThis.WebSocket;
    this.storage = safeStorage(opts.storage !== undefined ? opts.storage : globalThis.localStorage);
    this.requestTimeout = opts.requestTimeout ?? 10000;
    this.backoff = { base: 500, max: 15000, ...(opts.backoff || {}) };
    this.random = opts.random || Math.random;
    this.setTimeout = opts.setTimeout || globalThis.setTimeout.bind(globalThis);
    this.clearTimeout = opts.clearTimeout || globalThis.clearTimeout.bind(globalThis);

    this.state = 'closed';
    this.user = null;
    this.ws = null;
    this.nextId = 1;
    this.pending = new Map();   // id -> {resolve, reject, timer, type}
    this.queue = [];            // requests waiting for the session to be ready
    this.ready = false;         // socket open AND resume/re-enter done
    this.listeners = new Map(); // type -> Set(fn); '*' gets every event
    this.rooms = new Map();     // booth_id (string key) -> BoothRoom
    this.attempt = 0;
    this.reconnectTimer = null;
    this.stopped = true;
    this.connectedOnce = false;
    // chat.send and inquiry.send share the server's per-connection send rate: one pacer for both.
    this.pacer = new SendPacer({ setTimeout: this.setTimeout, clearTimeout: this.clearTimeout });
    this.limitsAsked = false;
  }

  /**
   * Sends a message-type request (chat.send, inquiry.send) through the pacer: queued and paced
   * under the server's send rate (asked once with sys.ping), `rate_limited` retried there.
   */
  sendPaced(type, data) {
    if (!this.limitsAsked) {
      this.limitsAsked = true;
      this.request('sys.ping', {}).then((r) => { if (r && r.limits) this.pacer.setLimits(r.limits); }, () => { this.limitsAsked = false; });
    }
    return this.pacer.run(() => this.request(type, data));
  }

  get token() {
    try { return this.storage.getItem(TOKEN_KEY); } catch { return null; }
  }

  set token(v) {
    try { if (v) this.storage.setItem(TOKEN_KEY, v); else this.storage.removeItem(TOKEN_KEY); } catch { /* ignore */ }
  }

  // ---- listeners -------------------------------------------------------------------------

  /** Registers fn for an event type ('*' for all server events; 'state', 'auth' are local). Returns an unsubscribe function. */
  on(type, fn) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(fn);
    return () => this.listeners.get(type)?.delete(fn);
  }

  emit(type, data) {
    for (const fn of [...(this.listeners.get(type) || [])]) {
      try { fn(data, type); } catch (e) { console.error('listener for', type, 'failed:', e); }
    }
  }

  _setState(s) {
    if (this.state === s) return;
    this.state = s;
    this.emit('state', s);
  }

  _setUser(u) {
    this.user = u || null;
    this.emit('auth', this.user);
  }

  // ---- connection ------------------------------------------------------------------------

  /** Opens the connection (idempotent). */
  connect() {
    this.stopped = false;
    if (this.ws) return;
    this._open();
  }

  /** Closes for good: pending and queued requests fail with `closed`. */
  close() {
    this.stopped = true;
    if (this.reconnectTimer) { this.clearTimeout(this.reconnectTimer); this.reconnectTimer = null; }
    const ws = this.ws;
    this.ws = null;
    this.ready = false;
    if (ws) { try { ws.close(1000); } catch { /* ignore */ } }
    this._failAll('closed', 'connection closed');
    this._setState('closed');
  }

  _open() {
    this._setState(this.connectedOnce ? 'reconnecting' : 'connecting');
    let ws;
    try {
      ws = new this.WS(this.url, PROTOCOL);
    } catch (e) {
      this._scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.onopen = () => { if (this.ws === ws) this._onOpen(); };
    ws.onmessage = (ev) => { if (this.ws === ws) this._onFrame(typeof ev.data === 'string' ? ev.data : String(ev.data)); };
    ws.onclose = () => { if (this.ws === ws) this._onClose(); };
    ws.onerror = () => { /* onclose follows */ };
  }

  async _onOpen() {
    this.attempt = 0;
    this.connectedOnce = true;
    this.ready = false;
    const ws = this.ws;
    try {
      const token = this.token;
      if (token) {
        try {
          const r = await this._send('auth.resume', { token });
          this._setUser(r.user || null);
        } catch (e) {
          if (this.ws !== ws) return;
          if (e.code === 'unauthorized' || e.code === 'not_found' || e.code === 'bad_request' || e.code === 'banned') {
            this.token = null;
            this._setUser(null);
            // the organizers suspended this account: the page says why and until when
            if (e.code === 'banned') this.emit('banned', { reason: e.reason, until: e.until ?? null });
          } else {
            throw e;
          }
        }
      } else if (this.user) {
        this._setUser(null);
      }
      if (this.user) {
        for (const room of [...this.rooms.values()]) {
          if (this.ws !== ws) return;
          if (!room.wanted) continue;
          try {
            await room._enter();
          } catch (e) {
            if (e.code === 'disconnected' || e.code === 'unavailable' || e.code === 'timeout') throw e;
            // forbidden/not_found: that room is gone for us; the page hears 'enter-failed'.
            room.wanted = false;
          }
        }
      }
    } catch (e) {
      // The socket died (or the server is unavailable) during the resume: the close handler
      // reconnects. For other errors, carry on: pages will see their own request errors.
      if (this.ws !== ws || e.code === 'disconnected') return;
      if (e.code === 'unavailable' || e.code === 'timeout') { this._drop(); return; }
    }
    if (this.ws !== ws) return;
    this.ready = true;
    this._setState('open');
    const q = this.queue;
    this.queue = [];
    for (const item of q) this._transmit(item);
    for (const room of this.rooms.values()) if (room.entered) room._resume();
  }

  _drop() {
    // Force a reconnect (e.g. resume timed out).
    const ws = this.ws;
    if (ws) { try { ws.close(4000); } catch { /* ignore */ } }
    this._onClose();
  }

  _onClose() {
    this.ws = null;
    this.ready = false;
    for (const room of this.rooms.values()) room.entered = false;
    // In-flight requests can't be answered on a new socket; queued ones keep waiting.
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      this.clearTimeout(p.timer);
      p.reject(new ExpoError('disconnected', 'connection lost'));
    }
    if (this.stopped) { this._setState('closed'); return; }
    this._scheduleReconnect();
  }

  _scheduleReconnect() {
    this._setState(this.connectedOnce ? 'reconnecting' : 'connecting');
    if (this.reconnectTimer) return;
    const delay = backoffDelay(this.attempt++, { ...this.backoff, random: this.random });
    this.emit('reconnect-scheduled', delay);
    this.reconnectTimer = this.setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.stopped && !this.ws) this._open();
    }, delay);
  }

  /** Reconnect now instead of waiting for the backoff timer (e.g. the "retry" button). */
  reconnectNow() {
    if (this.ws || this.stopped) return;
    if (this.reconnectTimer) { this.clearTimeout(this.reconnectTimer); this.reconnectTimer = null; }
    this._open();
  }

  _failAll(code, message) {
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      this.clearTimeout(p.timer);
      p.reject(new ExpoError(code, message));
    }
    for (const item of this.queue.splice(0)) { this.clearTimeout(item.timer); item.reject(new ExpoError(code, message)); }
  }

  _onFrame(text) {
    const f = decodeFrame(text);
    if (f.kind === 'reply') {
      const p = this.pending.get(f.id);
      if (!p) return; // late reply after timeout
      this.pending.delete(f.id);
      this.clearTimeout(p.timer);
      if (f.ok) p.resolve(f.data);
      else {
        if (f.code === 'unauthorized' && p.type !== 'auth.login' && p.type !== 'auth.resume' && p.type !== 'auth.register' && this.user) {
          // The token was revoked elsewhere (logout in another tab).
          this.token = null;
          this._setUser(null);
        }
        const err = new ExpoError(f.code, f.message, f.fields);
        if (f.reason !== undefined) err.reason = f.reason;
        if (f.until !== undefined) err.until = f.until;
        p.reject(err);
      }
    } else if (f.kind === 'event') {
      this._routeEvent(f.type, f.data);
      this.emit(f.type, f.data);
      this.emit('*', { type: f.type, data: f.data });
    }
  }

  _routeEvent(type, data) {
    const bid = data && (data.booth_id ?? data.message?.booth_id);
    if (bid === undefined || bid === null) return;
    const room = this.rooms.get(String(bid));
    if (!room) return;
    if (type === 'chat.message' && data.message) room._onMessage(data.message);
    else if (type === 'chat.hidden') room.log.hide(data.seq, data);
    else if (type === 'presence.changed') room._onPresence(data);
  }

  // ---- requests --------------------------------------------------------------------------

  /**
   * Sends a request; resolves with the reply's data. Waits (up to the timeout) for the
   * connection to be ready. Rejects with ExpoError{code}.
   */
  request(type, data = {}, { timeout } = {}) {
    return new Promise((resolve, reject) => {
      const item = { type, data, resolve, reject, timeout: timeout ?? this.requestTimeout, timer: null };
      if (this.stopped && !this.ws) this.connect();
      if (this.ready && this.ws) { this._transmit(item); return; }
      item.timer = this.setTimeout(() => {
        const i = this.queue.indexOf(item);
        if (i >= 0) this.queue.splice(i, 1);
        reject(new ExpoError('timeout', `no connection for ${type}`));
      }, item.timeout);
      this.queue.push(item);
    });
  }

  /** Sends bypassing the ready queue (used for resume and re-enter during (re)connect). */
  _send(type, data, timeout) {
    return new Promise((resolve, reject) => {
      this._transmit({ type, data, resolve, reject, timeout: timeout ?? this.requestTimeout, timer: null });
    });
  }

  _transmit(item) {
    if (item.timer) { this.clearTimeout(item.timer); item.timer = null; }
    if (!this.ws) { item.reject(new ExpoError('disconnected', 'connection lost')); return; }
    const id = this.nextId++;
    const p = { resolve: item.resolve, reject: item.reject, type: item.type, timer: null };
    p.timer = this.setTimeout(() => {
      if (this.pending.get(id) === p) {
        this.pending.delete(id);
        p.reject(new ExpoError('timeout', `${item.type} timed out`));
      }
    }, item.timeout);
    this.pending.set(id, p);
    try {
      this.ws.send(JSON.stringify({ id, type: item.type, data: item.data ?? {} }));
    } catch (e) {
      this.pending.delete(id);
      this.clearTimeout(p.timer);
      item.reject(new ExpoError('disconnected', 'send failed'));
    }
  }

  // ---- auth ------------------------------------------------------------------------------

  async register(fields) {
    const r = await this.request('auth.register', fields);
    this.token = r.token;
    this._setUser(r.user);
    return r.user;
  }

  async login(email, password) {
    const r = await this.request('auth.login', { email, password });
    this.token = r.token;
    this._setUser(r.user);
    return r.user;
  }

  async logout() {
    try { await this.request('auth.logout', {}, { timeout: 5000 }); } catch { /* the token is dropped anyway */ }
    this.token = null;
    for (const room of this.rooms.values()) { room.entered = false; room.wanted = false; }
    this._setUser(null);
    // Start over on a fresh, anonymous socket: nothing of the old session lingers on the server.
    if (this.ws) { this.attempt = 0; this._drop(); }
  }

  /** Resolves once the first (re)connect attempt has settled the user (null if signed out). */
  whenReady() {
    if (this.ready) return Promise.resolve(this.user);
    return new Promise((resolve) => {
      const off = this.on('state', (s) => { if (s === 'open') { off(); resolve(this.user); } });
      this.connect();
    });
  }

  // ---- booths ----------------------------------------------------------------------------

  /** The room for a booth (created on first use). Call room.enter() to join it. */
  room(boothId) {
    const key = String(boothId);
    if (!this.rooms.has(key)) this.rooms.set(key, new BoothRoom(this, boothId));
    return this.rooms.get(key);
  }
}

/**
 * One open booth: its chat log, presence numbers and pending outgoing messages.
 * Listeners: on('messages', fn(addedList, {reset})) ; on('presence', fn({visitors_now, staff_online})) ;
 * on('history', fn()) after older messages were loaded.
 */
export class BoothRoom extends Emitter {
  constructor(client, boothId) {
    super();
    this.client = client;
    this.boothId = boothId;
    this.log = new ChatLog();
    this.entered = false;
    this.wanted = false;
    this.presence = null;
    this.outbox = new Map(); // client_msg_id -> {text, state: 'sending'|'failed', error}
    this.filling = false;
  }

  /** Enters the booth (the client re-enters it after every reconnect until leave()). */
  enter() {
    this.wanted = true;
    if (this.client.ready) return this._enter();
    // Not connected yet: the client enters every wanted room once it has resumed the session.
    this.client.connect();
    return new Promise((resolve, reject) => {
      const offs = [];
      const done = (f, v) => { offs.forEach((o) => o()); f(v); };
      offs.push(this.on('entered', (r) => done(resolve, r)));
      offs.push(this.on('enter-failed', (e) => done(reject, e)));
    });
  }

  async _enter() {
    if (!this.wanted) return null;
    const since = this.log.resumeFrom();
    const data = { booth_id: this.boothId };
    if (since != null) data.since_seq = since;
    // During a (re)connect the client is not "ready" yet: bypass its queue.
    const send = this.client.ready ? this.client.request.bind(this.client) : this.client._send.bind(this.client);
    let r;
    try {
      r = await send('booth.enter', data);
    } catch (e) {
      this.emit('enter-failed', e);
      throw e;
    }
    this.entered = true;
    const { added, needReload } = this.log.applyEnter(r, data.since_seq ?? null);
    if (needReload) {
      await this._reload(send);
    } else if (added.length) {
      this.emit('messages', added, { reset: false });
    }
    if (typeof r.visitors_now === 'number') this._onPresence({ visitors_now: r.visitors_now, staff_online: r.staff_online ?? this.presence?.staff_online });
    this.emit('entered', r);
    if (this.client.ready) this._resume();
    return r;
  }

  /** After (re)entering on a ready connection: fill any hole, resend unacknowledged messages. */
  _resume() {
    this._fillGap();
    // Same client_msg_id: the server stores a resent message once.
    for (const [cid, o] of this.outbox) if (o.state === 'failed' && o.retry) this._sendOne(cid).catch(() => {});
  }

  async _reload(send = this.client.request.bind(this.client)) {
    const r = await send('chat.history', { booth_id: this.boothId, limit: 200 });
    this.log.reset();
    this.log.applyHistory(r.messages || [], null, 200);
    this.emit('messages', this.log.messages(), { reset: true });
  }

  async leave() {
    this.wanted = false;
    const was = this.entered;
    this.entered = false;
    this.client.rooms.delete(String(this.boothId));
    if (was && this.client.ready) {
      try { await this.client.request('booth.leave', { booth_id: this.boothId }); } catch { /* closing anyway */ }
    }
  }

  /** Loads up to `limit` messages older than the oldest one loaded. Returns the count added. */
  async loadOlder(limit = 50) {
    if (!this.log.hasOlder) return 0;
    const before = this.log.floor + 1;
    const r = await this.client.request('chat.history', { booth_id: this.boothId, before_seq: before, limit });
    const added = this.log.applyHistory(r.messages || [], before, limit);
    this.emit('history', added);
    return added.length;
  }

  _onMessage(m) {
    const added = this.log.add([m]);
    if (added.length) this.emit('messages', added, { reset: false });
    // Our own message came back as an event before its reply: drop it from the outbox.
    if (m.client_msg_id && this.outbox.has(m.client_msg_id)) { this.outbox.delete(m.client_msg_id); this.emit('outbox'); }
    this._fillGap();
  }

  _onPresence(p) {
    this.presence = { visitors_now: p.visitors_now, staff_online: p.staff_online };
    this.emit('presence', this.presence);
  }

  async _fillGap() {
    if (this.filling) return;
    this.filling = true;
    try {
      for (let i = 0; i < 10; i++) {
        const g = this.log.gap();
        if (!g || !this.client.ready) break;
        const r = await this.client.request('chat.history', { booth_id: this.boothId, before_seq: g.beforeSeq, limit: g.count });
        const added = this.log.add(r.messages || []);
        if (added.length) this.emit('messages', added, { reset: false });
        else break;
      }
    } catch { /* next reconnect resumes from contiguous anyway */ }
    finally { this.filling = false; }
  }

  /** Sends a chat message; resolves with the stored message. Retries on reconnect. */
  send(text, clientMsgId = newClientMsgId()) {
    this.outbox.set(clientMsgId, { text, state: 'sending', retry: true });
    this.emit('outbox');
    return this._sendOne(clientMsgId);
  }

  async _sendOne(cid) {
    const o = this.outbox.get(cid);
    if (!o) return null;
    o.state = 'sending';
    this.emit('outbox');
    try {
      const r = await this.client.sendPaced('chat.send', { booth_id: this.boothId, text: o.text, client_msg_id: cid });
      this.outbox.delete(cid);
      if (r.message) {
        const added = this.log.add([r.message]);
        if (added.length) this.emit('messages', added, { reset: false });
        this._fillGap();
      }
      this.emit('outbox');
      return r.message;
    } catch (e) {
      o.state = 'failed';
      o.error = e;
      // Retry automatically only if the socket dropped (the server may or may not have it:
      // the same client_msg_id makes the resend safe). Other errors need the user.
      o.retry = retryable(e);
      if (o.retry && this.client.ready) scheduleRetry(o, () => this._sendOne(cid).catch(() => {}), this.client);
      this.emit('outbox');
      throw e;
    }
  }

  /** Retries a failed message by hand. */
  retry(cid) { return this._sendOne(cid); }

  discard(cid) { this.outbox.delete(cid); this.emit('outbox'); }
}

/** Errors after which a resend with the same client_msg_id is safe and may succeed. */
export function retryable(e) {
  return !!e && (e.code === 'disconnected' || e.code === 'timeout' || e.code === 'unavailable' || e.code === 'rate_limited');
}

/** Retries a failed outgoing message o by itself, after 1 s, 2 s, 4 s ... (at most 30 s). */
export function scheduleRetry(o, resend, client) {
  o.attempts = (o.attempts || 0) + 1;
  const d = backoffDelay(o.attempts - 1, { base: 1000, max: 30000, random: client.random });
  o.retryAt = Date.now() + d;
  client.setTimeout(resend, d);
}

export function newClientMsgId() {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  return `m-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

let shared = null;
/** The page's one client (created and connected on first call). */
export function client() {
  if (!shared) {
    shared = new ExpoClient();
    globalThis.__expo = shared; // for the console and the e2e tests
    shared.connect();
  }
  return shared;
}
