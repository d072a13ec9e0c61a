// inquiry-thread.js: one private inquiry thread on screen: its messages (seq order, "load
// earlier"), the "Seen" mark, the composer with a draft that survives a reload, and the
// messages being sent (queued at the allowed pace, retried automatically when a send fails
// for a passing reason). Used by the booth's "Ask privately", "My inquiries" and the desk.
// Every text from the server goes in through textContent.

import './i18n-inquiries.js';
import { t, getLang, errorText } from './i18n.js';
import { el, clear, initials } from './ui.js';
import { authorSide } from './inquiry-store.js';
import { groupMessages } from './msg-group.js';

const MAX = 2000;
const DRAFT_KEY = 'expo.draft.inquiry.';

function timeText(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(getLang() === 'ko' ? 'ko-KR' : 'en-US', { hour: 'numeric', minute: '2-digit' }).format(d);
}

function roleLabel(role) {
  if (role === 'organizer') return t('chat.organizer');
  if (role === 'staff') return t('chat.staff');
  return null;
}

function loadDraft(id) { try { return localStorage.getItem(DRAFT_KEY + id) || ''; } catch { return ''; } }
function saveDraft(id, v) {
  try { if (v) localStorage.setItem(DRAFT_KEY + id, v); else localStorage.removeItem(DRAFT_KEY + id); } catch { /* private mode */ }
}

/**
 * Mounts thread `threadId` of `store` into host. opts: quickReplies (array of texts, booth
 * side), head (a Node shown above the log), markRead (default true; false for organizers
 * looking in, so the booth's team still sees what it has not read). Returns {update(),
 * destroy(), input}.
 */
export function mountThread(host, store, threadId, opts = {}) {
  const id = String(threadId);
  const log = el('ol', { class: 'chat-log inq-log', id: 'inq-log', role: 'log', aria: { live: 'polite', label: t('inq.title') }, tabindex: '0' });
  const input = el('textarea', { id: 'inq-input', rows: 2, maxLength: MAX, autocomplete: 'off', enterkeyhint: 'send', placeholder: t(store.side === 'buyer' ? 'inq.placeholder' : 'inq.reply_placeholder') });
  const form = el('form', { class: 'chat-form', id: 'inq-form' },
    el('label', { for: 'inq-input', class: 'sr-only', text: t('inq.label') }), input,
    el('button', { type: 'submit', class: 'btn btn-primary', id: 'inq-send', text: t('inq.send') }));
  const status = el('p', { class: 'inq-status', id: 'inq-status', role: 'status' });
  const quick = el('div', { class: 'quick-replies', id: 'inq-quick' });
  const box = el('div', { class: 'inq-thread', dataset: { thread: id } }, opts.head || null, log, quick, form, status);
  host.append(box);
  input.value = loadDraft(id);

  function messageEl(m, th) {
    const mine = authorSide(m) === store.side;
    const role = m.author?.role;
    const label = roleLabel(role);
    const name = m.author?.name || '?';
    return el('li', { class: `msg${mine ? ' is-mine' : ''}${role !== 'buyer' ? ' is-staff' : ''}`, dataset: { seq: String(m.seq), author: String(m.author?.id ?? ''), t: String(Date.parse(m.sent_at) || 0) } },
      mine ? null : el('span', { class: `avatar avatar-sm${role !== 'buyer' ? ' is-staff' : ''}`, aria: { hidden: 'true' }, text: initials(name) }),
      el('div', { class: 'msg-body' },
        el('div', { class: 'msg-meta' },
          el('span', { class: 'msg-author', text: mine && store.side === 'buyer' ? t('chat.you') : name }),
          label ? el('span', { class: 'staff-tag', text: label }) : null,
          !label && !mine && m.author?.company ? el('span', { class: 'msg-company', text: m.author.company }) : null,
          el('time', { datetime: m.sent_at || '', text: timeText(m.sent_at) })),
        el('p', { class: 'msg-text', text: m.text }),
        mine && th && m.seq === th.last_seq && (th.read_seq?.[store.side === 'buyer' ? 'booth' : 'buyer'] || 0) >= m.seq
          ? el('span', { class: 'seen', text: t('inq.seen') }) : null));
  }

  function pendingEl(cid, o) {
    const failed = o.state === 'failed';
    const text = failed
      ? (o.retry ? t('chat.retrying') : `${t('chat.failed')} ${errorText(o.error)}`)
      : t('chat.sending');
    return el('li', { class: `msg is-mine ${failed ? 'is-failed' : 'is-pending'}`, dataset: { pending: cid } },
      el('div', { class: 'msg-body' },
        el('div', { class: 'msg-meta' }, el('span', { class: 'msg-author', text: t('chat.you') }), el('span', { class: 'msg-state', text })),
        el('p', { class: 'msg-text', text: o.text }),
        failed && !o.retry ? el('div', { class: 'msg-actions' },
          el('button', { type: 'button', class: 'link-btn', text: t('chat.retry'), onclick: () => store.retry(id, cid) }),
          el('button', { type: 'button', class: 'link-btn', text: t('chat.discard'), onclick: () => store.discard(id, cid) })) : null));
  }

  function nearBottom() { return log.scrollHeight - log.scrollTop - log.clientHeight < 80; }

  function update() {
    const th = store.get(id);
    const stick = nearBottom() || !log.childElementCount;
    clear(log);
    if (!th) return;
    if (th.log.hasOlder) {
      log.append(el('li', { class: 'earlier' }, el('button', {
        type: 'button', class: 'btn btn-ghost btn-sm', text: t('inq.earlier'),
        onclick: (ev) => { ev.target.disabled = true; store.loadOlder(id).catch(() => { ev.target.disabled = false; }); },
      })));
    }
    const msgs = th.log.messages();
    // who the question goes to is the buyer's business; the booth's side just sees none yet
    if (!msgs.length && !th.outbox.size) log.append(el('li', { class: 'chat-notice', text: t(store.side === 'buyer' ? 'inq.empty' : 'desk.thread_empty') }));
    for (const m of msgs) log.append(messageEl(m, th));
    groupMessages(log);
    let queued = 0;
    for (const [cid, o] of th.outbox) { log.append(pendingEl(cid, o)); if (o.state === 'sending') queued++; }
    status.textContent = queued > 1 ? t('chat.queued') : '';
    if (stick) log.scrollTop = log.scrollHeight;
    clear(quick);
    for (const q of opts.quickReplies || []) {
      quick.append(el('button', { type: 'button', class: 'chip quick-reply', text: q, onclick: () => { input.value = q; saveDraft(id, q); input.focus(); } }));
    }
    if (opts.markRead !== false && document.visibilityState === 'visible' && box.isConnected) store.markRead(id);
  }

  function submit() {
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    saveDraft(id, '');
    store.send(id, text);
    input.focus();
  }

  form.addEventListener('submit', (ev) => { ev.preventDefault(); submit(); });
  input.addEventListener('keydown', (ev) => {
    // Enter sends; Shift+Enter is a new line; never while an IME (Korean input) is composing.
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing && ev.keyCode !== 229) { ev.preventDefault(); submit(); }
  });
  input.addEventListener('input', () => saveDraft(id, input.value));
  const onVisible = () => { if (opts.markRead !== false && document.visibilityState === 'visible') store.markRead(id); };
  document.addEventListener('visibilitychange', onVisible);
  const off = store.on('change', (tid) => { if (tid === null || tid === id) update(); });
  update();

  return {
    input,
    update,
    setQuickReplies(list) { opts.quickReplies = list; update(); },
    destroy() { off(); document.removeEventListener('visibilitychange', onVisible); box.remove(); },
  };
}
