#!/usr/bin/env node
// mock-server.mjs: a small in-memory stand-in for boothd, for working on the pages without a
// database (and for checking the e2e scripts themselves: E2E_MOCK=1). It implements the expo.v1
// messages the pages use, as the issues describe them. It is NOT the product and tests never
// count a pass against it as a pass of boothd.
//
//   node tests/e2e/mock/mock-server.mjs --port 8090 --assets booth-assets
//
// Dependency-free: a minimal RFC 6455 server (text frames, ping/pong, close) on node:http.

import http from 'node:http';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : def; };
const PORT = Number(opt('port', 8090));
const ASSETS = path.resolve(opt('assets', 'booth-assets'));
const NODE = `mock-${os.hostname()}:${process.pid}`;

// ---- data ---------------------------------------------------------------------------------
const CATS = [
  { slug: 'beauty', name: { en: 'Beauty & cosmetics', ko: '뷰티·화장품' } },
  { slug: 'food', name: { en: 'Food & beverage', ko: '식품·음료' } },
  { slug: 'living', name: { en: 'Home & living', ko: '생활용품' } },
  { slug: 'machinery', name: { en: 'Machinery', ko: '기계' } },
  { slug: 'electronics', name: { en: 'Electronics', ko: '전자제품' } },
];
const RAW = [
  ['hanbit-cosmetics', 'Hanbit Cosmetics', '한빛화장품', 'beauty', 'Vegan skincare from Jeju green tea', '제주 녹차로 만든 비건 스킨케어', 'Changwon', '창원'],
  ['seoul-kimchi-lab', 'Seoul Kimchi Lab', '서울김치연구소', 'food', 'Small-batch kimchi, export ready', '소량 생산 수출용 김치', 'Seoul', '서울'],
  ['daehan-precision', 'Daehan Precision', '대한정밀', 'machinery', 'CNC spindles and precision gear units', 'CNC 스핀들 및 정밀 기어 유닛', 'Changwon', '창원'],
  ['mirae-living', 'Mirae Living', '미래리빙', 'living', 'Bamboo kitchenware for modern homes', '현대 가정을 위한 대나무 주방용품', 'Busan', '부산'],
  ['nuri-electronics', 'Nuri Electronics', '누리전자', 'electronics', 'Smart air purifiers with HEPA-13', 'HEPA-13 스마트 공기청정기', 'Suwon', '수원'],
  ['jeju-tea-house', 'Jeju Tea House', '제주차가', 'food', 'Organic green tea from volcanic soil', '화산토에서 자란 유기농 녹차', 'Jeju', '제주'],
  ['gangnam-glow', 'Gangnam Glow', '강남글로우', 'beauty', 'Cushion compacts loved by K-beauty fans', 'K-뷰티 팬이 사랑하는 쿠션 팩트', 'Seoul', '서울'],
  ['busan-marine-tech', 'Busan Marine Tech', '부산해양기술', 'machinery', 'Marine pumps and valves', '선박용 펌프 및 밸브', 'Busan', '부산'],
];
const booths = RAW.map((r, i) => ({
  id: i + 1, slug: r[0], name: { en: r[1], ko: r[2] }, category: r[3], tagline: { en: r[4], ko: r[5] },
  description: { en: `${r[1]} is a family-run company from ${r[6]}.\nWe export to 12 countries and welcome distributors.`, ko: `${r[2]}는 ${r[7]}에 있는 가족 기업입니다.\n12개국에 수출하며 유통 파트너를 찾고 있습니다.` },
  city: { en: r[6], ko: r[7] }, time_zone: 'Asia/Seoul', logo_url: `/demo/logos/${r[0]}.svg`, banner_url: null,
  products: [1, 2, 3].map((k) => ({ id: i * 10 + k, name: { en: `${r[1].split(' ')[0]} product ${k}`, ko: `${r[2]} 제품 ${k}` }, description: { en: 'Export grade, MOQ 500 units.', ko: '수출 등급, 최소 주문 500개.' }, price_note: 'FOB Busan', moq: '500' })),
  media: i === 0 ? [{ id: 1, kind: 'video', title: { en: 'Factory tour', ko: '공장 견학' }, url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ' },
    { id: 2, kind: 'brochure', title: { en: 'Catalogue 2025 (PDF)', ko: '2025 카탈로그 (PDF)' }, url: '/files/1' },
    { id: 3, kind: 'link', title: { en: 'javascript link (must not be a link)', ko: '위험한 링크' }, url: 'javascript:alert(1)' }] : [],
  seq: 0, messages: [], windows: [], slot_minutes: 30,
}));
const accounts = new Map(); // email -> {id, email, password, name, role, company, country, lang, booth_ids}
let nextAccount = 1;
for (const b of booths) {
  const a = { id: nextAccount++, email: `staff@${b.slug}.demo.expo`, password: 'demo1234', name: `${b.name.en} team`, role: 'exhibitor', company: b.name.en, lang: 'ko', booth_ids: [b.id] };
  accounts.set(a.email, a);
  // default availability: next 3 days 9:00-12:00 Seoul
  const now = new Date();
  for (let d = 1; d <= 3; d++) {
    const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + d, 0, 0)); // 9:00 KST
    b.windows.push({ starts_at: day.toISOString(), ends_at: new Date(day.getTime() + 3 * 3600e3).toISOString() });
  }
}
accounts.set('organizer@demo.expo', { id: nextAccount++, email: 'organizer@demo.expo', password: 'demo1234', name: 'Expo Organizer', role: 'organizer', lang: 'en', booth_ids: [] });
const tokens = new Map(); // token -> account
const meetings = [];
const sessions = new Set();

function pub(a) {
  const u = { id: a.id, name: a.name, role: a.role, lang: a.lang, email: a.email };
  if (a.role === 'exhibitor') u.booths = a.booth_ids.map((id) => { const b = booths.find((x) => x.id === id); return { id: b.id, slug: b.slug, name: b.name, time_zone: b.time_zone }; });
  return u;
}
const boothById = (id) => booths.find((b) => b.id === Number(id));
const presence = (b) => {
  let v = 0, s = 0;
  for (const ss of sessions) if (ss.booths.has(b.id)) { if (ss.user && ss.user.booth_ids?.includes(b.id)) s++; else v++; }
  return { booth_id: b.id, visitors_now: v, staff_online: s > 0 };
};
const summary = (b) => ({ id: b.id, slug: b.slug, name: b.name, category: b.category, tagline: b.tagline, logo_url: b.logo_url, ...presence(b), booth_id: undefined });
function slotsOf(b, visitor) {
  const out = [];
  for (const w of b.windows) {
    for (let t = Date.parse(w.starts_at); t + b.slot_minutes * 60e3 <= Date.parse(w.ends_at); t += b.slot_minutes * 60e3) {
      if (t < Date.now()) continue;
      const taken = meetings.some((m) => m.status === 'accepted' && Date.parse(m.starts_at) === t && (m.booth.id === b.id || (visitor && m.visitor.id === visitor.id)));
      out.push({ starts_at: new Date(t).toISOString(), ends_at: new Date(t + b.slot_minutes * 60e3).toISOString(), available: !taken });
    }
  }
  return out;
}
function meetingOut(m) { return { ...m, booth: { ...m.booth } }; }
function notifyMeeting(m) {
  for (const ss of sessions) {
    if (!ss.user) continue;
    if (ss.user.id === m.visitor.id || ss.user.booth_ids?.includes(m.booth.id)) ss.event('meeting.updated', { meeting: meetingOut(m) });
  }
}

class Fail extends Error { constructor(code, msg) { super(msg || code); this.code = code; } }

const handlers = {
  'sys.ping': () => ({ now: new Date().toISOString(), node: NODE }),
  'auth.register': (s, d) => {
    if (!d.email || !d.password || d.password.length < 8 || !d.name) throw new Fail('bad_request', 'email, password (8+), name');
    if (accounts.has(d.email.toLowerCase())) throw new Fail('conflict', 'email already registered');
    const a = { id: nextAccount++, email: d.email.toLowerCase(), password: d.password, name: d.name, role: 'visitor', company: d.company, country: d.country, lang: d.lang || 'en' };
    accounts.set(a.email, a);
    const token = crypto.randomBytes(24).toString('base64url'); tokens.set(token, a); s.user = a; s.token = token;
    return { token, user: pub(a) };
  },
  'auth.login': (s, d) => {
    const a = accounts.get(String(d.email || '').toLowerCase());
    if (!a || a.password !== d.password) throw new Fail('unauthorized', 'wrong email or password');
    const token = crypto.randomBytes(24).toString('base64url'); tokens.set(token, a); s.user = a; s.token = token;
    return { token, user: pub(a) };
  },
  'auth.resume': (s, d) => { const a = tokens.get(d.token); if (!a) throw new Fail('unauthorized', 'bad token'); s.user = a; s.token = d.token; return { user: pub(a) }; },
  'auth.logout': (s) => { tokens.delete(s.token); s.user = null; return {}; },
  'hall.list': (s, d) => {
    let list = booths;
    if (d.category) list = list.filter((b) => b.category === d.category);
    if (d.q) { const q = String(d.q).toLowerCase(); list = list.filter((b) => [b.name.en, b.name.ko, b.tagline.en, b.tagline.ko, ...b.products.flatMap((p) => [p.name.en, p.name.ko])].some((x) => x.toLowerCase().includes(q))); }
    const off = d.offset || 0, lim = Math.min(d.limit || 50, 100);
    return { booths: list.slice(off, off + lim).map(summary), total: list.length, categories: CATS };
  },
  'booth.get': (s, d) => {
    const b = boothById(d.booth_id); if (!b) throw new Fail('not_found');
    const { seq, messages, windows, slot_minutes, ...rest } = b;
    return { booth: { ...rest, ...presence(b), booth_id: undefined } };
  },
  'booth.enter': (s, d) => {
    const b = boothById(d.booth_id); if (!b) throw new Fail('not_found');
    s.booths.add(b.id);
    broadcastPresence(b);
    let msgs, truncated = false;
    if (d.since_seq != null) { msgs = b.messages.filter((m) => m.seq > d.since_seq); if (msgs.length > 500) { msgs = msgs.slice(0, 500); truncated = true; } }
    else msgs = b.messages.slice(-50);
    return { ...presence(b), booth_id: undefined, last_seq: b.seq, messages: msgs, truncated };
  },
  'booth.leave': (s, d) => { const b = boothById(d.booth_id); if (b && s.booths.delete(b.id)) broadcastPresence(b); return {}; },
  'chat.send': (s, d) => {
    const b = boothById(d.booth_id); if (!b) throw new Fail('not_found');
    if (!s.booths.has(b.id)) throw new Fail('forbidden', 'enter the booth first');
    const text = String(d.text || '').trim(); if (!text || text.length > 2000) throw new Fail('bad_request', 'text 1..2000');
    const dup = b.messages.find((m) => m.author.id === s.user.id && m._cid === d.client_msg_id);
    if (dup) return { message: strip(dup) };
    const staff = s.user.booth_ids?.includes(b.id);
    const m = { booth_id: b.id, seq: ++b.seq, id: `${b.id}-${b.seq}`, author: { id: s.user.id, name: s.user.name, role: staff ? 'exhibitor' : s.user.role, company: s.user.company }, text, sent_at: new Date().toISOString(), _cid: d.client_msg_id };
    b.messages.push(m);
    for (const ss of sessions) if (ss.booths.has(b.id)) ss.event('chat.message', { message: strip(m) });
    return { message: strip(m) };
  },
  'chat.history': (s, d) => {
    const b = boothById(d.booth_id); if (!b) throw new Fail('not_found');
    let list = b.messages; if (d.before_seq != null) list = list.filter((m) => m.seq < d.before_seq);
    return { messages: list.slice(-Math.min(d.limit || 50, 200)).map(strip) };
  },
  'meeting.slots': (s, d) => { const b = boothById(d.booth_id); if (!b) throw new Fail('not_found'); return { time_zone: b.time_zone, slot_minutes: b.slot_minutes, slots: slotsOf(b, s.user) }; },
  'meeting.availability.set': (s, d) => {
    const b = boothById(d.booth_id); if (!b) throw new Fail('not_found');
    if (!s.user.booth_ids?.includes(b.id)) throw new Fail('forbidden');
    b.windows = (d.windows || []).map((w) => ({ starts_at: new Date(w.starts_at).toISOString(), ends_at: new Date(w.ends_at).toISOString() }));
    if (d.slot_minutes) b.slot_minutes = d.slot_minutes;
    return { windows: b.windows, slot_minutes: b.slot_minutes };
  },
  'meeting.request': (s, d) => {
    const b = boothById(d.booth_id); if (!b) throw new Fail('not_found');
    if (s.user.role !== 'visitor') throw new Fail('forbidden');
    const slot = slotsOf(b, s.user).find((x) => Date.parse(x.starts_at) === Date.parse(d.starts_at));
    if (!slot) throw new Fail('bad_request', 'not inside availability');
    if (!slot.available) throw new Fail('conflict', 'slot taken');
    const m = { id: meetings.length + 1, booth: { id: b.id, name: b.name, slug: b.slug, time_zone: b.time_zone, logo_url: b.logo_url }, visitor: { id: s.user.id, name: s.user.name, company: s.user.company || null, country: s.user.country || null }, starts_at: slot.starts_at, ends_at: slot.ends_at, status: 'requested', note: d.note || '', message: null, video_url: null, updated_at: new Date().toISOString() };
    meetings.push(m); notifyMeeting(m); return { meeting: meetingOut(m) };
  },
  'meeting.respond': (s, d) => {
    const m = meetings.find((x) => x.id === Number(d.meeting_id)); if (!m || !s.user.booth_ids?.includes(m.booth.id)) throw new Fail('not_found');
    if (d.decision === 'accept') {
      if (meetings.some((x) => x !== m && x.status === 'accepted' && x.starts_at === m.starts_at && (x.booth.id === m.booth.id || x.visitor.id === m.visitor.id))) throw new Fail('conflict');
      m.status = 'accepted'; m.video_url = `https://meet.example.invalid/${crypto.randomBytes(9).toString('base64url')}`;
    } else m.status = 'declined';
    m.message = d.message || null; m.updated_at = new Date().toISOString(); notifyMeeting(m); return { meeting: meetingOut(m) };
  },
  'meeting.cancel': (s, d) => {
    const m = meetings.find((x) => x.id === Number(d.meeting_id)); if (!m || (m.visitor.id !== s.user.id && !s.user.booth_ids?.includes(m.booth.id))) throw new Fail('not_found');
    m.status = 'cancelled'; m.updated_at = new Date().toISOString(); notifyMeeting(m); return { meeting: meetingOut(m) };
  },
  'meeting.list': (s) => ({ meetings: meetings.filter((m) => m.visitor.id === s.user.id || s.user.booth_ids?.includes(m.booth.id)).map(meetingOut) }),
};
const OPEN = new Set(['sys.ping', 'hall.list', 'booth.get', 'auth.register', 'auth.login', 'auth.resume', 'auth.logout']);
const strip = ({ _cid, ...m }) => m;
function broadcastPresence(b) { const p = presence(b); for (const ss of sessions) if (ss.booths.has(b.id)) ss.event('presence.changed', p); }

// ---- HTTP + WebSocket ---------------------------------------------------------------------
const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.json': 'application/json', '.png': 'image/png' };
const server = http.createServer((req, res) => {
  const u = new URL(req.url, 'http://x');
  if (u.pathname === '/healthz') { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify({ ok: true, node: NODE })); return; }
  const ics = u.pathname.match(/^\/meetings\/(\d+)\.ics$/);
  if (ics) {
    const a = tokens.get(String(req.headers.authorization || '').replace(/^Bearer /, ''));
    const m = meetings.find((x) => x.id === Number(ics[1]));
    if (!a || !m || (m.visitor.id !== a.id && !a.booth_ids?.includes(m.booth.id))) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8' });
    res.end(`BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//mock//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:meeting-${m.id}@mock\r\nSEQUENCE:0\r\nDTSTART:${m.starts_at.replace(/[-:]/g, '').replace(/\.\d+/, '')}\r\nSUMMARY:Meeting\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`);
    return;
  }
  let p = u.pathname === '/' ? '/index.html' : decodeURIComponent(u.pathname);
  let file = p.startsWith('/vendor/') ? path.join('/usr/share/javascript', p.slice(8)) : path.join(ASSETS, p);
  if (!file.startsWith(ASSETS) && !file.startsWith('/usr/share/javascript')) { res.writeHead(403); res.end(); return; }
  fs.readFile(file, (err, data) => {
    if (err) { res.writeHead(404, { 'content-type': 'text/plain' }); res.end('not found'); return; }
    res.writeHead(200, { 'content-type': MIME[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-cache' });
    res.end(data);
  });
});

server.on('upgrade', (req, sock) => {
  const key = req.headers['sec-websocket-key'];
  const protos = String(req.headers['sec-websocket-protocol'] || '').split(',').map((x) => x.trim());
  if (!key || !protos.includes('expo.v1')) { sock.end('HTTP/1.1 400 Bad Request\r\n\r\n'); return; }
  const accept = crypto.createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
  sock.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: expo.v1\r\n\r\n`);
  const s = { user: null, token: null, booths: new Set(), sock };
  const frame = (op, payload) => {
    const n = payload.length;
    const head = n < 126 ? Buffer.from([0x80 | op, n]) : n < 65536 ? Buffer.from([0x80 | op, 126, n >> 8, n & 255]) : (() => { const h = Buffer.alloc(10); h[0] = 0x80 | op; h[1] = 127; h.writeBigUInt64BE(BigInt(n), 2); return h; })();
    if (!sock.destroyed) sock.write(Buffer.concat([head, payload]));
  };
  s.send = (obj) => frame(1, Buffer.from(JSON.stringify(obj)));
  s.event = (type, data) => s.send({ type, data });
  sessions.add(s);
  let buf = Buffer.alloc(0);
  sock.on('data', (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      if (buf.length < 2) return;
      const op = buf[0] & 15; let len = buf[1] & 127; let off = 2;
      if (len === 126) { if (buf.length < 4) return; len = buf.readUInt16BE(2); off = 4; } else if (len === 127) { if (buf.length < 10) return; len = Number(buf.readBigUInt64BE(2)); off = 10; }
      const masked = buf[1] & 128; const mask = masked ? buf.subarray(off, off + 4) : null; if (masked) off += 4;
      if (buf.length < off + len) return;
      const payload = Buffer.from(buf.subarray(off, off + len)); buf = buf.subarray(off + len);
      if (mask) for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i & 3];
      if (op === 8) { frame(8, Buffer.alloc(0)); sock.end(); return; }
      if (op === 9) { frame(10, payload); continue; }
      if (op === 1) onMessage(s, payload.toString('utf8'));
    }
  });
  const gone = () => { if (!sessions.delete(s)) return; for (const id of s.booths) broadcastPresence(boothById(id)); };
  sock.on('close', gone); sock.on('error', gone);
});

function onMessage(s, text) {
  let msg; try { msg = JSON.parse(text); } catch { s.send({ id: null, ok: false, error: { code: 'bad_request', message: 'not JSON' } }); return; }
  const h = handlers[msg.type];
  const delay = Number(process.env.MOCK_DELAY_MS || 0);
  setTimeout(() => {
    try {
      if (!h) throw new Fail('bad_request', `unknown type ${msg.type}`);
      if (!OPEN.has(msg.type) && !s.user) throw new Fail('unauthorized', 'sign in first');
      s.send({ id: msg.id, ok: true, data: h(s, msg.data || {}) });
    } catch (e) {
      s.send({ id: msg.id, ok: false, error: { code: e.code || 'internal', message: e.message } });
    }
  }, delay);
}

server.listen(PORT, '127.0.0.1', () => console.log(`mock boothd on http://127.0.0.1:${PORT} (assets ${ASSETS})`));
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => { for (const s of sessions) s.sock.destroy(); server.close(() => process.exit(0)); });
