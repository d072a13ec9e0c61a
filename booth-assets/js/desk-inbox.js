// desk-inbox.js: the exhibitor desk's inbox tab: every private inquiry of the staff member's
// booths and each booth's public chat, live. Unread badges and the total (also given to the
// page for its title), an optional sound and browser notifications (permission asked only when
// the button is clicked), claiming a thread (everyone on the desk sees who has it), the buyer's
// card beside the thread (name, company, country, their local time now) and the booth's quick
// replies (editable here, with the booth's public-chat switch).
//
// Opening the desk (inquiry.desk) also makes the staff member count as "staff online" for
// those booths on every node, for as long as this page is open.
//
// mountInboxTab(container, ctx) -> {unread(), destroy()}
//   ctx.client   the page's ExpoClient
//   ctx.booths   optional [{id}] to open (organizers must give them; staff default to theirs)
//   ctx.all      organizers' inbox of every booth (organizer.html): a booth filter, a search
//                and "only what the booth has not read" above one list, newest first, each
//                thread with its booth; looking at a thread does not mark it read, so the
//                badges say what the booth's team has not read, and the team still sees it as
//                new. Organizers and the team share the booth side's one read mark
//                (inquiry_threads.booth_read_seq), which a booth-side reply moves: an
//                organizer's reply clears the badge for the team too, and the labels say so
//   ctx.onUnread optional fn(total) called whenever the unread total changes

import './i18n-inquiries.js';
import './i18n-org-inbox.js';
import { t, pick, getLang, onLang, errorText } from './i18n.js';
import { el, clear, toast } from './ui.js';
import { InquiryStore, authorSide } from './inquiry-store.js';
import { mountThread } from './inquiry-thread.js';
import { mountChat } from './chat-panel.js';

const SOUND_KEY = 'expo.desk.sound';
// The organizers' list shows this many matching threads at a time ("Show more" adds as many):
// it is rebuilt on every change, and a busy expo has hundreds of threads.
const LIST_PAGE = 100;

/** "Tue 9:41 AM (Chicago)" in zone tz, or '' when the zone is unknown. */
function localTimeText(tz, lang) {
  if (!tz) return '';
  try {
    const s = new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-US', { timeZone: tz, weekday: 'short', hour: 'numeric', minute: '2-digit' }).format(new Date());
    return `${s} (${tz.split('/').pop().replace(/_/g, ' ')})`;
  } catch { return ''; }
}

function beep() {
  try {
    const A = globalThis.AudioContext || globalThis.webkitAudioContext;
    if (!A) return;
    const ctx = new A();
    const o = ctx.createOscillator();
    const g = ctx.createGain();
    o.frequency.value = 880;
    g.gain.setValueAtTime(0.08, ctx.currentTime);
    g.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + 0.25);
    o.connect(g).connect(ctx.destination);
    o.start();
    o.stop(ctx.currentTime + 0.26);
    o.onended = () => ctx.close();
  } catch { /* no audio: the badge and the title still tell */ }
}

export function mountInboxTab(container, ctx) {
  const c = ctx.client;
  const all = !!ctx.all;
  const store = new InquiryStore(c, { side: 'booth' });
  const root = el('section', { class: `panel desk${all ? ' desk-all' : ''}`, id: 'desk', aria: { labelledby: 'desk-title' } });
  container.append(root);
  const st = {
    booths: [],          // inquiry.desk reply: [{id, name, public_chat, quick_replies, unread}]
    selected: null,      // {kind: 'thread', id} | {kind: 'public', boothId}
    error: null,
    filter: { booth: '', q: '', unread: false },   // organizers' inbox (ctx.all)
    shown: LIST_PAGE,    // organizers' inbox: how many matching threads the list shows
    sound: (() => { try { return localStorage.getItem(SOUND_KEY) === '1'; } catch { return false; } })(),
  };
  let view = null;       // the mounted thread or chat in the pane
  let lastTotal = -1;

  const boothOf = (id) => st.booths.find((b) => String(b.id) === String(id)) || null;

  async function openDesk() {
    try {
      const ids = (ctx.booths || []).map((b) => b.id).filter((id) => id != null);
      const r = await c.request('inquiry.desk', all ? { all: true } : ids.length ? { booth_ids: ids } : {});
      st.booths = r.booths || [];
      st.error = null;
      await store.load(all ? 'all' : st.booths.map((b) => b.id));
    } catch (e) {
      st.error = errorText(e);
    }
    renderAll();
  }

  function total() { return store.totalUnread(); }

  function reportUnread() {
    const n = total();
    if (n === lastTotal) return;
    lastTotal = n;
    ctx.onUnread?.(n);
  }

  // ---- list ------------------------------------------------------------------------------

  function threadItem(th, withBooth = false) {
    const n = store.unread(th);
    const isSel = st.selected?.kind === 'thread' && String(st.selected.id) === String(th.id);
    const last = th.last_message;
    const claim = th.claimed_by ? (String(th.claimed_by.id) === String(c.user?.id) ? t('desk.claimed_you') : t('desk.claimed_by', { name: th.claimed_by.name })) : null;
    return el('li', { class: `desk-item${isSel ? ' is-selected' : ''}${n ? ' is-unread' : ''}`, dataset: { thread: String(th.id) } },
      el('button', { type: 'button', class: 'desk-item-btn', aria: { current: isSel ? 'true' : undefined }, onclick: () => select({ kind: 'thread', id: String(th.id) }) },
        el('span', { class: 'desk-item-top' },
          el('strong', { class: 'desk-buyer', text: th.buyer?.name || '?' }),
          n ? el('span', { class: 'counter desk-unread', aria: { label: t(all ? 'oin.unread_booth' : 'desk.unread', { n }) }, text: String(n) }) : null),
        withBooth ? el('span', { class: 'desk-item-booth', text: pick(th.booth?.name) }) : null,
        el('span', { class: 'desk-item-sub', text: [th.buyer?.company, claim].filter(Boolean).join(' · ') }),
        last ? el('span', { class: 'desk-item-last', text: last.text }) : null));
  }

  function publicItem(b) {
    const isSel = st.selected?.kind === 'public' && String(st.selected.boothId) === String(b.id);
    return el('li', { class: `desk-item desk-public${isSel ? ' is-selected' : ''}`, dataset: { publicBooth: String(b.id) } },
      el('button', { type: 'button', class: 'desk-item-btn', id: `desk-public-${b.id}`, onclick: () => select({ kind: 'public', boothId: b.id }) },
        el('span', { class: 'desk-item-top' }, el('strong', { text: t('desk.public_chat') })),
        el('span', { class: 'desk-item-sub', text: b.public_chat === false ? t('chat.off') : pick(b.name) })));
  }

  // ---- organizers: every booth in one list, with a booth filter and a search ------------

  /** The booths of the desk reply and of every loaded thread, by id. */
  function knownBooths() {
    const m = new Map(st.booths.map((b) => [String(b.id), b]));
    for (const th of store.threads.values()) {
      const id = String(th.booth?.id);
      if (th.booth && !m.has(id)) m.set(id, { ...th.booth });
    }
    return m;
  }

  function boothUnread(id) {
    let n = 0;
    for (const th of store.threads.values()) if (String(th.booth?.id) === String(id)) n += store.unread(th);
    return n;
  }

  function matches(th, f) {
    if (f.booth && String(th.booth?.id) !== f.booth) return false;
    if (f.unread && !store.unread(th)) return false;
    if (!f.q) return true;
    const hay = [th.buyer?.name, th.buyer?.company, th.booth?.name?.en, th.booth?.name?.ko, th.last_message?.text]
      .filter(Boolean).join('\n').toLocaleLowerCase();
    return hay.includes(f.q.toLocaleLowerCase());
  }

  /** Fills the booth filter: booths with unread first; rebuilt only when a label changed, so
   *  an open drop-down is not closed under the organizer's pointer by every message. */
  function fillBoothSelect(sel) {
    if (!sel) return;
    const options = [['', t('oin.all_booths', { n: total() })], ...[...knownBooths().values()]
      .map((b) => ({ b, n: boothUnread(b.id) }))
      .sort((x, y) => y.n - x.n || pick(x.b.name).localeCompare(pick(y.b.name)))
      .map(({ b, n }) => [String(b.id), n ? t('oin.booth_unread', { name: pick(b.name), n }) : pick(b.name)])];
    const key = JSON.stringify(options);
    if (sel.dataset.options !== key) {
      sel.dataset.options = key;
      clear(sel);
      for (const [value, text] of options) sel.append(el('option', { value, text }));
    }
    sel.value = st.filter.booth;
  }

  function filterBar() {
    const f = st.filter;
    const sel = el('select', { id: 'desk-filter-booth', onchange: () => {
      f.booth = sel.value;
      st.shown = LIST_PAGE;
      if (f.booth) store.loadBooth(Number(f.booth)).catch(() => {});
      renderList(root.querySelector('#desk-list'));
    } });
    fillBoothSelect(sel);
    const q = el('input', { type: 'search', id: 'desk-search', value: f.q, maxLength: 100, autocomplete: 'off',
      placeholder: t('oin.search_hint'), oninput: () => { f.q = q.value.trim(); st.shown = LIST_PAGE; renderList(root.querySelector('#desk-list')); } });
    const unread = el('input', { type: 'checkbox', id: 'desk-unread-only', checked: f.unread,
      onchange: () => { f.unread = unread.checked; st.shown = LIST_PAGE; renderList(root.querySelector('#desk-list')); } });
    return el('div', { class: 'desk-filters', role: 'search' },
      el('div', { class: 'field' }, el('label', { for: 'desk-filter-booth', text: t('oin.booth') }), sel),
      el('div', { class: 'field' }, el('label', { for: 'desk-search', text: t('oin.search') }), q),
      el('label', { class: 'check', for: 'desk-unread-only' }, unread, ' ', t('oin.unread_only')));
  }

  function renderAllList(list) {
    const f = st.filter;
    if (f.booth) {
      const b = knownBooths().get(f.booth);
      if (b) list.append(publicItem(b));
    }
    const threads = store.list().filter((th) => matches(th, f));
    for (const th of threads.slice(0, st.shown)) list.append(threadItem(th, !f.booth));
    if (threads.length > st.shown) {
      list.append(el('li', { class: 'desk-more' }, el('button', {
        type: 'button', class: 'btn btn-ghost btn-sm', id: 'desk-more', text: t('oin.more', { n: threads.length - st.shown }),
        onclick: () => { st.shown += LIST_PAGE; renderList(list); },
      })));
    }
    if (!store.threads.size) list.append(el('li', { class: 'muted desk-empty', id: 'desk-empty', text: t('oin.empty') }));
    else if (!threads.length) list.append(el('li', { class: 'muted desk-empty', id: 'desk-none-match', text: t('oin.none_match') }));
  }

  function renderList(list) {
    if (!list) return;
    clear(list);
    if (all) { renderAllList(list); fillBoothSelect(root.querySelector('#desk-filter-booth')); return; }
    for (const b of st.booths) {
      if (st.booths.length > 1) list.append(el('li', { class: 'desk-group', text: pick(b.name) }));
      list.append(publicItem(b));
      const threads = store.list().filter((th) => String(th.booth?.id) === String(b.id));
      for (const th of threads) list.append(threadItem(th));
    }
    if (!store.threads.size) list.append(el('li', { class: 'muted desk-empty', id: 'desk-empty', text: t('desk.empty') }));
  }

  // ---- pane ------------------------------------------------------------------------------

  function buyerCard(th) {
    const b = th.buyer || {};
    const lang = getLang();
    const time = el('dd', { class: 'desk-buyer-time', text: localTimeText(b.time_zone, lang) || '—' });
    const mineClaim = th.claimed_by && String(th.claimed_by.id) === String(c.user?.id);
    const claimText = th.claimed_by ? (mineClaim ? t('desk.claimed_you') : t('desk.claimed_by', { name: th.claimed_by.name })) : t('desk.unclaimed');
    const card = el('aside', { class: 'buyer-card', id: 'desk-buyer-card', aria: { label: t('desk.buyer') } },
      el('div', { class: 'buyer-card-name' }, el('strong', { text: b.name || '?' }), b.title ? el('span', { class: 'muted', text: b.title }) : null),
      el('dl', { class: 'facts' },
        el('div', {}, el('dt', { text: t('desk.company') }), el('dd', { text: b.company || '—' })),
        el('div', {}, el('dt', { text: t('desk.country') }), el('dd', { text: b.country || '—' })),
        el('div', {}, el('dt', { text: t('desk.local_time') }), time)),
      el('div', { class: 'desk-claim' },
        el('span', { class: 'desk-claim-who', id: 'desk-claim-who', text: claimText }),
        th.claimed_by && !mineClaim ? null : el('button', {
          type: 'button', class: 'btn btn-ghost btn-sm', id: 'desk-claim',
          text: mineClaim ? t('desk.release') : t('desk.claim'),
          onclick: async (ev) => {
            ev.target.disabled = true;
            try { await store.claim(th.id, !mineClaim); } catch (e) { toast(errorText(e), 'error'); }
            renderPane();
          },
        })));
    card.tick = () => { time.textContent = localTimeText(b.time_zone, getLang()) || '—'; };
    return card;
  }

  function settingsForm(b) {
    const area = el('textarea', { id: 'desk-quick-input', rows: 4, maxLength: 10000 });
    area.value = (b.quick_replies || []).join('\n');
    const pub = el('input', { type: 'checkbox', id: 'desk-public-on', checked: b.public_chat !== false });
    const msg = el('p', { class: 'form-ok', role: 'status' });
    return el('details', { class: 'desk-settings', id: 'desk-settings' },
      el('summary', { text: t('desk.quick_edit') }),
      el('form', {
        onsubmit: async (ev) => {
          ev.preventDefault();
          msg.textContent = '';
          const quick = area.value.split('\n').map((s) => s.trim()).filter(Boolean).slice(0, 20);
          try {
            const r = await c.request('inquiry.settings', { booth_id: b.id, public_chat: pub.checked, quick_replies: quick });
            b.public_chat = r.public_chat;
            b.quick_replies = r.quick_replies;
            msg.className = 'form-ok';
            msg.textContent = t('desk.settings_saved');
            view?.setQuickReplies?.(b.quick_replies);
          } catch (e) {
            msg.className = 'form-error';
            msg.textContent = errorText(e);
          }
        },
      },
      el('div', { class: 'field' }, el('label', { for: 'desk-quick-input', text: t('desk.quick') }), area, el('p', { class: 'hint', text: t('desk.quick_help') })),
      el('label', { class: 'check' }, pub, ' ', t('desk.public_on')),
      el('button', { type: 'submit', class: 'btn btn-primary btn-sm', text: t('desk.quick_save') }), msg));
  }

  let card = null;
  function renderPane() {
    const pane = root.querySelector('#desk-pane');
    if (!pane) return;
    view?.destroy();
    view = null;
    card = null;
    clear(pane);
    const sel = st.selected;
    root.classList.toggle('has-selection', !!sel);
    if (!sel) { pane.append(el('p', { class: 'muted desk-pick', text: t('desk.pick') })); return; }
    pane.append(el('button', { type: 'button', class: 'btn btn-ghost btn-sm desk-back', text: `← ${t('desk.back')}`, onclick: () => select(null) }));
    if (sel.kind === 'public') {
      const b = boothOf(sel.boothId);
      view = mountChat(pane, sel.boothId);
      if (b) pane.append(settingsForm(b));
      return;
    }
    const th = store.get(sel.id);
    if (!th) return;
    const b = boothOf(th.booth?.id);
    card = buyerCard(th);
    const wrap = el('div', { class: 'desk-thread' });
    pane.append(el('div', { class: 'desk-thread-layout' }, wrap, card));
    view = mountThread(wrap, store, th.id, { quickReplies: b?.quick_replies || [], markRead: !all });
    store.loadThread(th.id).catch(() => {});
  }

  function select(sel) {
    st.selected = sel;
    renderList(root.querySelector('#desk-list'));
    renderPane();
  }

  // ---- frame -----------------------------------------------------------------------------

  function notifyButton() {
    const N = globalThis.Notification;
    if (!N) return null;
    const granted = N.permission === 'granted';
    return el('button', {
      type: 'button', class: 'btn btn-ghost btn-sm', id: 'desk-notify', disabled: granted || N.permission === 'denied',
      text: granted ? t('desk.notify_on') : N.permission === 'denied' ? t('desk.notify_denied') : t('desk.notify'),
      onclick: async () => { try { await N.requestPermission(); } catch { /* old API */ } renderAll(); },
    });
  }

  function totalBadge(n) {
    return n ? el('span', { class: 'counter', id: 'desk-total', aria: { label: t(all ? 'oin.unread_booth' : 'desk.unread', { n }) }, text: String(n) }) : null;
  }

  function renderAll() {
    clear(root);
    const n = total();
    const sound = el('input', { type: 'checkbox', id: 'desk-sound', checked: st.sound,
      onchange: () => { st.sound = sound.checked; try { localStorage.setItem(SOUND_KEY, st.sound ? '1' : '0'); } catch { /* */ } } });
    root.append(el('div', { class: 'panel-head desk-head' },
      el('h2', { id: 'desk-title' }, t(all ? 'oin.title' : 'desk.title'), ' ', totalBadge(n)),
      el('div', { class: 'desk-tools' }, el('label', { class: 'check', for: 'desk-sound' }, sound, ' ', t('desk.sound')), notifyButton())),
    el('p', { class: 'muted', text: t(all ? 'oin.lead' : 'desk.lead') }));
    if (all) root.append(filterBar());
    if (st.error) root.append(el('p', { class: 'form-error', role: 'alert', text: st.error }));
    const list = el('ul', { class: 'desk-list', id: 'desk-list', aria: { label: t('desk.title') } });
    const pane = el('div', { class: 'desk-pane', id: 'desk-pane' });
    root.append(el('div', { class: 'desk-layout' }, list, pane));
    renderList(list);
    renderPane();
    reportUnread();
  }

  function onMessage(m, th) {
    if (authorSide(m) !== 'buyer') return;
    const looking = st.selected?.kind === 'thread' && String(st.selected.id) === String(th.id) && document.visibilityState === 'visible';
    if (looking) return;
    const text = t('desk.new_inquiry', { name: m.author?.name || '' });
    if (st.sound) beep();
    const N = globalThis.Notification;
    if (N && N.permission === 'granted' && document.visibilityState !== 'visible') {
      try { new N(text, { body: m.text.slice(0, 140), tag: `inquiry-${th.id}` }); } catch { /* some browsers need a service worker */ }
    } else if (!all) {
      // Organizers watch every booth: a toast per buyer message of a 100-booth expo would bury
      // the page; the badges, the title count and the optional sound tell them instead.
      toast(text, 'info');
    }
  }

  const offs = [
    store.on('change', () => {
      const list = root.querySelector('#desk-list');
      if (list) renderList(list);
      renderHeadCount();
      reportUnread();
    }),
    store.on('message', onMessage),
    onLang(renderAll),
    c.on('state', (s) => { if (s === 'open') openDesk(); }),   // the desk is per connection
  ];
  function renderHeadCount() {
    root.querySelector('#desk-total')?.remove();
    const n = total();
    if (n) root.querySelector('#desk-title')?.append(totalBadge(n));
  }
  const clock = setInterval(() => card?.tick(), 30000);
  renderAll();
  openDesk();

  return {
    unread: total,
    destroy() { offs.forEach((o) => o()); clearInterval(clock); view?.destroy(); store.destroy(); root.remove(); },
  };
}
