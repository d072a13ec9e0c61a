// emitter.js: listeners by event type for the client's data objects (booth rooms, inquiry
// stores). A listener that throws is logged and does not stop the others.

export class Emitter {
  constructor() { this.listeners = new Map(); }

  /** Registers fn for `type`; returns the function that removes it. */
  on(type, fn) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(fn);
    return () => this.listeners.get(type)?.delete(fn);
  }

  emit(type, ...args) {
    for (const fn of [...(this.listeners.get(type) || [])]) {
      try { fn(...args); } catch (e) { console.error(`listener for ${type} failed:`, e); }
    }
  }
}
