// ex-desk.js: the Desk tab of the exhibitor console: today's work for one booth — meeting
// availability (in the booth's time zone) and the live inbox of meeting requests.
// mountDeskTab(container, ctx) follows the tab contract of exhibitor.js.

import { t, getLang, errorText } from './i18n.js';
import { el, clear, toast } from './ui.js';
import { viewerZone, zoneCity, zoneAbbr, dualTime, dayKey, zonedToInstant, toRfc3339InZone, formatInZone, dayLabel } from './time.js';
import { meetingCard, meetingStore } from './meeting-card.js';

const SLOT_CHOICES = [15, 20, 30, 45, 60, 90, 120];

// One desk is shown at a time; its state survives switching tabs, not booths.
const st = {
  ctx: null,          // the mounted tab's context, or null
  boothId: null,
  windows: [],        // [{start: Date, end: Date}] being edited
  windowsLoaded: false,
  slotMinutes: 30,
  dirty: false,
  replies: new Map(), // meeting id -> reply text being typed
};
let seenRequests = null;
let store = null;     // created at the first mount; meeting.updated keeps it current

function zone() { return st.ctx?.booth?.time_zone || 'Asia/Seoul'; }

/** Current windows, rebuilt from meeting.slots by merging back-to-back slots. */
async function loadWindows() {
  const id = st.boothId;
  st.windowsLoaded = false;
  try {
    const r = await st.ctx.client.request('meeting.slots', { booth_id: id });
    if (String(id) !== String(st.boothId)) return;
    if (r.time_zone && st.ctx) st.ctx.booth.time_zone = r.time_zone;
    const slots = (r.slots || []).map((s) => ({ start: new Date(s.starts_at), end: new Date(s.ends_at) })).sort((a, b) => a.start - b.start);
    const windows = [];
    for (const s of slots) {
      const last = windows[windows.length - 1];
      if (last && last.end.getTime() === s.start.getTime()) last.end = s.end; else windows.push({ ...s });
    }
    st.windows = windows;
    if (r.slot_minutes) st.slotMinutes = r.slot_minutes;
    else if (slots.length) st.slotMinutes = Math.round((slots[0].end - slots[0].start) / 60000);
    st.dirty = false;
  } catch (e) {
    st.windows = [];
  }
  st.windowsLoaded = true;
  renderAvailability();
}

function onMeetings(changed) {
  if (!st.ctx) return;
  const mine = store.list.filter((m) => st.boothId == null || String(m.booth?.id) === String(st.boothId));
  const requested = new Set(mine.filter((m) => m.status === 'requested').map((m) => String(m.id)));
  if (seenRequests && changed) {
    for (const id of requested) if (!seenRequests.has(id)) toast(`${t('ex.inbox')}: ${store.list.find((m) => String(m.id) === id)?.visitor?.name || ''}`, 'info');
  }
  seenRequests = requested;
  st.ctx.badge?.('meetings', requested.size);     // the page title counts what waits
  renderInbox();
}

function ymdInZone(d, z) {
  return dayKey(d, z);
}

function renderAvailability() {
  const box = document.getElementById('ex-avail');
  if (!box) return;
  clear(box);
  const z = zone();
  const lang = getLang();
  const vz = viewerZone();
  const tomorrow = ymdInZone(new Date(Date.now() + 86400000), z);
  const dateIn = el('input', { type: 'date', id: 'win-date', required: true, value: tomorrow, min: ymdInZone(new Date(), z) });
  const fromIn = el('input', { type: 'time', id: 'win-from', required: true, value: '09:00', step: 900 });
  const toIn = el('input', { type: 'time', id: 'win-to', required: true, value: '12:00', step: 900 });
  const err = el('p', { class: 'form-error', role: 'alert', id: 'win-error' });
  const addForm = el('form', {
    class: 'window-form', id: 'win-form',
    onsubmit: (ev) => {
      ev.preventDefault();
      const [y, m, d] = dateIn.value.split('-').map(Number);
      const [fh, fm] = fromIn.value.split(':').map(Number);
      const [th, tm] = toIn.value.split(':').map(Number);
      if (!y || Number.isNaN(fh) || Number.isNaN(th)) { err.textContent = t('err.bad_request'); return; }
      const start = zonedToInstant(y, m, d, fh, fm, z);
      const end = (th === 0 && tm === 0) ? zonedToInstant(y, m, d + 1, 0, 0, z) : zonedToInstant(y, m, d, th, tm, z);
      if (!(end > start)) { err.textContent = t('ex.bad_window'); return; }
      // merge with overlapping or touching windows
      let w = { start, end };
      st.windows = st.windows.filter((x) => {
        if (x.end < w.start || x.start > w.end) return true;
        w = { start: new Date(Math.min(x.start, w.start)), end: new Date(Math.max(x.end, w.end)) };
        return false;
      });
      st.windows.push(w);
      st.windows.sort((a, b) => a.start - b.start);
      st.dirty = true;
      err.textContent = '';
      renderAvailability();
      document.getElementById('win-save')?.focus();
    },
  },
  el('div', { class: 'field' }, el('label', { for: 'win-date', text: t('ex.date') }), dateIn),
  el('div', { class: 'field' }, el('label', { for: 'win-from', text: t('ex.from') }), fromIn),
  el('div', { class: 'field' }, el('label', { for: 'win-to', text: t('ex.to') }), toIn),
  el('button', { type: 'submit', class: 'btn btn-ghost', id: 'win-add', text: t('ex.add_window') }));

  const list = el('ul', { class: 'window-list', id: 'win-list' });
  const upcoming = st.windows.filter((w) => w.end > new Date());
  if (!upcoming.length) list.append(el('li', { class: 'muted', text: st.windowsLoaded ? t('ex.no_windows') : t('meet.loading') }));
  for (const w of upcoming) {
    const same = zoneCity(z) === zoneCity(vz);
    const endText = formatInZone(w.end, z, lang).split(' ').pop();
    list.append(el('li', { dataset: { start: w.start.toISOString() } },
      el('span', {},
        `${dayLabel(w.start, z, lang)} · ${formatInZone(w.start, z, lang).split(' ').pop()}–${endText} ${zoneAbbr(z, w.start)}`,
        same ? null : el('span', { class: 'other', text: dualTime(w.start, vz, z, lang, { date: true }).split(' · ')[0] })),
      el('button', { type: 'button', class: 'btn btn-ghost btn-sm', text: t('ex.remove'), aria: { label: `${t('ex.remove')} ${dayLabel(w.start, z, lang)}` }, onclick: () => { st.windows = st.windows.filter((x) => x !== w); st.dirty = true; renderAvailability(); } })));
  }

  const slotSel = el('select', { id: 'win-slot', onchange: () => { st.slotMinutes = Number(slotSel.value); st.dirty = true; } },
    SLOT_CHOICES.map((n) => el('option', { value: String(n), selected: n === st.slotMinutes, text: t('ex.minutes', { n }) })));
  const ok = el('p', { class: 'form-ok', id: 'win-saved', role: 'status' });
  const save = el('button', {
    type: 'button', class: 'btn btn-primary', id: 'win-save', text: t('ex.save'),
    onclick: async () => {
      save.disabled = true;
      err.textContent = '';
      try {
        const windows = st.windows.filter((w) => w.end > new Date()).map((w) => ({ starts_at: toRfc3339InZone(w.start, z), ends_at: toRfc3339InZone(w.end, z) }));
        await st.ctx.client.request('meeting.availability.set', { booth_id: st.boothId, windows, slot_minutes: st.slotMinutes });
        st.dirty = false;
        toast(t('ex.saved'), 'ok');
        await loadWindows();
        const okNow = document.getElementById('win-saved');
        if (okNow) okNow.textContent = t('ex.saved');
      } catch (e) {
        err.textContent = errorText(e, { conflict: 'ex.conflict' });
        save.disabled = false;
      }
    },
  });

  box.append(
    el('div', { class: 'panel-head' }, el('h2', { id: 'ex-avail-title', text: t('ex.avail') })),
    el('p', { class: 'zone-note', text: t('ex.avail_lead', { zone: `${zoneCity(z, lang)} (${zoneAbbr(z)})` }) }),
    addForm, err, list,
    el('div', { class: 'ex-save-row' }, el('div', { class: 'field' }, el('label', { for: 'win-slot', text: t('ex.slot_len') }), slotSel), save),
    ok);
}

function inboxActions(m) {
  const box = el('div', { class: 'request-reply' });
  if (m.status === 'requested') {
    const input = el('input', { type: 'text', maxLength: 1000, placeholder: t('ex.reply_ph'), class: 'reply-input', id: `reply-${m.id}`, aria: { label: t('ex.reply_label') } });
    input.value = st.replies.get(String(m.id)) || '';
    input.addEventListener('input', () => st.replies.set(String(m.id), input.value));
    const respond = (decision) => async (ev) => {
      for (const b of box.querySelectorAll('button')) b.disabled = true;
      try {
        const data = { meeting_id: m.id, decision };
        if (input.value.trim()) data.message = input.value.trim();
        const r = await st.ctx.client.request('meeting.respond', data);
        st.replies.delete(String(m.id));
        store.put(r.meeting);
      } catch (e) {
        toast(errorText(e, { conflict: 'ex.conflict' }), 'error');
        for (const b of box.querySelectorAll('button')) b.disabled = false;
        if (e.code === 'conflict') store.load();
      }
    };
    box.append(input,
      el('button', { type: 'button', class: 'btn btn-ok btn-sm accept-btn', text: t('ex.accept'), onclick: respond('accept') }),
      el('button', { type: 'button', class: 'btn btn-danger btn-sm decline-btn', text: t('ex.decline'), onclick: respond('decline') }));
    return box;
  }
  if (m.status === 'accepted' && Date.parse(m.ends_at || m.starts_at) > Date.now()) {
    box.append(el('button', {
      type: 'button', class: 'btn btn-danger btn-sm cancel-btn', text: t('meetings.cancel'),
      onclick: async (ev) => {
        if (!confirm(t('meetings.cancel_confirm'))) return;
        ev.target.disabled = true;
        try { const r = await st.ctx.client.request('meeting.cancel', { meeting_id: m.id }); store.put(r.meeting); } catch (e) { toast(errorText(e), 'error'); ev.target.disabled = false; }
      },
    }));
    return box;
  }
  return null;
}

function renderInbox() {
  const box = document.getElementById('ex-inbox');
  if (!box) return;
  // Keep focus and typed replies across live re-renders.
  const focusedId = document.activeElement?.id;
  clear(box);
  const mine = store.list.filter((m) => String(m.booth?.id) === String(st.boothId));
  const pending = mine.filter((m) => m.status === 'requested').sort((a, b) => Date.parse(a.starts_at) - Date.parse(b.starts_at));
  const rest = mine.filter((m) => m.status !== 'requested').sort((a, b) => Date.parse(a.starts_at) - Date.parse(b.starts_at));
  box.append(el('div', { class: 'panel-head' },
    el('h2', { id: 'ex-inbox-title' }, t('ex.inbox'), ' ', pending.length ? el('span', { class: 'counter', id: 'ex-pending-count', text: String(pending.length) }) : null)));
  if (!store.loaded) { box.append(el('p', { class: 'muted', text: t('meet.loading') })); return; }
  if (!mine.length) { box.append(el('p', { class: 'muted', id: 'ex-inbox-empty', text: t('ex.inbox_empty') })); return; }
  if (pending.length) {
    box.append(el('h3', { class: 'section-title', text: t('ex.pending') }),
      el('ul', { class: 'meeting-list', id: 'ex-pending' }, pending.map((m) => meetingCard(m, { side: 'staff', actions: inboxActions(m) }))));
  }
  if (rest.length) {
    box.append(el('h3', { class: 'section-title', text: t('ex.decided') }),
      el('ul', { class: 'meeting-list', id: 'ex-decided' }, rest.map((m) => meetingCard(m, { side: 'staff', actions: inboxActions(m) }))));
  }
  if (focusedId) document.getElementById(focusedId)?.focus();
}


/** The Desk tab: availability and the inbox of one booth (ctx.booth). */
export function mountDeskTab(container, ctx) {
  if (st.boothId !== ctx.boothId) {
    st.boothId = ctx.boothId;
    st.windows = [];
    st.windowsLoaded = false;
    st.dirty = false;
    seenRequests = null;
  }
  st.ctx = ctx;
  const avail = el('section', { class: 'panel', id: 'ex-avail', aria: { labelledby: 'ex-avail-title' } });
  const inbox = el('section', { class: 'panel', id: 'ex-inbox', aria: { labelledby: 'ex-inbox-title' } });
  clear(container).append(el('div', { class: 'ex-layout' }, avail, inbox));
  if (!store) store = meetingStore(onMeetings);
  renderAvailability();
  onMeetings();
  if (!st.dirty) loadWindows();
  ctx.onLang(() => { renderAvailability(); onMeetings(); });
  return { destroy() { if (st.ctx === ctx) st.ctx = null; } };
}
