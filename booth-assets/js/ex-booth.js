// ex-booth.js: the Booth tab: the booth's texts in English and Korean side by side, links,
// contact address and time zone, with a live preview of the visitor's booth header in each
// language as you type. Saving sends only what changed (booth.update); the server's per-field
// reasons appear next to their fields. Organizers also see slug, tier, category, sort order.

import { t, errorText } from './i18n.js';
import { el, clear, logoEl, toast } from './ui.js';
import { safeHttpUrl } from './links.js';
import { field, showFieldErrors } from './ex-form.js';

// name -> [label key, max code points, multiline]; limits follow schema.sql.
const TEXTS = {
  name: ['ex.b.name', 200, false],
  tagline: ['ex.b.tagline', 300, false],
  description: ['ex.b.description', 10000, true],
};

/** booth.profile's booth -> the flat field values booth.update takes. */
function flatten(b) {
  const v = {};
  for (const k of Object.keys(TEXTS)) { v[`${k}_en`] = b[k]?.en ?? ''; v[`${k}_ko`] = b[k]?.ko ?? ''; }
  v.website = b.company?.website ?? '';
  v.contact_email = b.contact_email ?? '';
  v.video_call_url = b.video_call_url ?? '';
  v.time_zone = b.time_zone ?? '';
  v.slug = b.slug ?? '';
  v.tier = b.tier ?? 'standard';
  v.category = b.category ?? '';
  v.sort_order = String(b.sort_order ?? 0);
  return v;
}

function preview(lang, v, booth) {
  const other = lang === 'en' ? 'ko' : 'en';
  const name = v[`name_${lang}`].trim() || v[`name_${other}`].trim();
  const alt = v[`name_${other}`].trim();
  const tagline = v[`tagline_${lang}`].trim();
  const desc = v[`description_${lang}`].trim();
  const banner = el('div', { class: 'booth-banner' });
  const bannerUrl = safeHttpUrl(booth?.banner_url);
  if (bannerUrl) { banner.classList.add('has-image'); banner.style.backgroundImage = `url("${encodeURI(bannerUrl).replace(/"/g, '%22')}")`; }
  return el('div', { class: 'ex-preview', lang, dataset: { lang } },
    el('p', { class: 'ex-preview-lang', text: t(`ex.lang.${lang}`) }),
    el('div', { class: 'booth-hero ex-preview-hero' },
      banner,
      el('div', { class: 'booth-hero-body' },
        logoEl(booth, v.name_en || name, 'lg'),
        el('div', { class: 'booth-title' },
          el('p', { class: 'ex-preview-name', id: `ex-preview-name-${lang}`, text: name }),
          alt && alt !== name ? el('div', { class: 'alt-name', text: alt }) : null,
          tagline ? el('p', { class: 'tagline', id: `ex-preview-tagline-${lang}`, text: tagline }) : null))),
    desc ? el('p', { class: 'ex-preview-desc', text: desc.length > 280 ? `${desc.slice(0, 280)}…` : desc }) : null);
}

export function mountBoothTab(container, ctx) {
  const c = ctx.client;
  const isOrganizer = c.user?.role === 'organizer';
  let orig = null;
  let logoBooth = null;
  const fields = {};
  const status = el('p', { class: 'form-ok', id: 'eb-status', role: 'status' });
  const err = el('p', { class: 'form-error', id: 'eb-error', role: 'alert' });
  const previewBox = el('div', { class: 'ex-previews', id: 'eb-preview' });

  function values() {
    const v = {};
    for (const [k, f] of Object.entries(fields)) v[k] = f.value();
    return v;
  }

  function renderPreview() {
    if (!orig) return;
    const v = values();
    clear(previewBox).append(preview('en', v, logoBooth), preview('ko', v, logoBooth));
  }

  function make(name, label, max, opts = {}) {
    fields[name] = field({ id: `eb-${name}`, label, max, value: orig[name], onInput: renderPreview, ...opts });
    return fields[name].wrap;
  }

  async function save(ev) {
    ev.preventDefault();
    err.textContent = '';
    status.textContent = '';
    const v = values();
    const changed = {};
    for (const [k, val] of Object.entries(v)) {
      if (val === orig[k]) continue;
      if (k === 'sort_order') changed[k] = Number(val);
      else if (k === 'category' || k === 'website' || k === 'contact_email' || k === 'video_call_url' || k.startsWith('tagline') || k.startsWith('description')) changed[k] = val.trim() ? val : null;
      else changed[k] = val;
    }
    if (!Object.keys(changed).length) { status.textContent = t('ex.b.unchanged'); return; }
    const btn = document.getElementById('eb-save');
    btn.disabled = true;
    try {
      const r = await c.request('booth.update', { booth_id: ctx.boothId, ...changed });
      orig = flatten(r.booth);
      for (const [k, f] of Object.entries(fields)) f.setValue(orig[k]);
      showFieldErrors(fields, {});
      renderPreview();
      ctx.boothChanged(r.booth);
      status.textContent = t('ex.b.saved');
      toast(t('ex.b.saved'), 'ok');
    } catch (e) {
      if (e.fields) {
        const rest = showFieldErrors(fields, e.fields);
        if (Object.keys(rest).length) err.textContent = errorText(e);
      } else {
        err.textContent = errorText(e);
      }
    } finally {
      btn.disabled = false;
    }
  }

  function render() {
    for (const k of Object.keys(fields)) delete fields[k];
    const cols = ['en', 'ko'].map((lang) => el('fieldset', { class: 'ex-lang-col', lang },
      el('legend', { text: t(`ex.lang.${lang}`) }),
      ...Object.entries(TEXTS).map(([k, [label, max, multi]]) => make(`${k}_${lang}`, t(label), max, { multiline: multi, lang, required: k === 'name' }))));
    const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    const contact = el('fieldset', { class: 'ex-contact' },
      el('legend', { text: t('ex.b.contact') }),
      el('div', { class: 'ex-grid-2' },
        make('website', t('ex.b.website'), 500, { type: 'url', inputmode: 'url' }),
        make('contact_email', t('ex.b.contact_email'), 254, { type: 'email' }),
        make('time_zone', t('ex.b.time_zone'), 64, { list: 'eb-zones', hint: t('ex.b.time_zone_hint'), required: true }),
        make('video_call_url', t('ex.b.video'), 500, { type: 'url', inputmode: 'url', hint: t('ex.b.video_hint') })),
      el('datalist', { id: 'eb-zones' }, zones.map((z) => el('option', { value: z }))));
    const org = isOrganizer ? el('fieldset', { class: 'ex-contact' },
      el('legend', { text: t('ex.b.organizer') }),
      el('div', { class: 'ex-grid-2' },
        make('slug', t('ex.b.slug'), 63), make('tier', t('ex.b.tier'), 20, { list: 'eb-tiers' }),
        make('category', t('ex.b.category'), 63), make('sort_order', t('ex.b.sort'), 0, { type: 'number' })),
      el('datalist', { id: 'eb-tiers' }, ['platinum', 'gold', 'standard'].map((x) => el('option', { value: x })))) : null;
    const form = el('form', { class: 'ex-booth-form', id: 'eb-form', novalidate: true, onsubmit: save },
      el('div', { class: 'ex-bilingual' }, ...cols), contact, org, err,
      el('div', { class: 'ex-save-row' }, el('button', { type: 'submit', class: 'btn btn-primary', id: 'eb-save', text: t('ex.b.save') }), status));
    clear(container).append(el('div', { class: 'ex-booth-layout' },
      el('section', { class: 'panel', aria: { labelledby: 'eb-title' } },
        el('div', { class: 'panel-head' }, el('h2', { id: 'eb-title', text: t('ex.b.title') })),
        el('p', { class: 'muted', text: t('ex.b.lead') }), form),
      el('section', { class: 'panel ex-preview-panel', aria: { labelledby: 'eb-preview-title' } },
        el('h2', { id: 'eb-preview-title', text: t('ex.b.preview') }),
        el('p', { class: 'muted', text: t('ex.b.preview_lead') }), previewBox)));
    renderPreview();
  }

  async function load() {
    clear(container).append(el('div', { class: 'skeleton' }));
    try {
      const r = await c.request('booth.profile', { booth_id: ctx.boothId });
      orig = flatten(r.booth);
      logoBooth = { logo_url: r.booth.logo_url, banner_url: r.booth.banner_url };
      render();
    } catch (e) {
      clear(container).append(el('div', { class: 'panel gate' }, el('p', { text: errorText(e) })));
    }
  }

  // A language switch keeps what is typed: the values are read back before re-rendering.
  ctx.onLang(() => {
    if (!orig) return;
    const typed = values();
    render();
    for (const [k, f] of Object.entries(fields)) f.setValue(typed[k]);
    renderPreview();
  });
  load();
}
