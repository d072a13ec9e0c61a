// exhibitor.js: the exhibitor console (exhibitor.html): sign-in gate, the booths this account
// staffs (a switcher when several), and the tabs. Each tab is its own module with one entry:
//
//   mountXTab(container, ctx) -> { destroy() } | undefined
//
// ctx = { client, boothId, booth: {id, slug, name, time_zone}, lang (getter), onLang(fn),
//         on(type, fn), boothChanged(booth) }. Listeners added through ctx.onLang/ctx.on are
// removed when the tab is destroyed (another booth is chosen, or the user changes).
// A tab is mounted the first time it is shown and then kept, so typing survives tab switches.

import { client } from './expo-client.js';
import { t, pick, onLang, getLang } from './i18n.js';
import './i18n-exhibitor.js';
import { el, clear, mountHeader, mountFooter, openAuth, isStaffRole, toast } from './ui.js';
import { viewerZone } from './time.js';
import { mountDeskTab } from './ex-desk.js';
import { mountBoothTab } from './ex-booth.js';
import { mountProductsTab } from './ex-products.js';
import { mountTeamTab } from './ex-team.js';
import { mountInboxTab } from './desk-inbox.js';

const c = client();
mountHeader({ active: 'exhibitor' });
mountFooter({ zone: viewerZone() });

const root = document.getElementById('ex-root');

// The page title counts what waits for an answer: meeting requests (the desk tab) and unread
// inquiries (the inbox), e.g. "(3) Exhibitor desk".
const waiting = new Map();
function badge(key, n) {
  waiting.set(key, n);
  const sum = [...waiting.values()].reduce((a, b) => a + b, 0);
  document.title = `${sum ? `(${sum}) ` : ''}${t('ex.title')} · ${t('brand')}`;
}

// The inquiries inbox (issue 12) covers every booth of the account at once, so it sits above
// the tabs, which are per booth.
const inboxHost = document.createElement('div');
inboxHost.id = 'ex-inquiries';
document.getElementById('ex-tabs').before(inboxHost);
let inbox = null;
function mountInbox(list, u) {
  inbox?.destroy();
  inbox = list.length
    ? mountInboxTab(inboxHost, { client: c, booths: u.role === 'organizer' ? list : null, onUnread: (n) => badge('inquiries', n) })
    : null;
  if (!inbox) badge('inquiries', 0);
}
const switcher = document.getElementById('ex-booth-switch');

// The leads and analytics modules hand back {unmount()}; the frame calls destroy().
function destroyable(mount) {
  return (panel, ctx) => { const h = mount(panel, ctx); return { destroy: () => h?.unmount?.() }; };
}

// The tabs in order. `load` resolves to the tab's mount function; the modules of the later
// tabs are fetched when first shown.
const TABS = [
  { id: 'desk', label: 'ex.tab.desk', load: async () => mountDeskTab },
  { id: 'booth', label: 'ex.tab.booth', load: async () => mountBoothTab },
  { id: 'products', label: 'ex.tab.products', load: async () => mountProductsTab },
  { id: 'media', label: 'ex.tab.media', load: () => import('./ex-media.js').then((m) => m.mountMediaTab) },
  { id: 'team', label: 'ex.tab.team', load: async () => mountTeamTab },
  { id: 'leads', label: 'ex.tab.leads', load: () => import('./ex-leads.js').then((m) => destroyable(m.mountLeadsTab)) },
  { id: 'analytics', label: 'ex.tab.analytics', load: () => import('./ex-analytics.js').then((m) => destroyable(m.mountAnalyticsTab)) },
].filter((tab) => tab.load);

const st = {
  booths: null,          // [{id, slug, name, time_zone}] this account staffs (organizers: the same list)
  boothId: null,
  tab: tabFromHash() || 'desk',
  mounted: new Map(),    // tab id -> {panel, handle, ctx}
};

function tabFromHash() {
  const id = location.hash.replace(/^#/, '');
  return TABS.some((x) => x.id === id) ? id : null;
}

function booth() { return st.booths?.find((b) => String(b.id) === String(st.boothId)) || null; }

function makeCtx(b) {
  const offs = [];
  return {
    client: c,
    boothId: b.id,
    booth: b,
    get lang() { return getLang(); },
    badge,
    onLang(fn) { const off = onLang(fn); offs.push(off); return off; },
    on(type, fn) { const off = c.on(type, fn); offs.push(off); return off; },
    /** A tab saved new booth data: the switcher and other tabs follow. */
    boothChanged(nb) {
      Object.assign(b, { name: nb.name ?? b.name, slug: nb.slug ?? b.slug, time_zone: nb.time_zone ?? b.time_zone });
      renderSwitcher();
    },
    _off() { for (const off of offs.splice(0)) off(); },
  };
}

function unmountAll() {
  for (const m of st.mounted.values()) { try { m.handle?.destroy?.(); } catch (e) { console.error(e); } m.ctx._off(); }
  st.mounted.clear();
}

async function showTab(id) {
  st.tab = id;
  if (location.hash !== `#${id}`) history.replaceState(null, '', `#${id}`);
  for (const btn of document.querySelectorAll('#ex-tabs [role=tab]')) {
    const on = btn.dataset.tab === id;
    btn.setAttribute('aria-selected', String(on));
    btn.tabIndex = on ? 0 : -1;
  }
  for (const p of root.querySelectorAll('.ex-panel')) p.hidden = p.dataset.tab !== id;
  if (st.mounted.has(id) || !booth()) return;
  const tab = TABS.find((x) => x.id === id);
  const panel = root.querySelector(`.ex-panel[data-tab="${id}"]`);
  const ctx = makeCtx(booth());
  st.mounted.set(id, { panel, handle: null, ctx });
  const mount = await tab.load();
  const entry = st.mounted.get(id);
  if (!entry || entry.ctx !== ctx) return;      // the booth changed while loading
  entry.handle = mount(panel, ctx) || null;
}

function renderSwitcher() {
  clear(switcher);
  const b = booth();
  if (!b) return;
  if (st.booths.length > 1) {
    const sel = el('select', {
      id: 'ex-booth',
      onchange: () => { st.boothId = Number(sel.value); sessionStorage.setItem('expo.exhibitor.booth', sel.value); render(); },
    }, st.booths.map((x) => el('option', { value: String(x.id), selected: String(x.id) === String(st.boothId), text: pick(x.name) })));
    switcher.append(el('label', { for: 'ex-booth', text: t('ex.booth') }), sel);
  }
  switcher.append(el('a', { class: 'btn btn-ghost btn-sm', href: `booth.html?id=${encodeURIComponent(b.id)}`, id: 'ex-open-booth', text: `${pick(b.name)} — ${t('ex.open_booth')}` }));
}

function gate(...children) {
  clear(root).append(el('div', { class: 'panel gate' }, ...children));
}

function render() {
  unmountAll();
  clear(switcher);
  const tabs = document.getElementById('ex-tabs');
  clear(tabs);
  tabs.hidden = true;
  const u = c.user;
  if (!u) {
    gate(el('p', { text: t('ex.signin') }),
      el('p', { class: 'hint', text: t('auth.demo_hint') }),
      el('button', { type: 'button', class: 'btn btn-primary', id: 'ex-signin', text: t('auth.signin'), onclick: () => openAuth('signin') }));
    return;
  }
  if (!isStaffRole(u.role) && u.role !== 'organizer') { gate(el('p', { text: t('ex.not_staff') })); return; }
  if (!st.booths) { clear(root).append(el('div', { class: 'skeleton' })); return; }
  if (!st.booths.length) { gate(el('p', { text: t('ex.not_staff') })); return; }
  renderSwitcher();
  tabs.hidden = false;
  for (const tab of TABS) {
    tabs.append(el('button', {
      type: 'button', role: 'tab', id: `ex-tab-${tab.id}`, class: 'ex-tab', dataset: { tab: tab.id },
      aria: { controls: `ex-panel-${tab.id}`, selected: 'false' }, text: t(tab.label),
      onclick: () => showTab(tab.id),
    }));
  }
  clear(root).append(...TABS.map((tab) => el('section', {
    class: 'ex-panel', id: `ex-panel-${tab.id}`, role: 'tabpanel', dataset: { tab: tab.id },
    aria: { labelledby: `ex-tab-${tab.id}` }, hidden: true,
  })));
  showTab(TABS.some((x) => x.id === st.tab) ? st.tab : 'desk');
}

/** Arrow keys move between tabs (WAI-ARIA tabs pattern). */
document.getElementById('ex-tabs').addEventListener('keydown', (ev) => {
  if (ev.key !== 'ArrowRight' && ev.key !== 'ArrowLeft') return;
  const i = TABS.findIndex((x) => x.id === st.tab);
  const next = TABS[(i + (ev.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length];
  showTab(next.id);
  document.getElementById(`ex-tab-${next.id}`)?.focus();
});

/** The booths of user.booths, with names and zones (booth.get fills what is missing). */
async function loadBooths() {
  const u = c.user;
  st.booths = null;
  if (!u || (!isStaffRole(u.role) && u.role !== 'organizer')) { inbox?.destroy(); inbox = null; render(); return; }
  let list = Array.isArray(u.booths) ? u.booths.map((b) => (typeof b === 'object' ? { ...b } : { id: b })) : [];
  list = await Promise.all(list.map(async (b) => {
    if (b.name && b.time_zone) return b;
    try { const r = await c.request('booth.get', { booth_id: b.id }); return { ...b, name: r.booth.name, time_zone: r.booth.time_zone }; } catch { return b; }
  }));
  st.booths = list;
  mountInbox(list, u);
  const saved = sessionStorage.getItem('expo.exhibitor.booth');
  st.boothId = list.find((b) => String(b.id) === saved)?.id ?? list[0]?.id ?? null;
  render();
}

// Removed from a booth's team (on any node): that booth goes away at once.
c.on('team.removed', (d) => {
  const gone = st.booths?.find((b) => String(b.id) === String(d?.booth_id));
  if (!gone) return;
  toast(t('ex.removed', { booth: pick(gone.name) }), 'error');
  st.booths = st.booths.filter((b) => b !== gone);
  if (c.user && Array.isArray(c.user.booths)) c.user.booths = c.user.booths.filter((b) => String(b.id ?? b) !== String(gone.id));
  if (String(st.boothId) === String(gone.id)) st.boothId = st.booths[0]?.id ?? null;
  mountInbox(st.booths, c.user);   // the inbox re-opens its desk without that booth's threads
  render();
});

window.addEventListener('hashchange', () => { const id = tabFromHash(); if (id && id !== st.tab && booth()) showTab(id); });

// 'auth' also fires after each reconnect's resume: reload only when the account changed, so
// edits in progress survive a reconnect.
let lastUid;
function onUser() {
  const id = c.user ? String(c.user.id) : null;
  if (id === lastUid) return;
  lastUid = id;
  render();
  loadBooths();
}
c.on('auth', onUser);
onLang(() => {
  for (const btn of document.querySelectorAll('#ex-tabs [role=tab]')) btn.textContent = t(TABS.find((x) => x.id === btn.dataset.tab).label);
  renderSwitcher();
  if (!booth()) render();
});
render();
c.whenReady().then(onUser);
