// invite.js: the invite page (invite.html#<token>). The token stays in the URL fragment, so it
// never reaches a server log or a Referer. Shows which booth invites which address, then:
//  - signed out, no account for the address: name + password -> invite.accept creates the
//    account and signs in;
//  - signed out, the address has an account: sign in (the dialog, address filled in), then accept;
//  - signed in as the invited address: one button; as another address: sign out first.
// After joining, the exhibitor desk of that booth opens.

import { client } from './expo-client.js';
import { t, pick, onLang, errorText } from './i18n.js';
import './i18n-exhibitor.js';
import { el, clear, mountHeader, mountFooter, openAuth, logoEl } from './ui.js';
import { viewerZone } from './time.js';
import { field, showFieldErrors } from './ex-form.js';

const c = client();
mountHeader({});
mountFooter({ zone: viewerZone() });
const root = document.getElementById('invite-root');
let token = decodeURIComponent(location.hash.replace(/^#/, ''));
let invite = null;       // invite.get's reply
let failure = null;      // an ExpoError from invite.get

function joined(r) {
  sessionStorage.setItem('expo.exhibitor.booth', String(r.booth_id));
  clear(root).append(el('div', { class: 'panel gate' }, el('p', { id: 'inv-joined', text: t('inv.joined') })));
  // The new account's token is stored by the client; the desk resumes with it.
  setTimeout(() => { location.href = 'exhibitor.html#desk'; }, 600);
}

function createForm() {
  const name = field({ id: 'inv-name', label: t('inv.name'), max: 200, autocomplete: 'name', required: true });
  const password = field({ id: 'inv-password', label: t('inv.password'), type: 'password', autocomplete: 'new-password', hint: t('inv.password_hint'), required: true });
  const err = el('p', { class: 'form-error', id: 'inv-error', role: 'alert' });
  const email = el('input', { type: 'email', id: 'inv-email', value: invite.email, readOnly: true, autocomplete: 'username' });
  return el('form', {
    id: 'inv-form', novalidate: true,
    onsubmit: async (ev) => {
      ev.preventDefault();
      err.textContent = '';
      const btn = document.getElementById('inv-accept');
      btn.disabled = true;
      try {
        const r = await c.request('invite.accept', { token, name: name.value().trim(), password: password.value() });
        c.token = r.token;
        joined(r);
      } catch (e) {
        if (e.fields) showFieldErrors({ name, password }, e.fields);
        else err.textContent = errorText(e, { not_found: 'inv.invalid', conflict: 'inv.signin_first' });
        btn.disabled = false;
      }
    },
  },
  el('h3', { text: t('inv.create') }),
  el('div', { class: 'field' }, el('label', { for: 'inv-email', text: t('auth.email') }), email),
  name.wrap, password.wrap, err,
  el('button', { type: 'submit', class: 'btn btn-primary btn-block', id: 'inv-accept', text: t('inv.accept') }));
}

async function acceptSignedIn(btn, err) {
  btn.disabled = true;
  try {
    joined(await c.request('invite.accept', { token }));
  } catch (e) {
    err.textContent = errorText(e, { not_found: 'inv.invalid', forbidden: 'inv.other_email' });
    btn.disabled = false;
  }
}

function render() {
  document.title = `${t('inv.title')} · ${t('brand')}`;
  if (failure) {
    clear(root).append(el('div', { class: 'panel gate' }, el('h1', { text: t('inv.title') }), el('p', { id: 'inv-invalid', text: failure.code === 'not_found' ? t('inv.invalid') : errorText(failure) })));
    return;
  }
  if (!invite) { clear(root).append(el('div', { class: 'panel gate' }, el('p', { text: t('inv.loading') }))); return; }
  const u = c.user;
  const err = el('p', { class: 'form-error', id: 'inv-error', role: 'alert' });
  let body;
  if (u) {
    // The server decides whether the account's address is the invited one (forbidden if not).
    const btn = el('button', { type: 'button', class: 'btn btn-primary btn-block', id: 'inv-accept', text: t('inv.accept'), onclick: () => acceptSignedIn(btn, err) });
    body = [el('p', { text: t('inv.as', { name: u.name }) }), err, btn,
      el('p', { class: 'hint' }, el('button', { type: 'button', class: 'link-btn', id: 'inv-signout', text: t('inv.signout'), onclick: () => c.logout() }))];
  } else if (invite.account_exists) {
    body = [el('p', { text: t('inv.signin_first') }), err,
      el('button', { type: 'button', class: 'btn btn-primary btn-block', id: 'inv-signin', text: t('inv.signin'), onclick: () => openAuth('signin', { email: invite.email }) })];
  } else {
    body = [createForm()];
  }
  clear(root).append(el('section', { class: 'panel', aria: { labelledby: 'inv-title' } },
    el('h1', { id: 'inv-title', text: t('inv.title') }),
    el('div', { class: 'invite-booth' }, logoEl(invite.booth, invite.booth.name?.en || pick(invite.booth.name), 'md'),
      el('h2', { id: 'inv-booth', text: pick(invite.booth.name) })),
    el('p', { id: 'inv-lead', text: t('inv.lead', { booth: pick(invite.booth.name), email: invite.email }) }),
    ...body));
}

async function load() {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) { failure = { code: 'not_found' }; render(); return; }
  try { invite = await c.request('invite.get', { token }); } catch (e) { failure = e; }
  render();
}

// Another link opened in the same tab changes only the fragment: start over with its token.
window.addEventListener('hashchange', () => {
  token = decodeURIComponent(location.hash.replace(/^#/, ''));
  invite = null;
  failure = null;
  render();
  load();
});
c.on('auth', () => { if (invite) render(); });
onLang(render);
render();
c.whenReady().then(load);
