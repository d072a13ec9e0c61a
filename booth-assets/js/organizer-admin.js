// organizer-admin.js: the organizer console's actions (organizer.html, below the live figures):
// publish and retract announcements, ban and unban accounts, browse the audit log. Each panel
// re-reads its list after an action; the server checks every request (organizers only).

import { client } from './expo-client.js';
import { t, onLang, getLang, errorText, pick } from './i18n.js';
import { el, clear, toast } from './ui.js';

const c = client();
const host = document.getElementById('org-admin');
const st = { history: [], bans: [], audit: [], auditMore: false };
const isOrganizer = () => c.user?.role === 'organizer';

const when = (iso) => (iso ? new Date(iso).toLocaleString(getLang() === 'ko' ? 'ko-KR' : 'en-US', { dateStyle: 'medium', timeStyle: 'short' }) : '');

function field(id, key, input) {
  return el('div', { class: 'field' }, el('label', { for: id, text: t(key) }), input);
}

async function act(form, type, data, after) {
  const err = form.querySelector('.form-error');
  const btn = form.querySelector('button[type="submit"]');
  err.textContent = '';
  btn.disabled = true;
  try {
    await c.request(type, data);
    form.reset();
    await after();
    toast(t('adm.done'));
  } catch (e) {
    err.textContent = errorText(e);
  } finally {
    btn.disabled = false;
  }
}

/** A list row's button that sends one request, then re-reads the list. */
function rowAction(key, cls, type, data, after) {
  return el('button', {
    type: 'button', class: `btn ${cls} btn-sm`, text: t(key),
    onclick: async (ev) => {
      ev.target.disabled = true;
      try { await c.request(type, data); await after(); } catch (e) { toast(errorText(e), 'error'); ev.target.disabled = false; }
    },
  });
}

// ---- announcements ------------------------------------------------------------------------

function announcementPanel() {
  const form = el('form', {
    id: 'ann-form', class: 'adm-form',
    onsubmit: (ev) => {
      ev.preventDefault();
      const f = ev.target.elements;
      const data = {
        level: f['ann-level'].value,
        title: { en: f['ann-title-en'].value.trim(), ko: f['ann-title-ko'].value.trim() },
        body: { en: f['ann-body-en'].value.trim(), ko: f['ann-body-ko'].value.trim() },
      };
      const mins = Number(f['ann-expires'].value);
      if (mins > 0) data.expires_at = new Date(Date.now() + mins * 60000).toISOString();
      act(ev.target, 'announcement.publish', data, loadHistory);
    },
  },
  el('div', { class: 'field-row' },
    field('ann-title-en', 'adm.title_en', el('input', { id: 'ann-title-en', name: 'ann-title-en', required: true, maxLength: 200 })),
    field('ann-title-ko', 'adm.title_ko', el('input', { id: 'ann-title-ko', name: 'ann-title-ko', required: true, maxLength: 200, lang: 'ko' }))),
  el('div', { class: 'field-row' },
    field('ann-body-en', 'adm.body_en', el('textarea', { id: 'ann-body-en', name: 'ann-body-en', required: true, maxLength: 5000, rows: 3 })),
    field('ann-body-ko', 'adm.body_ko', el('textarea', { id: 'ann-body-ko', name: 'ann-body-ko', required: true, maxLength: 5000, rows: 3, lang: 'ko' }))),
  el('div', { class: 'field-row' },
    field('ann-level', 'adm.level', el('select', { id: 'ann-level', name: 'ann-level' },
      el('option', { value: 'info', text: t('ann.info') }), el('option', { value: 'important', text: t('ann.important') }))),
    field('ann-expires', 'adm.expires', el('select', { id: 'ann-expires', name: 'ann-expires' },
      ...[0, 15, 60, 240, 1440].map((m) => el('option', { value: String(m), text: m ? t('adm.expires_in', { n: m >= 60 ? m / 60 : m, unit: t(m >= 60 ? 'adm.hours' : 'adm.minutes') }) : t('adm.never') }))))),
  el('p', { class: 'form-error', role: 'alert' }),
  el('button', { type: 'submit', class: 'btn btn-primary', id: 'ann-publish', text: t('adm.publish') }));

  const list = el('ul', { class: 'adm-list', id: 'ann-history' });
  for (const a of st.history) {
    const active = !a.retracted_at && (!a.expires_at || Date.parse(a.expires_at) > Date.now());
    list.append(el('li', { dataset: { id: String(a.id) } },
      el('div', { class: 'adm-item-main' },
        el('span', { class: `badge ${a.level === 'important' ? 'badge-warn' : 'badge-cat'}`, text: t(a.level === 'important' ? 'ann.important' : 'ann.info') }),
        ' ', el('strong', { text: pick(a.title) }),
        el('span', { class: 'muted adm-meta', text: ` · ${when(a.created_at)}${a.retracted_at ? ` · ${t('adm.retracted')}` : ''}${!a.retracted_at && !active ? ` · ${t('adm.expired')}` : ''}` })),
      active ? rowAction('adm.retract', 'btn-danger', 'announcement.retract', { id: a.id }, loadHistory) : null));
  }
  return el('section', { class: 'panel', aria: { labelledby: 'adm-ann-title' } },
    el('h2', { class: 'panel-title', id: 'adm-ann-title', text: t('adm.announcements') }), form,
    el('h3', { class: 'section-title', text: t('adm.history') }), st.history.length ? list : el('p', { class: 'muted', text: t('adm.none') }));
}

// ---- bans ------------------------------------------------------------------------------------

function banPanel() {
  const form = el('form', {
    id: 'ban-form', class: 'adm-form',
    onsubmit: (ev) => {
      ev.preventDefault();
      const f = ev.target.elements;
      const data = { email: f['ban-email'].value.trim(), reason: f['ban-reason'].value.trim() };
      const hours = Number(f['ban-for'].value);
      if (hours > 0) data.until = new Date(Date.now() + hours * 3600000).toISOString();
      act(ev.target, 'account.ban', data, loadBans);
    },
  },
  el('div', { class: 'field-row' },
    field('ban-email', 'adm.email', el('input', { id: 'ban-email', name: 'ban-email', type: 'email', required: true, autocomplete: 'off' })),
    field('ban-for', 'adm.ban_for', el('select', { id: 'ban-for', name: 'ban-for' },
      ...[0, 1, 24, 72].map((h) => el('option', { value: String(h), text: h ? t('adm.expires_in', { n: h, unit: t('adm.hours') }) : t('adm.until_unban') }))))),
  field('ban-reason', 'adm.reason', el('input', { id: 'ban-reason', name: 'ban-reason', required: true, maxLength: 1000 })),
  el('p', { class: 'form-error', role: 'alert' }),
  el('button', { type: 'submit', class: 'btn btn-danger', id: 'ban-submit', text: t('adm.ban') }));
  const list = el('ul', { class: 'adm-list', id: 'ban-list' });
  for (const b of st.bans) {
    list.append(el('li', { dataset: { account: String(b.account_id) } },
      el('div', { class: 'adm-item-main' }, el('strong', { text: b.name }), ' ', el('span', { class: 'muted', text: b.email }),
        el('span', { class: 'muted adm-meta', text: ` · ${b.reason || ''} · ${b.expires_at ? t('adm.until', { time: when(b.expires_at) }) : t('adm.until_unban')}` })),
      rowAction('adm.unban', 'btn-ghost', 'account.unban', { account_id: b.account_id }, loadBans)));
  }
  return el('section', { class: 'panel', aria: { labelledby: 'adm-ban-title' } },
    el('h2', { class: 'panel-title', id: 'adm-ban-title', text: t('adm.moderation') }),
    el('p', { class: 'muted', text: t('adm.ban_lead') }), form,
    el('h3', { class: 'section-title', text: t('adm.bans') }), st.bans.length ? list : el('p', { class: 'muted', text: t('adm.none') }));
}

// ---- audit log -------------------------------------------------------------------------------

function auditPanel() {
  const rows = st.audit.map((e) => el('tr', {},
    el('td', { text: when(e.at) }), el('td', { text: e.actor || (e.actor_id ? `#${e.actor_id}` : t('adm.system')) }),
    el('td', {}, el('code', { text: e.action })), el('td', { text: `${e.target_type || ''} ${e.target_id || ''}` })));
  return el('section', { class: 'panel', aria: { labelledby: 'adm-audit-title' } },
    el('div', { class: 'panel-head' },
      el('h2', { class: 'panel-title', id: 'adm-audit-title', text: t('adm.audit') })),
    el('div', { class: 'table-scroll' },
      el('table', { class: 'org-table', id: 'audit-table' },
        el('thead', {}, el('tr', {}, ...['adm.when', 'adm.who', 'adm.what', 'adm.target'].map((k) => el('th', { scope: 'col', text: t(k) })))),
        el('tbody', {}, rows))),
    st.auditMore ? el('button', { type: 'button', class: 'btn btn-ghost btn-sm', id: 'audit-more', text: t('adm.more'), onclick: () => loadAudit(true) }) : null);
}

// ---- bulk import -------------------------------------------------------------------------------

const imp = { text: '', name: '', result: null, busy: false };

async function runImport(apply) {
  if (!imp.text) return;
  imp.busy = true;
  render();
  try {
    imp.result = await c.request('expo.import', { csv: imp.text, apply }, { timeout: 30000 });
    if (imp.result.applied) toast(t('imp.applied', { n: imp.result.booths.length }));
  } catch (e) {
    imp.result = { error: errorText(e) };
  }
  imp.busy = false;
  if (imp.result?.applied) loadAudit(false); else render();
}

function importPanel() {
  const file = el('input', {
    id: 'import-file', type: 'file', accept: '.csv,text/csv',
    onchange: async (ev) => {
      const f = ev.target.files[0];
      imp.result = null;
      if (!f) { imp.text = ''; imp.name = ''; render(); return; }
      if (f.size > 60000) { imp.text = ''; imp.name = f.name; imp.result = { error: t('imp.too_big') }; render(); return; }
      imp.text = await f.text();
      imp.name = f.name;
      runImport(false);
    },
  });
  const r = imp.result;
  const out = el('div', { id: 'import-result', aria: { live: 'polite' } });
  if (r?.error) out.append(el('p', { class: 'form-error', role: 'alert', text: r.error }));
  else if (r && !r.applied) {
    out.append(el('p', { class: r.errors.length ? 'form-error' : 'form-ok', id: 'import-summary',
      text: r.errors.length ? t('imp.bad', { n: r.errors.length, rows: r.rows }) : t('imp.clean', { rows: r.rows }) }));
    if (r.errors.length) {
      out.append(el('div', { class: 'table-scroll' }, el('table', { class: 'org-table', id: 'import-errors' },
        el('thead', {}, el('tr', {}, ...['imp.line', 'imp.column', 'imp.reason'].map((k) => el('th', { scope: 'col', text: t(k) })))),
        el('tbody', {}, r.errors.map((e) => el('tr', { dataset: { line: String(e.line) } },
          el('td', { class: 'num', text: String(e.line) }), el('td', {}, el('code', { text: e.column })), el('td', { text: e.reason })))))));
    } else {
      out.append(el('button', { type: 'button', class: 'btn btn-primary', id: 'import-apply', disabled: imp.busy, text: t('imp.apply', { rows: r.rows }), onclick: () => runImport(true) }));
    }
  } else if (r?.applied) {
    out.append(el('p', { class: 'form-ok', id: 'import-summary', text: t('imp.applied', { n: r.booths.length }) }));
    if (r.invites.length) {
      out.append(el('p', { class: 'muted', text: t('imp.invites') }),
        el('ul', { class: 'adm-list', id: 'import-invites' }, r.invites.map((i) => el('li', {},
          el('span', {}, el('strong', { text: i.email }), i.slug ? el('span', { class: 'muted', text: ` · ${i.slug}` }) : null),
          el('code', { class: 'invite-link', text: new URL(i.link, location.href).href })))));
    }
  }
  return el('section', { class: 'panel', aria: { labelledby: 'adm-import-title' } },
    el('h2', { class: 'panel-title', id: 'adm-import-title', text: t('imp.title') }),
    el('p', { class: 'muted', text: t('imp.lead') }),
    el('p', { class: 'hint' }, el('code', { text: 'company_en, company_ko, booth_slug, booth_name_en, booth_name_ko, category, tier, sort_order, country, staff_email, staff_name' })),
    field('import-file', 'imp.file', file),
    imp.name ? el('p', { class: 'hint', id: 'import-name', text: imp.name }) : null,
    imp.busy ? el('p', { class: 'muted', text: t('imp.checking') }) : null,
    out);
}

// ---- exports ---------------------------------------------------------------------------------

/** Downloads /organizer/export/<name>.csv with the session's token (a link cannot send it). */
async function downloadCsv(name) {
  try {
    const res = await fetch(`/organizer/export/${name}.csv`, { headers: { Authorization: `Bearer ${c.token}` }, cache: 'no-store' });
    if (!res.ok) throw Object.assign(new Error(String(res.status)), { code: res.status === 401 ? 'unauthorized' : res.status === 403 ? 'forbidden' : 'internal' });
    const a = el('a', { href: URL.createObjectURL(await res.blob()), download: `expo-${name}.csv` });
    document.body.append(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    loadAudit(false);
  } catch (e) {
    toast(errorText(e), 'error');
  }
}

function exportPanel() {
  return el('section', { class: 'panel', aria: { labelledby: 'adm-export-title' } },
    el('h2', { class: 'panel-title', id: 'adm-export-title', text: t('adm.exports') }),
    el('div', { class: 'export-row' }, ...['booths', 'meetings', 'registrations', 'audit'].map((n) => el('button', {
      type: 'button', class: 'btn btn-ghost btn-sm', id: `export-${n}`, text: t(`adm.export.${n}`), onclick: () => downloadCsv(n),
    })), el('a', { class: 'btn btn-primary btn-sm', id: 'report-link', href: 'report.html', text: t('adm.report') })));
}

// ---- loading and rendering ----------------------------------------------------------------------

async function loadHistory() {
  try { st.history = (await c.request('announcement.history', {})).announcements || []; } catch { /* kept */ }
  await loadAudit(false);
}

async function loadBans() {
  try { st.bans = (await c.request('ban.list', {})).bans || []; } catch { /* kept */ }
  await loadAudit(false);
}

async function loadAudit(more) {
  const before = more && st.audit.length ? st.audit[st.audit.length - 1].id : undefined;
  try {
    const r = await c.request('audit.list', before ? { before_id: before, limit: 50 } : { limit: 50 });
    st.audit = more ? st.audit.concat(r.entries) : r.entries;
    st.auditMore = r.entries.length === 50;
  } catch { /* kept */ }
  render();
}

function render() {
  clear(host);
  if (!isOrganizer()) return;
  host.append(el('div', { class: 'adm-grid' }, announcementPanel(), banPanel()), importPanel(), exportPanel(), auditPanel());
}

async function loadAll() {
  try { st.bans = (await c.request('ban.list', {})).bans || []; } catch { /* kept */ }
  await loadHistory();
}

c.on('auth', () => { if (isOrganizer()) loadAll(); else render(); });
// The Set-up section (organizer-setup.js) wrote audited changes: show them.
window.addEventListener('expo:audited', () => { if (isOrganizer()) loadAudit(false); });
onLang(render);
if (isOrganizer()) loadAll();
