// inquiry-store.js: the private inquiry threads one page knows, for the buyer side ("Ask
// privately", "My inquiries") or the booth side (the desk inbox). No DOM.
//
// Threads come from inquiry.list / inquiry.open / inquiry.history; each keeps a ChatLog (seq
// order, no duplicates, gap detection) and an outbox of messages being sent. Live events
// (inquiry.message, inquiry.read, inquiry.claimed) update them; a message whose seq skips one
// makes the store read the hole with inquiry.history since_seq, and inquiry.resync or a
// reconnect re-reads the list and every loaded thread's tail, so nothing is missed.
// Sends go through the client's pacer (one send rate with the booth chat); a send that fails
// for a passing reason (connection, unavailable) is retried with backoff, same client_msg_id.
//
// Listeners: on('change', fn(threadId|null)) ; on('message', fn(message, thread)).

import { ChatLog } from './chat-log.js';
import { Emitter } from './emitter.js';
import { newClientMsgId, retryable, scheduleRetry } from './expo-client.js';

const PAGE = 50;

/** 'buyer' or 'booth': the side a message's author writes for. */
export function authorSide(m) { return m?.author?.role === 'buyer' ? 'buyer' : 'booth'; }

export class InquiryStore extends Emitter {
  constructor(client, { side }) {
    super();
    this.c = client;
    this.side = side;
    this.threads = new Map();     // id (string) -> thread (server shape) + {log, outbox}
    this.scope = null;            // what load() read: null (buyer), [booth ids] (desk) or 'all' (organizers)
    this.offs = [
      client.on('inquiry.message', (d) => this._onMessage(d.message)),
      client.on('inquiry.read', (d) => this._onRead(d)),
      client.on('inquiry.claimed', (d) => this._onClaimed(d)),
      client.on('inquiry.resync', () => this.resync()),
      client.on('state', (s) => { if (s === 'open' && this.loadedOnce) this.resync(); }),
    ];
  }

  destroy() { this.offs.forEach((o) => o()); }

  get(id) { return this.threads.get(String(id)) || null; }

  /** Threads, most recent first. */
  list() { return [...this.threads.values()].sort((a, b) => Date.parse(b.last_at) - Date.parse(a.last_at) || b.id - a.id); }

  unread(t) { return Math.max(0, (t.last_seq || 0) - (t.read_seq?.[this.side] || 0)); }

  totalUnread() { let n = 0; for (const t of this.threads.values()) n += this.unread(t); return n; }

  _put(summary) {
    const key = String(summary.id);
    const old = this.threads.get(key);
    const t = old ? Object.assign(old, summary) : { ...summary, log: new ChatLog(), outbox: new Map(), loaded: false };
    if (old && summary.read_seq) t.read_seq = { ...summary.read_seq };
    this.threads.set(key, t);
    return t;
  }

  /**
   * Buyer (scope null): own threads. Booth side: the threads of the booth ids in `scope`, or
   * with 'all' (organizers) every booth's newest threads and every thread the booths have not
   * read, so no unread thread is left out of the counts.
   */
  async load(scope = null) {
    this.scope = scope;
    let lists;
    if (scope === 'all') {
      lists = await Promise.all([
        this.c.request('inquiry.list', { all: true, limit: 200 }),
        this.c.request('inquiry.list', { all: true, unread_only: true, limit: 500 }),
        ...[...(this.extraBooths || [])].map((b) => this.c.request('inquiry.list', { booth_id: b })),
      ]);
    } else {
      lists = scope
        ? await Promise.all(scope.map((b) => this.c.request('inquiry.list', { booth_id: b })))
        : [await this.c.request('inquiry.list', {})];
    }
    for (const r of lists) for (const t of r.threads || []) this._put(t);
    this.loadedOnce = true;
    this.emit('change', null);
  }

  /** Organizers: every thread of one booth too (beyond the newest ones 'all' reads). */
  async loadBooth(boothId) {
    (this.extraBooths ||= new Set()).add(boothId);
    const r = await this.c.request('inquiry.list', { booth_id: boothId });
    for (const t of r.threads || []) this._put(t);
    this.emit('change', null);
  }

  /** Buyer: opens (or finds) the thread with a booth and loads its newest messages. */
  async openWithBooth(boothId) {
    let tz;
    try { tz = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch { tz = undefined; }
    const r = await this.c.request('inquiry.open', tz ? { booth_id: boothId, time_zone: tz } : { booth_id: boothId });
    const t = this._applyHistory(r, null);
    this.loadedOnce = true;
    return t;
  }

  _applyHistory(r, beforeSeq, sinceSeq = null) {
    const t = this._put(r.thread);
    const msgs = r.messages || [];
    if (sinceSeq != null) t.log.add(msgs);
    else t.log.applyHistory(msgs, beforeSeq, PAGE);
    if (beforeSeq == null && sinceSeq == null) t.loaded = true;
    this.emit('change', String(t.id));
    return t;
  }

  /** Loads the newest page of a thread (once). */
  async loadThread(id) {
    const t = this.get(id);
    if (t?.loaded) return t;
    const r = await this.c.request('inquiry.history', { thread_id: Number(id), limit: PAGE });
    return this._applyHistory(r, null);
  }

  async loadOlder(id) {
    const t = this.get(id);
    if (!t || !t.log.hasOlder) return;
    const before = t.log.floor + 1;
    const r = await this.c.request('inquiry.history', { thread_id: Number(id), before_seq: before, limit: PAGE });
    this._applyHistory(r, before);
  }

  /** Reads what a loaded thread lacks above its contiguous messages. */
  async _fill(t) {
    if (t.filling || !t.loaded) return;
    t.filling = true;
    try {
      for (let i = 0; i < 10; i++) {
        const since = t.log.resumeFrom();
        if (since == null || since >= t.last_seq) break;
        const r = await this.c.request('inquiry.history', { thread_id: t.id, since_seq: since, limit: 200 });
        const before = t.log.contiguous;
        this._applyHistory(r, null, since);
        for (const m of r.messages || []) this._dropSent(t, m);
        if (t.log.contiguous === before) break;
      }
    } catch { /* the next resync tries again */ } finally { t.filling = false; }
  }

  async resync() {
    try { await this.load(this.scope); } catch { return; }
    for (const t of this.threads.values()) {
      this._fill(t);
      for (const [cid, o] of t.outbox) if (o.state === 'failed' && o.retry) this._sendOne(t, cid);
    }
  }

  /** Marks everything shown as read for our side (no request when nothing is new). */
  async markRead(id) {
    const t = this.get(id);
    if (!t) return;
    const seq = t.log.contiguous ?? 0;
    if (seq <= (t.read_seq?.[this.side] || 0)) return;
    t.read_seq = { ...(t.read_seq || {}), [this.side]: seq };
    this.emit('change', String(t.id));
    try { await this.c.request('inquiry.read', { thread_id: t.id, seq }); } catch { /* retried on the next view */ }
  }

  async claim(id, claim) {
    const r = await this.c.request('inquiry.claim', { thread_id: Number(id), claim });
    this._put(r.thread);
    this.emit('change', String(id));
  }

  send(id, text) {
    const t = this.get(id);
    const cid = newClientMsgId();
    t.outbox.set(cid, { text, state: 'sending', retry: true });
    this.emit('change', String(t.id));
    return this._sendOne(t, cid);
  }

  discard(id, cid) {
    const t = this.get(id);
    if (t?.outbox.delete(cid)) this.emit('change', String(t.id));
  }

  retry(id, cid) { const t = this.get(id); if (t) this._sendOne(t, cid); }

  _dropSent(t, m) {
    if (m.client_msg_id && t.outbox.delete(m.client_msg_id)) this.emit('change', String(t.id));
  }

  async _sendOne(t, cid) {
    const o = t.outbox.get(cid);
    if (!o) return null;
    o.state = 'sending';
    this.emit('change', String(t.id));
    try {
      const r = await this.c.sendPaced('inquiry.send', { thread_id: t.id, text: o.text, client_msg_id: cid });
      t.outbox.delete(cid);
      if (r.message) this._onMessage(r.message);
      this.emit('change', String(t.id));
      return r.message;
    } catch (e) {
      if (!t.outbox.has(cid)) return null;
      o.state = 'failed';
      o.error = e;
      o.retry = retryable(e);
      if (o.retry) scheduleRetry(o, () => this._sendOne(t, cid), this.c);
      this.emit('change', String(t.id));
      return null;
    }
  }

  async _onMessage(m) {
    if (!m) return;
    let t = this.get(m.thread_id);
    let fresh = false;
    if (!t) {
      // A thread this page has not listed yet (a buyer's first question on the desk): its
      // history brings this message along.
      try { t = await this.loadThread(m.thread_id); } catch { return; }
      fresh = true;
    }
    const added = t.log.add([m]);
    this._dropSent(t, m);
    if (!added.length) {
      if (fresh) this.emit('message', m, t);
      return;
    }
    if (m.seq > (t.last_seq || 0)) {
      t.last_seq = m.seq;
      t.last_at = m.sent_at;
      t.last_message = m;
    }
    // The author's side has read its own message (the server moved that mark too).
    const s = authorSide(m);
    if ((t.read_seq?.[s] || 0) < m.seq) t.read_seq = { ...(t.read_seq || {}), [s]: m.seq };
    this.emit('message', m, t);
    this.emit('change', String(t.id));
    if (t.log.gap() || (t.loaded && t.log.contiguous < t.last_seq)) this._fill(t);
  }

  _onRead(d) {
    const t = this.get(d.thread_id);
    if (!t) return;
    if ((t.read_seq?.[d.side] || 0) < d.seq) {
      t.read_seq = { ...(t.read_seq || {}), [d.side]: d.seq };
      this.emit('change', String(t.id));
    }
  }

  _onClaimed(d) {
    const t = this.get(d.thread_id);
    if (!t) return;
    t.claimed_by = d.claimed_by || null;
    this.emit('change', String(t.id));
  }
}
