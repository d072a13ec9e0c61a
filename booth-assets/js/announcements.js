// announcements.js: the organizers' announcements as banners under the site header, on every
// page, in the page's language. The active ones are listed when the connection opens (so a
// page that connects later sees them); `announcement` and `announcement.retracted` events add
// and remove them live; each disappears by itself when it expires. A dismissed banner stays
// dismissed for this browser tab.

import { client } from './expo-client.js';
import { t, pick, onLang, getLang } from './i18n.js';
import { el, clear } from './dom.js';

const DISMISSED_KEY = 'expo.announcements.dismissed';

function dismissed() {
  try { return new Set(JSON.parse(sessionStorage.getItem(DISMISSED_KEY) || '[]')); } catch { return new Set(); }
}

function remember(id) {
  const s = dismissed();
  s.add(id);
  try { sessionStorage.setItem(DISMISSED_KEY, JSON.stringify([...s].slice(-100))); } catch { /* private mode */ }
}

/** Mounts the banner area right after <header id="site-header">. */
export function mountAnnouncements() {
  const header = document.getElementById('site-header');
  if (!header || document.getElementById('announcements')) return;
  if (!document.querySelector('link[href="css/announcements.css"]')) {
    document.head.append(el('link', { rel: 'stylesheet', href: 'css/announcements.css' }));
  }
  const box = el('div', { id: 'announcements', class: 'announcements', role: 'region', aria: { label: t('ann.region'), live: 'polite' } });
  header.after(box);
  const c = client();
  const items = new Map();   // id -> announcement
  const timers = new Map();  // id -> expiry timer

  function drop(id) {
    items.delete(id);
    clearTimeout(timers.get(id));
    timers.delete(id);
    render();
  }

  function add(a) {
    if (!a || a.retracted_at) return;
    const ms = a.expires_at ? Date.parse(a.expires_at) - Date.now() : Infinity;
    if (ms <= 0) return;
    items.set(a.id, a);
    clearTimeout(timers.get(a.id));
    if (Number.isFinite(ms) && ms < 2 ** 31) timers.set(a.id, setTimeout(() => drop(a.id), ms));
  }

  function render() {
    clear(box);
    box.setAttribute('aria-label', t('ann.region'));
    const hidden = dismissed();
    const list = [...items.values()].filter((a) => !hidden.has(a.id) && (!a.lang || a.lang === getLang()))
      .sort((x, y) => (x.level === 'important' ? 0 : 1) - (y.level === 'important' ? 0 : 1) || Date.parse(y.created_at) - Date.parse(x.created_at));
    for (const a of list) {
      box.append(el('div', { class: `announcement ann-${a.level}`, dataset: { id: String(a.id), level: a.level } },
        el('span', { class: 'ann-tag', text: t(a.level === 'important' ? 'ann.important' : 'ann.info') }),
        el('div', { class: 'ann-text' },
          el('strong', { class: 'ann-title', text: pick(a.title) }),
          el('span', { class: 'ann-body', text: pick(a.body) })),
        el('button', {
          type: 'button', class: 'ann-close', aria: { label: t('ann.dismiss') }, text: '×',
          onclick: () => { remember(a.id); render(); },
        })));
    }
  }

  async function load() {
    try {
      const r = await c.request('announcement.list', {});
      items.clear();
      for (const tm of timers.values()) clearTimeout(tm);
      timers.clear();
      for (const a of r.announcements || []) add(a);
      render();
    } catch { /* shown again on the next connection */ }
  }

  c.on('announcement', (d) => { add(d.announcement); render(); });
  c.on('announcement.retracted', (d) => drop(d.id));
  c.on('state', (s) => { if (s === 'open') load(); });
  onLang(render);
  if (c.state === 'open') load();
}
