// meetings.js: "My meetings" (meetings.html): the visitor's requests and their status, live
// (meeting.updated), each with both time zones, the video link once accepted, "Add to
// calendar" and cancel.

import { client } from './expo-client.js';
import { t, onLang, errorText } from './i18n.js';
import { el, clear, mountHeader, mountFooter, openAuth, toast } from './ui.js';
import { viewerZone } from './time.js';
import { meetingCard, meetingStore, downloadIcs } from './meeting-card.js';

const c = client();
mountHeader({ active: 'meetings' });
mountFooter({ zone: viewerZone() });

const root = document.getElementById('meetings-root');
const tools = document.getElementById('meetings-tools');
const store = meetingStore(render);

function actions(m) {
  const box = el('span', { class: 'meeting-actions' });
  if (m.status === 'accepted' || m.status === 'cancelled') {
    box.append(el('button', { type: 'button', class: 'btn btn-ghost btn-sm ics-link', text: t('meetings.calendar'), onclick: () => downloadIcs(m.id) }));
  }
  if (m.status === 'requested' || m.status === 'accepted') {
    box.append(el('button', {
      type: 'button', class: 'btn btn-danger btn-sm cancel-btn', text: t('meetings.cancel'),
      onclick: async (ev) => {
        if (!confirm(t('meetings.cancel_confirm'))) return;
        ev.target.disabled = true;
        try {
          const r = await c.request('meeting.cancel', { meeting_id: m.id });
          store.put(r.meeting);
        } catch (e) { toast(errorText(e, { conflict: 'err.generic' }), 'error'); ev.target.disabled = false; }
      },
    }));
  }
  return box.childNodes.length ? box : null;
}

function render() {
  clear(tools);
  clear(root);
  if (!c.user) {
    root.append(el('div', { class: 'panel gate' },
      el('p', { text: t('meetings.signin') }),
      el('button', { type: 'button', class: 'btn btn-primary', text: t('auth.signin'), onclick: () => openAuth('signin') })));
    return;
  }
  if (store.error) { root.append(el('p', { class: 'form-error', text: store.error })); return; }
  if (!store.loaded) { root.append(el('div', { class: 'skeleton' })); return; }
  const now = Date.now();
  const list = store.list;
  if (!list.length) {
    // Booking a slot is a visitor's action: an organizer is pointed to the console instead.
    const organizer = c.user.role === 'organizer';
    root.append(el('div', { class: 'panel gate', id: 'meetings-empty' },
      el('p', { text: t(organizer ? 'meetings.empty_organizer' : 'meetings.empty') }),
      organizer ? el('a', { class: 'btn btn-primary', href: 'organizer.html', text: t('org.title') })
        : el('a', { class: 'btn btn-primary', href: 'index.html', text: t('nav.hall') })));
    return;
  }
  if (list.some((m) => m.status === 'accepted')) {
    tools.append(el('button', { type: 'button', class: 'btn btn-ghost btn-sm', id: 'ics-all', text: t('meetings.calendar_all'), onclick: () => downloadIcs(null) }));
  }
  const open = list.filter((m) => (m.status === 'requested' || m.status === 'accepted') && Date.parse(m.ends_at || m.starts_at) > now)
    .sort((a, b) => Date.parse(a.starts_at) - Date.parse(b.starts_at));
  const closed = list.filter((m) => !open.includes(m)).sort((a, b) => Date.parse(b.starts_at) - Date.parse(a.starts_at));
  if (open.length) {
    root.append(el('h2', { class: 'section-title', text: t('meetings.upcoming') }),
      el('ul', { class: 'meeting-list', id: 'meetings-upcoming' }, open.map((m) => meetingCard(m, { side: 'visitor', actions: actions(m) }))));
  }
  if (closed.length) {
    root.append(el('h2', { class: 'section-title', text: t('meetings.past') }),
      el('ul', { class: 'meeting-list', id: 'meetings-past' }, closed.map((m) => meetingCard(m, { side: 'visitor', actions: actions(m) }))));
  }
}

onLang(render);
render();
