// chat-log.js: one booth's chat as the page knows it, ordered by seq.
//
// What it is: a pure data structure (no sockets, no DOM) so the gap/duplicate rules can be
// tested with node's test runner. What it is not: it never talks to the server; it tells the
// caller what to ask for (a since_seq to resume from, a gap to fill, a reset to reload).
//
// Invariants:
//   - `bySeq` holds at most one message per seq (the server's per-booth gapless sequence);
//     adding a seq already present is a no-op, so replays and event/reply races never duplicate.
//   - `contiguous` is the highest seq H such that every seq in (floor, H] is present, where
//     `floor` is the seq just below the oldest message we chose to load. Resuming with
//     since_seq = contiguous therefore fills exactly the gap, never skipping a message.
//   - `floor` only moves down (loading older history) or is reset (after a truncated resume).
//   - a seq announced hidden (chat.hidden) stays hidden: a copy that arrives later (a reply or
//     event sent before the hide reached the server) is masked the same way when added.

/** Marks m hidden as `info` (chat.hidden data) says; see ChatLog.hide. */
function maskHidden(m, info) {
  m.hidden = true;
  if (info && info.hidden_by) {
    m.hidden_by = info.hidden_by;
    if (info.hidden_at) m.hidden_at = info.hidden_at;
  } else if (!m.hidden_by) {
    m.text = '';
    m.author = null;
  }
}

export class ChatLog {
  constructor() {
    this.reset();
  }

  /** Forget everything (used before the first enter and after a truncated resume). */
  reset() {
    this.bySeq = new Map();
    this.hidden = new Map();  // seq -> the chat.hidden data (moderation), kept across copies
    this.floor = null;       // seq below the oldest loaded message; null = nothing loaded yet
    this.contiguous = null;  // see invariants
    this.lastSeq = 0;        // highest seq the server said exists (booth.enter last_seq) or seen
    this.hasOlder = false;   // true if messages below `floor` exist (floor > 0)
  }

  get size() { return this.bySeq.size; }

  /** Messages in seq order (oldest first). */
  messages() {
    return [...this.bySeq.values()].sort((a, b) => a.seq - b.seq);
  }

  /** True if `seq` is known. */
  has(seq) { return this.bySeq.has(seq); }

  /**
   * A moderator hid message `seq` (the chat.hidden event's data). With `hidden_by` (the reader
   * is the booth's staff or an organizer) the text stays, marked hidden; without, the message
   * becomes a placeholder with no text or author. Returns the message when it was loaded.
   */
  hide(seq, info = {}) {
    if (!Number.isInteger(seq) || seq < 1) return null;
    this.hidden.set(seq, info);
    const m = this.bySeq.get(seq);
    if (m) maskHidden(m, info);
    return m || null;
  }

  /**
   * Adds messages (any order, duplicates allowed). Returns the ones that were new, in seq order.
   * Messages without a positive integer seq are ignored.
   */
  add(list) {
    const added = [];
    for (const m of list || []) {
      if (!m || !Number.isInteger(m.seq) || m.seq < 1) continue;
      if (this.bySeq.has(m.seq)) continue;
      if (this.hidden.has(m.seq)) maskHidden(m, this.hidden.get(m.seq));
      this.bySeq.set(m.seq, m);
      added.push(m);
      if (m.seq > this.lastSeq) this.lastSeq = m.seq;
    }
    added.sort((a, b) => a.seq - b.seq);
    this._advance();
    return added;
  }

  /**
   * Applies a booth.enter reply. `sinceSeq` is what we sent (null for a first enter).
   * Returns {added, needReload}: needReload is true when the server truncated the resume,
   * i.e. there are messages between sinceSeq and the reply we will never see this way; the
   * caller should reset() and reload with chat.history.
   */
  applyEnter(reply, sinceSeq) {
    const msgs = (reply && Array.isArray(reply.messages)) ? reply.messages : [];
    if (reply && reply.truncated) return { added: [], needReload: true };
    if (sinceSeq == null || this.floor == null) {
      // First enter: the reply is the newest window. Everything below its oldest message is
      // "older history", loaded on demand.
      const seqs = msgs.map((m) => m.seq).filter(Number.isInteger);
      const last = Number.isInteger(reply && reply.last_seq) ? reply.last_seq : Math.max(0, ...seqs);
      const oldest = seqs.length ? Math.min(...seqs) : last + 1;
      this.floor = oldest - 1;
      this.hasOlder = this.floor > 0;
      if (this.contiguous == null || this.contiguous < this.floor) this.contiguous = this.floor;
      if (last > this.lastSeq) this.lastSeq = last;
      const added = this.add(msgs);
      return { added, needReload: false };
    }
    // Resume: every message after sinceSeq.
    const added = this.add(msgs);
    if (Number.isInteger(reply && reply.last_seq) && reply.last_seq > this.lastSeq) this.lastSeq = reply.last_seq;
    return { added, needReload: false };
  }

  /**
   * Applies a chat.history reply (newest last), used both for "load earlier" and for the reload
   * after truncation. `beforeSeq` is what we sent (null = newest page), `limit` the page size.
   */
  applyHistory(messages, beforeSeq, limit) {
    const msgs = Array.isArray(messages) ? messages : [];
    const seqs = msgs.map((m) => m.seq).filter(Number.isInteger);
    if (beforeSeq == null) {
      // Newest page: behaves like a first enter.
      return this.applyEnter({ messages: msgs, last_seq: seqs.length ? Math.max(...seqs) : this.lastSeq }, null).added;
    }
    const added = this.add(msgs);
    if (this.floor != null && beforeSeq <= this.floor + 1) {
      // "Load earlier": this page extends the loaded window downwards.
      if (seqs.length) this.floor = Math.min(this.floor, Math.min(...seqs) - 1);
      if (seqs.length < (limit || 1)) this.floor = 0; // the server has nothing older
      this.hasOlder = this.floor > 0;
    }
    this._advance();
    return added;
  }

  /**
   * The first hole above `contiguous` while later messages are present: {beforeSeq, count},
   * meaning chat.history {before_seq: beforeSeq, limit: count} fills it. null if no hole.
   */
  gap() {
    if (this.contiguous == null) return null;
    let above = null;
    for (const s of this.bySeq.keys()) if (s > this.contiguous && (above == null || s < above)) above = s;
    if (above == null) return null;
    const missing = above - this.contiguous - 1;
    if (missing <= 0) return null;
    return { beforeSeq: above, count: Math.min(missing, 200) };
  }

  /** since_seq for a resume: everything after this is what we may lack. */
  resumeFrom() {
    return this.contiguous == null ? null : this.contiguous;
  }

  _advance() {
    if (this.contiguous == null) return;
    while (this.bySeq.has(this.contiguous + 1)) this.contiguous++;
  }
}
