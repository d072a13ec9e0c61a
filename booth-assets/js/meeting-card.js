// meeting-card.js: a meeting as a card (My meetings and the exhibitor inbox), the booth time
// zone cache, the calendar download and a store that keeps a list of meetings live through
// `meeting.updated` events.

import { client } from './expo-client.js';
import { t, pick, getLang, errorText } from './i18n.js';
import { el, toast, logoEl, initials } from './ui.js';
import { viewerZone, dualTime } from './time.js';
import { safeHttpUrl } from './links.js';

const zones = new Map(); // booth id -> time zone (from the meeting, else booth.get)

/** The booth's zone for a meeting; asks booth.get once per booth when the meeting lacks it. */
export async function boothZone(booth) {
  const key = String(booth.id);
  if (booth.time_zone) { zones.set(key, booth.time_zone); return booth.time_zone; }
  if (zones.has(key)) return zones.get(key);
  try {
    const r = await client().request('booth.get', { booth_id: booth.id });
    zones.set(key, r.booth?.time_zone || 'Asia/Seoul');
  } catch { zones.set(key, 'Asia/Seoul'); }
  return zones.get(key);
}

export function knownZone(booth) { return booth.time_zone || zones.get(String(booth.id)) || null; }

/** Downloads /meetings/<id>.ics (or /meetings.ics) with the session token as a Bearer header. */
export async function downloadIcs(id) {
  const c = client();
  const url = id == null ? '/meetings.ics' : `/meetings/${encodeURIComponent(id)}.ics`;
  try {
    const res = await fetch(url, { headers: { Authorization: `Bearer ${c.token}` }, cache: 'no-store' });
    if (!res.ok) throw Object.assign(new Error(String(res.status)), { code: res.status === 401 ? 'unauthorized' : res.status === 404 ? 'not_found' : 'internal' });
    const blob = new Blob([await res.blob()], { type: 'text/calendar' });
    const a = el('a', { href: URL.createObjectURL(blob), download: id == null ? 'expo-meetings.ics' : `expo-meeting-${id}.ics` });
    document.body.append(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  } catch (e) {
    toast(errorText(e), 'error');
  }
}

export function statusBadge(status) {
  return el('span', { class: `status status-${status}`, dataset: { status }, text: t(`status.${status}`) });
}

/**
 * The card. side: 'visitor' (My meetings) or 'staff' (exhibitor inbox). `actions` is a node
 * (or null) placed at the bottom.
 */
export function meetingCard(m, { side = 'visitor', actions = null } = {}) {
  const lang = getLang();
  const bz = knownZone(m.booth) || 'Asia/Seoul';
  const boothName = pick(m.booth?.name);
  const when = dualTime(new Date(m.starts_at), viewerZone(), bz, lang, { date: true });
  const head = side === 'visitor'
    ? el('div', { class: 'meeting-head' },
      logoEl(m.booth, m.booth?.name?.en || boothName),
      el('h3', {}, el('a', { href: `booth.html?id=${encodeURIComponent(m.booth.id)}`, text: boothName })),
      statusBadge(m.status))
    : el('div', { class: 'meeting-head' },
      el('span', { class: 'avatar', aria: { hidden: 'true' }, text: initials(m.visitor?.name) }),
      el('h3', {}, el('span', { class: 'visitor-name', text: m.visitor?.name || '' }),
        [m.visitor?.company, m.visitor?.country].filter(Boolean).length
          ? el('span', { class: 'muted', style: 'font-weight:400;font-size:.9rem', text: ` · ${[m.visitor.company, m.visitor.country].filter(Boolean).join(', ')}` }) : null),
      statusBadge(m.status));
  const video = m.status === 'accepted' ? safeHttpUrl(m.video_url) : null;
  return el('li', { class: 'meeting', id: `meeting-${m.id}`, dataset: { meetingId: String(m.id), status: m.status } },
    head,
    el('div', { class: 'meeting-time' }, el('time', { datetime: m.starts_at, text: when })),
    m.note ? el('p', { class: 'meeting-quote' }, el('b', { text: side === 'visitor' ? t('meetings.note') : t('meet.note') }), m.note) : null,
    m.message ? el('p', { class: 'meeting-quote' }, el('b', { text: side === 'visitor' ? t('meetings.message', { booth: boothName }) : t('ex.reply_label') }), m.message) : null,
    m.status === 'accepted' && !video ? el('p', { class: 'muted meeting-link-pending', text: t('meetings.link_pending') }) : null,
    (video || actions) ? el('div', { class: 'meeting-actions' },
      video ? el('a', { class: 'btn btn-ok btn-sm join-link', href: video, target: '_blank', rel: 'noopener noreferrer', text: t('meetings.join') }) : null,
      actions) : null);
}

/**
 * A live list of meetings: load() with meeting.list, apply meeting.updated events (newer
 * updated_at wins), notify `onChange`. Reloads after every reconnect (events sent while the
 * socket was down are gone).
 */
export function meetingStore(onChange) {
  const c = client();
  const byId = new Map();
  const st = { loaded: false, error: null };

  function put(m) {
    if (!m || m.id == null) return false;
    const k = String(m.id);
    const old = byId.get(k);
    if (old && old.updated_at && m.updated_at && Date.parse(old.updated_at) > Date.parse(m.updated_at)) return false;
    byId.set(k, m);
    return true;
  }

  async function ensureZones() {
    const missing = [...byId.values()].filter((m) => m.booth && !knownZone(m.booth));
    if (!missing.length) return;
    await Promise.all([...new Map(missing.map((m) => [String(m.booth.id), m.booth])).values()].map(boothZone));
    onChange();
  }

  async function load() {
    if (!c.user) { byId.clear(); st.loaded = false; onChange(); return; }
    try {
      const r = await c.request('meeting.list', {});
      byId.clear();
      for (const m of r.meetings || []) put(m);
      st.loaded = true;
      st.error = null;
    } catch (e) {
      st.error = errorText(e);
    }
    onChange();
    ensureZones();
  }

  c.on('meeting.updated', (d) => { if (put(d?.meeting)) { onChange(d.meeting); ensureZones(); } });
  c.on('auth', load);
  c.on('state', (s) => { if (s === 'open' && st.loaded) load(); });
  c.whenReady().then(load);

  return {
    get list() { return [...byId.values()]; },
    get loaded() { return st.loaded; },
    get error() { return st.error; },
    put(m) { if (put(m)) onChange(m); },
    load,
  };
}
