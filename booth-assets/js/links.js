// links.js: turning server-provided URLs into something safe to put in a page. Pure.
//
// Only YouTube and Vimeo videos are embedded, and only through an embed URL we build ourselves
// from a validated id; every other link is shown as a plain http(s) link (never javascript:,
// data:, or anything else).

/** Returns an absolute http(s) URL string, or null. Relative URLs resolve against `base`. */
export function safeHttpUrl(raw, base = globalThis.location?.href) {
  if (typeof raw !== 'string' || !raw.trim()) return null;
  let u;
  try { u = base ? new URL(raw.trim(), base) : new URL(raw.trim()); } catch { return null; }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
  if (u.username || u.password) return null;
  return u.href;
}

const YT_ID = /^[A-Za-z0-9_-]{11}$/;
const VIMEO_ID = /^\d{1,12}$/;

/**
 * For a YouTube or Vimeo URL: {provider, id, embed} with an embed URL of our own making.
 * Anything else: null.
 */
export function videoEmbed(raw) {
  let u;
  try { u = new URL(String(raw).trim()); } catch { return null; }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
  const host = u.hostname.toLowerCase().replace(/^www\.|^m\./, '');
  const path = u.pathname.split('/').filter(Boolean);
  let id = null;
  if (host === 'youtube.com' || host === 'youtube-nocookie.com') {
    if (path[0] === 'watch') id = u.searchParams.get('v');
    else if (path[0] === 'embed' || path[0] === 'shorts' || path[0] === 'live' || path[0] === 'v') id = path[1];
    if (id && YT_ID.test(id)) return { provider: 'youtube', id, embed: `https://www.youtube-nocookie.com/embed/${id}` };
    return null;
  }
  if (host === 'youtu.be') {
    id = path[0];
    if (id && YT_ID.test(id)) return { provider: 'youtube', id, embed: `https://www.youtube-nocookie.com/embed/${id}` };
    return null;
  }
  if (host === 'vimeo.com') {
    id = path.find((s) => VIMEO_ID.test(s));
    if (id) return { provider: 'vimeo', id, embed: `https://player.vimeo.com/video/${id}` };
    return null;
  }
  if (host === 'player.vimeo.com' && path[0] === 'video' && VIMEO_ID.test(path[1] || '')) {
    return { provider: 'vimeo', id: path[1], embed: `https://player.vimeo.com/video/${path[1]}` };
  }
  return null;
}
