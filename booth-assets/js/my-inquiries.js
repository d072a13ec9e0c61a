// my-inquiries.js: "My inquiries" (inquiries.html[?thread=<id>]): a buyer's private threads
// with exhibitors, unread counts (kept by the server, so they follow the buyer across reloads
// and devices), and the open conversation. Staff and organizers may ask booths privately too;
// for them the page is named as the nav names it, "Inquiries I sent" (ui.js myInquiriesKey).

import './i18n-inquiries.js';
import { client } from './expo-client.js';
import { t, pick, onLang, errorText } from './i18n.js';
import { el, clear, mountHeader, mountFooter, openAuth, myInquiriesKey } from './ui.js';
import { viewerZone } from './time.js';
import { InquiryStore } from './inquiry-store.js';
import { mountThread } from './inquiry-thread.js';

const c = client();
mountHeader({ active: 'inquiries' });
mountFooter({ zone: viewerZone() });

const root = document.getElementById('inq-root');
const store = new InquiryStore(c, { side: 'buyer' });
let selected = new URLSearchParams(location.search).get('thread');
let view = null;
let error = null;

function setTitle() {
  const n = store.totalUnread();
  document.title = `${n ? `(${n}) ` : ''}${t(myInquiriesKey(c.user))} · ${t('brand')}`;
}

/** The page head names the page as the nav does, and says where the booth's inbox is. */
function renderHead() {
  const key = myInquiriesKey(c.user);
  const lead = key === 'inq.mine' ? 'inq.mine_lead' : c.user.role === 'organizer' ? 'inq.sent_lead_org' : 'inq.sent_lead_staff';
  for (const [id, k] of [['inq-page-title', key], ['inq-page-lead', lead]]) {
    const n = document.getElementById(id);
    n.dataset.i18n = k;
    n.textContent = t(k);
  }
  setTitle();
}

function item(th) {
  const n = store.unread(th);
  const isSel = String(th.id) === String(selected);
  return el('li', { class: `desk-item${isSel ? ' is-selected' : ''}${n ? ' is-unread' : ''}`, dataset: { thread: String(th.id) } },
    el('button', { type: 'button', class: 'desk-item-btn', aria: { current: isSel ? 'true' : undefined }, onclick: () => select(String(th.id)) },
      el('span', { class: 'desk-item-top' }, el('strong', { text: pick(th.booth?.name) }),
        n ? el('span', { class: 'counter', aria: { label: t('inq.unread', { n }) }, text: String(n) }) : null),
      th.last_message ? el('span', { class: 'desk-item-last', text: th.last_message.text }) : null));
}

function renderList() {
  const list = document.getElementById('inq-list');
  if (!list) return;
  clear(list);
  const threads = store.list();
  if (!threads.length) list.append(el('li', { class: 'muted', id: 'inq-none', text: t('inq.none') }));
  for (const th of threads) list.append(item(th));
  setTitle();
}

function renderPane() {
  const pane = document.getElementById('inq-pane');
  if (!pane) return;
  view?.destroy();
  view = null;
  clear(pane);
  root.firstChild?.classList.toggle('has-selection', !!selected);
  const th = selected && store.get(selected);
  if (!th) { pane.append(el('p', { class: 'muted', text: t('desk.pick') })); return; }
  pane.append(el('button', { type: 'button', class: 'btn btn-ghost btn-sm desk-back', text: `← ${t('desk.back')}`, onclick: () => select(null) }),
    el('div', { class: 'panel-head' }, el('h2', { text: pick(th.booth?.name) }),
      el('a', { class: 'btn btn-ghost btn-sm', href: `booth.html?id=${encodeURIComponent(th.booth?.id)}`, text: t('inq.open_booth') })));
  view = mountThread(pane, store, th.id);
  store.loadThread(th.id).catch(() => {});
}

function select(id) {
  selected = id;
  const u = new URL(location.href);
  if (id) u.searchParams.set('thread', id); else u.searchParams.delete('thread');
  history.replaceState(null, '', u);
  renderList();
  renderPane();
}

function render() {
  clear(root);
  renderHead();
  if (!c.user) {
    root.append(el('div', { class: 'panel gate' }, el('p', { text: t('inq.signin') }),
      el('button', { type: 'button', class: 'btn btn-primary', text: t('auth.signin'), onclick: () => openAuth('signin') })));
    return;
  }
  if (error) root.append(el('p', { class: 'form-error', role: 'alert', text: error }));
  root.append(el('section', { class: 'panel inq-page' },
    el('div', { class: 'inq-page-layout' },
      el('ul', { class: 'desk-list', id: 'inq-list', aria: { label: t(myInquiriesKey(c.user)) } }),
      el('div', { class: 'desk-pane', id: 'inq-pane' }))));
  renderList();
  renderPane();
}

async function load() {
  if (!c.user) { render(); return; }
  try { await store.load(); error = null; } catch (e) { error = errorText(e); }
  // On a wide screen the newest conversation opens beside the list; a phone shows the list.
  if (!selected && matchMedia('(min-width: 860px)').matches) selected = store.list()[0] ? String(store.list()[0].id) : null;
  render();
}

store.on('change', (id) => { renderList(); if (id === null && selected && !view) renderPane(); });
onLang(render);
let lastUid;
c.on('auth', () => { const id = c.user ? String(c.user.id) : null; if (id !== lastUid) { lastUid = id; load(); } });
c.whenReady().then(() => { lastUid = c.user ? String(c.user.id) : null; load(); });
