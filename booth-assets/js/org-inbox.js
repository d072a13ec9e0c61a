// org-inbox.js: the organizers' inbox on organizer.html: the desk inbox (desk-inbox.js) opened
// for every booth (inquiry.desk {all}), with its booth filter, search and unread badges. The
// page title counts what the booths have not read, e.g. "(3) Organizer console", and a link in
// the page head (the console is a long page) jumps to the inbox with the same count. Mounted
// only for organizers; the server refuses the every-booth desk to anyone else anyway.

import { client } from './expo-client.js';
import { t, onLang } from './i18n.js';
import './i18n-org-inbox.js';
import { mountInboxTab } from './desk-inbox.js';
import { el } from './ui.js';

const c = client();
const host = document.getElementById('org-inbox');
let inbox = null;
let mountedFor;        // the organizer's account id the inbox was mounted for
let unread = 0;
const jump = el('a', { class: 'btn btn-ghost btn-sm org-inbox-jump', id: 'org-inbox-jump', href: '#org-inbox', hidden: true });
document.querySelector('.page-head > div')?.append(jump);

function title() {
  document.title = `${unread ? `(${unread}) ` : ''}${t('org.title')} · ${t('brand')}`;
  jump.hidden = !inbox;
  jump.textContent = unread ? t('oin.jump_unread', { n: unread }) : t('oin.jump');
}

// 'auth' also fires after each reconnect's resume: remount only when the account changed (the
// inbox re-opens its desk on reconnect itself).
function onUser() {
  const u = c.user;
  const id = u?.role === 'organizer' ? String(u.id) : null;
  if (id === mountedFor) return;
  mountedFor = id;
  inbox?.destroy();
  inbox = id ? mountInboxTab(host, { client: c, all: true, onUnread: (n) => { unread = n; title(); } }) : null;
  if (!inbox) unread = 0;
  title();
}

c.on('auth', onUser);
onLang(title);
c.whenReady().then(onUser);
