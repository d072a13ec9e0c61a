// organizer-setup.js: the organizer console's Set-up section (organizer.html): lists of the
// booths (archived ones marked), companies and categories from setup.list, and one form per
// kind to create or edit a row with every field, the organizer-only ones (slug, tier,
// category, sort order) included, English and Korean side by side. Saving sends booth.save /
// company.save / category.save (only the changed fields when editing); the server's per-field
// reasons (error.fields, keyed "name.en", "slug", ...) appear next to their fields. Booths are
// archived and unarchived from the list (booth.archive). Organizers only.

import { client } from './expo-client.js';
import { t, onLang, errorText, pick } from './i18n.js';
import { el, clear, toast } from './ui.js';
import { field, showFieldErrors, fieldErrorText } from './ex-form.js';
import './i18n-exhibitor.js';
import './i18n-setup.js';

const c = client();
const host = document.getElementById('org-setup');
const isOrganizer = () => c.user?.role === 'organizer';

const KINDS = ['booths', 'companies', 'categories'];
const SAVE = { booths: 'booth.save', companies: 'company.save', categories: 'category.save' };
const NUMBERS = new Set(['company_id', 'category_id', 'sort_order']);
const TIERS = ['platinum', 'gold', 'standard'];

const st = {
  tab: 'booths',
  data: null,            // setup.list: {booths, companies, categories}
  error: null,
  filter: '',
  editing: null,         // {kind, id} (id null: a new row)
  orig: null,            // the edited row's flat values as loaded
  draft: null,           // what is typed (survives a language switch)
  status: '',
  keepFocus: null,       // {id, toggle}: the row whose button keeps the keyboard after a redraw
};
let fields = {};         // flat name -> field api of the open form

// ---- values -----------------------------------------------------------------------------

/** A row of setup.list (or nothing, for a new one) as the form's flat values, all text. */
function flatValues(kind, row) {
  const s = (v) => (v === null || v === undefined ? '' : String(v));
  const pair = (name) => ({ [`${name}.en`]: s(row?.[name]?.en), [`${name}.ko`]: s(row?.[name]?.ko) });
  if (kind === 'categories') return { slug: s(row?.slug), ...pair('name'), sort_order: s(row?.sort_order ?? 0) };
  if (kind === 'companies') {
    return { ...pair('name'), ...pair('city'), country: s(row?.country ?? 'KR'), website: s(row?.website) };
  }
  return {
    slug: s(row?.slug), company_id: s(row?.company_id), category_id: s(row?.category_id),
    tier: s(row?.tier ?? 'standard'), sort_order: s(row?.sort_order ?? 0), time_zone: s(row?.time_zone ?? 'Asia/Seoul'),
    ...pair('name'), ...pair('tagline'), ...pair('description'),
    contact_email: s(row?.contact_email), video_call_url: s(row?.video_call_url),
  };
}

/** The request body: flat "name.en" keys back into {name: {en}}; empty text is null (clears
 *  an optional field); when editing, only what changed. */
function body(vals, orig, create) {
  const out = {};
  for (const [k, raw] of Object.entries(vals)) {
    if (!create && raw === orig[k]) continue;
    let v = raw.trim() === '' ? null : raw;
    if (v !== null && NUMBERS.has(k)) v = Number(v);
    if (create && v === null) continue;
    const [a, b] = k.split('.');
    if (b) (out[a] ||= {})[b] = v; else out[a] = v;
  }
  return out;
}

const rows = (kind) => st.data?.[kind] || [];
const findRow = (kind, id) => rows(kind).find((r) => String(r.id) === String(id));

// ---- form ---------------------------------------------------------------------------------

/** A labelled select with the same api as ex-form's field(). */
function selectField(o) {
  const input = el('select', { id: o.id, name: o.id }, o.options.map((x) => el('option', { value: x.value, text: x.text })));
  input.value = o.value ?? '';
  const err = el('p', { class: 'field-error', id: `${o.id}-error`, role: 'alert' });
  input.setAttribute('aria-describedby', `${o.id}-error`);
  const wrap = el('div', { class: 'field', dataset: { field: o.id } }, el('label', { for: o.id, text: o.label }), input, err);
  const api = {
    wrap, input,
    value: () => input.value,
    setValue(v) { input.value = v ?? ''; },
    setError(code) {
      err.textContent = code ? fieldErrorText(code) : '';
      input.setAttribute('aria-invalid', code ? 'true' : 'false');
      wrap.classList.toggle('invalid', !!code);
    },
  };
  input.addEventListener('change', () => { if (wrap.classList.contains('invalid')) api.setError(null); o.onInput?.(); });
  return api;
}

function domId(name) { return `su-${name.replace('.', '-')}`; }

function onInput() {
  st.draft = {};
  for (const [k, f] of Object.entries(fields)) st.draft[k] = f.value();
}

function text(name, label, max, opts = {}) {
  fields[name] = field({ id: domId(name), label, max, value: st.draft[name], onInput, ...opts });
  return fields[name].wrap;
}

function select(name, label, options) {
  fields[name] = selectField({ id: domId(name), label, options, value: st.draft[name], onInput });
  return fields[name].wrap;
}

/** English and Korean columns of the bilingual texts [name, label key, max, multiline]. */
function bilingual(texts) {
  return el('div', { class: 'su-bilingual' }, ['en', 'ko'].map((lang) => el('fieldset', { class: 'su-lang', lang },
    el('legend', { text: t(`setup.${lang}`) }),
    texts.map(([name, key, max, multiline]) => text(`${name}.${lang}`, t(key), max, { multiline, rows: 4, lang, required: name === 'name' })))));
}

function boothForm() {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const companies = [{ value: '', text: t('setup.f.company_pick') }].concat(
    rows('companies').map((co) => ({ value: String(co.id), text: pick(co.name) })));
  const categories = [{ value: '', text: t('setup.f.no_category') }].concat(
    rows('categories').map((ca) => ({ value: String(ca.id), text: pick(ca.name) })));
  return [
    el('fieldset', { class: 'su-group' }, el('legend', { text: t('setup.basics') }),
      el('div', { class: 'su-grid' },
        text('slug', t('setup.f.slug'), 63, { hint: t('setup.f.slug_hint'), required: true, autocomplete: 'off' }),
        select('company_id', t('setup.f.company'), companies),
        select('category_id', t('setup.f.category'), categories),
        select('tier', t('setup.f.tier'), TIERS.map((x) => ({ value: x, text: t(`setup.tier.${x}`) }))),
        text('sort_order', t('setup.f.sort'), 0, { type: 'number', inputmode: 'numeric', hint: t('setup.f.sort_hint') }),
        text('time_zone', t('setup.f.time_zone'), 64, { list: 'su-zones' })),
      el('datalist', { id: 'su-zones' }, zones.map((z) => el('option', { value: z })))),
    bilingual([['name', 'setup.f.name', 200, false], ['tagline', 'setup.f.tagline', 300, false], ['description', 'setup.f.description', 10000, true]]),
    el('fieldset', { class: 'su-group' }, el('legend', { text: t('setup.contact') }),
      el('div', { class: 'su-grid' },
        text('contact_email', t('setup.f.contact_email'), 254, { type: 'email' }),
        text('video_call_url', t('setup.f.video_call_url'), 500, { type: 'url', inputmode: 'url' }))),
  ];
}

function companyForm() {
  return [
    bilingual([['name', 'setup.f.name', 200, false], ['city', 'setup.f.city', 100, false]]),
    el('div', { class: 'su-grid' },
      text('country', t('setup.f.country'), 64),
      text('website', t('setup.f.website'), 500, { type: 'url', inputmode: 'url' })),
  ];
}

function categoryForm() {
  return [
    el('div', { class: 'su-grid' },
      text('slug', t('setup.f.slug'), 63, { hint: t('setup.f.slug_hint'), required: true }),
      text('sort_order', t('setup.f.sort'), 0, { type: 'number', inputmode: 'numeric' })),
    bilingual([['name', 'setup.f.name', 100, false]]),
  ];
}

async function save(ev) {
  ev.preventDefault();
  const { kind, id } = st.editing;
  const form = ev.target;
  const err = form.querySelector('.form-error');
  const btn = form.querySelector('button[type="submit"]');
  err.textContent = '';
  onInput();
  const data = body(st.draft, st.orig, id == null);
  if (id != null && !Object.keys(data).length) { err.textContent = t('setup.unchanged'); return; }
  btn.disabled = true;
  try {
    await c.request(SAVE[kind], id == null ? data : { id, ...data });
    const msg = t(id == null ? 'setup.created' : 'setup.saved');
    st.editing = null;
    st.status = msg;
    toast(msg, 'ok');
    window.dispatchEvent(new Event('expo:audited'));
    await load();
  } catch (e) {
    btn.disabled = false;
    if (e.fields) {
      const rest = showFieldErrors(fields, e.fields);
      err.textContent = Object.keys(rest).length ? `${t('setup.check')} ${errorText(e)}` : t('setup.check');
    } else {
      err.textContent = errorText(e);
    }
  }
}

function editor() {
  const { kind, id } = st.editing;
  fields = {};
  const row = id == null ? null : findRow(kind, id);
  const title = id == null ? t(`setup.form.new.${kind}`) : t('setup.form.edit', { name: pick(row?.name) || row?.slug || '' });
  const parts = kind === 'booths' ? boothForm() : kind === 'companies' ? companyForm() : categoryForm();
  return el('form', { class: 'su-form', id: 'setup-form', novalidate: true, dataset: { kind }, onsubmit: save },
    el('h3', { class: 'section-title', id: 'setup-form-title', text: title }),
    ...parts,
    el('p', { class: 'form-error', id: 'setup-form-error', role: 'alert' }),
    el('div', { class: 'su-actions' },
      el('button', { type: 'submit', class: 'btn btn-primary', id: 'setup-save', text: t(id == null ? 'setup.create' : 'setup.save') }),
      el('button', { type: 'button', class: 'btn btn-ghost', id: 'setup-cancel', text: t('setup.cancel'), onclick: () => { st.editing = null; render(); } })));
}

function openEditor(kind, id) {
  const row = id == null ? null : findRow(kind, id);
  st.editing = { kind, id };
  st.orig = flatValues(kind, row);
  st.draft = { ...st.orig };
  st.status = '';
  render();
  const form = document.getElementById('setup-form');
  form?.scrollIntoView({ block: 'start' });
  form?.querySelector('input, select, textarea')?.focus({ preventScroll: true });
}

// ---- lists --------------------------------------------------------------------------------

async function setArchived(b, archived, btn) {
  st.keepFocus = { id: String(b.id), toggle: true };   // the row is drawn again: stay on its button
  btn.disabled = true;
  try {
    await c.request('booth.archive', { booth_id: b.id, archived });
    const msg = t(archived ? 'setup.archived_done' : 'setup.unarchived_done', { name: pick(b.name) });
    st.status = msg;
    toast(msg, 'ok');
    window.dispatchEvent(new Event('expo:audited'));
    await load();
  } catch (e) {
    toast(errorText(e), 'error');
    btn.disabled = false;
  }
}

function matches(row) {
  const q = st.filter.trim().toLowerCase();
  if (!q) return true;
  return [row.slug, row.name?.en, row.name?.ko].some((x) => x && String(x).toLowerCase().includes(q));
}

function boothItem(b) {
  const cat = rows('categories').find((x) => x.id === b.category_id);
  const archived = !!b.archived_at;
  return el('li', { class: `su-item${archived ? ' is-archived' : ''}`, dataset: { id: String(b.id), slug: b.slug, archived: String(archived) } },
    el('div', { class: 'su-item-main' },
      el('strong', { class: 'su-name', text: pick(b.name) }),
      el('span', { class: 'su-meta' },
        el('code', { text: b.slug }),
        el('span', { class: 'badge', text: t(`setup.tier.${b.tier}`) }),
        cat ? el('span', { class: 'badge badge-cat', text: pick(cat.name) }) : null,
        archived ? el('span', { class: 'badge badge-archived', text: t('setup.archived') }) : null,
        el('span', { class: 'muted', text: t('setup.staff_of', { n: b.staff }) }))),
    el('div', { class: 'su-item-actions' },
      el('button', { type: 'button', class: 'btn btn-ghost btn-sm su-edit', text: t('setup.edit'), aria: { label: `${t('setup.edit')}: ${pick(b.name)}` }, onclick: () => openEditor('booths', b.id) }),
      el('button', {
        type: 'button', class: `btn btn-sm ${archived ? 'btn-primary su-unarchive' : 'btn-danger su-archive'}`,
        text: t(archived ? 'setup.unarchive' : 'setup.archive'), aria: { label: `${t(archived ? 'setup.unarchive' : 'setup.archive')}: ${pick(b.name)}` },
        onclick: (ev) => setArchived(b, !archived, ev.currentTarget),
      })));
}

function simpleItem(kind, row, meta) {
  return el('li', { class: 'su-item', dataset: { id: String(row.id) } },
    el('div', { class: 'su-item-main' },
      el('strong', { class: 'su-name', text: pick(row.name) }),
      el('span', { class: 'su-meta' }, ...meta)),
    el('div', { class: 'su-item-actions' },
      el('button', { type: 'button', class: 'btn btn-ghost btn-sm su-edit', text: t('setup.edit'), aria: { label: `${t('setup.edit')}: ${pick(row.name)}` }, onclick: () => openEditor(kind, row.id) })));
}

function list(kind) {
  const all = rows(kind);
  const shown = all.filter(matches);
  const item = kind === 'booths' ? boothItem
    : kind === 'companies' ? (r) => simpleItem(kind, r, [el('span', { class: 'badge', text: r.country }), el('span', { class: 'muted', text: t('setup.booths_of', { n: r.booths }) })])
      : (r) => simpleItem(kind, r, [el('code', { text: r.slug }), el('span', { class: 'muted', text: t('setup.booths_of', { n: r.booths }) })]);
  const count = kind === 'booths'
    ? t('setup.count.booths', { n: all.length, archived: all.filter((b) => b.archived_at).length })
    : t(`setup.count.${kind}`, { n: all.length });
  return [
    el('div', { class: 'su-list-head' },
      el('div', { class: 'field su-filter' },
        el('label', { for: 'setup-filter', text: t('setup.filter') }),
        el('input', {
          id: 'setup-filter', type: 'search', value: st.filter, placeholder: t('setup.filter_ph'), autocomplete: 'off',
          oninput: (ev) => { st.filter = ev.target.value; renderList(); },
        })),
      el('p', { class: 'muted su-count', id: 'setup-count', text: count })),
    shown.length ? el('ul', { class: 'su-list', id: `setup-${kind}` }, shown.map(item)) : el('p', { class: 'muted', text: t('setup.none') }),
  ];
}

// ---- rendering ----------------------------------------------------------------------------

let listBox = null;

/** Where the keyboard is in the lists (a row's button, the filter), to put it back after the
 *  lists are drawn again (a reload after a save, or another organizer's change). */
function focusKey() {
  if (st.keepFocus) return st.keepFocus;
  const a = document.activeElement;
  if (a?.id === 'setup-filter') return { filter: true };
  const li = a?.closest?.('.su-item');
  return li && host.contains(li) ? { id: li.dataset.id, toggle: a.matches('.su-archive, .su-unarchive') } : null;
}

function restoreFocus(k) {
  if (!k) return;
  if (k.filter) {
    const f = document.getElementById('setup-filter');
    f?.focus();
    f?.setSelectionRange(f.value.length, f.value.length);
    return;
  }
  const n = listBox?.querySelector(`li[data-id="${CSS.escape(k.id)}"] ${k.toggle ? '.su-archive, .su-unarchive' : '.su-edit'}`);
  if (n && !n.disabled) { n.focus(); st.keepFocus = null; }
}

function renderList() {
  if (!listBox) return;
  const k = focusKey();
  clear(listBox).append(...list(st.tab));
  restoreFocus(k);
}

function render() {
  const k = st.editing ? null : focusKey();
  clear(host);
  listBox = null;
  if (!isOrganizer()) return;
  const tabs = el('div', { class: 'su-tabs', role: 'group', aria: { label: t('setup.tabs') } }, KINDS.map((k) => el('button', {
    type: 'button', class: 'chip', id: `setup-tab-${k}`, aria: { pressed: String(st.tab === k) }, text: t(`setup.tab.${k}`),
    onclick: () => { st.tab = k; st.filter = ''; st.status = ''; if (st.editing?.kind !== k) st.editing = null; render(); },
  })));
  listBox = el('div', { class: 'su-list-box' });
  const panel = el('section', { class: 'panel su-panel', aria: { labelledby: 'setup-title' } },
    el('div', { class: 'panel-head su-head' },
      el('h2', { class: 'panel-title', id: 'setup-title', text: t('setup.title') }),
      el('button', { type: 'button', class: 'btn btn-primary btn-sm', id: 'setup-new', text: t(`setup.new.${st.tab}`), onclick: () => openEditor(st.tab, null) })),
    el('p', { class: 'muted', text: t('setup.lead') }),
    tabs,
    el('p', { class: 'form-ok', id: 'setup-status', role: 'status', text: st.status }),
    st.error ? el('p', { class: 'form-error', role: 'alert', text: st.error }) : null,
    st.editing && st.data ? editor() : null,
    listBox);
  host.append(panel);
  if (st.data) { renderList(); restoreFocus(k); }
}

async function load() {
  try {
    st.data = await c.request('setup.list', {});
    st.error = null;
  } catch (e) {
    st.error = errorText(e);
  }
  render();
}

c.on('auth', () => { if (isOrganizer()) load(); else render(); });
// Another organizer changed the hall: the lists follow (an open form keeps what is typed).
c.on('hall.changed', () => { if (isOrganizer() && !st.editing) load(); });
onLang(render);
if (isOrganizer()) load();
