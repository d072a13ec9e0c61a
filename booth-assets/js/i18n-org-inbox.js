// i18n-org-inbox.js: the strings of the organizers' inbox of every booth (organizer.html, the
// desk inbox with ctx.all), merged into the shared tables. Import it before using these keys.

import { STRINGS } from './i18n.js';

Object.assign(STRINGS.en, {
  'oin.title': 'Inquiries of every booth',
  'oin.lead': 'Buyers\' private questions to every booth, live. A badge counts the buyer\'s messages that the booth\'s team has not read and nobody has answered since: a reply from an organizer answers for the booth and clears it for the team too. Looking in here marks nothing read.',
  'oin.jump': 'Inquiries',
  'oin.jump_unread': 'Inquiries: {n} not read by the booths',
  'oin.booth': 'Booth',
  'oin.all_booths': 'All booths ({n} not read by the booths)',
  'oin.booth_unread': '{name} ({n} not read by the booth)',
  'oin.search': 'Search',
  'oin.search_hint': 'Buyer, company, booth or text',
  'oin.unread_only': 'Only what the booth has not read and nobody has answered',
  'oin.unread_booth': '{n} not read by the booth',
  'oin.empty': 'No inquiries yet. When a buyer asks a booth privately, it appears here.',
  'oin.none_match': 'No inquiry matches these filters.',
  'oin.more': 'Show more ({n} left)',
});

Object.assign(STRINGS.ko, {
  'oin.title': '전체 부스 문의',
  'oin.lead': '모든 부스에 온 바이어의 비공개 문의를 실시간으로 봅니다. 숫자는 부스 담당자가 읽지 않았고 그 뒤로 아무도 답하지 않은 바이어 메시지 수입니다. 주최측이 답하면 부스를 대신한 답변이 되어 담당자 쪽 숫자도 사라집니다. 여기서 열어 보는 것만으로는 읽음으로 바뀌지 않습니다.',
  'oin.jump': '문의',
  'oin.jump_unread': '문의: 부스가 읽지 않음 {n}',
  'oin.booth': '부스',
  'oin.all_booths': '전체 부스 (부스가 읽지 않음 {n})',
  'oin.booth_unread': '{name} (부스가 읽지 않음 {n})',
  'oin.search': '검색',
  'oin.search_hint': '바이어, 회사, 부스 또는 내용',
  'oin.unread_only': '부스가 읽지 않았고 아무도 답하지 않은 문의만',
  'oin.unread_booth': '부스가 읽지 않음 {n}',
  'oin.empty': '아직 문의가 없습니다. 바이어가 부스에 비공개로 문의하면 여기에 표시됩니다.',
  'oin.none_match': '조건에 맞는 문의가 없습니다.',
  'oin.more': '더 보기 ({n}개 남음)',
});
