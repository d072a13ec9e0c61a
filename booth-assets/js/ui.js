// ui.js: what the pages share: the safe element builder (dom.js, re-exported here), the site
// header (navigation, connection indicator, language toggle, account), the sign-in / sign-up
// dialog, and toasts.

import { client } from './expo-client.js';
import { el, clear } from './dom.js';
import { t, getLang, setLang, onLang, applyI18n, errorText } from './i18n.js';
import './i18n-organizer.js';
import { mountAnnouncements } from './announcements.js';
import './i18n-inquiries.js';
import { bannedText } from './i18n-moderation.js';

// The pages import el and clear from here; parts that ui.js itself mounts (announcements.js)
// import them from dom.js, so that no module imports the one that imports it.
export { el, clear };

/** Short-lived message at the bottom of the screen (role=status). */
export function toast(text, kind = 'info') {
  let box = document.getElementById('toasts');
  if (!box) {
    box = el('div', { id: 'toasts', class: 'toasts', role: 'status', aria: { live: 'polite' } });
    document.body.append(box);
  }
  const item = el('div', { class: `toast toast-${kind}`, text });
  box.append(item);
  setTimeout(() => item.classList.add('toast-out'), 4200);
  setTimeout(() => item.remove(), 4700);
}

/** Initials for an avatar: "Jane Doe" -> "JD", "김민수" -> "민수". */
export function initials(name) {
  // "Hyunwoo Lim (임현우)" -> "HL": drop bracketed parts and anything that is not a letter.
  const s = String(name || '').replace(/[(（[].*?[)）\]]/g, ' ').replace(/[^\p{L}\s]/gu, ' ').trim();
  if (!s) return '?';
  const parts = s.split(/\s+/);
  if (/^[\u3131-\uD79D]+$/.test(parts.join(''))) return parts.join('').slice(-2); // Korean: given name
  return [...parts[0]][0].toUpperCase() + (parts.length > 1 ? [...parts[parts.length - 1]][0].toUpperCase() : '');
}

/**
 * A booth logo: the image over the booth's initials, so a missing or broken logo still looks
 * deliberate. `size`: 'md' (cards) or 'lg' (booth page).
 */
export function logoEl(booth, nameText, size = 'md') {
  const box = el('span', { class: `logo logo-${size}`, aria: { hidden: 'true' } },
    el('span', { class: 'logo-initials', text: initials(nameText) }));
  if (booth && booth.logo_url) {
    const img = el('img', { alt: '', loading: 'lazy', decoding: 'async' });
    img.addEventListener('error', () => img.remove());
    img.src = booth.logo_url;
    box.append(img);
  }
  return box;
}

function isStaffRole(role) { return role === 'exhibitor' || role === 'staff'; }
export { isStaffRole };

/** Whether the signed-in user staffs at least one booth (user.booths from the sign-in). */
export function staffsABooth(u) { return !!(u && Array.isArray(u.booths) && u.booths.length); }

/**
 * The name of inquiries.html for this user. Anyone signed in may ask a booth they do not staff
 * privately (inquiry.open), so the page is everyone's; but staff and organizers also answer
 * inquiries for booths (the desk, the console), and to them "My inquiries" would read as that
 * inbox: for them the page is "Inquiries I sent". Returns an i18n key.
 */
export function myInquiriesKey(u) { return u && (u.role === 'organizer' || staffsABooth(u)) ? 'inq.sent' : 'inq.mine'; }

// ---- header ----------------------------------------------------------------------------

/**
 * Builds the site header into <header id="site-header">. `active`: 'hall'|'meetings'|'exhibitor'.
 */
export function mountHeader({ active } = {}) {
  const host = document.getElementById('site-header');
  const c = client();

  const brand = el('a', { class: 'brand', href: 'index.html' },
    el('span', { class: 'brand-mark', aria: { hidden: 'true' } }, 'K'),
    el('span', { class: 'brand-text' },
      el('span', { class: 'brand-name', dataset: { i18n: 'brand' } }),
      el('span', { class: 'brand-sub', dataset: { i18n: 'brand.sub' } })));

  const link = (href, key, name) => el('a', {
    href, class: `nav-link${active === name ? ' is-active' : ''}`, dataset: { i18n: key, nav: name },
    aria: active === name ? { current: 'page' } : undefined,
  });
  const nav = el('nav', { class: 'site-nav', aria: { label: 'Main' } },
    link('index.html', 'nav.hall', 'hall'),
    link('meetings.html', 'nav.meetings', 'meetings'),
    link('inquiries.html', 'inq.mine', 'inquiries'),
    link('exhibitor.html', 'nav.exhibitor', 'exhibitor'),
    link('organizer.html', 'org.title', 'organizer'));

  const connDot = el('span', { class: 'conn-dot', aria: { hidden: 'true' } });
  const connText = el('span', { class: 'conn-text' });
  const conn = el('button', {
    type: 'button', id: 'conn-state', class: 'conn', dataset: { state: c.state },
    onclick: () => c.reconnectNow(),
  }, connDot, connText);
  const connLive = el('span', { class: 'sr-only', role: 'status', aria: { live: 'polite' } });

  const langBtn = el('button', {
    type: 'button', id: 'lang-toggle', class: 'btn btn-ghost btn-sm lang-toggle',
    dataset: { i18nAriaLabel: 'lang.switch' },
    onclick: () => setLang(getLang() === 'ko' ? 'en' : 'ko'),
  }, el('span', { dataset: { i18n: 'lang.other' } }));

  const account = el('div', { class: 'account', id: 'account' });

  host.className = 'site-header';
  host.append(el('a', { href: '#main', class: 'skip-link', dataset: { i18n: 'nav.skip' } }),
    el('div', { class: 'header-inner' }, brand, nav,
      el('div', { class: 'header-tools' }, conn, connLive, langBtn, account)));

  function renderConn() {
    conn.dataset.state = c.state;
    connText.textContent = t(`conn.${c.state}`);
    conn.title = c.state === 'open' ? '' : t('conn.retry');
    conn.disabled = c.state === 'open' || c.state === 'connecting';
    connLive.textContent = t(`conn.${c.state}`);
  }

  function renderAccount() {
    clear(account);
    const u = c.user;
    // Each item is linked only for those it serves: the exhibitor desk for accounts that staff
    // a booth (user.booths; organizers who staff none have their inbox in the console), the
    // console for organizers; buyers see neither. My meetings only for visitors (and the
    // signed-out, who are asked to sign in there): meeting.request admits visitors only, and
    // the meetings of a booth are on its desk.
    nav.querySelector('[data-nav="exhibitor"]').hidden = !staffsABooth(u);
    nav.querySelector('[data-nav="organizer"]').hidden = !(u && u.role === 'organizer');
    nav.querySelector('[data-nav="meetings"]').hidden = !!u && u.role !== 'visitor';
    const inquiries = nav.querySelector('[data-nav="inquiries"]');
    inquiries.dataset.i18n = myInquiriesKey(u);
    inquiries.textContent = t(inquiries.dataset.i18n);
    if (u) {
      account.append(
        el('span', { class: 'who', title: t('auth.signed_in_as', { name: u.name || '' }) },
          el('span', { class: 'avatar avatar-sm', aria: { hidden: 'true' }, text: initials(u.name) }),
          el('span', { class: 'who-name', id: 'who-name', text: u.name || '' }),
          el('span', { class: `role-tag role-${u.role}`, text: t(`role.${u.role}`) })),
        el('button', {
          type: 'button', class: 'btn btn-ghost btn-sm', id: 'sign-out', text: t('auth.signout'),
          onclick: async () => { await c.logout(); toast(t('auth.signout')); },
        }));
    } else {
      account.append(
        el('button', { type: 'button', class: 'btn btn-ghost btn-sm', id: 'sign-in', text: t('auth.signin'), onclick: () => openAuth('signin') }),
        el('button', { type: 'button', class: 'btn btn-primary btn-sm', id: 'sign-up', text: t('auth.signup'), onclick: () => openAuth('signup') }));
    }
  }

  // Joining or leaving a booth's team (on any node) changes what the nav offers at once.
  c.on('team.joined', (d) => {
    const u = c.user;
    if (!u || d?.booth_id == null) return;
    if (!staffsABooth(u) || !u.booths.some((b) => String(b.id ?? b) === String(d.booth_id))) u.booths = [...(u.booths || []), { id: d.booth_id }];
    if (u.role === 'visitor') u.role = 'exhibitor';
    renderAccount();
  });
  c.on('team.removed', (d) => {
    const u = c.user;
    if (u && Array.isArray(u.booths)) u.booths = u.booths.filter((b) => String(b.id ?? b) !== String(d?.booth_id));
    renderAccount();
  });
  c.on('state', renderConn);
  c.on('auth', renderAccount);
  // a saved sign-in that the organizers suspended (auth.resume answered `banned`)
  c.on('banned', (d) => toast(bannedText(d), 'error'));
  onLang(() => { applyI18n(document); renderConn(); renderAccount(); });
  applyI18n(document);
  renderConn();
  renderAccount();
  mountAnnouncements();
}

// ---- auth dialog -----------------------------------------------------------------------

let dialog = null;

/** Opens the sign-in ('signin') or sign-up ('signup') dialog. Resolves with the user or null. */
export function openAuth(mode = 'signin', { email } = {}) {
  const c = client();
  if (dialog) dialog.remove();
  const d = el('dialog', { class: 'auth-dialog', id: 'auth-dialog', aria: { labelledby: 'auth-title' } });
  dialog = d;
  document.body.append(d);

  return new Promise((resolve) => {
    let settled = false;
    const finish = (u) => { if (!settled) { settled = true; resolve(u); } if (d.open) d.close(); d.remove(); if (dialog === d) dialog = null; };
    d.addEventListener('close', () => finish(null));
    d.addEventListener('click', (ev) => { if (ev.target === d) finish(null); });

    function field(id, key, input, hint) {
      return el('div', { class: 'field' },
        el('label', { for: id }, t(key), input.required ? null : el('span', { class: 'optional', text: ` (${t('auth.optional')})` })),
        input,
        hint ? el('p', { class: 'hint', id: `${id}-hint`, text: hint }) : null);
    }

    function render() {
      clear(d);
      const signup = mode === 'signup';
      const err = el('p', { class: 'form-error', role: 'alert', id: 'auth-error' });
      const emailIn = el('input', { id: 'auth-email', name: 'email', type: 'email', autocomplete: signup ? 'email' : 'username', required: true, value: email || '' });
      const pwIn = el('input', { id: 'auth-password', name: 'password', type: 'password', autocomplete: signup ? 'new-password' : 'current-password', required: true, minLength: signup ? 8 : undefined, aria: signup ? { describedby: 'auth-password-hint' } : undefined });
      const fields = [field('auth-email', 'auth.email', emailIn), field('auth-password', 'auth.password', pwIn, signup ? t('auth.password_hint') : null)];
      let nameIn, companyIn, countryIn;
      if (signup) {
        nameIn = el('input', { id: 'auth-name', name: 'name', type: 'text', autocomplete: 'name', required: true, maxLength: 100 });
        companyIn = el('input', { id: 'auth-company', name: 'company', type: 'text', autocomplete: 'organization', maxLength: 200 });
        countryIn = el('input', { id: 'auth-country', name: 'country', type: 'text', autocomplete: 'country-name', maxLength: 100 });
        fields.unshift(field('auth-name', 'auth.name', nameIn));
        fields.push(el('div', { class: 'field-row' }, field('auth-company', 'auth.company', companyIn), field('auth-country', 'auth.country', countryIn)));
      }
      const submit = el('button', { type: 'submit', class: 'btn btn-primary btn-block', id: 'auth-submit', text: signup ? t('auth.signup') : t('auth.signin') });
      const form = el('form', {
        class: 'auth-form', novalidate: false,
        onsubmit: async (ev) => {
          ev.preventDefault();
          err.textContent = '';
          submit.disabled = true;
          try {
            let u;
            if (signup) {
              const f = { email: emailIn.value.trim(), password: pwIn.value, name: nameIn.value.trim(), lang: getLang() };
              if (companyIn.value.trim()) f.company = companyIn.value.trim();
              if (countryIn.value.trim()) f.country = countryIn.value.trim();
              u = await c.register(f);
            } else {
              u = await c.login(emailIn.value.trim(), pwIn.value);
            }
            finish(u);
          } catch (e) {
            // a suspended account (its password was right): why, and until when
            err.textContent = e.code === 'banned' ? bannedText(e) : errorText(e, signup ? {} : { conflict: 'err.generic' });
            submit.disabled = false;
          }
        },
      }, ...fields, err, submit);

      d.append(
        el('button', { type: 'button', class: 'dialog-close', aria: { label: t('auth.close') }, onclick: () => finish(null) }, '×'),
        el('h2', { id: 'auth-title', text: signup ? t('auth.signup_title') : t('auth.signin_title') }),
        el('p', { class: 'lead', text: signup ? t('auth.signup_lead') : t('auth.signin_lead') }),
        form,
        el('p', { class: 'switch-mode' }, signup ? t('auth.have_account') : t('auth.no_account'), ' ',
          el('button', { type: 'button', class: 'link-btn', id: 'auth-switch', text: signup ? t('auth.signin') : t('auth.signup'), onclick: () => { mode = signup ? 'signin' : 'signup'; render(); } })));
      setTimeout(() => (signup ? nameIn : emailIn).focus(), 0);
    }

    const offLang = onLang(() => { if (d.isConnected) render(); else offLang(); });
    render();
    d.showModal();
  });
}

// ---- footer with the live sys.ping status ----------------------------------------------

/**
 * Builds <footer id="site-footer">: a live status line from `sys.ping` (refreshed every 15 s
 * and after each reconnect) and the viewer's time zone. Buyers and exhibitors see whether the
 * expo is reachable; only organizers see which server answered and the round-trip time
 * (operational detail that says nothing to a buyer and something to a prober).
 */
export function mountFooter({ zone } = {}) {
  const host = document.getElementById('site-footer');
  const c = client();
  const status = el('span', { id: 'ping-status', class: 'ping-status', dataset: { ok: 'unknown' } });
  const zoneNote = el('span', { class: 'zone-foot' });
  host.className = 'site-footer';
  host.append(el('div', { class: 'footer-inner' }, status, zoneNote));
  let last = null; // {node, ms, now}

  const organizer = () => c.user?.role === 'organizer';
  function render() {
    zoneNote.textContent = zone ? t('footer.note', { zone }) : '';
    if (last) {
      status.textContent = organizer() ? t('status.line', { node: last.node, ms: last.ms }) : t('status.live');
      status.title = organizer() ? last.now || '' : '';
      if (organizer()) {
        status.dataset.node = last.node;
        status.dataset.rtt = String(last.ms);
      } else {
        delete status.dataset.node;
        delete status.dataset.rtt;
      }
    } else if (status.dataset.ok === 'false') {
      status.textContent = t('status.down');
    } else {
      status.textContent = t('status.checking');
    }
  }

  async function ping() {
    const t0 = performance.now();
    try {
      const r = await c.request('sys.ping', {}, { timeout: 8000 });
      const ms = Math.max(0, Math.round(performance.now() - t0));
      last = { node: String(r.node ?? '?'), ms, now: String(r.now ?? '') };
      status.dataset.ok = 'true';
      status.dataset.now = last.now;
    } catch {
      last = null;
      status.dataset.ok = 'false';
      delete status.dataset.node;
    }
    render();
  }

  c.on('state', (s) => { if (s === 'open') ping(); else if (s !== 'open' && last) { last = null; status.dataset.ok = 'false'; render(); } });
  onLang(render);
  c.on('auth', render);
  render();
  ping();
  setInterval(() => { if (c.state === 'open') ping(); }, 15000);
}
