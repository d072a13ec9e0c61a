// ex-leads.js: the exhibitor's leads tab. mountLeadsTab(container, ctx) shows the booth's leads
// (lead.list: filters, search, paging), highlights cards that arrive live (lead.new on every
// node), lets staff set status, rating and notes inline (lead.update), removes withdrawn cards
// at once (lead.withdrawn) and downloads the CSV export with the session's token (a plain link
// cannot send the Bearer header, so: fetch + blob). At phone width each row is a card.
//
// ctx: {client, boothId, booth?: {time_zone}}. Returns {unmount()}.

import './i18n-leads.js';
import { t, getLang, onLang, errorText } from './i18n.js';
import { el, clear, toast } from './ui.js';
import { formatInZone } from './time.js';
import { useLeadsStyles } from './leads-styles.js';

const PAGE = 25;
const STATUSES = ['new', 'contacted', 'qualified', 'not_a_fit'];
const SOURCES = ['card', 'meeting'];
const FRESH_MS = 8000;

/** The instant at local midnight of a yyyy-mm-dd date input, as RFC 3339 (UTC). */
function dayStart(value, plusDays = 0) {
  const [y, m, d] = value.split('-').map(Number);
  return new Date(y, m - 1, d + plusDays).toISOString();
}

export function mountLeadsTab(container, ctx) {
  useLeadsStyles();
  const c = ctx.client;
  const st = { leads: [], total: 0, offset: 0, loading: true, error: null, fresh: new Map(), saved: new Map(), filters: { q: '', status: '', rating_min: '', source: '', from: '', to: '' } };
  const zone = () => ctx.booth?.time_zone || 'Asia/Seoul';
  const root = el('section', { class: 'panel leads-tab', id: 'leads-tab', aria: { labelledby: 'leads-title' } });
  container.append(root);
  let searchTimer = null;

  function request() {
    const f = st.filters;
    const data = { booth_id: ctx.boothId, limit: PAGE, offset: st.offset };
    if (f.q.trim()) data.q = f.q.trim();
    if (f.status) data.status = f.status;
    if (f.source) data.source = f.source;
    if (f.rating_min !== '') data.rating_min = Number(f.rating_min);
    if (f.from) data.from = dayStart(f.from);
    if (f.to) data.to = dayStart(f.to, 1);
    return data;
  }

  async function load() {
    st.loading = true;
    try {
      const r = await c.request('lead.list', request());
      st.leads = r.leads || [];
      st.total = r.total || 0;
      st.error = null;
    } catch (e) {
      st.error = errorText(e);
    }
    st.loading = false;
    renderList();
  }

  function showSaved(key) {
    const n = root.querySelector(`[data-lead-id="${key}"] .lead-saved`);
    if (n) n.textContent = st.saved.has(key) ? t('leads.saved') : '';
  }

  async function save(lead, patch, control) {
    if (control) control.disabled = true;
    try {
      const r = await c.request('lead.update', { booth_id: ctx.boothId, lead_id: lead.id, ...patch });
      Object.assign(lead, r.lead);
      // Kept in the state, not only in the DOM: the lead.updated echo re-renders the row.
      const key = String(lead.id);
      clearTimeout(st.saved.get(key));
      st.saved.set(key, setTimeout(() => { st.saved.delete(key); showSaved(key); }, 2000));
      showSaved(key);
    } catch (e) {
      toast(errorText(e), 'error');
    }
    if (control) control.disabled = false;
  }

  function statusSelect(lead) {
    const s = el('select', {
      class: 'lead-status', id: `lead-status-${lead.id}`, aria: { label: `${t('leads.status')}: ${lead.name || ''}` },
      onchange: () => save(lead, { status: s.value }, s),
    }, STATUSES.map((v) => el('option', { value: v, selected: lead.status === v, text: t(`leads.status.${v}`) })));
    return s;
  }

  function ratingSelect(lead) {
    const s = el('select', {
      class: 'lead-rating', id: `lead-rating-${lead.id}`, aria: { label: `${t('leads.rating')}: ${lead.name || ''}` },
      onchange: () => save(lead, { rating: s.value === '' ? null : Number(s.value) }, s),
    }, el('option', { value: '', selected: lead.rating == null, text: t('leads.no_rating') }),
    [0, 1, 2, 3, 4, 5].map((n) => el('option', { value: String(n), selected: lead.rating === n, text: `${'★'.repeat(n)}${'☆'.repeat(5 - n)}` })));
    return s;
  }

  function notesBox(lead) {
    const a = el('textarea', {
      class: 'lead-notes', id: `lead-notes-${lead.id}`, rows: 2, maxLength: 10000, placeholder: t('leads.notes_ph'),
      aria: { label: `${t('leads.notes')}: ${lead.name || ''}` },
    });
    a.value = lead.notes || '';
    a.addEventListener('change', () => { if (a.value !== (lead.notes || '')) save(lead, { notes: a.value.trim() ? a.value : null }); });
    return a;
  }

  function cell(label, ...content) { return el('td', { dataset: { label } }, ...content); }

  function row(lead) {
    const fresh = st.fresh.has(String(lead.id));
    return el('tr', { class: fresh ? 'lead-row lead-fresh' : 'lead-row', dataset: { leadId: String(lead.id) } },
      cell(t('leads.name'), el('strong', { class: 'lead-name', text: lead.name || '' }),
        fresh ? el('span', { class: 'badge badge-new', text: t('leads.new_badge') }) : null,
        el('span', { class: 'lead-saved', role: 'status', text: st.saved.has(String(lead.id)) ? t('leads.saved') : '' })),
      cell(t('leads.company'), lead.company || ''),
      cell(t('leads.job_title'), lead.title || ''),
      cell(t('leads.country'), lead.country || ''),
      cell(t('leads.email'), lead.email ? el('a', { href: `mailto:${lead.email}`, text: lead.email }) : ''),
      cell(t('leads.source'), t(`leads.source.${lead.source}`)),
      cell(t('leads.shared'), lead.created_at ? formatInZone(new Date(lead.created_at), zone(), getLang(), { date: true }) : ''),
      cell(t('leads.status'), statusSelect(lead)),
      cell(t('leads.rating'), ratingSelect(lead)),
      cell(t('leads.notes'), notesBox(lead)));
  }

  function renderList() {
    const box = root.querySelector('#leads-list');
    if (!box) return;
    const focused = document.activeElement && box.contains(document.activeElement) ? document.activeElement.id : null;
    clear(box);
    if (st.loading && !st.leads.length) { box.append(el('p', { class: 'muted', text: '…' })); return; }
    if (st.error) { box.append(el('p', { class: 'form-error', role: 'alert', text: st.error })); return; }
    const filtered = Object.values(st.filters).some((v) => v !== '');
    root.querySelector('#leads-count').textContent = countText();
    const exportBtn = root.querySelector('#leads-export');
    if (exportBtn && !exportBtn.disabled) exportBtn.textContent = exportLabel();
    if (!st.leads.length) { box.append(el('p', { class: 'muted', id: 'leads-empty', text: filtered ? t('leads.none_match') : t('leads.empty') })); return; }
    const head = el('tr', {}, ['leads.name', 'leads.company', 'leads.job_title', 'leads.country', 'leads.email', 'leads.source', 'leads.shared', 'leads.status', 'leads.rating', 'leads.notes']
      .map((k) => el('th', { scope: 'col', text: t(k) })));
    box.append(el('div', { class: 'leads-scroll' }, el('table', { class: 'leads-table', id: 'leads-table' },
      el('thead', {}, head), el('tbody', {}, st.leads.map(row)))));
    const to = Math.min(st.offset + st.leads.length, st.total);
    box.append(el('div', { class: 'leads-pager' },
      el('button', { type: 'button', class: 'btn btn-ghost btn-sm', id: 'leads-prev', disabled: st.offset === 0, text: t('leads.prev'), onclick: () => { st.offset = Math.max(0, st.offset - PAGE); load(); } }),
      el('span', { class: 'muted', text: t('leads.page', { from: st.offset + 1, to, total: st.total }) }),
      el('button', { type: 'button', class: 'btn btn-ghost btn-sm', id: 'leads-next', disabled: to >= st.total, text: t('leads.next'), onclick: () => { st.offset += PAGE; load(); } })));
    if (focused) document.getElementById(focused)?.focus();
  }

  /** /leads/<booth>.csv with the table's filters (lead.list's names): the file holds what the table shows. */
  function exportUrl() {
    const data = request();
    const args = ['status', 'rating_min', 'source', 'from', 'to', 'q']
      .filter((k) => data[k] !== undefined)
      .map((k) => `${k}=${encodeURIComponent(String(data[k]))}`);
    return `/leads/${encodeURIComponent(ctx.boothId)}.csv${args.length ? `?${args.join('&')}` : ''}`;
  }
  const exportLabel = () => (Object.values(st.filters).some((v) => v.trim() !== '') ? t('leads.export_filtered', { n: st.total }) : t('leads.export'));

  async function exportCsv(btn) {
    btn.disabled = true;
    btn.textContent = t('leads.exporting');
    try {
      const res = await fetch(exportUrl(), { headers: { Authorization: `Bearer ${c.token}` }, cache: 'no-store' });
      if (!res.ok) throw Object.assign(new Error(`HTTP ${res.status}`), { code: res.status === 401 ? 'unauthorized' : res.status === 403 ? 'forbidden' : 'unavailable' });
      const blob = await res.blob();
      const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '')?.[1] || 'leads.csv';
      const url = URL.createObjectURL(blob);
      const a = el('a', { href: url, download: name, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      toast(t('leads.exported'), 'ok');
    } catch (e) {
      toast(errorText(e), 'error');
    }
    btn.disabled = false;
    btn.textContent = exportLabel();
  }

  function countText() { return st.total === 1 ? t('leads.count_one') : t('leads.count', { n: st.total }); }

  function filterField(id, key, input) {
    return el('div', { class: 'field' }, el('label', { for: id, text: t(key) }), input);
  }

  function render() {
    clear(root);
    const f = st.filters;
    const set = (k) => (ev) => { f[k] = ev.target.value; st.offset = 0; load(); };
    const search = el('input', {
      type: 'search', id: 'leads-q', value: f.q, maxLength: 100, placeholder: t('leads.search'),
      oninput: (ev) => { f.q = ev.target.value; st.offset = 0; clearTimeout(searchTimer); searchTimer = setTimeout(load, 300); },
    });
    const opt = (v, label, cur) => el('option', { value: v, selected: cur === v, text: label });
    const exportBtn = el('button', { type: 'button', class: 'btn btn-primary btn-sm', id: 'leads-export', text: exportLabel(), onclick: () => exportCsv(exportBtn) });
    root.append(
      el('div', { class: 'panel-head' },
        el('h2', { id: 'leads-title' }, t('leads.title'), ' ', el('span', { class: 'muted leads-count', id: 'leads-count', text: countText() })),
        exportBtn),
      el('p', { class: 'hint', text: t('leads.lead') }),
      el('div', { class: 'leads-filters', role: 'search' },
        el('div', { class: 'field leads-search' }, el('label', { for: 'leads-q', text: t('leads.search_label') }), search),
        filterField('leads-status', 'leads.status', el('select', { id: 'leads-status', onchange: set('status') },
          opt('', t('leads.any'), f.status), STATUSES.map((v) => opt(v, t(`leads.status.${v}`), f.status)))),
        filterField('leads-rating', 'leads.rating_min', el('select', { id: 'leads-rating', onchange: set('rating_min') },
          opt('', t('leads.any'), f.rating_min), [1, 2, 3, 4, 5].map((n) => opt(String(n), '★'.repeat(n), f.rating_min)))),
        filterField('leads-source', 'leads.source', el('select', { id: 'leads-source', onchange: set('source') },
          opt('', t('leads.any'), f.source), SOURCES.map((v) => opt(v, t(`leads.source.${v}`), f.source)))),
        filterField('leads-from', 'leads.from', el('input', { type: 'date', id: 'leads-from', value: f.from, onchange: set('from') })),
        filterField('leads-to', 'leads.to', el('input', { type: 'date', id: 'leads-to', value: f.to, onchange: set('to') }))),
      el('div', { id: 'leads-list', aria: { live: 'polite' } }));
    renderList();
  }

  // ---- live ------------------------------------------------------------------------------
  const mine = (lead) => lead && String(lead.booth_id) === String(ctx.boothId);
  const offs = [
    c.on('lead.new', (d) => {
      if (!mine(d.lead)) return;
      st.fresh.set(String(d.lead.id), setTimeout(() => { st.fresh.delete(String(d.lead.id)); root.querySelector(`[data-lead-id="${d.lead.id}"]`)?.classList.remove('lead-fresh'); }, FRESH_MS));
      toast(t('leads.arrived', { name: d.lead.name || '' }), 'info');
      load();
    }),
    c.on('lead.updated', (d) => {
      if (!mine(d.lead)) return;
      const cur = st.leads.find((x) => String(x.id) === String(d.lead.id));
      if (!cur) { load(); return; }
      const editing = document.activeElement?.id === `lead-notes-${cur.id}`;
      Object.assign(cur, d.lead, editing ? { notes: cur.notes } : {});
      renderList();
    }),
    c.on('lead.withdrawn', (d) => {
      if (String(d.booth_id) !== String(ctx.boothId)) return;
      if (st.leads.some((x) => String(x.id) === String(d.lead_id))) { load(); return; }
      st.total = Math.max(0, st.total - 1);
      renderList();
    }),
    // After a reconnect, events sent meanwhile are lost: read the list again.
    c.on('auth', (u) => { if (u) load(); }),
    onLang(() => render()),
  ];

  render();
  load();
  return {
    unmount() {
      for (const off of offs) off();
      for (const timer of [...st.fresh.values(), ...st.saved.values()]) clearTimeout(timer);
      clearTimeout(searchTimer);
      root.remove();
    },
  };
}
