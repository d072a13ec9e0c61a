// ex-form.js: form fields for the exhibitor console and the invite page: a labelled input or
// textarea with a character counter (code points, as the server counts), a hint, and an
// error line the server's per-field reasons (error.fields) are shown in.

import { t, STRINGS } from './i18n.js';
import { el } from './ui.js';

/** The message for a server reason code ("too_long", "bad_scheme", ...), with limits. */
export function fieldErrorText(code, limits = {}) {
  return STRINGS.en[`fe.${code}`] ? t(`fe.${code}`, limits) : t('fe.bad_value');
}

const length = (s) => [...s].length;

/**
 * field({id, label, value, max, min, multiline, type, hint, lang, required, list, onInput})
 * -> {wrap, input, value(), setValue(v), setError(code|null)}
 */
export function field(o) {
  const input = o.multiline
    ? el('textarea', { id: o.id, name: o.id, rows: o.rows || 5, lang: o.lang, required: o.required })
    : el('input', { id: o.id, name: o.id, type: o.type || 'text', lang: o.lang, required: o.required, list: o.list, autocomplete: o.autocomplete || 'off', inputmode: o.inputmode });
  input.value = o.value ?? '';
  const err = el('p', { class: 'field-error', id: `${o.id}-error`, role: 'alert' });
  const counter = o.max ? el('span', { class: 'counter-hint', id: `${o.id}-count`, aria: { live: 'off' } }) : null;
  const hint = o.hint ? el('p', { class: 'hint', id: `${o.id}-hint`, text: o.hint }) : null;
  input.setAttribute('aria-describedby', [hint && `${o.id}-hint`, `${o.id}-error`].filter(Boolean).join(' '));
  const wrap = el('div', { class: 'field', dataset: { field: o.id } },
    el('div', { class: 'field-label-row' }, el('label', { for: o.id, text: o.label }), counter),
    input, hint, err);
  const count = () => {
    if (!counter) return;
    const n = length(input.value);
    counter.textContent = t('ex.b.chars', { n, max: o.max });
    counter.classList.toggle('over', n > o.max);
  };
  const api = {
    wrap,
    input,
    value: () => input.value,
    setValue(v) { input.value = v ?? ''; count(); },
    setError(code) {
      err.textContent = code ? fieldErrorText(code, { max: o.max, min: o.min ?? 1 }) : '';
      input.setAttribute('aria-invalid', code ? 'true' : 'false');
      wrap.classList.toggle('invalid', !!code);
    },
  };
  input.addEventListener('input', () => { count(); if (wrap.classList.contains('invalid')) api.setError(null); o.onInput?.(); });
  count();
  return api;
}

/** Shows {name: reason} on the fields of `fields` ({name: field api}); focuses the first.
 *  Returns the reasons that have no field here (to show elsewhere). */
export function showFieldErrors(fields, reasons) {
  const rest = {};
  let first = null;
  for (const [name, f] of Object.entries(fields)) f.setError(null);
  for (const [name, code] of Object.entries(reasons || {})) {
    const f = fields[name];
    if (!f) { rest[name] = code; continue; }
    f.setError(code);
    if (!first) first = f;
  }
  first?.input.focus();
  return rest;
}
