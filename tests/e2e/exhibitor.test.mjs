// e2e (exhibitor console, issue 11): staff sign in, edit the booth in both languages while the
// preview follows, a visitor in another browser context sees the change live on the booth
// page; a bad link gets its error next to the field; staff add a product; staff invite a
// colleague, a third context opens the link, joins and lands on the desk of that booth.
// Screenshots of every tab at 1280 and 390 px, in Korean and English, and of the invite page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_OPTIONS, startStack, newPage, shot, signIn, register, a11yProblems } from './lib/harness.mjs';

const PHONE = { width: 390, height: 844 };

test('staff edit the booth live for visitors and invite a colleague who joins', TEST_OPTIONS, async (t) => {
  const stack = await startStack('exhibitor');
  t.after(() => stack.stop());

  // A visitor inside a booth.
  const visitor = await newPage(stack, { lang: 'en', label: 'visitor' });
  await visitor.goto(`${stack.base}/`);
  const card = visitor.locator('#booth-grid .booth-item').nth(2);
  await card.waitFor();
  const slug = await card.getAttribute('data-slug');
  const boothId = await card.getAttribute('data-booth-id');
  await register(visitor, { name: 'Olivia Grant', company: 'Maple Home Goods', country: 'Canada' });
  await visitor.goto(`${stack.base}/booth.html?id=${boothId}`);
  await visitor.locator('#booth-name').waitFor();
  await visitor.locator('#chat').waitFor();

  // Staff (Korean UI) sign in: the desk is the first tab.
  const staff = await newPage(stack, { lang: 'ko', label: 'staff' });
  await staff.goto(`${stack.base}/exhibitor.html`);
  await staff.locator('#ex-signin').waitFor();
  await signIn(staff, `staff@${slug}.demo.expo`, 'demo1234');
  await staff.locator('#win-form').waitFor();
  await staff.locator('#ex-tab-desk[aria-selected="true"]').waitFor();
  await shot(staff, 'ex-desk-ko');

  // Booth tab: English and Korean side by side; the preview follows the typing.
  await staff.click('#ex-tab-booth');
  await staff.locator('#eb-form').waitFor();
  await staff.fill('#eb-name_en', 'Moonlight Ceramics Studio');
  await staff.locator('#ex-preview-name-en', { hasText: 'Moonlight Ceramics Studio' }).waitFor();
  await staff.fill('#eb-tagline_ko', '달빛을 담은 도자기');
  await staff.locator('#ex-preview-tagline-ko', { hasText: '달빛을 담은 도자기' }).waitFor();
  await staff.fill('#eb-tagline_en', 'Porcelain that holds the moonlight');
  await staff.locator('#ex-preview-tagline-en', { hasText: 'Porcelain that holds the moonlight' }).waitFor();
  // a bad link: its reason appears next to the field, nothing is saved
  await staff.fill('#eb-website', 'ftp://moonlight.example');
  await staff.click('#eb-save');
  await staff.locator('#eb-website-error', { hasText: /\S/ }).waitFor();
  assert.equal(await staff.locator('#eb-website').getAttribute('aria-invalid'), 'true');
  await shot(staff, 'ex-booth-ko-field-error');
  assert.equal(await visitor.locator('#booth-name').textContent() === 'Moonlight Ceramics Studio', false);
  await staff.fill('#eb-website', 'https://moonlight.example');
  await staff.click('#eb-save');
  await staff.locator('#eb-status', { hasText: /\S/ }).waitFor();
  await shot(staff, 'ex-booth-ko');

  // The visitor sees it live, without a reload.
  await visitor.locator('#booth-name', { hasText: 'Moonlight Ceramics Studio' }).waitFor();
  await visitor.locator('.booth-title .tagline', { hasText: 'Porcelain that holds the moonlight' }).waitFor();
  await shot(visitor, 'ex-visitor-live');

  // Products: add one; the visitor's page lists it.
  await staff.click('#ex-tab-products');
  await staff.locator('#ep-add').click();
  await staff.fill('#ep-name_en', 'Moon Jar, 30 cm');
  await staff.fill('#ep-name_ko', '달항아리 30cm');
  await staff.fill('#ep-moq', '20 pcs');
  await shot(staff, 'ex-products-ko-editor');
  await staff.click('#ep-save');
  await staff.locator('#ep-items .ex-product', { hasText: '달항아리 30cm' }).waitFor();
  await shot(staff, 'ex-products-ko');
  await visitor.locator('#products .product', { hasText: 'Moon Jar, 30 cm' }).waitFor();

  // Team: invite a colleague; the link is shown to send.
  await staff.click('#ex-tab-team');
  await staff.locator('#et-staff').waitFor();
  await staff.fill('#et-email', 'not an address');
  await staff.click('#et-invite-send');
  await staff.locator('#et-email-error', { hasText: /\S/ }).waitFor();
  const colleague = `colleague-${Date.now()}@moonlight.example`;
  await staff.fill('#et-email', colleague);
  await staff.click('#et-invite-send');
  const link = await staff.locator('#et-link').inputValue();
  assert.match(link, /\/invite\.html#[A-Za-z0-9_-]{43}$/);
  await staff.locator('#et-invites li', { hasText: colleague }).waitFor();
  await shot(staff, 'ex-team-ko');
  assert.deepEqual(await a11yProblems(staff), [], 'exhibitor console: labels and names');

  // A third context opens the link, joins, and lands on the desk of that booth.
  const mate = await newPage(stack, { lang: 'en', label: 'colleague' });
  await mate.goto(link);
  await mate.locator('#inv-form').waitFor();
  assert.match(await mate.locator('#inv-booth').textContent(), /Moonlight Ceramics Studio/);
  await shot(mate, 'ex-invite-en');
  await mate.setViewportSize(PHONE);
  await shot(mate, 'ex-invite-en-phone');
  await mate.setViewportSize({ width: 1280, height: 860 });
  await mate.fill('#inv-name', 'Jiwoo Han');
  await mate.fill('#inv-password', 'short');
  await mate.click('#inv-accept');
  await mate.locator('#inv-password-error', { hasText: /\S/ }).waitFor();
  await mate.fill('#inv-password', 'a long enough password');
  await mate.click('#inv-accept');
  await mate.waitForURL(/exhibitor\.html/);
  await mate.locator('#win-form').waitFor();
  await mate.locator('#ex-open-booth', { hasText: 'Moonlight Ceramics Studio' }).waitFor();
  await shot(mate, 'ex-colleague-desk-en');
  // the used link is refused now
  const late = await newPage(stack, { lang: 'ko', label: 'late' });
  await late.goto(link);
  await late.locator('#inv-invalid').waitFor();
  await shot(late, 'ex-invite-used-ko');
  // the colleague is on the team list
  await staff.reload();
  await staff.locator('#ex-tab-team[aria-selected="true"]').waitFor();
  await staff.locator('#et-staff tr', { hasText: 'Jiwoo Han' }).waitFor();

  // Screenshots: every tab in English at 1280 px and at 390 px, and Korean at 390 px.
  await mate.click('#ex-tab-booth');
  await mate.locator('#eb-form').waitFor();
  await shot(mate, 'ex-booth-en');
  for (const [page, lang] of [[mate, 'en'], [staff, 'ko']]) {
    await page.setViewportSize(PHONE);
    for (const tab of ['desk', 'booth', 'products', 'team']) {
      await page.click(`#ex-tab-${tab}`);
      await page.locator(`#ex-panel-${tab} .panel`).first().waitFor();
      await shot(page, `ex-${tab}-${lang}-phone`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${tab} (${lang}) is wider than 390 px by ${overflow} px`);
    }
  }
  await mate.click('#ex-tab-products');
  await mate.setViewportSize({ width: 1280, height: 860 });
  await shot(mate, 'ex-products-en');
  await mate.click('#ex-tab-team');
  await mate.locator('#et-staff').waitFor();
  await shot(mate, 'ex-team-en');
  await late.setViewportSize(PHONE);
  await shot(late, 'ex-invite-used-ko-phone');
  // a second, unused invite in Korean at 390 px
  await staff.click('#ex-tab-team');
  await staff.fill('#et-email', `second-${Date.now()}@moonlight.example`);
  await staff.click('#et-invite-send');
  await late.goto(await staff.locator('#et-link').inputValue());
  await late.locator('#inv-form').waitFor();
  await shot(late, 'ex-invite-ko-phone');
  assert.deepEqual([...visitor.errors, ...staff.errors, ...mate.errors, ...late.errors], []);
});
