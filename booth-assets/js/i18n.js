// i18n.js: UI strings in English and Korean, the current language (remembered in
// localStorage), and helpers to pick a {en, ko} text from the server.
//
// Static markup uses data-i18n="key" (textContent), data-i18n-placeholder, data-i18n-aria-label,
// data-i18n-title; applyI18n() fills them. Dynamic parts re-render on onLang().

const LANG_KEY = 'expo.lang';

export const STRINGS = {
  en: {
    'brand': 'K-Brands Expo',
    'brand.sub': 'Online trade show',
    'nav.hall': 'Exhibition hall',
    'nav.meetings': 'My meetings',
    'nav.exhibitor': 'Exhibitor desk',
    'nav.skip': 'Skip to content',
    'lang.other': '한국어',
    'lang.switch': 'Change language',
    'conn.connecting': 'Connecting…',
    'conn.open': 'Live',
    'conn.reconnecting': 'Reconnecting…',
    'conn.closed': 'Offline',
    'conn.retry': 'Retry now',
    'auth.signin': 'Sign in',
    'auth.signup': 'Create account',
    'auth.signout': 'Sign out',
    'auth.email': 'Email',
    'auth.password': 'Password',
    'auth.password_hint': 'At least 8 characters',
    'auth.name': 'Your name',
    'auth.company': 'Company',
    'auth.country': 'Country',
    'auth.optional': 'optional',
    'auth.signin_title': 'Welcome back',
    'auth.signup_title': 'Join the expo',
    'auth.signup_lead': 'Free for buyers. Chat with exhibitors and book 1:1 meetings.',
    'auth.signin_lead': 'Visitors, exhibitors and organizers sign in here.',
    'auth.no_account': 'New here?',
    'auth.have_account': 'Already registered?',
    'auth.close': 'Close',
    'auth.signed_in_as': 'Signed in as {name}',
    'auth.demo_hint': 'Demo: staff@<booth>.demo.expo / demo1234',
    'role.visitor': 'Visitor',
    'role.exhibitor': 'Exhibitor',
    'role.staff': 'Exhibitor',
    'role.organizer': 'Organizer',
    'hall.title': 'Meet Korea’s makers, live',
    'hall.lead': 'Visit booths of Korean consumer-goods and machinery companies, chat with their teams in real time and book 1:1 business meetings across time zones.',
    'hall.search': 'Search brands, products, 한국어 names…',
    'hall.search_label': 'Search the hall',
    'hall.category_label': 'Category',
    'hall.all': 'All',
    'hall.results': '{n} booths',
    'hall.results_one': '1 booth',
    'hall.none': 'No booth matches your search. Try another word or category.',
    'hall.more': 'Show more booths',
    'hall.loading': 'Loading the hall…',
    'hall.visit': 'Visit booth',
    'booth.here_now': '{n} here now',
    'booth.staff_online': 'Staff online',
    'booth.staff_away': 'Staff away',
    'booth.back': 'Back to the hall',
    'booth.about': 'About',
    'booth.products': 'Products',
    'booth.media': 'Videos & brochures',
    'booth.watch': 'Watch video',
    'booth.download': 'Download',
    'booth.open_link': 'Open link',
    'booth.local_time': 'Local time',
    'booth.website': 'Website',
    'booth.not_found': 'This booth does not exist (any more).',
    'booth.loading': 'Loading booth…',
    'chat.title': 'Live chat',
    'chat.placeholder': 'Write to the team…',
    'chat.label': 'Message',
    'chat.send': 'Send',
    'chat.sending': 'Sending…',
    'chat.failed': 'Not sent.',
    'chat.retry': 'Retry',
    'chat.discard': 'Discard',
    'chat.earlier': 'Load earlier messages',
    'chat.empty': 'No messages yet. Say hello!',
    'chat.signin': 'Sign in to chat with this company.',
    'chat.staff': 'Staff',
    'chat.you': 'You',
    'chat.rate_limited': 'You are sending too fast. Wait a moment.',
    'chat.chars_left': '{n} characters left',
    'chat.reloaded': 'Some messages were skipped while you were away; showing the latest.',
    'meet.title': 'Book a 1:1 meeting',
    'meet.lead': 'Pick a free time. Times show in your zone and the company’s.',
    'meet.none': 'No free times are offered right now.',
    'meet.signin': 'Sign in as a visitor to book a meeting.',
    'meet.visitor_only': 'Meeting requests are made by visitors.',
    'meet.note': 'Note for the company',
    'meet.note_ph': 'What would you like to discuss? (optional)',
    'meet.request': 'Request meeting',
    'meet.requested_ok': 'Request sent. You will see the answer in My meetings.',
    'meet.taken': 'That time was just taken. Please pick another.',
    'meet.selected': 'Selected: {time}',
    'meet.pick_first': 'Pick a time first.',
    'meet.your_zone': 'Your time zone: {zone}',
    'meet.more_days': 'Show more days',
    'meet.loading': 'Loading times…',
    'meetings.title': 'My meetings',
    'meetings.lead': 'Your meeting requests and their status, live.',
    'meetings.empty': 'No meetings yet. Visit a booth and pick a time.',
    'meetings.signin': 'Sign in to see your meetings.',
    'meetings.upcoming': 'Upcoming',
    'meetings.past': 'Past & closed',
    'meetings.calendar': 'Add to calendar',
    'meetings.calendar_all': 'All accepted meetings (.ics)',
    'meetings.join': 'Join video call',
    'meetings.link_pending': 'The booth will send the video-call link.',
    'meetings.cancel': 'Cancel meeting',
    'meetings.cancel_confirm': 'Cancel this meeting?',
    'meetings.note': 'Your note',
    'meetings.message': 'Reply from {booth}',
    'meetings.with': 'with {name}',
    'status.requested': 'Requested',
    'status.accepted': 'Accepted',
    'status.declined': 'Declined',
    'status.cancelled': 'Cancelled',
    'ex.title': 'Exhibitor desk',
    'ex.lead': 'Set when you can meet and answer requests as they come in.',
    'ex.signin': 'Sign in with your exhibitor account to manage meetings.',
    'ex.not_staff': 'This account is not staff of any booth.',
    'ex.booth': 'Booth',
    'ex.open_booth': 'Open booth page & chat',
    'ex.avail': 'Availability',
    'ex.avail_lead': 'Times are in your booth’s zone: {zone}.',
    'ex.date': 'Date',
    'ex.from': 'From',
    'ex.to': 'To',
    'ex.add_window': 'Add',
    'ex.slot_len': 'Meeting length',
    'ex.minutes': '{n} min',
    'ex.save': 'Save availability',
    'ex.saved': 'Availability saved.',
    'ex.remove': 'Remove',
    'ex.no_windows': 'No times offered yet. Add a window above.',
    'ex.inbox': 'Meeting requests',
    'ex.inbox_empty': 'No requests yet. They appear here the moment a buyer asks.',
    'ex.accept': 'Accept',
    'ex.decline': 'Decline',
    'ex.reply_ph': 'Message to the buyer (optional)',
    'ex.reply_label': 'Reply',
    'ex.conflict': 'That time is already taken by another accepted meeting.',
    'ex.bad_window': 'The end must be after the start.',
    'ex.pending': 'Waiting for you',
    'ex.decided': 'Answered',
    'err.unauthorized': 'Email or password is incorrect.',
    'err.conflict': 'That email is already registered. Sign in instead.',
    'err.rate_limited': 'Too many requests. Wait a moment and try again.',
    'err.unavailable': 'The expo is briefly unavailable. Try again in a moment.',
    'err.timeout': 'The server did not answer in time. Check your connection.',
    'err.disconnected': 'Connection lost. Reconnecting…',
    'err.forbidden': 'You are not allowed to do that.',
    'err.not_found': 'Not found.',
    'err.bad_request': 'Please check what you entered.',
    'err.too_large': 'That is too long.',
    'err.generic': 'Something went wrong ({code}).',
    'status.line': 'Server {node} · {ms} ms',
    'status.live': 'Connected to the expo',
    'status.checking': 'Checking the server…',
    'status.down': 'Server not reachable',
    'footer.note': 'Times are shown in your zone ({zone}).',
  },
  ko: {
    'brand': 'K-브랜드 엑스포',
    'brand.sub': '온라인 무역 전시회',
    'nav.hall': '전시장',
    'nav.meetings': '내 미팅',
    'nav.exhibitor': '출품기업 데스크',
    'nav.skip': '본문으로 건너뛰기',
    'lang.other': 'English',
    'lang.switch': '언어 변경',
    'conn.connecting': '연결 중…',
    'conn.open': '실시간',
    'conn.reconnecting': '다시 연결 중…',
    'conn.closed': '오프라인',
    'conn.retry': '지금 다시 연결',
    'auth.signin': '로그인',
    'auth.signup': '회원가입',
    'auth.signout': '로그아웃',
    'auth.email': '이메일',
    'auth.password': '비밀번호',
    'auth.password_hint': '8자 이상',
    'auth.name': '이름',
    'auth.company': '회사',
    'auth.country': '국가',
    'auth.optional': '선택',
    'auth.signin_title': '다시 오신 것을 환영합니다',
    'auth.signup_title': '엑스포 참가하기',
    'auth.signup_lead': '바이어는 무료입니다. 출품기업과 대화하고 1:1 미팅을 예약하세요.',
    'auth.signin_lead': '방문객, 출품기업, 주최측 모두 여기서 로그인합니다.',
    'auth.no_account': '처음이신가요?',
    'auth.have_account': '이미 가입하셨나요?',
    'auth.close': '닫기',
    'auth.signed_in_as': '{name}님으로 로그인됨',
    'auth.demo_hint': '데모: staff@<부스>.demo.expo / demo1234',
    'role.visitor': '방문객',
    'role.exhibitor': '출품기업',
    'role.staff': '출품기업',
    'role.organizer': '주최측',
    'hall.title': '한국의 제조기업을 실시간으로 만나보세요',
    'hall.lead': '한국 소비재·기계 기업의 부스를 방문하고, 담당자와 실시간으로 대화하며, 시간대를 넘어 1:1 비즈니스 미팅을 예약하세요.',
    'hall.search': '브랜드, 제품, 영문명 검색…',
    'hall.search_label': '전시장 검색',
    'hall.category_label': '분야',
    'hall.all': '전체',
    'hall.results': '부스 {n}개',
    'hall.results_one': '부스 1개',
    'hall.none': '검색 결과가 없습니다. 다른 단어나 분야를 선택해 보세요.',
    'hall.more': '부스 더 보기',
    'hall.loading': '전시장을 불러오는 중…',
    'hall.visit': '부스 방문',
    'booth.here_now': '현재 {n}명 관람 중',
    'booth.staff_online': '담당자 접속 중',
    'booth.staff_away': '담당자 부재',
    'booth.back': '전시장으로 돌아가기',
    'booth.about': '회사 소개',
    'booth.products': '제품',
    'booth.media': '영상 및 브로셔',
    'booth.watch': '영상 보기',
    'booth.download': '다운로드',
    'booth.open_link': '링크 열기',
    'booth.local_time': '현지 시각',
    'booth.website': '웹사이트',
    'booth.not_found': '존재하지 않는 부스입니다.',
    'booth.loading': '부스를 불러오는 중…',
    'chat.title': '실시간 채팅',
    'chat.placeholder': '담당자에게 메시지를 보내세요…',
    'chat.label': '메시지',
    'chat.send': '보내기',
    'chat.sending': '보내는 중…',
    'chat.failed': '전송 실패.',
    'chat.retry': '다시 시도',
    'chat.discard': '삭제',
    'chat.earlier': '이전 메시지 불러오기',
    'chat.empty': '아직 메시지가 없습니다. 먼저 인사해 보세요!',
    'chat.signin': '로그인하면 이 기업과 채팅할 수 있습니다.',
    'chat.staff': '담당자',
    'chat.you': '나',
    'chat.rate_limited': '메시지를 너무 빨리 보내고 있습니다. 잠시 기다려 주세요.',
    'chat.chars_left': '{n}자 남음',
    'chat.reloaded': '연결이 끊긴 동안 메시지가 많아 최신 메시지부터 표시합니다.',
    'meet.title': '1:1 미팅 예약',
    'meet.lead': '가능한 시간을 선택하세요. 내 시간대와 기업의 시간대로 함께 표시됩니다.',
    'meet.none': '현재 예약 가능한 시간이 없습니다.',
    'meet.signin': '방문객으로 로그인하면 미팅을 예약할 수 있습니다.',
    'meet.visitor_only': '미팅 요청은 방문객이 합니다.',
    'meet.note': '기업에 전할 메모',
    'meet.note_ph': '어떤 내용을 논의하고 싶으신가요? (선택)',
    'meet.request': '미팅 요청',
    'meet.requested_ok': '요청을 보냈습니다. 답변은 내 미팅에서 확인할 수 있습니다.',
    'meet.taken': '방금 다른 분이 예약한 시간입니다. 다른 시간을 선택해 주세요.',
    'meet.selected': '선택한 시간: {time}',
    'meet.pick_first': '먼저 시간을 선택하세요.',
    'meet.your_zone': '내 시간대: {zone}',
    'meet.more_days': '다른 날짜 더 보기',
    'meet.loading': '시간을 불러오는 중…',
    'meetings.title': '내 미팅',
    'meetings.lead': '미팅 요청과 진행 상태를 실시간으로 확인하세요.',
    'meetings.empty': '아직 미팅이 없습니다. 부스를 방문해 시간을 선택해 보세요.',
    'meetings.signin': '로그인하면 미팅을 확인할 수 있습니다.',
    'meetings.upcoming': '예정된 미팅',
    'meetings.past': '지난 미팅 및 종료',
    'meetings.calendar': '캘린더에 추가',
    'meetings.calendar_all': '수락된 모든 미팅 (.ics)',
    'meetings.join': '화상 회의 참여',
    'meetings.link_pending': '화상 회의 링크는 부스에서 보내 드립니다.',
    'meetings.cancel': '미팅 취소',
    'meetings.cancel_confirm': '이 미팅을 취소할까요?',
    'meetings.note': '내 메모',
    'meetings.message': '{booth}의 답변',
    'meetings.with': '{name}님과',
    'status.requested': '요청됨',
    'status.accepted': '수락됨',
    'status.declined': '거절됨',
    'status.cancelled': '취소됨',
    'ex.title': '출품기업 데스크',
    'ex.lead': '미팅 가능한 시간을 설정하고 들어오는 요청에 바로 답하세요.',
    'ex.signin': '출품기업 계정으로 로그인하면 미팅을 관리할 수 있습니다.',
    'ex.not_staff': '이 계정은 어떤 부스의 담당자도 아닙니다.',
    'ex.booth': '부스',
    'ex.open_booth': '부스 페이지 및 채팅 열기',
    'ex.avail': '미팅 가능 시간',
    'ex.avail_lead': '시간은 부스의 시간대 기준입니다: {zone}.',
    'ex.date': '날짜',
    'ex.from': '시작',
    'ex.to': '종료',
    'ex.add_window': '추가',
    'ex.slot_len': '미팅 길이',
    'ex.minutes': '{n}분',
    'ex.save': '가능 시간 저장',
    'ex.saved': '저장했습니다.',
    'ex.remove': '삭제',
    'ex.no_windows': '아직 설정한 시간이 없습니다. 위에서 시간을 추가하세요.',
    'ex.inbox': '미팅 요청',
    'ex.inbox_empty': '아직 요청이 없습니다. 바이어가 요청하면 바로 여기에 표시됩니다.',
    'ex.accept': '수락',
    'ex.decline': '거절',
    'ex.reply_ph': '바이어에게 보낼 메시지 (선택)',
    'ex.reply_label': '답변',
    'ex.conflict': '이미 다른 미팅이 수락된 시간입니다.',
    'ex.bad_window': '종료 시간은 시작 시간보다 늦어야 합니다.',
    'ex.pending': '답변 대기',
    'ex.decided': '답변 완료',
    'err.unauthorized': '이메일 또는 비밀번호가 올바르지 않습니다.',
    'err.conflict': '이미 가입된 이메일입니다. 로그인해 주세요.',
    'err.rate_limited': '요청이 너무 많습니다. 잠시 후 다시 시도하세요.',
    'err.unavailable': '엑스포 서버가 잠시 응답하지 않습니다. 잠시 후 다시 시도하세요.',
    'err.timeout': '서버 응답이 없습니다. 연결을 확인하세요.',
    'err.disconnected': '연결이 끊어졌습니다. 다시 연결하는 중…',
    'err.forbidden': '권한이 없습니다.',
    'err.not_found': '찾을 수 없습니다.',
    'err.bad_request': '입력한 내용을 확인해 주세요.',
    'err.too_large': '내용이 너무 깁니다.',
    'err.generic': '문제가 발생했습니다 ({code}).',
    'status.line': '서버 {node} · {ms}ms',
    'status.live': '전시회에 연결됨',
    'status.checking': '서버 확인 중…',
    'status.down': '서버에 연결할 수 없음',
    'footer.note': '시간은 내 시간대({zone}) 기준으로 표시됩니다.',
  },
};

// Category slugs the demo expo (and most K-brand shows) use; unknown ones show as given.
export const CATEGORY = {
  beauty: { en: 'Beauty & cosmetics', ko: '뷰티·화장품' },
  cosmetics: { en: 'Beauty & cosmetics', ko: '뷰티·화장품' },
  food: { en: 'Food & beverage', ko: '식품·음료' },
  'food-beverage': { en: 'Food & beverage', ko: '식품·음료' },
  health: { en: 'Health & wellness', ko: '건강·웰니스' },
  living: { en: 'Home & living', ko: '생활용품' },
  home: { en: 'Home & living', ko: '생활용품' },
  kitchen: { en: 'Kitchenware', ko: '주방용품' },
  fashion: { en: 'Fashion', ko: '패션' },
  baby: { en: 'Baby & kids', ko: '유아·아동' },
  pets: { en: 'Pet care', ko: '반려동물' },
  electronics: { en: 'Electronics', ko: '전자제품' },
  machinery: { en: 'Machinery', ko: '기계' },
  industrial: { en: 'Industrial equipment', ko: '산업장비' },
  auto: { en: 'Auto parts', ko: '자동차 부품' },
  'auto-parts': { en: 'Auto parts', ko: '자동차 부품' },
  agriculture: { en: 'Agri-tech', ko: '농업기술' },
  medical: { en: 'Medical devices', ko: '의료기기' },
  stationery: { en: 'Stationery', ko: '문구' },
  sports: { en: 'Sports & outdoor', ko: '스포츠·아웃도어' },
};

function detect() {
  try {
    const saved = globalThis.localStorage?.getItem(LANG_KEY);
    if (saved === 'en' || saved === 'ko') return saved;
  } catch { /* ignore */ }
  const nav = globalThis.navigator?.language || 'en';
  return nav.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

let lang = detect();
const listeners = new Set();

export function getLang() { return lang; }

export function setLang(l) {
  if (l !== 'en' && l !== 'ko') return;
  lang = l;
  try { globalThis.localStorage?.setItem(LANG_KEY, l); } catch { /* ignore */ }
  if (globalThis.document) document.documentElement.lang = l;
  for (const fn of [...listeners]) fn(l);
}

export function onLang(fn) { listeners.add(fn); return () => listeners.delete(fn); }

/** The UI string for `key` with {vars} filled in (plain text; callers use textContent). */
export function t(key, vars) {
  let s = STRINGS[lang][key] ?? STRINGS.en[key] ?? key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] !== undefined ? String(vars[k]) : m));
  return s;
}

/** A server text in the current language: {en, ko} -> string (falls back to the other). */
export function pick(v) {
  if (v == null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'object') return String(v[lang] || v[lang === 'ko' ? 'en' : 'ko'] || '');
  return String(v);
}

const categoryNames = new Map(); // slug -> {en, ko}, learned from the server (hall.list, booth.get)

/** Remembers category names the server sent: [{slug, name: {en, ko}}]. */
export function registerCategories(list) {
  for (const c of list || []) {
    if (c && typeof c === 'object' && c.slug && c.name && typeof c.name === 'object') categoryNames.set(String(c.slug), c.name);
  }
}

/** The category's label: accepts a slug string or a {en, ko}/{slug, name} object. */
export function categoryLabel(c) {
  if (c == null) return '';
  if (typeof c === 'string' && categoryNames.has(c)) return pick(categoryNames.get(c));
  if (typeof c === 'object') {
    if (c.name) return pick(c.name);
    if (c.en || c.ko) return pick(c);
    if (c.slug) return categoryLabel(c.slug);
    return '';
  }
  const k = String(c).toLowerCase();
  if (CATEGORY[k]) return CATEGORY[k][lang];
  return String(c).replace(/[-_]/g, ' ').replace(/^\w/, (x) => x.toUpperCase());
}

/** The category's key for filtering (what hall.list {category} expects). */
export function categoryKey(c) {
  if (c == null) return '';
  if (typeof c === 'object') return String(c.slug ?? c.id ?? c.key ?? c.en ?? '');
  return String(c);
}

/** Fills data-i18n* attributes below `root`. */
export function applyI18n(root = globalThis.document) {
  if (!root) return;
  for (const n of root.querySelectorAll('[data-i18n]')) n.textContent = t(n.dataset.i18n);
  for (const n of root.querySelectorAll('[data-i18n-placeholder]')) n.placeholder = t(n.dataset.i18nPlaceholder);
  for (const n of root.querySelectorAll('[data-i18n-aria-label]')) n.setAttribute('aria-label', t(n.dataset.i18nAriaLabel));
  for (const n of root.querySelectorAll('[data-i18n-title]')) n.title = t(n.dataset.i18nTitle);
}

/** A friendly message for an ExpoError (or anything thrown). */
export function errorText(e, overrides = {}) {
  const code = e && e.code ? e.code : 'internal';
  if (overrides[code]) return t(overrides[code]);
  const key = `err.${code}`;
  if (STRINGS.en[key]) return t(key);
  return t('err.generic', { code });
}

if (globalThis.document) document.documentElement.lang = lang;
