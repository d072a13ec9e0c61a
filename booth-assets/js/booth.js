// booth.js: one booth (booth.html?id=<booth id>[&slug=<slug>]): profile, products, videos and
// brochures, live counts, the live chat and the meeting picker.

import { client } from './expo-client.js';
import { t, pick, onLang, getLang, categoryLabel, registerCategories, errorText } from './i18n.js';
import { el, clear, mountHeader, mountFooter, logoEl } from './ui.js';
import { viewerZone, zoneCity, zoneAbbr, formatInZone } from './time.js';
import { safeHttpUrl } from './links.js';
import { mediaSection } from './booth-media.js';
import { mountChat } from './chat-panel.js';
import { mountMeetingPicker } from './meeting-picker.js';
import { mountLeadCard } from './lead-card.js';
import { mountAskPrivately } from './ask-privately.js';
import './i18n-setup.js';

const c = client();
mountHeader({ active: 'hall' });
mountFooter({ zone: viewerZone() });

const root = document.getElementById('booth-root');
const params = new URLSearchParams(location.search);

/** booth ids are numbers in the protocol; keep other forms (uuid) as strings. */
function parseId(v) { return v && /^\d+$/.test(v) ? Number(v) : v; }

let booth = null;
let presence = null;
let inquiryInfo = null;   // inquiry.booth: {public_chat, staff_online, thread}

async function findBySlug(slug) {
  // booth.get takes {slug} too; older servers only ids: then look the slug up in the hall.
  try {
    const r = await c.request('booth.get', { slug });
    if (r.booth) return r.booth.id;
  } catch { /* fall through */ }
  for (let offset = 0; offset < 5000; offset += 100) {
    const r = await c.request('hall.list', { offset, limit: 100 });
    const hit = (r.booths || []).find((b) => b.slug === slug);
    if (hit) return hit.id;
    if (!r.booths || r.booths.length < 100) break;
  }
  return null;
}

function clockText() {
  const zone = booth.time_zone || 'Asia/Seoul';
  const lang = getLang();
  const now = new Date();
  const city = booth.city ? pick(booth.city) : '';
  return `${formatInZone(now, zone, lang)} ${city || zoneCity(zone, lang)} (${zoneAbbr(zone, now)})`;
}

function liveBadges() {
  const p = presence || booth;
  const n = Number(p?.visitors_now) || 0;
  return [
    el('span', { class: n > 0 ? 'badge badge-live' : 'badge', id: 'booth-visitors', dataset: { n: String(n) }, text: t('booth.here_now', { n }) }),
    p?.staff_online
      ? el('span', { class: 'badge badge-ok', id: 'booth-staff', dataset: { online: 'true' }, text: t('booth.staff_online') })
      : el('span', { class: 'badge badge-away', id: 'booth-staff', dataset: { online: 'false' }, text: t('booth.staff_away') }),
  ];
}

function renderLive() {
  const box = document.getElementById('booth-live');
  if (!box) return;
  clear(box).append(...liveBadges());
}

function productItem(p) {
  const img = safeHttpUrl(p.image_url);
  return el('li', { class: 'product' },
    img ? el('img', { src: img, alt: '', loading: 'lazy' }) : null,
    el('h3', { text: pick(p.name) }),
    pick(p.description) ? el('p', { text: pick(p.description) }) : null,
    (p.price_note || p.moq) ? el('p', { class: 'price', text: [p.price_note, p.moq ? `MOQ ${p.moq}` : null].filter(Boolean).join(' · ') }) : null);
}

let chat = null;
let picker = null;
let card = null;
let ask = null;

function publicChat() { return inquiryInfo?.public_chat !== false; }

/** Staff of this booth and organizers still see an archived booth whole. */
function mayReadArchived() {
  return c.user?.role === 'organizer' || (c.user?.booths || []).some((b) => String(b.id) === String(booth?.id));
}

/** An archived booth, for a visitor: its name and why it is closed; nothing to enter. */
function renderArchived() {
  for (const part of [chat, picker, card, ask]) part?.destroy();
  chat = picker = card = ask = null;
  const name = pick(booth.name);
  document.title = `${name} · ${t('brand')}`;
  root.setAttribute('aria-busy', 'false');
  clear(root).append(el('section', { class: 'panel gate booth-archived', id: 'booth-archived', aria: { labelledby: 'booth-name' } },
    el('p', {}, el('span', { class: 'badge badge-archived', text: t('setup.archived') })),
    el('h1', { id: 'booth-name', text: name }),
    el('p', { text: t('booth.archived_lead') }),
    el('p', {}, el('a', { class: 'btn btn-primary', href: 'index.html', text: t('booth.back') }))));
}

function renderBooth() {
  const lang = getLang();
  const name = pick(booth.name);
  const other = booth.name && typeof booth.name === 'object' ? (lang === 'ko' ? booth.name.en : booth.name.ko) : '';
  document.title = `${name} · ${t('brand')}`;
  const banner = el('div', { class: 'booth-banner' });
  const bannerUrl = safeHttpUrl(booth.banner_url);
  if (bannerUrl) banner.classList.add('has-image');
  if (bannerUrl) banner.style.backgroundImage = `url("${encodeURI(bannerUrl).replace(/"/g, '%22')}")`;

  const hero = el('section', { class: 'booth-hero', aria: { labelledby: 'booth-name' } }, banner,
    el('div', { class: 'booth-hero-body' },
      logoEl(booth, booth.name?.en || name, 'lg'),
      el('div', { class: 'booth-title' },
        el('h1', { id: 'booth-name', text: name }),
        other && other !== name ? el('div', { class: 'alt-name', lang: lang === 'ko' ? 'en' : 'ko', text: other }) : null,
        pick(booth.tagline) ? el('p', { class: 'tagline', text: pick(booth.tagline) }) : null),
      el('div', { class: 'booth-live', id: 'booth-live' }, ...liveBadges()),
      el('div', { class: 'booth-cta' },
        publicChat() ? el('a', { class: 'btn btn-primary btn-sm', href: '#chat', text: t('chat.title') }) : null,
        el('a', { class: 'btn btn-accent btn-sm', href: '#inquiry', id: 'cta-inquiry', text: t('inq.ask') }),
        el('a', { class: 'btn btn-ghost btn-sm', href: '#meet', text: t('meet.title') })),
      el('div', { id: 'lead-card-slot' })));

  const about = el('section', { class: 'panel', aria: { labelledby: 'about-title' } },
    el('h2', { id: 'about-title', text: t('booth.about') }),
    el('p', { class: 'description', text: pick(booth.description) || pick(booth.tagline) }),
    el('dl', { class: 'facts' },
      booth.category ? el('div', {}, el('dt', { text: t('hall.category_label') }), el('dd', { text: categoryLabel(booth.category) })) : null,
      el('div', {}, el('dt', { text: t('booth.local_time') }),
        el('dd', { id: 'booth-clock', text: clockText() }))));

  const meetSlot = el('div', { id: 'meet-slot' });
  const main = el('div', { class: 'booth-main' }, about, meetSlot);
  const products = Array.isArray(booth.products) ? booth.products : [];
  if (products.length) {
    main.append(el('section', { class: 'panel', aria: { labelledby: 'products-title' } },
      el('h2', { id: 'products-title', text: t('booth.products') }),
      el('ul', { class: 'products', id: 'products' }, products.map(productItem))));
  }
  const media = mediaSection(booth.media);
  if (media) main.append(media);
  const side = el('aside', { class: 'booth-side', id: 'booth-side' });
  const layout = el('div', { class: 'booth-layout' }, main, side);

  // Keep chat and picker alive across language re-renders: move their DOM into the new layout.
  const chatPanel = document.getElementById('chat');
  const inquiryPanel = document.getElementById('inquiry');
  const meetPanel = document.getElementById('meet');
  const cardBox = document.getElementById('lead-card');
  const archivedNote = booth.archived
    ? el('p', { class: 'panel archived-note', id: 'booth-archived-note', role: 'status' },
      el('span', { class: 'badge badge-archived', text: t('setup.archived') }), ' ', t('booth.archived_staff'))
    : null;
  clear(root).append(...[archivedNote, hero, layout].filter(Boolean));
  root.setAttribute('aria-busy', 'false');
  if (inquiryPanel) side.append(inquiryPanel); else ask = mountAskPrivately(side, booth, inquiryInfo);
  if (!publicChat()) {
    // Public chat is off: the booth answers privately only. Still enter it (presence counts).
    side.append(el('p', { class: 'panel chat-off', id: 'chat-off', text: t('chat.off') }));
    if (c.user) c.room(booth.id).enter().catch(() => {});
  } else if (chatPanel) side.append(chatPanel); else chat = mountChat(side, booth.id);
  if (meetPanel) meetSlot.append(meetPanel); else picker = mountMeetingPicker(meetSlot, booth);
  const cardSlot = document.getElementById('lead-card-slot');
  if (cardBox) cardSlot.append(cardBox); else card = mountLeadCard(cardSlot, booth);
}

async function load() {
  let id = parseId(params.get('id'));
  const slug = params.get('slug');
  try {
    if (id == null && slug) id = await findBySlug(slug);
    if (id == null) throw Object.assign(new Error('not found'), { code: 'not_found' });
    const r = await c.request('booth.get', { booth_id: id });
    booth = r.booth;
    if (!booth) throw Object.assign(new Error('not found'), { code: 'not_found' });
    if (booth.restricted) { renderArchived(); return; }
    presence = { visitors_now: booth.visitors_now, staff_online: booth.staff_online };
    if (c.user) inquiryInfo = await c.request('inquiry.booth', { booth_id: booth.id }).catch(() => null);
    if (!booth.city && booth.company?.city) booth.city = { en: booth.company.city, ko: booth.company.city_ko || booth.company.city };
    if (booth.category && booth.category_name) registerCategories([{ slug: booth.category, name: booth.category_name }]);
    renderBooth();
    const room = c.room(booth.id);
    room.on('presence', (p) => { presence = { ...presence, ...p }; renderLive(); ask?.setStaffOnline(presence.staff_online); });
    // Staff changed the media (on any node): re-render with the new list.
    c.on('media.changed', (d) => { if (d && d.booth_id === booth.id && Array.isArray(d.media)) { booth.media = d.media; renderBooth(); } });
    // The booth's staff edited it (on any node): show the new texts and products at once.
    c.on('booth.updated', (d) => {
      const nb = d?.booth;
      if (!nb || String(nb.id) !== String(booth.id)) return;
      for (const k of ['name', 'tagline', 'description', 'time_zone', 'logo_url', 'banner_url', 'category']) if (k in nb) booth[k] = nb[k];
      if (nb.company) booth.company = { ...booth.company, ...nb.company };
      // The organizers archived the booth: a visitor's page closes it (chat and meetings go).
      if ('archived_at' in nb) booth.archived = !!nb.archived_at;
      if (booth.archived && !mayReadArchived()) { renderArchived(); return; }
      renderBooth();
    });
    c.on('products.updated', (d) => {
      if (String(d?.booth_id) !== String(booth.id) || !Array.isArray(d.products)) return;
      booth.products = d.products;
      renderBooth();
    });
  } catch (e) {
    root.setAttribute('aria-busy', 'false');
    clear(root).append(el('div', { class: 'panel gate' },
      el('h1', { text: e.code === 'not_found' ? t('booth.not_found') : errorText(e) }),
      el('p', {}, el('a', { class: 'btn btn-primary', href: 'index.html', text: t('booth.back') }))));
  }
}

onLang(() => { if (booth) renderBooth(); });
// The clock in "Local time" moves; refresh it each minute.
setInterval(() => { const n = document.getElementById('booth-clock'); if (n && booth) n.textContent = clockText(); }, 30000);
window.addEventListener('pagehide', () => { chat?.destroy(); picker?.destroy(); card?.destroy(); ask?.destroy(); });
load();
