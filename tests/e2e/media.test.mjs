// e2e (issue 11, media and uploads): booth staff uploads a PDF brochure and an image from the
// exhibitor page's media tab, with upload progress; a wrong file gets a clear message; a visitor
// in another browser context, inside the booth, sees them appear live on the booth page, and
// the PDF link answers application/pdf. Also the demo's own media: a real PDF and a local clip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TEST_OPTIONS, REPO, ARTIFACTS, startStack, newPage, shot, signIn, register, a11yProblems } from './lib/harness.mjs';

/** A real PDF of the demo, padded before its end to about 3 MB so the upload takes a while. */
function bigPdf(dir) {
  const src = fs.readFileSync(path.join(REPO, 'booth-assets', 'demo', 'brochures', 'haneul-cosmetics-en.pdf'));
  const end = src.lastIndexOf('%%EOF');
  const pad = Buffer.from(`\n%${'x'.repeat(100)}`.repeat(30000));
  const file = path.join(dir, 'Company brochure 회사 소개서.pdf');
  fs.writeFileSync(file, Buffer.concat([src.subarray(0, end), pad, Buffer.from('\n'), src.subarray(end)]));
  return file;
}

test('staff uploads a PDF and an image with progress; a visitor sees them live', TEST_OPTIONS, async (t) => {
  const stack = await startStack('media');
  t.after(() => stack.stop());
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'boothd-e2e-media-'));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  // The visitor opens a booth first (a platinum one: it has the demo clip and PDFs).
  const visitor = await newPage(stack, { lang: 'en', label: 'visitor' });
  await visitor.goto(`${stack.base}/`);
  const card = visitor.locator('#booth-grid .booth-item').first();
  await card.waitFor();
  const slug = await card.getAttribute('data-slug');
  const boothId = await card.getAttribute('data-booth-id');
  // signed in, the visitor is inside the booth and gets its live events
  await register(visitor, { name: 'Avery Buyer', company: 'Avery Imports' });
  await visitor.goto(`${stack.base}/booth.html?id=${encodeURIComponent(boothId)}`);
  await visitor.locator('#booth-media').waitFor();
  // the demo's media: a playable local clip and a real PDF
  const clip = visitor.locator('#booth-media video');
  await clip.waitFor();
  const canPlay = await clip.evaluate((v) => new Promise((res) => {
    if (v.readyState >= 2) return res(true);
    v.addEventListener('loadeddata', () => res(true), { once: true });
    v.addEventListener('error', () => res(false), { once: true });
    v.load();
  }));
  assert.equal(canPlay, true, 'the demo clip loads without the internet');
  const demoPdf = await visitor.locator('#booth-media li[data-kind="brochure"] a').first().getAttribute('href');
  const demoRes = await visitor.request.get(new URL(demoPdf, stack.base).href);
  assert.equal(demoRes.headers()['content-type'], 'application/pdf');
  assert.equal((await demoRes.body()).subarray(0, 5).toString(), '%PDF-');
  await shot(visitor, 'media-visitor-before');

  // --- the staff's media tab --------------------------------------------------------------
  const staff = await newPage(stack, { lang: 'en', label: 'staff' });
  await staff.goto(`${stack.base}/exhibitor.html`);
  await staff.locator('#ex-signin').waitFor();
  await signIn(staff, `staff@${slug}.demo.expo`, 'demo1234');
  await staff.click('#ex-tab-media');            // the exhibitor page has tabs; media is one
  await staff.locator('#media-form').waitFor();
  await staff.locator('#media-list li').first().waitFor();

  // a wrong file: an SVG named .pdf is refused by its bytes, with a clear message
  const svg = path.join(tmp, 'logo.pdf');
  fs.writeFileSync(svg, '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
  await staff.selectOption('#media-kind', 'brochure');
  await staff.fill('#media-title-en', 'Not a PDF');
  await staff.setInputFiles('#media-file', svg);
  await staff.click('#media-save');
  await staff.locator('#media-error', { hasText: 'not accepted' }).waitFor();
  await shot(staff, 'media-exhibitor-wrong-type');

  // the PDF, with its progress recorded
  await staff.evaluate(() => {
    window.__progress = [];
    const p = document.getElementById('media-progress');
    new MutationObserver(() => window.__progress.push(Number(p.value))).observe(p, { attributes: true });
    const set = Object.getOwnPropertyDescriptor(HTMLProgressElement.prototype, 'value').set;
    Object.defineProperty(p, 'value', { set(v) { window.__progress.push(Number(v)); set.call(this, v); }, get() { return Number(this.getAttribute('value') || 0); } });
  });
  await staff.selectOption('#media-kind', 'brochure');
  await staff.fill('#media-title-en', 'Spring catalogue 2026');
  await staff.fill('#media-title-ko', '2026 봄 카탈로그');
  await staff.selectOption('#media-lang', 'en');
  await staff.setInputFiles('#media-file', bigPdf(tmp));
  await staff.click('#media-save');
  await staff.locator('#media-status', { hasText: 'Saved.' }).waitFor({ timeout: 30000 });
  const progress = await staff.evaluate(() => window.__progress);
  assert.ok(progress.includes(100), `progress reached 100: ${progress}`);
  assert.ok(progress.some((v) => v > 0 && v < 100) || progress.length >= 2, `progress was shown on the way: ${progress}`);
  const pdfItem = staff.locator('#media-list .ex-media-item[data-kind="brochure"]', { hasText: 'Spring catalogue 2026' });
  await pdfItem.waitFor();

  // the image: a PNG made by the browser itself
  const png = path.join(tmp, 'line-up.png');
  fs.writeFileSync(png, await staff.screenshot({ clip: { x: 0, y: 0, width: 320, height: 200 } }));
  await staff.selectOption('#media-kind', 'image');
  await staff.fill('#media-title-en', 'Our line-up');
  await staff.fill('#media-title-ko', '제품 라인업');
  await staff.setInputFiles('#media-file', png);
  await staff.click('#media-save');
  await staff.locator('#media-status', { hasText: 'Saved.' }).waitFor({ timeout: 30000 });
  await staff.locator('#media-list .ex-media-item[data-kind="image"]').waitFor();
  await shot(staff, 'media-exhibitor-en');
  assert.deepEqual(await a11yProblems(staff), [], 'media tab: labels and names');

  // --- the visitor saw both arrive, without a reload ----------------------------------------
  const link = visitor.locator('#booth-media li[data-kind="brochure"] a', { hasText: 'Spring catalogue 2026' });
  await link.waitFor({ timeout: 15000 });
  const href = await link.getAttribute('href');
  assert.match(href, /\/files\/\d+$/);
  const res = await visitor.request.get(new URL(href, stack.base).href);
  assert.equal(res.status(), 200);
  assert.equal(res.headers()['content-type'], 'application/pdf');
  assert.match(res.headers()['content-disposition'], /^inline; filename=/);
  assert.equal(Number(res.headers()['content-length']), fs.statSync(path.join(tmp, 'Company brochure 회사 소개서.pdf')).size);
  const img = visitor.locator('#booth-media li[data-kind="image"] img');
  await img.waitFor({ timeout: 15000 });
  await img.scrollIntoViewIfNeeded();     /* loading="lazy" */
  await visitor.waitForFunction(() => {
    const i = document.querySelector('#booth-media li[data-kind="image"] img');
    return i && i.complete && i.naturalWidth > 0;
  });
  await shot(visitor, 'media-visitor-en');
  await visitor.locator('#booth-media').screenshot({ path: path.join(ARTIFACTS, 'media-visitor-en-panel.png') });
  assert.deepEqual(await a11yProblems(visitor), [], 'booth page: labels and names');

  // Korean, and phone width
  await visitor.evaluate(() => localStorage.setItem('expo.lang', 'ko'));
  await visitor.reload();
  await visitor.locator('#booth-media').waitFor();
  await shot(visitor, 'media-visitor-ko');
  await visitor.setViewportSize({ width: 390, height: 844 });
  await shot(visitor, 'media-visitor-ko-phone');
  await visitor.locator('#booth-media').screenshot({ path: path.join(ARTIFACTS, 'media-visitor-ko-phone-panel.png') });
  await staff.evaluate(() => localStorage.setItem('expo.lang', 'ko'));
  await staff.reload();                          // the page comes back on the media tab (#media)
  await staff.locator('#media-list .ex-media-item').first().waitFor();
  await shot(staff, 'media-exhibitor-ko');
  await staff.setViewportSize({ width: 390, height: 844 });
  await shot(staff, 'media-exhibitor-ko-phone');
  await staff.locator('.ex-panel[data-tab="media"]').screenshot({ path: path.join(ARTIFACTS, 'media-exhibitor-ko-phone-panel.png') });
  assert.deepEqual([...visitor.errors, ...staff.errors], []);
});
