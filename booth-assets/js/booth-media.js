// booth-media.js: a booth's media on the visitor's booth page (booth.js): the video players,
// live-stream links, PDF brochures, images and links that booth.get and media.changed carry
// (docs/protocol.md, "Booth media"), in the booth's order.
//
// Videos: the privacy-enhanced YouTube/Vimeo player the server built (embed_url), or a clip
// served by boothd itself (a same-origin .webm/.mp4) in a <video>. Brochures link to the PDF
// (/files/<id> or a demo file) and open in the browser's PDF viewer. Nothing here makes a URL
// from what an exhibitor typed but safeHttpUrl's http(s) check.

import './i18n-media.js';
import { t, pick, getLang } from './i18n.js';
import { el } from './ui.js';
import { safeHttpUrl, videoEmbed } from './links.js';

const CLIP = /\.(webm|mp4)$/i;

function sizeText(bytes) {
  if (!(bytes > 0)) return '';
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function langText(l) { return l === 'en' || l === 'ko' ? t(`media.lang.${l}`) : ''; }

/** The embed URL for an <iframe>: the server's, else one built from a YouTube/Vimeo link. */
function embedUrl(m) {
  const mine = safeHttpUrl(m.embed_url);
  if (mine && /^https:\/\/(www\.youtube-nocookie\.com|player\.vimeo\.com)\//.test(mine)) return mine;
  return videoEmbed(m.url)?.embed || null;
}

function videoItem(m, title) {
  const caption = title ? el('p', { class: 'muted media-caption', text: title }) : null;
  const embed = embedUrl(m);
  if (embed) {
    return el('li', { dataset: { kind: 'video' } }, el('div', { class: 'video' }, el('iframe', {
      src: embed, title: title || t('booth.watch'), loading: 'lazy',
      allow: 'accelerometer; encrypted-media; gyroscope; picture-in-picture; fullscreen',
      referrerpolicy: 'strict-origin-when-cross-origin',
      sandbox: 'allow-scripts allow-same-origin allow-presentation allow-popups',
      allowfullscreen: true,
    })), caption);
  }
  const src = safeHttpUrl(m.url);
  if (src && new URL(src).origin === location.origin && CLIP.test(new URL(src).pathname)) {
    return el('li', { dataset: { kind: 'video' } }, el('div', { class: 'video' },
      el('video', { src, controls: true, preload: 'metadata', playsinline: true, aria: { label: title || t('booth.watch') } })), caption);
  }
  return null;
}

function linkItem(m, href, tag, label, sub, extra = {}) {
  const external = new URL(href).origin !== location.origin;
  return el('li', { dataset: { kind: m.kind } }, el('a', {
    class: 'media-link', href, target: external || m.kind === 'brochure' ? '_blank' : undefined,
    rel: external ? 'noopener noreferrer' : undefined, ...extra,
  }, el('span', { class: `media-icon${m.kind === 'stream' ? ' media-icon-live' : ''}`, aria: { hidden: 'true' }, text: tag }),
  el('span', {}, el('strong', { text: label }), el('br'), el('span', { class: 'muted', text: sub }))));
}

/** One media item as a list entry, or null when it cannot be shown safely. */
export function mediaItem(m) {
  const title = pick(m.title) || '';
  const kind = m.kind || 'link';
  if (kind === 'video') {
    const v = videoItem(m, title);
    if (v) return v;
  }
  const href = safeHttpUrl(m.url || (m.file_id != null ? `/files/${m.file_id}` : ''));
  if (!href) return null;
  if (kind === 'image') {
    return el('li', { dataset: { kind: 'image' } }, el('figure', { class: 'media-figure' },
      el('a', { href, target: '_blank', aria: { label: title || t('media.kind.image') } }, el('img', { src: href, alt: title, loading: 'lazy' })),
      title ? el('figcaption', { class: 'muted', text: title }) : null));
  }
  if (kind === 'brochure') {
    const sub = [t('media.open_pdf'), langText(m.lang), sizeText(m.size)].filter(Boolean).join(' · ');
    return linkItem(m, href, 'PDF', title || t('media.kind.brochure'), sub, { type: 'application/pdf' });
  }
  if (kind === 'stream') return linkItem(m, href, t('media.live'), title || t('media.watch_live'), new URL(href).hostname);
  const sub = new URL(href).origin === location.origin ? langText(m.lang) || t('booth.open_link') : new URL(href).hostname;
  return linkItem(m, href, kind === 'video' ? '▶' : '↗', title || t('booth.open_link'), sub);
}

/**
 * The items to show in the page's language: an item in the other language is left out when
 * an item of the same kind exists in this one (the Korean brochure for a Korean page, the
 * English one for an English page; a booth with only one shows it to everyone).
 */
export function visibleMedia(list, lang = getLang()) {
  const media = Array.isArray(list) ? list : [];
  return media.filter((m) => !m.lang || m.lang === lang || !media.some((x) => x !== m && x.kind === m.kind && x.lang === lang));
}

/** The "Videos & brochures" panel, or null when there is nothing to show. */
export function mediaSection(list) {
  const items = visibleMedia(list).map(mediaItem).filter(Boolean);
  if (!items.length) return null;
  return el('section', { class: 'panel', id: 'booth-media', aria: { labelledby: 'media-title' } },
    el('h2', { id: 'media-title', text: t('booth.media') }),
    el('ul', { class: 'media-list' }, items));
}
