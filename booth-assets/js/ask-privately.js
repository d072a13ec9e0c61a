// ask-privately.js: the booth page's private inquiry panel. A signed-in buyer opens their own
// thread with the booth ("Ask privately"); only this company's team and the organizers see it.
// The panel says whether anyone of the team is online, and that an answer given later waits
// in "My inquiries" ("Inquiries I sent" for staff and organizers).

import './i18n-inquiries.js';
import { client } from './expo-client.js';
import { t, onLang, errorText } from './i18n.js';
import { el, clear, openAuth, myInquiriesKey } from './ui.js';
import { InquiryStore } from './inquiry-store.js';
import { mountThread } from './inquiry-thread.js';

/** Mounts the panel for `booth` ({id}) into host. info: the inquiry.booth reply (or null). Returns {destroy, setStaffOnline}. */
export function mountAskPrivately(host, booth, info) {
  const c = client();
  const store = new InquiryStore(c, { side: 'buyer' });
  const title = el('h2', { id: 'inq-title' });
  const note = el('p', { class: 'inq-note', id: 'inq-staff-note' });
  const body = el('div', { class: 'inq-body', id: 'inq-body' });
  const panel = el('section', { class: 'panel inquiry', id: 'inquiry', aria: { labelledby: 'inq-title' } },
    el('div', { class: 'panel-head' }, title), note, body);
  host.append(panel);
  let staffOnline = Number(info?.staff_online) || 0;
  let thread = null;      // mounted thread view
  let threadId = info?.thread?.id ?? null;
  let error = null;

  function renderHead() {
    title.textContent = t('inq.title');
    // names the page where the answer waits as the nav names it for this user
    note.textContent = staffOnline > 0 ? t('inq.staff_online') : t('inq.staff_away', { page: t(myInquiriesKey(c.user)) });
    note.className = `inq-note ${staffOnline > 0 ? 'is-online' : 'is-away'}`;
    note.dataset.online = String(staffOnline > 0);
  }

  async function open() {
    error = null;
    try {
      const th = await store.openWithBooth(booth.id);
      threadId = th.id;
      render();
    } catch (e) {
      error = e.code === 'forbidden' ? t('inq.staff_cannot') : errorText(e);
      render();
    }
  }

  function render() {
    renderHead();
    if (thread) { thread.destroy(); thread = null; }
    clear(body);
    if (!c.user) {
      body.append(el('p', { text: t('inq.signin') }),
        el('button', { type: 'button', class: 'btn btn-primary btn-sm', text: t('auth.signin'), onclick: () => openAuth('signin') }));
      return;
    }
    if (error) { body.append(el('p', { class: 'form-error', role: 'alert', text: error })); return; }
    if (threadId != null && store.get(threadId)) {
      thread = mountThread(body, store, threadId);
      return;
    }
    const unread = Number(info?.thread?.unread) || 0;
    body.append(el('p', { class: 'muted', text: t('inq.ask_lead') }),
      el('button', { type: 'button', class: 'btn btn-accent', id: 'inq-ask', onclick: open },
        t('inq.ask'), unread ? el('span', { class: 'counter', text: String(unread) }) : null));
  }

  const offs = [
    onLang(render),
    c.on('auth', () => { threadId = null; info = null; error = null; render(); }),
  ];
  render();
  // A buyer who asked before sees their conversation at once.
  if (c.user && threadId != null) open();

  return {
    setStaffOnline(n) { staffOnline = Number(n) || 0; renderHead(); },
    destroy() { offs.forEach((o) => o()); thread?.destroy(); store.destroy(); panel.remove(); },
  };
}
