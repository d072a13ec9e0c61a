// time.js: meeting times in two zones side by side, and local-wall-clock -> instant conversion.
// Pure (Intl only), so node tests can check DST boundaries.

// Intl gives letters for North American zones ("CT", "CDT") but "GMT+9" for most others.
// Abbreviations people actually say, for zones the expo meets in. [standard, daylight]
const ABBR = {
  'Asia/Seoul': ['KST', 'KST'],
  'Asia/Tokyo': ['JST', 'JST'],
  'Asia/Shanghai': ['CST', 'CST'],
  'Asia/Taipei': ['CST', 'CST'],
  'Asia/Hong_Kong': ['HKT', 'HKT'],
  'Asia/Singapore': ['SGT', 'SGT'],
  'Asia/Kolkata': ['IST', 'IST'],
  'Australia/Sydney': ['AEST', 'AEDT'],
  'Europe/London': ['GMT', 'BST'],
  'Europe/Berlin': ['CET', 'CEST'],
  'Europe/Paris': ['CET', 'CEST'],
  'Europe/Amsterdam': ['CET', 'CEST'],
  'Europe/Madrid': ['CET', 'CEST'],
  'Europe/Rome': ['CET', 'CEST'],
  'UTC': ['UTC', 'UTC'],
  'Etc/UTC': ['UTC', 'UTC'],
};

/** The viewer's IANA zone (browser setting). */
export function viewerZone() {
  try { return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'; } catch { return 'UTC'; }
}

/** Offset of `zone` at instant `date`, in minutes east of UTC (Seoul: +540). */
export function zoneOffsetMinutes(zone, date) {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
  const p = Object.fromEntries(f.formatToParts(date).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour % 24, +p.minute, +p.second);
  const t = Math.floor(date.getTime() / 1000) * 1000;
  return Math.round((asUtc - t) / 60000);
}

function isDst(zone, date) {
  const y = date.getUTCFullYear();
  const jan = zoneOffsetMinutes(zone, new Date(Date.UTC(y, 0, 1)));
  const jul = zoneOffsetMinutes(zone, new Date(Date.UTC(y, 6, 1)));
  if (jan === jul) return false;
  return zoneOffsetMinutes(zone, date) === Math.max(jan, jul);
}

/** Short zone label: "CT", "KST", "CEST", else "GMT+9". */
export function zoneAbbr(zone, date = new Date()) {
  if (ABBR[zone]) return ABBR[zone][isDst(zone, date) ? 1 : 0];
  try {
    for (const style of ['shortGeneric', 'short']) {
      const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: style }).formatToParts(date);
      const n = parts.find((x) => x.type === 'timeZoneName')?.value || '';
      if (/^[A-Z]{2,5}$/.test(n)) return n;
    }
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' }).formatToParts(date);
    return parts.find((x) => x.type === 'timeZoneName')?.value || zone;
  } catch { return zone; }
}

/** A place name for the zone: "Chicago", "Seoul" (ko: "시카고", "서울"). */
export function zoneCity(zone, lang = 'en') {
  if (!zone || zone === 'UTC' || zone === 'Etc/UTC') return 'UTC';
  const city = zone.split('/').pop().replace(/_/g, ' ');
  if (lang === 'ko') {
    const KO = { Seoul: '서울', Tokyo: '도쿄', Shanghai: '상하이', 'New York': '뉴욕', Chicago: '시카고', 'Los Angeles': '로스앤젤레스', Denver: '덴버', Toronto: '토론토', Vancouver: '밴쿠버', London: '런던', Berlin: '베를린', Paris: '파리', Singapore: '싱가포르', Sydney: '시드니' };
    return KO[city] || city;
  }
  return city;
}

/**
 * "Tue 9:00" in `zone` (ko: "화 9:00"). With {date: true}: "Tue, Mar 11, 9:00" / "3월 11일 (화) 9:00".
 */
export function formatInZone(date, zone, lang = 'en', { date: withDate = false } = {}) {
  const loc = lang === 'ko' ? 'ko-KR' : 'en-US';
  const parts = Object.fromEntries(new Intl.DateTimeFormat(loc, {
    timeZone: zone, weekday: 'short', month: withDate ? 'short' : undefined, day: withDate ? 'numeric' : undefined,
    hour: 'numeric', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(date).map((x) => [x.type, x.value]));
  const hm = `${Number(parts.hour) % 24}:${parts.minute}`;
  if (!withDate) return `${parts.weekday} ${hm}`;
  if (lang === 'ko') return `${parts.month} ${parts.day}일 (${parts.weekday}) ${hm}`;
  return `${parts.weekday}, ${parts.month} ${parts.day}, ${hm}`;
}

/** "Tue 9:00 Chicago (CT)". */
export function formatWithZone(date, zone, lang = 'en', opts = {}) {
  return `${formatInZone(date, zone, lang, opts)} ${opts.city || zoneCity(zone, lang)} (${zoneAbbr(zone, date)})`;
}

/**
 * The meeting time for a viewer: "Tue 9:00 Chicago (CT) · Wed 0:00 Seoul (KST)".
 * If both zones show the same wall clock (same offset), only one part.
 */
export function dualTime(iso, viewer, booth, lang = 'en', opts = {}) {
  const d = iso instanceof Date ? iso : new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const a = formatWithZone(d, viewer, lang, { date: opts.date, city: opts.viewerCity });
  if (!booth || booth === viewer || zoneOffsetMinutes(booth, d) === zoneOffsetMinutes(viewer, d) && zoneCity(booth) === zoneCity(viewer)) return a;
  return `${a} · ${formatWithZone(d, booth, lang, { date: opts.date, city: opts.boothCity })}`;
}

/** Key for grouping by calendar day in `zone`: "2025-03-11". */
export function dayKey(date, zone) {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(date).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}`;
}

/** Heading for a day: "Tuesday, March 11" / "3월 11일 화요일". */
export function dayLabel(date, zone, lang = 'en') {
  return new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-US', { timeZone: zone, weekday: 'long', month: 'long', day: 'numeric' }).format(date);
}

/**
 * The instant when the wall clock in `zone` reads y-m-d h:min. For a time skipped by a DST jump
 * it returns the instant just after the jump; for a repeated time, the first occurrence.
 */
export function zonedToInstant(y, m, d, h, min, zone) {
  const wall = Date.UTC(y, m - 1, d, h, min);
  const before = zoneOffsetMinutes(zone, new Date(wall - 86400000));
  const after = zoneOffsetMinutes(zone, new Date(wall + 86400000));
  const valid = [...new Set([before, after])]
    .map((off) => wall - off * 60000)
    .filter((t) => zoneOffsetMinutes(zone, new Date(t)) * 60000 === wall - t)
    .sort((p, q) => p - q);
  if (valid.length) return new Date(valid[0]);
  return new Date(wall - before * 60000); // skipped by a jump forward: lands just after it
}

/** RFC 3339 with the zone's offset at that instant: "2025-03-11T09:00:00-05:00". */
export function toRfc3339InZone(date, zone) {
  const off = zoneOffsetMinutes(zone, date);
  const local = new Date(date.getTime() + off * 60000);
  const pad = (n) => String(n).padStart(2, '0');
  const sign = off >= 0 ? '+' : '-';
  const a = Math.abs(off);
  return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:00${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}
