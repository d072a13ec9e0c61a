// send-pacer.js: paces message sends (chat.send, inquiry.send) under the server's per-connection
// send rate instead of letting them fail with `rate_limited`.
//
// What it is: a token bucket mirroring the server's (sys.ping limits: chat_per_s, chat_burst;
// the server counts chat.send and inquiry.send together), kept a little below it, and a FIFO
// of send functions. A send runs when a token is free, so a burst of 25 messages goes out at
// the allowed pace, in order. If the server still answers `rate_limited` (its bucket was
// emptier than ours: another tab, a reload), the same send is retried after a growing delay
// and the queue waits behind it; the caller never sees that error. Other errors reject.
// What it is not: no DOM, no socket. Pure and testable in node (timers and clock injected).

const MARGIN = 0.9;            // stay under the server's rate
const RETRY_BASE_MS = 600;
const RETRY_MAX_MS = 8000;

export class SendPacer {
  /** opts: ratePerSec, burst, now() ms, setTimeout, clearTimeout, onChange(state). */
  constructor(opts = {}) {
    this.now = opts.now || (() => Date.now());
    this.setTimeout = opts.setTimeout || globalThis.setTimeout.bind(globalThis);
    this.clearTimeout = opts.clearTimeout || globalThis.clearTimeout.bind(globalThis);
    this.onChange = opts.onChange || (() => {});
    this.queue = [];           // {fn, resolve, reject, attempts}
    this.timer = null;
    this.running = false;      // a send is in flight: the next waits (keeps order)
    this.retrying = false;
    this.setLimits({ chat_per_s: opts.ratePerSec ?? 2, chat_burst: opts.burst ?? 10 });
    this.tokens = this.burst;
    this.stamp = this.now();
  }

  /** Adopts the server's limits (sys.ping data.limits). */
  setLimits(l) {
    const rate = Number(l && l.chat_per_s);
    const burst = Number(l && l.chat_burst);
    if (rate > 0) this.rate = rate * MARGIN;
    if (burst >= 1) this.burst = Math.max(1, Math.floor(burst * MARGIN));
    if (this.tokens > this.burst) this.tokens = this.burst;
  }

  /** State for the page: how many wait, and whether the head is being retried. */
  get state() { return { queued: this.queue.length + (this.running ? 1 : 0), retrying: this.retrying }; }

  /** Queues fn (returns a Promise of the send); resolves/rejects with its outcome. */
  run(fn) {
    return new Promise((resolve, reject) => {
      this.queue.push({ fn, resolve, reject, attempts: 0 });
      this.onChange(this.state);
      this._pump();
    });
  }

  _refill() {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.stamp) / 1000) * this.rate);
    this.stamp = t;
  }

  _pump() {
    if (this.running || this.timer || !this.queue.length) return;
    this._refill();
    if (this.tokens < 1) {
      const wait = Math.ceil(((1 - this.tokens) / this.rate) * 1000);
      this.timer = this.setTimeout(() => { this.timer = null; this._pump(); }, wait);
      return;
    }
    this.tokens -= 1;
    const item = this.queue[0];
    this.running = true;
    Promise.resolve().then(item.fn).then((v) => {
      this.queue.shift();
      this.running = false;
      this.retrying = false;
      item.resolve(v);
      this.onChange(this.state);
      this._pump();
    }, (e) => {
      this.running = false;
      if (e && e.code === 'rate_limited') {
        // The server's bucket is emptier than ours: empty ours and retry the same send later.
        item.attempts++;
        this.tokens = 0;
        this.stamp = this.now();
        this.retrying = true;
        this.onChange(this.state);
        const d = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(item.attempts - 1, 10));
        this.timer = this.setTimeout(() => { this.timer = null; this._pump(); }, d);
        return;
      }
      this.queue.shift();
      this.retrying = false;
      item.reject(e);
      this.onChange(this.state);
      this._pump();
    });
  }
}
