// hall.js: the exhibition hall (index.html): search, category filter, booth cards with live
// visitor counts (hall.list refreshed every 20 s, after reconnects and when the organizers
// change the hall: hall.changed).

import { client } from './expo-client.js';
import { t, pick, onLang, getLang, categoryLabel, categoryKey, registerCategories, errorText } from './i18n.js';
import { el, clear, mountHeader, mountFooter, logoEl } from './ui.js';
import { viewerZone } from './time.js';

const PAGE = 24;
const c = client();
mountHeader({ active: 'hall' });
mountFooter({ zone: viewerZone() });

const grid = document.getElementById('booth-grid');
const chips = document.getElementById('categories');
const count = document.getElementById('results-count');
const empty = document.getElementById('hall-empty');
const more = document.getElementById('hall-more');
const search = document.getElementById('hall-search');
const form = document.getElementById('hall-search-form');

const params = new URLSearchParams(location.search);
const state = {
  q: params.get('q') || '',
  category: params.get('category') || '',
  booths: [],
  total: 0,
  categories: [],
  loading: false,
  error: null,
  gen: 0,
};
search.value = state.q;

function boothHref(b) {
  const p = new URLSearchParams({ id: String(b.id) });
  if (b.slug) p.set('slug', b.slug);
  return `booth.html?${p}`;
}

function card(b) {
  const lang = getLang();
  const name = pick(b.name);
  const other = b.name && typeof b.name === 'object' ? (lang === 'ko' ? b.name.en : b.name.ko) : '';
  const logo = logoEl(b, b.name?.en || name);
  const visitors = Number(b.visitors_now) || 0;
  return el('li', { class: 'booth-item', dataset: { boothId: String(b.id), slug: b.slug || '' } },
    el('article', { class: 'booth-card' },
      el('div', { class: 'booth-card-top' }, logo,
        el('div', { class: 'booth-card-names' },
          el('h3', {}, el('a', { href: boothHref(b), class: 'booth-link', text: name })),
          other && other !== name ? el('div', { class: 'alt-name', lang: lang === 'ko' ? 'en' : 'ko', text: other }) : null)),
      el('p', { class: 'tagline', text: pick(b.tagline) }),
      el('div', { class: 'booth-card-foot' },
        b.category ? el('span', { class: 'badge badge-cat', text: categoryLabel(b.category) }) : null,
        visitors > 0 ? el('span', { class: 'badge badge-live visitors', text: t('booth.here_now', { n: visitors }) }) : null,
        b.staff_online ? el('span', { class: 'badge badge-ok staff', text: t('booth.staff_online') }) : null)));
}

function renderChips() {
  clear(chips);
  const all = [{ key: '', label: t('hall.all') }].concat(
    (state.categories || []).map((cat) => ({ key: categoryKey(cat), label: categoryLabel(cat), n: typeof cat === 'object' ? (cat.booths ?? cat.count) : undefined })));
  for (const it of all) {
    if (it.key === undefined) continue;
    chips.append(el('button', {
      type: 'button', class: 'chip', dataset: { category: it.key },
      aria: { pressed: String(state.category === it.key) },
      onclick: () => { state.category = state.category === it.key ? '' : it.key; syncUrl(); load(); },
    }, it.label));
  }
}

function render() {
  grid.setAttribute('aria-busy', String(state.loading && !state.booths.length));
  clear(grid);
  if (state.loading && !state.booths.length) {
    for (let i = 0; i < 8; i++) grid.append(el('li', { class: 'skeleton', aria: { hidden: 'true' } }));
  }
  for (const b of state.booths) grid.append(card(b));
  if (state.error) count.textContent = state.error;
  else if (state.loading && !state.booths.length) count.textContent = t('hall.loading');
  else count.textContent = state.total === 1 ? t('hall.results_one') : t('hall.results', { n: state.total });
  count.dataset.total = String(state.total);
  empty.hidden = state.loading || !!state.error || state.booths.length > 0;
  more.hidden = state.booths.length >= state.total;
  renderChips();
}

function query(offset, limit) {
  const d = { offset, limit };
  if (state.q.trim()) d.q = state.q.trim();
  if (state.category) d.category = state.category;
  return c.request('hall.list', d);
}

/** Loads the first page for the current query (drops older answers that arrive late). */
async function load() {
  const gen = ++state.gen;
  state.loading = true;
  state.error = null;
  render();
  try {
    const r = await query(0, PAGE);
    if (gen !== state.gen) return;
    state.booths = r.booths || [];
    state.total = r.total ?? state.booths.length;
    if (Array.isArray(r.categories) && r.categories.length) { state.categories = r.categories; registerCategories(r.categories); }
  } catch (e) {
    if (gen !== state.gen) return;
    state.error = errorText(e);
  }
  state.loading = false;
  render();
}

/** Refreshes the cards on screen (live counts) without moving the page. */
async function refresh() {
  if (state.loading || document.hidden) return;
  const gen = state.gen;
  try {
    const r = await query(0, Math.min(100, Math.max(PAGE, state.booths.length)));
    if (gen !== state.gen) return;
    state.booths = r.booths || [];
    state.total = r.total ?? state.booths.length;
    const focused = document.activeElement && document.activeElement.closest('.booth-item')?.dataset.boothId;
    render();
    if (focused) grid.querySelector(`[data-booth-id="${CSS.escape(focused)}"] a`)?.focus();
  } catch { /* next tick */ }
}

more.addEventListener('click', async () => {
  more.disabled = true;
  const gen = state.gen;
  try {
    const r = await query(state.booths.length, PAGE);
    if (gen === state.gen) {
      const seen = new Set(state.booths.map((b) => String(b.id)));
      state.booths = state.booths.concat((r.booths || []).filter((b) => !seen.has(String(b.id))));
      state.total = r.total ?? state.total;
      render();
    }
  } catch (e) { count.textContent = errorText(e); }
  more.disabled = false;
});

function syncUrl() {
  const p = new URLSearchParams();
  if (state.q.trim()) p.set('q', state.q.trim());
  if (state.category) p.set('category', state.category);
  const s = p.toString();
  history.replaceState(null, '', s ? `?${s}` : location.pathname);
}

let timer = null;
search.addEventListener('input', () => {
  clearTimeout(timer);
  timer = setTimeout(() => { state.q = search.value; syncUrl(); load(); }, 250);
});
form.addEventListener('submit', (ev) => { ev.preventDefault(); clearTimeout(timer); state.q = search.value; syncUrl(); load(); });

onLang(render);
let first = true;
c.on('state', (s) => { if (s === 'open' && !first) refresh(); });
// An organizer created, edited or archived a booth (on any node): re-read the list. Every
// open hall page gets the event at once, so each waits a random moment of up to a second
// before asking, and several changes in that moment cost one request.
let changed = null;
c.on('hall.changed', () => {
  if (changed) return;
  changed = setTimeout(() => { changed = null; refresh(); }, Math.random() * 1000);
});
first = false;
setInterval(refresh, 20000);
document.addEventListener('visibilitychange', () => { if (!document.hidden) refresh(); });
load();
