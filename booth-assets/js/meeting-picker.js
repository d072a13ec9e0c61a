// meeting-picker.js: "Book a 1:1 meeting" on the booth page. Lists the booth's slots
// (meeting.slots) grouped by day in the viewer's zone, each showing the booth's wall clock too;
// a visitor picks one, adds a note and sends meeting.request. Slots refresh on meeting.updated.

import { client } from './expo-client.js';
import { t, onLang, getLang, errorText } from './i18n.js';
import './i18n-leads.js';
import { el, clear, openAuth, toast, staffsABooth } from './ui.js';
import { viewerZone, dayKey, dayLabel, formatInZone, zoneAbbr, zoneCity, dualTime } from './time.js';

const DAYS_SHOWN = 3;

/** Mounts the picker for `booth` (from booth.get) into `host`. */
export function mountMeetingPicker(host, booth) {
  const c = client();
  const vz = viewerZone();
  const title = el('h2', { id: 'meet-title' });
  const lead = el('p', { class: 'zone-note' });
  const body = el('div', { id: 'meet-body' });
  const panel = el('section', { class: 'panel', id: 'meet', aria: { labelledby: 'meet-title' } }, el('div', { class: 'panel-head' }, title), lead, body);
  host.append(panel);

  const st = { slots: null, zone: booth.time_zone || 'Asia/Seoul', selected: null, error: null, days: DAYS_SHOWN, sent: null, note: '' };

  async function load() {
    if (!c.user || c.user.role !== 'visitor') { st.slots = null; render(); return; }
    try {
      const r = await c.request('meeting.slots', { booth_id: booth.id });
      st.slots = Array.isArray(r.slots) ? r.slots : [];
      if (r.time_zone) st.zone = r.time_zone;
      st.error = null;
      if (st.selected && !st.slots.some((s) => s.starts_at === st.selected.starts_at && s.available !== false)) st.selected = null;
    } catch (e) {
      st.error = errorText(e);
    }
    render();
  }

  function slotButton(s) {
    const d = new Date(s.starts_at);
    const lang = getLang();
    const pressed = st.selected && st.selected.starts_at === s.starts_at;
    const sameZone = zoneCity(st.zone) === zoneCity(vz);
    return el('li', {}, el('button', {
      type: 'button', class: 'slot', disabled: s.available === false,
      dataset: { start: s.starts_at },
      aria: { pressed: String(!!pressed), label: dualTime(d, vz, st.zone, lang, { date: true, boothCity: booth.city ? pickCity(booth.city) : undefined }) },
      onclick: () => { st.selected = s; st.sent = null; render(); document.getElementById('meet-note')?.focus(); },
    },
    el('strong', { text: formatInZone(d, vz, lang) }),
    sameZone ? null : el('span', { class: 'slot-other', text: `${formatInZone(d, st.zone, lang)} ${zoneAbbr(st.zone, d)}` })));
  }

  function pickCity(city) {
    if (typeof city === 'string') return city;
    return city[getLang()] || city.en || undefined;
  }

  function render() {
    const lang = getLang();
    title.textContent = t('meet.title');
    lead.textContent = `${t('meet.lead')} ${t('meet.your_zone', { zone: `${zoneCity(vz, lang)} (${zoneAbbr(vz)})` })}`;
    clear(body);
    if (!c.user) {
      body.append(el('p', { text: t('meet.signin') }),
        el('button', { type: 'button', class: 'btn btn-primary btn-sm', text: t('auth.signin'), onclick: () => openAuth('signin') }));
      return;
    }
    if (c.user.role !== 'visitor') {
      body.append(el('p', { class: 'muted', text: t('meet.visitor_only') }));
      if (staffsABooth(c.user)) body.append(el('a', { class: 'btn btn-ghost btn-sm', href: 'exhibitor.html', text: t('nav.exhibitor') }));
      return;
    }
    if (st.error) { body.append(el('p', { class: 'form-error', text: st.error })); return; }
    if (!st.slots) { body.append(el('p', { class: 'muted', text: t('meet.loading') })); return; }
    const upcoming = st.slots.filter((s) => new Date(s.ends_at || s.starts_at) > new Date());
    if (!upcoming.some((s) => s.available !== false)) { body.append(el('p', { class: 'muted', id: 'meet-none', text: t('meet.none') })); }
    const days = new Map();
    for (const s of upcoming) {
      const k = dayKey(new Date(s.starts_at), vz);
      if (!days.has(k)) days.set(k, []);
      days.get(k).push(s);
    }
    const keys = [...days.keys()].sort();
    const list = el('div', { class: 'slot-days', id: 'slot-days' });
    for (const k of keys.slice(0, st.days)) {
      const ss = days.get(k);
      list.append(el('div', { class: 'slot-day' },
        el('h3', { text: dayLabel(new Date(ss[0].starts_at), vz, lang) }),
        el('ul', { class: 'slot-list' }, ss.map(slotButton))));
    }
    body.append(list);
    if (keys.length > st.days) {
      body.append(el('p', { class: 'more-row' }, el('button', { type: 'button', class: 'btn btn-ghost btn-sm', text: t('meet.more_days'), onclick: () => { st.days += DAYS_SHOWN; render(); } })));
    }
    const note = el('textarea', { id: 'meet-note', rows: 3, maxLength: 1000, placeholder: t('meet.note_ph') });
    note.value = st.note;
    note.addEventListener('input', () => { st.note = note.value; });
    const err = el('p', { class: 'form-error', role: 'alert', id: 'meet-error' });
    const btn = el('button', { type: 'submit', class: 'btn btn-accent', id: 'meet-request', text: t('meet.request'), disabled: !st.selected });
    const sel = st.selected
      ? t('meet.selected', { time: dualTime(new Date(st.selected.starts_at), vz, st.zone, lang, { date: true, boothCity: booth.city ? pickCity(booth.city) : undefined }) })
      : t('meet.pick_first');
    const form = el('form', {
      class: 'meet-form', id: 'meet-form',
      onsubmit: async (ev) => {
        ev.preventDefault();
        if (!st.selected) { err.textContent = t('meet.pick_first'); return; }
        btn.disabled = true;
        try {
          const data = { booth_id: booth.id, starts_at: st.selected.starts_at };
          if (note.value.trim()) data.note = note.value.trim();
          const r = await c.request('meeting.request', data);
          st.sent = r.meeting || true;
          st.selected = null;
          st.note = '';
          toast(t('meet.requested_ok'), 'ok');
          await load();
        } catch (e) {
          if (e.code === 'conflict') { err.textContent = t('meet.taken'); st.selected = null; load(); } else err.textContent = errorText(e);
          btn.disabled = false;
        }
      },
    },
    el('p', { class: 'selected-slot', id: 'meet-selected', aria: { live: 'polite' }, text: sel }),
    el('div', { class: 'field' }, el('label', { for: 'meet-note', text: t('meet.note') }), note),
    el('p', { class: 'hint', id: 'meet-card-note', text: t('card.meeting_note') }),
    err, btn);
    body.append(form);
    if (st.sent) {
      body.append(el('p', { class: 'form-ok', id: 'meet-sent' }, t('meet.requested_ok'), ' ',
        el('a', { href: 'meetings.html', text: t('nav.meetings') })));
    }
  }

  const offs = [
    c.on('auth', load),
    c.on('meeting.updated', (d) => { if (d?.meeting?.booth && String(d.meeting.booth.id) === String(booth.id)) load(); }),
    c.on('state', (s) => { if (s === 'open' && st.slots) load(); }),
    onLang(render),
  ];
  render();
  c.whenReady().then(load);
  return { destroy() { offs.forEach((o) => o()); panel.remove(); } };
}
