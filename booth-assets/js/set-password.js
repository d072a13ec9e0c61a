// set-password.js: the page behind the one-time link an organizer sends to staff created by the
// bulk import (set-password.html#token=...): the token stays in the fragment, never in a request
// line or a Referer, and goes to the server only in account.setup.

import { client } from './expo-client.js';
import { t, onLang, errorText } from './i18n.js';
import { el, clear, mountHeader, mountFooter, openAuth } from './ui.js';
import { viewerZone } from './time.js';

const c = client();
mountHeader({});
mountFooter({ zone: viewerZone() });
const root = document.getElementById('setup-root');
const token = new URLSearchParams(location.hash.slice(1)).get('token');
let done = null;

function render() {
  clear(root);
  if (done) {
    root.append(el('p', { class: 'form-ok', id: 'setup-done', text: t('setup.done', { email: done }) }),
      el('button', { type: 'button', class: 'btn btn-primary', text: t('auth.signin'), onclick: () => openAuth('signin', { email: done }) }));
    return;
  }
  if (!token) { root.append(el('p', { class: 'form-error', text: t('setup.no_token') })); return; }
  const pw = el('input', { id: 'setup-password', type: 'password', autocomplete: 'new-password', required: true, minLength: 8, aria: { describedby: 'setup-hint' } });
  const err = el('p', { class: 'form-error', role: 'alert' });
  root.append(el('form', {
    onsubmit: async (ev) => {
      ev.preventDefault();
      err.textContent = '';
      try {
        const r = await c.request('account.setup', { token, password: pw.value });
        done = r.email;
        history.replaceState(null, '', location.pathname);
        render();
      } catch (e) { err.textContent = errorText(e); }
    },
  },
  el('div', { class: 'field' }, el('label', { for: 'setup-password', text: t('setup.password') }), pw,
    el('p', { class: 'hint', id: 'setup-hint', text: t('auth.password_hint') })),
  err,
  el('button', { type: 'submit', class: 'btn btn-primary', id: 'setup-submit', text: t('setup.submit') })));
}

onLang(render);
render();
