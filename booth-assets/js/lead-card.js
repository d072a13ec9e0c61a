// lead-card.js: "Leave my business card" on a booth page. mountLeadCard(container, booth) shows
// the button (or, once shared, that the card is shared, with Withdraw). The button opens a
// dialog that shows exactly what is shared and with whom (name and e-mail from the account;
// company, title and country editable) and sends lead.share only after the visitor ticks the
// consent box; the consent text's version goes with it, so the booth can show what was agreed.
// Visitors only: staff and organizers see nothing. Returns {destroy()}.

import './i18n-leads.js';
import { client } from './expo-client.js';
import { t, pick, onLang, errorText } from './i18n.js';
import { el, clear, toast, openAuth } from './ui.js';
import { useLeadsStyles } from './leads-styles.js';

// Bump when the wording of 'card.consent' changes (both languages).
export const CONSENT_VERSION = 'card-2026-12';

export function mountLeadCard(container, booth) {
  useLeadsStyles();
  const c = client();
  const box = el('div', { class: 'lead-card', id: 'lead-card' });
  container.append(box);
  let shared = null;      // the lead.mine entry for this booth, or null
  let me = null;          // the visitor's current card

  async function load() {
    if (c.user?.role !== 'visitor') { shared = null; render(); return; }
    try {
      const r = await c.request('lead.mine', { booth_id: booth.id });
      shared = (r.leads || [])[0] || null;
      me = r.me;
    } catch { shared = null; }
    render();
  }

  function openDialog() {
    const name = pick(booth.name);
    const d = el('dialog', { class: 'auth-dialog lead-dialog', id: 'lead-dialog', aria: { labelledby: 'lead-dialog-title' } });
    const field = (id, key, value, editable, max) => el('div', { class: 'field' },
      el('label', { for: id, text: t(key) }),
      el('input', { id, type: 'text', value: value || '', readOnly: !editable, maxLength: max, autocomplete: editable ? 'on' : 'off' }));
    const consent = el('input', { type: 'checkbox', id: 'lead-consent', required: true });
    const err = el('p', { class: 'form-error', role: 'alert', id: 'lead-error' });
    const submit = el('button', { type: 'submit', class: 'btn btn-primary', id: 'lead-share', text: t('card.share') });
    const form = el('form', {
      onsubmit: async (ev) => {
        ev.preventDefault();
        if (!consent.checked) { err.textContent = t('card.consent', { booth: name }); return; }
        submit.disabled = true;
        try {
          const r = await c.request('lead.share', {
            booth_id: booth.id, consent: true, consent_version: CONSENT_VERSION,
            company: d.querySelector('#lead-company').value.trim(),
            title: d.querySelector('#lead-title').value.trim(),
            country: d.querySelector('#lead-country').value.trim(),
          });
          shared = (r.leads || [])[0] || null;
          me = r.me;
          d.close();
          toast(t('card.done', { booth: name }), 'ok');
          render();
        } catch (e) {
          err.textContent = errorText(e);
          submit.disabled = false;
        }
      },
    },
    el('h2', { id: 'lead-dialog-title', text: t('card.dialog_title') }),
    el('p', { class: 'lead', text: t('card.dialog_lead', { booth: name }) }),
    field('lead-name', 'card.name', me?.name, false),
    field('lead-email', 'card.email', me?.email, false),
    el('div', { class: 'field-row' }, field('lead-company', 'leads.company', me?.company, true, 200), field('lead-title', 'leads.job_title', me?.title, true, 200)),
    field('lead-country', 'leads.country', me?.country, true, 64),
    el('label', { class: 'lead-consent', for: 'lead-consent' }, consent, el('span', { text: t('card.consent', { booth: name }) })),
    err,
    el('div', { class: 'lead-actions' },
      el('button', { type: 'button', class: 'btn btn-ghost', id: 'lead-cancel', text: t('card.cancel'), onclick: () => d.close() }),
      submit));
    d.append(form);
    d.addEventListener('close', () => d.remove());
    document.body.append(d);
    d.showModal();
    d.querySelector('#lead-company').focus();
  }

  async function withdraw(btn) {
    if (!confirm(t('card.withdraw_confirm'))) return;
    btn.disabled = true;
    try {
      await c.request('lead.withdraw', { booth_id: booth.id });
      shared = null;
      toast(t('card.withdrawn'), 'ok');
      render();
    } catch (e) {
      toast(errorText(e), 'error');
      btn.disabled = false;
    }
  }

  function render() {
    clear(box);
    const u = c.user;
    if (!u) {
      box.append(el('button', { type: 'button', class: 'btn btn-ghost btn-sm', id: 'lead-signin', text: t('card.signin'), onclick: () => openAuth('signin') }));
      return;
    }
    if (u.role !== 'visitor') return;
    if (shared) {
      const btn = el('button', { type: 'button', class: 'btn btn-danger btn-sm', id: 'lead-withdraw', text: t('card.withdraw'), onclick: () => withdraw(btn) });
      box.append(el('span', { class: 'badge badge-ok', id: 'lead-shared', text: t('card.shared') }), btn);
      return;
    }
    box.append(el('button', { type: 'button', class: 'btn btn-accent btn-sm', id: 'lead-leave', text: t('card.leave'), onclick: openDialog }));
  }

  const offs = [c.on('auth', load), onLang(render)];
  render();
  c.whenReady().then(load);
  return { destroy() { for (const off of offs) off(); box.remove(); } };
}
