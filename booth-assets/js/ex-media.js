// ex-media.js: the exhibitor's media tab: list, add (with a file upload and its progress),
// reorder and delete a booth's media (docs/protocol.md, "Booth media" and "Uploads").
//
//   mountMediaTab(container, { client, boothId }) -> { destroy() }
//
// A file (brochure PDF, image) goes first to POST /upload with the page's session token as a
// Bearer token, through XMLHttpRequest so its upload progress can be shown; the returned file
// id is then attached with media.save. The size limits are checked here before sending (the
// server checks them again, and the type by the file's first bytes). The host page re-mounts
// the tab when the language changes (exhibitor.js renders everything again).

import './i18n-media.js';
import { t, pick, errorText } from './i18n.js';
import { el, clear } from './ui.js';
import { mediaItem } from './booth-media.js';

const KINDS = ['brochure', 'image', 'video', 'stream', 'link'];
const FILE_KINDS = { brochure: { accept: '.pdf,application/pdf', max: 20 << 20, hint: 'media.file_pdf_hint' },
  image: { accept: 'image/png,image/jpeg,image/webp', max: 5 << 20, hint: 'media.file_image_hint' } };

/** The message for an upload's HTTP answer (status, parsed JSON body or null). */
export function uploadErrorText(status, body) {
  const code = body && typeof body.error === 'string' ? body.error : '';
  const key = `media.err.${code}`;
  if (code && t(key) !== key) return t(key);
  if (status === 413) return t('media.err.too_large');
  if (status === 415) return t('media.err.unsupported_type');
  if (status === 401) return t('media.err.unauthorized');
  if (status === 403) return t('media.err.forbidden');
  if (status === 0) return t('media.err.network');
  return t('media.err.generic', { status });
}

/** POST /upload with progress; resolves to the JSON answer, rejects with {status, body}. */
function uploadFile(token, boothId, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/upload?booth=${encodeURIComponent(boothId)}&name=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.responseType = 'text';
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(Math.round((100 * e.loaded) / e.total)); };
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      if (xhr.status === 201 && body) resolve(body);
      else reject({ status: xhr.status, body });
    };
    xhr.onerror = () => reject({ status: 0, body: null });
    xhr.send(file);
  });
}

export function mountMediaTab(container, { client, boothId }) {
  const st = { media: [], busy: false };
  const offs = [];

  const list = el('ul', { class: 'ex-media-list', id: 'media-list' });
  const status = el('p', { class: 'muted', id: 'media-status', role: 'status', aria: { live: 'polite' } });
  const error = el('p', { class: 'form-error', id: 'media-error', role: 'alert' });
  const progress = el('progress', { id: 'media-progress', max: 100, value: 0, hidden: true, aria: { label: t('media.file') } });

  const kind = el('select', { id: 'media-kind', onchange: () => renderFields() },
    KINDS.map((k) => el('option', { value: k, text: t(`media.kind.${k}`) })));
  const titleEn = el('input', { id: 'media-title-en', maxlength: 200, autocomplete: 'off' });
  const titleKo = el('input', { id: 'media-title-ko', maxlength: 200, autocomplete: 'off', lang: 'ko' });
  const url = el('input', { id: 'media-url', type: 'url', inputmode: 'url', maxlength: 2048, placeholder: 'https://' });
  const urlHint = el('small', { class: 'muted', id: 'media-url-hint' });
  const file = el('input', { id: 'media-file', type: 'file' });
  const fileHint = el('small', { class: 'muted', id: 'media-file-hint' });
  const lang = el('select', { id: 'media-lang' }, ['ko', 'en'].map((l) => el('option', { value: l, text: t(`media.lang.${l}`) })));
  const save = el('button', { type: 'submit', class: 'btn btn-primary', id: 'media-save', text: t('media.save') });
  const urlField = el('div', { class: 'field' }, el('label', { for: 'media-url', text: t('media.url') }), url, urlHint);
  const fileField = el('div', { class: 'field' }, el('label', { for: 'media-file', text: t('media.file') }), file, fileHint);
  const langField = el('div', { class: 'field' }, el('label', { for: 'media-lang', text: t('media.lang') }), lang);
  const form = el('form', { class: 'ex-media-form', id: 'media-form', novalidate: true, onsubmit: (e) => { e.preventDefault(); submit(); } },
    el('h3', { text: t('media.add') }),
    el('div', { class: 'field' }, el('label', { for: 'media-kind', text: t('media.kind') }), kind),
    el('div', { class: 'field-row' },
      el('div', { class: 'field' }, el('label', { for: 'media-title-en', text: t('media.title_en') }), titleEn),
      el('div', { class: 'field' }, el('label', { for: 'media-title-ko', text: t('media.title_ko') }), titleKo)),
    urlField, fileField, langField, progress, el('div', { class: 'ex-media-actions' }, save), status, error);

  clear(container).append(el('h2', { id: 'ex-media-title', text: t('media.tab') }),
    el('p', { class: 'muted', text: t('media.intro') }), list, form);
  container.setAttribute('aria-labelledby', 'ex-media-title');

  function renderFields() {
    const k = kind.value;
    const f = FILE_KINDS[k];
    urlField.hidden = !!f;
    fileField.hidden = !f;
    langField.hidden = k !== 'brochure';
    if (f) { file.accept = f.accept; fileHint.textContent = t(f.hint); }
    urlHint.textContent = t(k === 'video' ? 'media.url_video_hint' : 'media.url_hint');
  }

  function setBusy(b) { st.busy = b; save.disabled = b; }
  function showError(text) { error.textContent = text || ''; if (text) status.textContent = ''; }

  function renderList() {
    clear(list);
    if (!st.media.length) { list.append(el('li', { class: 'muted', text: t('media.empty') })); return; }
    st.media.forEach((m, i) => {
      const preview = mediaItem(m);
      const title = pick(m.title) || t(`media.kind.${m.kind}`);
      list.append(el('li', { class: 'ex-media-item', dataset: { mediaId: String(m.id), kind: m.kind } },
        el('div', { class: 'ex-media-head' },
          el('span', { class: 'badge', text: t(`media.kind.${m.kind}`) }),
          m.lang ? el('span', { class: 'badge', text: t(`media.lang.${m.lang}`) }) : null,
          el('strong', { class: 'ex-media-title', text: title }),
          el('span', { class: 'ex-media-buttons' },
            el('button', { type: 'button', class: 'btn btn-ghost btn-sm', disabled: i === 0, aria: { label: `${t('media.up')}: ${title}` }, text: '↑', onclick: () => move(i, -1) }),
            el('button', { type: 'button', class: 'btn btn-ghost btn-sm', disabled: i === st.media.length - 1, aria: { label: `${t('media.down')}: ${title}` }, text: '↓', onclick: () => move(i, 1) }),
            el('button', { type: 'button', class: 'btn btn-ghost btn-sm media-delete', aria: { label: `${t('media.delete')}: ${title}` }, text: t('media.delete'), onclick: () => remove(m) }))),
        preview ? el('ul', { class: 'media-list ex-media-preview' }, preview) : null));
    });
  }

  function take(r) { if (r && Array.isArray(r.media)) { st.media = r.media; renderList(); } }

  async function load() {
    try { take({ media: (await client.request('booth.get', { booth_id: boothId })).booth.media }); } catch (e) { showError(errorText(e)); }
  }

  async function act(type, data) {
    showError('');
    try { take(await client.request(type, { booth_id: boothId, ...data })); return true; } catch (e) { showError(`${errorText(e)}${e.message ? ` (${e.message})` : ''}`); return false; }
  }

  function move(i, d) {
    const ids = st.media.map((m) => m.id);
    [ids[i], ids[i + d]] = [ids[i + d], ids[i]];
    act('media.reorder', { ids });
  }

  function remove(m) {
    const title = pick(m.title) || t(`media.kind.${m.kind}`);
    if (!confirm(t('media.delete_confirm', { title }))) return;
    act('media.delete', { id: m.id });
  }

  async function submit() {
    if (st.busy) return;
    showError('');
    const k = kind.value;
    const data = { kind: k, title: { en: titleEn.value.trim(), ko: titleKo.value.trim() } };
    if (k === 'brochure') data.lang = lang.value;
    setBusy(true);
    try {
      const f = FILE_KINDS[k];
      if (f) {
        const chosen = file.files && file.files[0];
        if (!chosen) { showError(t('media.err.no_file')); return; }
        if (chosen.size > f.max) { showError(t('media.err.too_large')); return; }
        progress.hidden = false;
        progress.value = 0;
        status.textContent = t('media.uploading', { pct: 0 });
        let up;
        try {
          up = await uploadFile(client.token, boothId, chosen, (pct) => { progress.value = pct; status.textContent = t('media.uploading', { pct }); });
        } catch (e) {
          showError(uploadErrorText(e.status, e.body));
          return;
        }
        progress.value = 100;
        status.textContent = t('media.uploaded');
        data.file_id = up.id;
        if (!data.title.en && !data.title.ko) data.title.en = up.name;
      } else {
        data.url = url.value.trim();
      }
      status.textContent = t('media.saving');
      if (await act('media.save', data)) {
        status.textContent = t('media.saved');
        form.reset();
        kind.value = k;
        renderFields();
      }
    } finally {
      progress.hidden = true;
      setBusy(false);
    }
  }

  renderFields();
  renderList();
  load();
  offs.push(client.on('media.changed', (d) => { if (d && String(d.booth_id) === String(boothId)) take(d); }));
  return { destroy() { for (const off of offs) off?.(); } };
}
