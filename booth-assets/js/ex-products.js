// ex-products.js: the Products tab: the booth's products in display order, with an editor
// (English and Korean side by side, price note, MOQ, an uploaded image by its file number),
// move up/down (product.reorder) and delete. At most MAX products per booth (the server's
// limit, EX_MAX_PRODUCTS).

import { t, pick, errorText } from './i18n.js';
import { el, clear, toast } from './ui.js';
import { safeHttpUrl } from './links.js';
import { field, showFieldErrors } from './ex-form.js';

const MAX = 50;

/** '/files/12' -> '12' (the file number the editor shows), else ''. */
function fileNumber(p) {
  const m = /^\/files\/(\d+)$/.exec(p?.image_url || '');
  return p?.image_file_id != null ? String(p.image_file_id) : m ? m[1] : '';
}

export function mountProductsTab(container, ctx) {
  const c = ctx.client;
  let products = null;
  let editing = null;            // null, 'new' or a product id
  const listBox = el('div', { id: 'ep-list' });
  const editorBox = el('div', { id: 'ep-editor' });
  const err = el('p', { class: 'form-error', id: 'ep-error', role: 'alert' });

  function editor(p) {
    const f = {};
    const mk = (name, label, max, opts = {}) => { f[name] = field({ id: `ep-${name}`, label, max, value: opts.value ?? '', ...opts }); return f[name].wrap; };
    const cols = ['en', 'ko'].map((lang) => el('fieldset', { class: 'ex-lang-col', lang },
      el('legend', { text: t(`ex.lang.${lang}`) }),
      mk(`name_${lang}`, t('ex.p.name'), 200, { value: p?.name?.[lang], lang, required: true }),
      mk(`description_${lang}`, t('ex.p.description'), 5000, { value: p?.description?.[lang], lang, multiline: true, rows: 3 })));
    const formErr = el('p', { class: 'form-error', id: 'ep-form-error', role: 'alert' });
    const form = el('form', {
      class: 'panel ex-product-form', id: 'ep-form', novalidate: true,
      onsubmit: async (ev) => {
        ev.preventDefault();
        formErr.textContent = '';
        const data = { booth_id: ctx.boothId };
        if (p) data.product_id = p.id;
        for (const [k, x] of Object.entries(f)) {
          const v = x.value().trim();
          if (k === 'image_file_id') data[k] = v ? (/^\d+$/.test(v) ? Number(v) : v) : null;
          else data[k] = v || (k.startsWith('name') ? '' : null);
        }
        const btn = document.getElementById('ep-save');
        btn.disabled = true;
        try {
          const r = await c.request('product.save', data);
          products = r.products;
          editing = null;
          toast(t('ex.p.saved'), 'ok');
          render();
        } catch (e) {
          if (e.fields) showFieldErrors(f, e.fields);
          else formErr.textContent = e.code === 'bad_request' && products?.length >= MAX ? t('ex.p.limit', { max: MAX }) : errorText(e);
          btn.disabled = false;
        }
      },
    },
    el('h3', { text: p ? `${t('ex.p.edit')}: ${pick(p.name)}` : t('ex.p.new') }),
    el('div', { class: 'ex-bilingual' }, ...cols),
    el('div', { class: 'ex-grid-2' },
      mk('price_note', t('ex.p.price'), 200, { value: p?.price_note, hint: t('ex.p.price_hint') }),
      mk('moq', t('ex.p.moq'), 100, { value: p?.moq }),
      mk('image_file_id', t('ex.p.image'), 0, { value: fileNumber(p), inputmode: 'numeric', hint: t('ex.p.image_hint') })),
    formErr,
    el('div', { class: 'ex-save-row' },
      el('button', { type: 'submit', class: 'btn btn-primary', id: 'ep-save', text: t('ex.p.save') }),
      el('button', { type: 'button', class: 'btn btn-ghost', id: 'ep-cancel', text: t('ex.p.cancel'), onclick: () => { editing = null; render(); } })));
    setTimeout(() => f.name_en.input.focus(), 0);
    return form;
  }

  async function move(i, d) {
    const ids = products.map((p) => p.id);
    [ids[i], ids[i + d]] = [ids[i + d], ids[i]];
    try {
      const r = await c.request('product.reorder', { booth_id: ctx.boothId, product_ids: ids });
      products = r.products;
      render();
      document.querySelector(`#ep-list [data-product-id="${ids[i + d]}"] .${d < 0 ? 'ep-up' : 'ep-down'}`)?.focus();
    } catch (e) { err.textContent = e.fields ? t('fe.not_a_permutation') : errorText(e); load(); }
  }

  async function remove(p) {
    if (!confirm(t('ex.p.delete_confirm', { name: pick(p.name) }))) return;
    try {
      const r = await c.request('product.delete', { product_id: p.id });
      products = r.products;
      render();
    } catch (e) { err.textContent = errorText(e); }
  }

  function item(p, i) {
    const img = safeHttpUrl(p.image_url);
    const other = ctx.lang === 'ko' ? p.name?.en : p.name?.ko;
    return el('li', { class: 'ex-product', dataset: { productId: String(p.id) } },
      img ? el('img', { src: img, alt: '', loading: 'lazy' }) : el('span', { class: 'ex-product-noimg', aria: { hidden: 'true' } }),
      el('div', { class: 'ex-product-body' },
        el('strong', { text: pick(p.name) }),
        other ? el('span', { class: 'muted', text: ` · ${other}` }) : null,
        (p.price_note || p.moq) ? el('p', { class: 'hint', text: [p.price_note, p.moq ? `MOQ ${p.moq}` : null].filter(Boolean).join(' · ') }) : null),
      el('div', { class: 'ex-product-actions' },
        el('button', { type: 'button', class: 'btn btn-ghost btn-sm ep-up', disabled: i === 0, aria: { label: `${t('ex.p.up')}: ${pick(p.name)}` }, text: '↑', onclick: () => move(i, -1) }),
        el('button', { type: 'button', class: 'btn btn-ghost btn-sm ep-down', disabled: i === products.length - 1, aria: { label: `${t('ex.p.down')}: ${pick(p.name)}` }, text: '↓', onclick: () => move(i, 1) }),
        el('button', { type: 'button', class: 'btn btn-ghost btn-sm ep-edit', aria: { label: `${t('ex.p.edit')}: ${pick(p.name)}` }, text: t('ex.p.edit'), onclick: () => { editing = p.id; render(); } }),
        el('button', { type: 'button', class: 'btn btn-danger btn-sm ep-delete', aria: { label: `${t('ex.p.delete')}: ${pick(p.name)}` }, text: t('ex.p.delete'), onclick: () => remove(p) })));
  }

  function render() {
    clear(listBox);
    clear(editorBox);
    if (!products) return;
    const full = products.length >= MAX;
    listBox.append(el('div', { class: 'panel-head' },
      el('div', {}, el('h2', { id: 'ep-title', text: t('ex.p.title') }),
        el('p', { class: 'muted ex-count', id: 'ep-count', text: t('ex.p.count', { n: products.length, max: MAX }) })),
      el('button', { type: 'button', class: 'btn btn-primary btn-sm', id: 'ep-add', disabled: full || editing === 'new', text: t('ex.p.add'), onclick: () => { editing = 'new'; render(); } })));
    if (full) listBox.append(el('p', { class: 'hint', text: t('ex.p.limit', { max: MAX }) }));
    listBox.append(err);
    if (!products.length) listBox.append(el('p', { class: 'muted', id: 'ep-empty', text: t('ex.p.none') }));
    else listBox.append(el('ol', { class: 'ex-products', id: 'ep-items' }, products.map(item)));
    if (editing === 'new') editorBox.append(editor(null));
    else if (editing != null) { const p = products.find((x) => x.id === editing); if (p) editorBox.append(editor(p)); }
  }

  async function load() {
    try {
      const r = await c.request('booth.get', { booth_id: ctx.boothId });
      products = r.booth.products || [];
      render();
    } catch (e) { err.textContent = errorText(e); listBox.append(err); }
  }

  clear(container).append(el('section', { class: 'panel', aria: { labelledby: 'ep-title' } }, listBox), editorBox);
  ctx.onLang(render);
  load();
}
