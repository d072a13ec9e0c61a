// i18n-moderation.js: the strings of moderation as visitors, staff and organizers meet it — a
// hidden booth chat message (the placeholder visitors see, the label staff and organizers see)
// and a suspended account's sign-in — merged into the shared tables, plus the one formatter
// they need. Import it before using these keys.

import { STRINGS, t, getLang } from './i18n.js';

Object.assign(STRINGS.en, {
  'mod.hidden_tag': 'Hidden',
  'mod.hidden_by': 'Hidden by {name} · {time}',
  'mod.hidden_plain': 'Hidden by the moderators',
  'mod.removed': 'A message was removed by the moderators.',
  'err.banned': 'This account is suspended by the organizers. Reason: {reason}',
  'err.banned_until': 'This account is suspended by the organizers until {time}. Reason: {reason}',
  'mod.banned_title': 'Account suspended',
});

Object.assign(STRINGS.ko, {
  'mod.hidden_tag': '숨김',
  'mod.hidden_by': '{name} 님이 숨김 · {time}',
  'mod.hidden_plain': '운영진이 숨긴 메시지',
  'mod.removed': '운영진이 삭제한 메시지입니다.',
  'err.banned': '주최 측이 이용을 정지한 계정입니다. 사유: {reason}',
  'err.banned_until': '주최 측이 {time}까지 이용을 정지한 계정입니다. 사유: {reason}',
  'mod.banned_title': '계정 이용 정지',
});

/** A date and time in the page's language and the browser's zone ('' when unreadable). */
export function modTime(iso) {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(getLang() === 'ko' ? 'ko-KR' : 'en-US', { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** The text for a `banned` error ({reason, until}): why, and until when if the ban ends. */
export function bannedText(e) {
  const reason = (e && e.reason) || '—';
  const time = e && e.until ? modTime(e.until) : '';
  return time ? t('err.banned_until', { time, reason }) : t('err.banned', { reason });
}
