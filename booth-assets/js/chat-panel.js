// chat-panel.js: the live chat of one booth (used by booth.html). Renders a BoothRoom from the
// client: history with "load earlier", live messages, the sender's pending/failed messages,
// and the composer. Every text from the server goes in through textContent.

import './i18n-inquiries.js';
import { modTime } from './i18n-moderation.js';
import { client, newClientMsgId } from './expo-client.js';
import { t, onLang, getLang, errorText } from './i18n.js';
import { el, clear, initials, openAuth, toast } from './ui.js';
import { groupMessages } from './msg-group.js';

const MAX = 2000;

function isStaffAuthor(a) { return a && (a.role === 'exhibitor' || a.role === 'staff' || a.role === 'organizer'); }

function timeText(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(getLang() === 'ko' ? 'ko-KR' : 'en-US', { hour: 'numeric', minute: '2-digit' }).format(d);
}

/** Mounts the chat panel for `boothId` into `host`. Returns {destroy}. */
export function mountChat(host, boothId) {
  const c = client();
  const room = c.room(boothId);

  const title = el('h2', { id: 'chat-title' });
  const here = el('span', { class: 'badge badge-live', id: 'chat-here' });
  const log = el('ol', { class: 'chat-log', id: 'chat-log', role: 'log', aria: { live: 'polite', labelledby: 'chat-title' }, tabindex: '0' });
  const input = el('textarea', { id: 'chat-input', rows: 2, maxLength: MAX, autocomplete: 'off', enterkeyhint: 'send' });
  const inputLabel = el('label', { for: 'chat-input', class: 'sr-only' });
  const sendBtn = el('button', { type: 'submit', class: 'btn btn-primary', id: 'chat-send' });
  const form = el('form', { class: 'chat-form', id: 'chat-form' }, inputLabel, input, sendBtn);
  const counter = el('span', { id: 'chat-count' });
  const hint = el('span', { class: 'chat-error', id: 'chat-error', role: 'alert' });
  const foot = el('div', { class: 'chat-foot' }, hint, counter);
  const gate = el('div', { class: 'chat-gate', id: 'chat-gate' });
  const panel = el('section', { class: 'panel chat', id: 'chat', aria: { labelledby: 'chat-title' } },
    el('div', { class: 'panel-head' }, title, here), log, form, foot, gate);
  host.append(panel);

  let notice = null; // a text shown at the top of the log (e.g. after a truncated resume)

  // The unsent draft survives a reload.
  const draftKey = `expo.draft.chat.${boothId}`;
  const saveDraft = () => { try { if (input.value) localStorage.setItem(draftKey, input.value); else localStorage.removeItem(draftKey); } catch { /* private mode */ } };
  try { input.value = localStorage.getItem(draftKey) || ''; } catch { /* private mode */ }

  function renderStatic() {
    title.textContent = t('chat.title');
    input.placeholder = t('chat.placeholder');
    inputLabel.textContent = t('chat.label');
    sendBtn.textContent = t('chat.send');
    const left = MAX - input.value.length;
    counter.textContent = left < 300 ? t('chat.chars_left', { n: left }) : '';
    const p = room.presence;
    here.textContent = t('booth.here_now', { n: p ? p.visitors_now : 0 });
    here.className = p && p.visitors_now > 0 ? 'badge badge-live' : 'badge';
    here.hidden = !p;
    clear(gate);
    const signedIn = !!c.user;
    form.hidden = !signedIn;
    log.hidden = !signedIn;
    foot.hidden = !signedIn;
    gate.hidden = signedIn;
    if (!signedIn) {
      gate.append(el('p', { text: t('chat.signin') }),
        el('div', { class: 'meeting-actions', style: 'justify-content:center' },
          el('button', { type: 'button', class: 'btn btn-primary btn-sm', text: t('auth.signin'), onclick: () => openAuth('signin') }),
          el('button', { type: 'button', class: 'btn btn-ghost btn-sm', text: t('auth.signup'), onclick: () => openAuth('signup') })));
    }
  }

  function messageEl(m) {
    // Hidden by a moderator. A visitor's copy has lost its text and author: one quiet line keeps
    // its place. Staff and organizers keep the text, greyed and labelled, with who hid it.
    if (m.hidden && !m.author) {
      return el('li', { class: 'msg is-removed', dataset: { seq: String(m.seq), author: '', t: String(Date.parse(m.sent_at) || 0) } },
        el('p', { class: 'msg-removed', text: t('mod.removed') }));
    }
    const mine = c.user && m.author && String(m.author.id) === String(c.user.id);
    const staff = isStaffAuthor(m.author);
    const name = m.author?.name || '?';
    return el('li', { class: `msg${mine ? ' is-mine' : ''}${staff ? ' is-staff' : ''}${m.hidden ? ' is-hidden' : ''}`, dataset: { seq: String(m.seq), author: String(m.author?.id ?? ''), t: String(Date.parse(m.sent_at) || 0) } },
      mine ? null : el('span', { class: `avatar avatar-sm${staff ? ' is-staff' : ''}`, aria: { hidden: 'true' }, text: initials(name) }),
      el('div', { class: 'msg-body' },
        el('div', { class: 'msg-meta' },
          el('span', { class: 'msg-author', text: mine ? t('chat.you') : name }),
          staff && !mine ? el('span', { class: `staff-tag${m.author?.role === 'organizer' ? ' is-organizer' : ''}`, text: t(m.author?.role === 'organizer' ? 'chat.organizer' : 'chat.staff') }) : null,
          !mine && !staff && m.author?.company ? el('span', { class: 'msg-company', text: m.author.company }) : null,
          m.hidden ? el('span', { class: 'hidden-tag', text: t('mod.hidden_tag') }) : null,
          el('time', { datetime: m.sent_at || '', text: timeText(m.sent_at) })),
        el('p', { class: 'msg-text', text: m.text }),
        m.hidden ? el('p', { class: 'msg-hidden-by', text: m.hidden_by
          ? t('mod.hidden_by', { name: m.hidden_by.name || '?', time: modTime(m.hidden_at) })
          : t('mod.hidden_plain') }) : null));
  }

  function pendingEl(cid, o) {
    const failed = o.state === 'failed';
    return el('li', { class: `msg is-mine ${failed ? 'is-failed' : 'is-pending'}`, dataset: { pending: cid } },
      el('div', { class: 'msg-body' },
        el('div', { class: 'msg-meta' }, el('span', { class: 'msg-author', text: t('chat.you') }),
          el('span', { class: 'msg-state', text: failed ? (o.retry ? t('chat.retrying') : `${t('chat.failed')} ${errorText(o.error)}`) : t('chat.sending') })),
        el('p', { class: 'msg-text', text: o.text }),
        failed && !o.retry ? el('div', { class: 'msg-actions' },
          el('button', { type: 'button', class: 'link-btn', text: t('chat.retry'), onclick: () => room.retry(cid).catch(() => {}) }),
          el('button', { type: 'button', class: 'link-btn', text: t('chat.discard'), onclick: () => room.discard(cid) })) : null));
  }


  function nearBottom() { return log.scrollHeight - log.scrollTop - log.clientHeight < 80; }

  /** Full render of the log (history loaded, language changed, reset). */
  function renderLog({ keepScroll = false } = {}) {
    const stick = nearBottom();
    const prevHeight = log.scrollHeight;
    const prevTop = log.scrollTop;
    clear(log);
    if (room.log.hasOlder) {
      log.append(el('li', { class: 'earlier' }, el('button', {
        type: 'button', class: 'btn btn-ghost btn-sm', id: 'chat-earlier', text: t('chat.earlier'),
        onclick: async (ev) => {
          ev.target.disabled = true;
          try { await room.loadOlder(50); } catch (e) { toast(errorText(e), 'error'); ev.target.disabled = false; }
        },
      })));
    }
    if (notice) log.append(el('li', { class: 'chat-notice', text: notice }));
    const msgs = room.log.messages();
    if (!msgs.length && !room.outbox.size && c.user) log.append(el('li', { class: 'chat-notice', id: 'chat-empty', text: t('chat.empty') }));
    for (const m of msgs) log.append(messageEl(m));
    for (const [cid, o] of room.outbox) log.append(pendingEl(cid, o));
    groupMessages(log);
    if (keepScroll) log.scrollTop = prevTop + (log.scrollHeight - prevHeight);
    else if (stick || !prevHeight) log.scrollTop = log.scrollHeight;
  }

  /** Inserts new messages in seq order without rebuilding the log. */
  function insertMessages(added) {
    const stick = nearBottom();
    log.querySelector('#chat-empty')?.remove();
    for (const m of added) {
      const node = messageEl(m);
      // find the first rendered message with a larger seq
      let before = null;
      for (const li of log.querySelectorAll('li[data-seq]')) { if (Number(li.dataset.seq) > m.seq) { before = li; break; } }
      if (!before) before = log.querySelector('li[data-pending]');
      log.insertBefore(node, before);
    }
    groupMessages(log);
    if (stick) log.scrollTop = log.scrollHeight;
  }

  function renderOutbox() {
    const stick = nearBottom();
    for (const li of log.querySelectorAll('li[data-pending]')) li.remove();
    for (const [cid, o] of room.outbox) log.append(pendingEl(cid, o));
    if (room.outbox.size) log.querySelector('#chat-empty')?.remove();
    if (stick) log.scrollTop = log.scrollHeight;
  }

  const offs = [
    room.on('messages', (added, { reset }) => {
      if (reset) { notice = t('chat.reloaded'); renderLog(); } else insertMessages(added);
    }),
    room.on('history', () => renderLog({ keepScroll: true })),
    room.on('outbox', renderOutbox),
    room.on('presence', renderStatic),
    room.on('enter-failed', (e) => { hint.textContent = errorText(e); }),
    room.on('entered', () => { hint.textContent = ''; }),
    c.on('auth', () => { renderStatic(); renderLog(); sync(); }),
    // moderation: the client has marked the message in the room's log (ChatLog.hide): a
    // visitor's loses its text, staff and organizers keep it greyed; it keeps its place (seq)
    c.on('chat.hidden', (d) => {
      if (String(d.booth_id) === String(boothId) && room.log.has(d.seq)) renderLog({ keepScroll: true });
    }),
    onLang(() => { renderStatic(); renderLog(); }),
  ];

  /** Enter when signed in, stop re-entering when signed out. Idempotent. */
  function sync() {
    if (c.user && !room.wanted) enter();
    else if (!c.user && room.wanted) { room.wanted = false; room.entered = false; }
  }

  async function enter() {
    try { await room.enter(); renderLog(); } catch (e) { hint.textContent = errorText(e); }
  }

  async function submit() {
    const text = input.value.trim();
    if (!text) return;
    if (text.length > MAX) { hint.textContent = t('err.too_large'); return; }
    hint.textContent = '';
    input.value = '';
    saveDraft();
    renderStatic();
    try {
      await room.send(text, newClientMsgId());
    } catch (e) {
      if (e.code === 'forbidden') enter();
    }
    input.focus();
  }

  form.addEventListener('submit', (ev) => { ev.preventDefault(); submit(); });
  input.addEventListener('keydown', (ev) => {
    // Enter sends; Shift+Enter is a new line; never while an IME (Korean input) is composing.
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing && ev.keyCode !== 229) { ev.preventDefault(); submit(); }
  });
  input.addEventListener('input', () => {
    saveDraft();
    const left = MAX - input.value.length;
    counter.textContent = left < 300 ? t('chat.chars_left', { n: left }) : '';
  });

  renderStatic();
  renderLog();
  c.whenReady().then(sync);

  return {
    setPresence(p) { if (p) room._onPresence(p); },
    destroy() { offs.forEach((o) => o()); room.leave(); panel.remove(); },
  };
}
