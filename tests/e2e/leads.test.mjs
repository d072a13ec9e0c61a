// e2e (issue 11, leads and analytics): a visitor leaves their business card in a booth after
// ticking the consent box; the booth's staff, in another browser context, sees it arrive live in
// the leads table, rates it, exports the CSV (checked: BOM, Korean text, a "=cmd" name
// neutralised) and sees the analytics charts drawn and the "now" counter move; the visitor
// withdraws and the row disappears. Screenshots at 1280 and 390 px, in Korean and English.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ARTIFACTS, TEST_OPTIONS, startStack, newPage, shot, signIn, register, a11yProblems } from './lib/harness.mjs';

const SLUG = 'haneul-cosmetics';
const EVIL = "=cmd|' /C calc'!A0";

/** A screenshot of one element (for a close look at a section). */
function part(page, sel, name) { return page.locator(sel).screenshot({ path: path.join(ARTIFACTS, `${name}.png`) }); }

/** True when the canvas has drawn pixels (Chart.js rendered something). */
function canvasDrawn(page, sel) {
  return page.evaluate((s) => {
    const c = document.querySelector(s);
    if (!c || !c.width || !c.height) return false;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true;
    return false;
  }, sel);
}

test('a visitor leaves a card, staff see it live, export it and see the charts', TEST_OPTIONS, async (t) => {
  const stack = await startStack('leads');
  t.after(() => stack.stop());

  // --- staff open the desk (Korean) -------------------------------------------------------
  const staff = await newPage(stack, { lang: 'ko', label: 'staff' });
  await staff.goto(`${stack.base}/exhibitor.html`);
  await staff.locator('#ex-signin').waitFor();
  await signIn(staff, `staff@${SLUG}.demo.expo`, 'demo1234');
  // the exhibitor page has tabs: Leads and Analytics are two of them
  const tab = async (id) => { await staff.click(`#ex-tab-${id}`); await staff.locator(`#ex-tab-${id}[aria-selected="true"]`).waitFor(); };
  await tab('leads');
  await staff.locator('#leads-tab #leads-empty').waitFor();
  await tab('analytics');
  await staff.locator('#analytics-tab[data-charts="drawn"]').waitFor();
  assert.ok(await canvasDrawn(staff, '#an-chart-visits'), 'visits chart drawn');
  assert.ok(await canvasDrawn(staff, '#an-chart-engagement'), 'engagement chart drawn');
  assert.equal((await staff.locator('#an-visitors-now .an-value').textContent()).trim(), '0');

  // --- a visitor registers (a formula for a name, a Korean company) and opens the booth -----
  const visitor = await newPage(stack, { lang: 'en', label: 'visitor' });
  await visitor.goto(`${stack.base}/booth.html?slug=${SLUG}`);
  await visitor.locator('#lead-signin').waitFor();
  await register(visitor, { name: EVIL, company: '한국무역 주식회사', country: 'KR' });
  await visitor.locator('#lead-leave').waitFor();

  // the "now" counter moves without a reload
  await staff.locator('#an-visitors-now .an-value', { hasText: '1' }).waitFor({ timeout: 15000 });

  await visitor.click('#lead-leave');
  await visitor.locator('#lead-dialog').waitFor();
  assert.equal(await visitor.inputValue('#lead-name'), EVIL);
  assert.equal(await visitor.inputValue('#lead-company'), '한국무역 주식회사');
  await visitor.fill('#lead-title', '구매 담당, "Head" Buyer');
  await shot(visitor, 'leads-visitor-dialog-1280-en');
  await part(visitor, '#lead-dialog', 'leads-visitor-dialog-part-1280-en');
  // without consent nothing is sent
  await visitor.click('#lead-share');
  assert.ok(await visitor.locator('#lead-dialog').isVisible(), 'the dialog stays until consent is given');
  await visitor.check('#lead-consent');
  await visitor.click('#lead-share');
  await visitor.locator('#lead-shared').waitFor();
  await shot(visitor, 'leads-visitor-shared-1280-en');

  // --- staff see it arrive live ------------------------------------------------------------
  await tab('leads');
  const row = staff.locator('#leads-table tr.lead-row', { hasText: EVIL });
  await row.waitFor({ timeout: 15000 });
  assert.match(await row.getAttribute('class'), /lead-fresh/, 'the new row is highlighted');
  await shot(staff, 'leads-staff-arrived-1280-ko');
  const id = await row.getAttribute('data-lead-id');
  await staff.selectOption(`#lead-status-${id}`, 'qualified');
  await staff.selectOption(`#lead-rating-${id}`, '4');
  await staff.fill(`#lead-notes-${id}`, '샘플 요청, MOQ 500');
  await staff.locator(`#lead-notes-${id}`).blur();
  await row.locator('.lead-saved', { hasText: /\S/ }).waitFor();
  assert.deepEqual(await a11yProblems(staff), [], 'exhibitor desk: labels and names');

  // --- CSV export (fetch + blob with the Bearer token) -------------------------------------
  const [download] = await Promise.all([staff.waitForEvent('download'), staff.click('#leads-export')]);
  assert.equal(download.suggestedFilename(), `leads-${SLUG}.csv`);
  const csv = fs.readFileSync(await download.path());
  assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
  const text = csv.subarray(3).toString('utf8');
  assert.match(text, /^Name,Company,Title,Country,E-mail,Source,Status,Rating,Notes,Shared at \(Asia\/Seoul\),Updated at \(Asia\/Seoul\)\r\n/);
  assert.ok(text.includes(`'${EVIL},한국무역 주식회사,"구매 담당, ""Head"" Buyer",KR,`), `neutralised and quoted: ${text}`);
  assert.ok(!text.includes(`\r\n${EVIL}`), 'no row starts with the formula');
  assert.ok(text.includes(',card,qualified,4,샘플 요청, MOQ 500,') || text.includes(',card,qualified,4,"샘플 요청, MOQ 500",'), text);
  assert.match(text, /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+09:00/, 'times on the booth\'s wall clock (Seoul)');

  // --- the export follows the table's filters: status 'new' leaves the qualified card out ----
  await staff.selectOption('#leads-status', 'new');
  await staff.locator('#leads-export', { hasText: /\d/ }).waitFor();
  const [filtered] = await Promise.all([staff.waitForEvent('download'), staff.click('#leads-export')]);
  const text2 = fs.readFileSync(await filtered.path()).subarray(3).toString('utf8');
  assert.ok(text2.startsWith('Name,Company,'), text2);
  assert.ok(!text2.includes(EVIL), `a 'new' export holds the qualified lead: ${text2}`);
  await staff.selectOption('#leads-status', '');
  await staff.locator('#leads-export', { hasText: /^[^\d]+$/ }).waitFor();

  // --- screenshots: both languages, both widths ----------------------------------------------
  await shot(staff, 'leads-staff-1280-ko');
  await staff.setViewportSize({ width: 390, height: 844 });
  await shot(staff, 'leads-staff-390-ko');
  await part(staff, '#leads-tab', 'leads-tab-390-ko');
  await staff.click('#lang-toggle');
  await staff.locator('#leads-title', { hasText: 'Leads' }).waitFor();
  await shot(staff, 'leads-staff-390-en');
  await staff.setViewportSize({ width: 1280, height: 860 });
  await shot(staff, 'leads-staff-1280-en');
  await part(staff, '#leads-tab', 'leads-tab-1280-en');
  await tab('analytics');
  await staff.locator('#analytics-tab[data-charts="drawn"]').waitFor();
  await part(staff, '#analytics-tab', 'analytics-tab-1280-en');
  await tab('leads');
  await visitor.setViewportSize({ width: 390, height: 844 });
  await shot(visitor, 'leads-visitor-shared-390-en');
  await visitor.click('#lang-toggle');
  await visitor.locator('#lead-withdraw', { hasText: '철회' }).waitFor();
  await shot(visitor, 'leads-visitor-shared-390-ko');
  await part(visitor, '.booth-hero', 'leads-visitor-hero-390-ko');
  await visitor.setViewportSize({ width: 1280, height: 860 });
  await shot(visitor, 'leads-visitor-shared-1280-ko');

  // --- the visitor withdraws: the row disappears for the staff ------------------------------
  visitor.once('dialog', (d) => d.accept());
  await visitor.click('#lead-withdraw');
  await visitor.locator('#lead-leave').waitFor();
  await row.waitFor({ state: 'detached', timeout: 15000 });
  await staff.locator('#leads-empty').waitFor();

  assert.deepEqual(staff.errors, [], 'no errors on the exhibitor page');
  assert.deepEqual(visitor.errors, [], 'no errors on the booth page');
});
