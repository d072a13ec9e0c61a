// ex-team.js: the Team tab: the booth's staff, pending invites (revocable), and an invite
// form that creates a one-time link (/invite.html#<token>) for the inviter to send — boothd
// sends no e-mail. Removing someone takes the booth from their sessions at once, on every
// node (the server sends them team.removed).

import { t, errorText } from './i18n.js';
import { el, clear, toast } from './ui.js';
import { field, showFieldErrors } from './ex-form.js';

export function mountTeamTab(container, ctx) {
  const c = ctx.client;
  let team = null;
  let lastLink = null;          // {email, url}: shown until the tab is left
  const err = el('p', { class: 'form-error', id: 'et-error', role: 'alert' });

  // A calendar date in the viewer's zone and language, e.g. "Dec 1, 2026" / "2026. 12. 1.".
  const when = (iso) => new Date(iso).toLocaleDateString(ctx.lang === 'ko' ? 'ko-KR' : 'en-US', { year: 'numeric', month: 'short', day: 'numeric' });

  async function call(type, data) {
    err.textContent = '';
    try {
      team = await c.request(type, { booth_id: ctx.boothId, ...data });
      render();
    } catch (e) {
      const words = { conflict: 'ex.t.last_staff' };
      err.textContent = errorText(e, words);
    }
  }

  // What the server allows (exhibitor_team_remove): owners only by owners or organizers, and
  // staff cannot remove the last member. Buttons that would be refused are not offered.
  function canRemove(s) {
    if (c.user?.role === 'organizer') return true;
    const mine = team.staff.find((x) => String(x.account_id) === String(c.user?.id));
    if (team.staff.length <= 1) return false;
    return s.staff_role !== 'owner' || mine?.staff_role === 'owner';
  }

  function staffRow(s) {
    const me = String(s.account_id) === String(c.user?.id);
    return el('tr', { dataset: { accountId: String(s.account_id) } },
      el('td', {}, s.name, me ? el('span', { class: 'muted', text: ` (${t('ex.t.you')})` }) : null),
      el('td', { class: 'ex-email', text: s.email }),
      el('td', { text: t(s.staff_role === 'owner' ? 'ex.t.owner' : 'ex.t.staff') }),
      el('td', { text: when(s.since) }),
      el('td', {}, canRemove(s) && el('button', {
        type: 'button', class: 'btn btn-danger btn-sm et-remove', aria: { label: `${t('ex.t.remove')}: ${s.name}` }, text: t('ex.t.remove'),
        onclick: () => { if (confirm(t('ex.t.remove_confirm', { name: s.name }))) call('team.remove', { account_id: s.account_id }); },
      })));
  }

  function inviteForm() {
    const email = field({ id: 'et-email', label: t('ex.t.invite_email'), type: 'email', autocomplete: 'off' });
    const formErr = el('p', { class: 'form-error', id: 'et-invite-error', role: 'alert' });
    return el('form', {
      class: 'ex-invite-form', id: 'et-invite', novalidate: true,
      onsubmit: async (ev) => {
        ev.preventDefault();
        formErr.textContent = '';
        try {
          const r = await c.request('team.invite', { booth_id: ctx.boothId, email: email.value().trim() });
          lastLink = { email: r.invite.email, url: new URL(r.link, location.origin).href };
          team = await c.request('team.list', { booth_id: ctx.boothId });
          render();
          document.getElementById('et-link')?.focus();
        } catch (e) {
          if (e.fields) showFieldErrors({ email }, e.fields);
          else formErr.textContent = errorText(e, { conflict: 'ex.t.already_staff', bad_request: 'ex.t.limit' });
        }
      },
    }, email.wrap, formErr, el('button', { type: 'submit', class: 'btn btn-primary', id: 'et-invite-send', text: t('ex.t.invite_send') }));
  }

  function linkBox() {
    if (!lastLink) return null;
    const input = el('input', { id: 'et-link', type: 'text', readOnly: true, value: lastLink.url, onfocus: (ev) => ev.target.select() });
    return el('div', { class: 'ex-link-box', id: 'et-link-box' },
      el('label', { for: 'et-link', text: t('ex.t.link', { email: lastLink.email }) }),
      el('div', { class: 'ex-link-row' }, input,
        el('button', {
          type: 'button', class: 'btn btn-ghost btn-sm', id: 'et-copy', text: t('ex.t.copy'),
          onclick: async () => { try { await navigator.clipboard.writeText(lastLink.url); toast(t('ex.t.copied'), 'ok'); } catch { input.select(); } },
        })));
  }

  function render() {
    if (!team) return;
    const pending = team.invites.length
      ? el('ul', { class: 'ex-invites', id: 'et-invites' }, team.invites.map((i) => el('li', { dataset: { inviteId: String(i.id) } },
        el('span', {}, el('strong', { text: i.email }), el('span', { class: 'muted', text: ` · ${t('ex.t.expires', { date: when(i.expires_at) })}` })),
        el('button', { type: 'button', class: 'btn btn-ghost btn-sm', aria: { label: `${t('ex.t.revoke')}: ${i.email}` }, text: t('ex.t.revoke'), onclick: () => call('team.invite.revoke', { invite_id: i.id }) }))))
      : el('p', { class: 'muted', text: t('ex.t.no_pending') });
    clear(container).append(el('div', { class: 'ex-layout' },
      el('section', { class: 'panel', aria: { labelledby: 'et-title' } },
        el('h2', { id: 'et-title', text: t('ex.t.title') }),
        el('p', { class: 'muted', text: t('ex.t.lead') }), err,
        el('div', { class: 'table-wrap' }, el('table', { class: 'ex-team', id: 'et-staff' },
          el('thead', {}, el('tr', {}, ['ex.t.name', 'ex.t.email', 'ex.t.role', 'ex.t.since'].map((k) => el('th', { scope: 'col', text: t(k) })), el('td'))),
          el('tbody', {}, team.staff.map(staffRow))))),
      el('section', { class: 'panel', aria: { labelledby: 'et-invite-title' } },
        el('h2', { id: 'et-invite-title', text: t('ex.t.invite') }),
        el('p', { class: 'muted', text: t('ex.t.invite_lead') }),
        inviteForm(), linkBox(),
        el('h3', { class: 'section-title', text: t('ex.t.pending') }), pending)));
  }

  async function load() {
    clear(container).append(el('div', { class: 'skeleton' }));
    try { team = await c.request('team.list', { booth_id: ctx.boothId }); render(); } catch (e) { clear(container).append(el('div', { class: 'panel gate' }, el('p', { text: errorText(e) }))); }
  }

  ctx.onLang(render);
  load();
}
