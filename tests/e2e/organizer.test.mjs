// e2e (organizer issue 13): the organizer's live dashboard in Chromium: its numbers change within
// 2 s when a visitor in a second browser context enters a booth and chats; announcements; the
// CSV import (bad file refused, good file applied, the staff invite accepted); the Set-up
// section (a booth created through the form after one refused field, live in a second
// context's hall, then archived and gone from it); a visitor gets the "organizers only" page;
// screenshots at 1280 and 390 px in English and Korean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_OPTIONS, startStack, newPage, shot, signIn, a11yProblems } from './lib/harness.mjs';

const kpi = (page, id) => page.$eval(`#kpi-${id} .kpi-value`, (n) => Number(n.dataset.value || -1));

test('organizer dashboard: live figures follow a visitor within 2 s; other roles are refused', TEST_OPTIONS, async (t) => {
  const stack = await startStack('organizer');
  t.after(() => stack.stop());

  // --- the organizer opens the console -------------------------------------------------------
  const org = await newPage(stack, { lang: 'en', label: 'organizer' });
  await org.goto(`${stack.base}/organizer.html`);
  await signIn(org, 'organizer@demo.expo', 'demo1234');
  await org.waitForFunction(() => Number(document.querySelector('#kpi-sessions .kpi-value')?.dataset.value) >= 1);
  assert.equal(await org.isVisible('a[data-nav="organizer"]'), true, 'the header links the console for organizers');
  const visitorsBefore = await kpi(org, 'visitors');
  const chatBefore = await kpi(org, 'chat');
  // every booth is listed with its staff (names arrive with the first rounds)
  await org.waitForFunction(() => document.querySelectorAll('#org-booths tbody tr').length >= 10);
  assert.ok(await org.locator('#org-booths tr.unstaffed').count() >= 1, 'booths without staff are flagged');

  // --- a visitor in a second context enters a booth and chats -------------------------------
  const visitor = await newPage(stack, { lang: 'en', label: 'visitor' });
  await visitor.goto(`${stack.base}/`);
  await signIn(visitor, 'buyer2@demo.expo', 'demo1234');
  assert.equal(await visitor.isVisible('a[data-nav="organizer"]'), false, 'no console link for a visitor');
  await visitor.locator('#booth-grid .booth-item').first().waitFor();
  const boothId = await visitor.getAttribute('#booth-grid .booth-item >> nth=0', 'data-booth-id');
  await visitor.click('#booth-grid .booth-item >> nth=0 >> .booth-link');
  await visitor.locator('#chat-form').waitFor();
  const t0 = Date.now();
  await org.waitForFunction((n) => Number(document.querySelector('#kpi-visitors .kpi-value').dataset.value) > n, visitorsBefore, { timeout: 2000 });
  const enterMs = Date.now() - t0;
  await org.locator(`#org-top li[data-booth="${boothId}"]`).waitFor({ timeout: 2000 });

  await visitor.fill('#chat-input', `Organizer test ${Date.now()}`);
  const t1 = Date.now();
  await visitor.press('#chat-input', 'Enter');
  await org.waitForFunction((n) => Number(document.querySelector('#kpi-chat .kpi-value').dataset.value) > n, chatBefore, { timeout: 2000 });
  const chatMs = Date.now() - t1;
  console.log(`dashboard followed: enter in ${enterMs} ms, chat in ${chatMs} ms`);

  await org.waitForFunction(() => !document.querySelector('#chart-note')?.textContent.includes('Chart.js'));
  await shot(org, 'organizer-dashboard-en-1280');
  assert.deepEqual(await a11yProblems(org), [], 'dashboard: labels and names');

  // Korean, and the narrow screen
  await org.click('#lang-toggle');
  await org.waitForFunction(() => document.documentElement.lang === 'ko');
  await org.waitForFunction(() => Number(document.querySelector('#kpi-sessions .kpi-value')?.dataset.value) >= 1);
  await shot(org, 'organizer-dashboard-ko-1280');
  await org.setViewportSize({ width: 390, height: 844 });
  await org.waitForTimeout(300);
  const overflow = await org.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scroll at 390 px (${overflow})`);
  await shot(org, 'organizer-dashboard-ko-390');
  await org.click('#lang-toggle');
  await org.waitForFunction(() => document.documentElement.lang === 'en');
  await shot(org, 'organizer-dashboard-en-390');

  // --- an announcement reaches the visitor's page at once, in its language; retract removes it
  await org.setViewportSize({ width: 1280, height: 860 });
  const koPage = await newPage(stack, { lang: 'ko', label: 'ko-visitor' });
  await koPage.goto(`${stack.base}/`);
  await koPage.locator('#booth-grid .booth-item').first().waitFor();
  await org.fill('#ann-title-en', 'Keynote at 3 pm');
  await org.fill('#ann-title-ko', '오후 3시 기조연설');
  await org.fill('#ann-body-en', 'Join us on the main stage.');
  await org.fill('#ann-body-ko', '메인 무대로 오세요.');
  await org.selectOption('#ann-level', 'important');
  await org.click('#ann-publish');
  await visitor.locator('.announcement.ann-important .ann-title', { hasText: 'Keynote at 3 pm' }).waitFor({ timeout: 3000 });
  await koPage.locator('.announcement .ann-title', { hasText: '오후 3시 기조연설' }).waitFor({ timeout: 3000 });
  await shot(koPage, 'organizer-announcement-ko-1280', { fullPage: false });
  await koPage.setViewportSize({ width: 390, height: 844 });
  await shot(koPage, 'organizer-announcement-ko-390', { fullPage: false });
  await org.locator('#ann-history li button', { hasText: 'Retract' }).first().click();
  await koPage.locator('.announcement', { hasText: '오후 3시 기조연설' }).waitFor({ state: 'detached', timeout: 3000 });
  await org.locator('#audit-table code', { hasText: 'announcement.retract' }).waitFor();
  await shot(org, 'organizer-admin-en-1280');
  assert.deepEqual(koPage.errors, [], 'no page errors on the Korean page');

  // --- bulk import: one bad row is reported and nothing is created; then a good file --------
  const header = 'company_en,company_ko,booth_slug,booth_name_en,booth_name_ko,tier,staff_email,staff_name\r\n';
  const goodRow = 'Jeju Green Tea Co.,제주녹차,jeju-green-tea,Jeju Green Tea,제주 녹차,gold,lee@jeju-tea.example,이제주\r\n';
  const badFile = `\uFEFF${header}${goodRow}"Bad, Inc.",배드,Not A Slug,Bad,배드,silver,,\r\n`;
  await org.setInputFiles('#import-file', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(badFile) });
  await org.locator('#import-errors tr[data-line="3"]').first().waitFor();
  assert.equal(await org.locator('#import-errors tbody tr[data-line="2"]').count(), 0, 'the good line is not reported');
  assert.equal(await org.locator('#import-apply').count(), 0, 'no apply while a line is bad');
  await shot(org, 'organizer-import-errors-en-1280');
  await visitor.goto(`${stack.base}/`);
  await visitor.locator('#booth-grid .booth-item').first().waitFor();
  assert.equal(await visitor.locator('#booth-grid .booth-item[data-slug="jeju-green-tea"]').count(), 0, 'nothing applied');

  await org.setInputFiles('#import-file', { name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${header}${goodRow}`) });
  await org.locator('#import-apply').click();
  await org.locator('#import-invites .invite-link').waitFor();
  const link = await org.textContent('#import-invites .invite-link');
  assert.match(link, /\/invite\.html#[A-Za-z0-9_-]{43}$/);
  await shot(org, 'organizer-import-done-en-1280');
  await visitor.fill('#hall-search', 'Jeju Green');
  await visitor.locator('#booth-grid .booth-item[data-slug="jeju-green-tea"]').waitFor();
  await shot(visitor, 'organizer-import-hall-en-1280', { fullPage: false });

  // the staff member's link is a team invite: name and password, then the booth's desk
  const staffPage = await newPage(stack, { lang: 'ko', label: 'new-staff' });
  await staffPage.setViewportSize({ width: 390, height: 844 });
  await staffPage.goto(link.replace(/^https?:\/\/[^/]+/, stack.base));
  await staffPage.locator('#inv-form').waitFor();
  assert.equal(await staffPage.inputValue('#inv-email'), 'lee@jeju-tea.example');
  await shot(staffPage, 'organizer-import-invite-ko-390', { fullPage: false });
  await staffPage.fill('#inv-name', '이제주');
  await staffPage.fill('#inv-password', 'jeju-tea-pass-1');
  await staffPage.click('#inv-accept');
  await staffPage.waitForURL(/exhibitor\.html/);
  await staffPage.locator('#sign-out').waitFor();
  assert.deepEqual(staffPage.errors, [], 'no page errors on the invite page');

  // --- expo set-up: a booth made through the form (one field refused first), live in the
  // hall of a second context, then archived: gone from that hall at once ---------------------
  const hallPage = await newPage(stack, { lang: 'en', label: 'hall' });
  await hallPage.goto(`${stack.base}/?q=${encodeURIComponent('Seoul Setup')}`);
  await hallPage.locator('#hall-empty').waitFor({ state: 'visible' });
  await org.goto(`${stack.base}/organizer.html`);
  await org.locator('#setup-booths li').first().waitFor();
  await org.click('#setup-new');
  await org.fill('#su-slug', 'Seoul Setup');                        // not a slug: refused
  await org.selectOption('#su-company_id', { index: 1 });
  await org.selectOption('#su-tier', 'gold');
  await org.fill('#su-name-en', 'Seoul Setup Studio');
  await org.fill('#su-name-ko', '서울 셋업 스튜디오');
  await org.fill('#su-tagline-en', 'Made in the organizer console');
  await org.fill('#su-tagline-ko', '주최 측 콘솔에서 만든 부스');
  await org.click('#setup-save');
  await org.locator('#su-slug-error', { hasText: 'Not in the expected format' }).waitFor();
  assert.equal(await org.getAttribute('#su-slug', 'aria-invalid'), 'true', 'the refused field is marked');
  assert.equal(await hallPage.locator('#booth-grid .booth-item').count(), 0, 'nothing created while a field is refused');
  await shot(org, 'organizer-setup-error-en-1280');
  await org.fill('#su-slug', 'seoul-setup-studio');
  await org.click('#setup-save');
  await org.locator('#setup-status', { hasText: 'Created' }).waitFor();
  const made = org.locator('#setup-booths li[data-slug="seoul-setup-studio"]');
  await made.waitFor();
  // the hall of the other context shows it without a reload (hall.changed)
  const t2 = Date.now();
  await hallPage.locator('#booth-grid .booth-item[data-slug="seoul-setup-studio"]').waitFor({ timeout: 5000 });
  console.log(`hall showed the new booth after ${Date.now() - t2} ms`);
  await shot(hallPage, 'organizer-setup-hall-en-1280', { fullPage: false });
  const newId = await made.getAttribute('data-id');

  await made.locator('.su-archive').click();
  await org.locator('#setup-booths li[data-slug="seoul-setup-studio"] .badge-archived').waitFor();
  await org.locator('#setup-booths li[data-slug="seoul-setup-studio"] .su-unarchive').waitFor();
  await hallPage.locator('#booth-grid .booth-item[data-slug="seoul-setup-studio"]').waitFor({ state: 'detached', timeout: 5000 });
  await org.locator('#audit-table code', { hasText: 'booth.archive' }).first().waitFor();
  // its page says it is archived
  await hallPage.goto(`${stack.base}/booth.html?id=${newId}`);
  await hallPage.locator('#booth-archived').waitFor();
  assert.equal(await hallPage.locator('#chat-form').count(), 0, 'no chat in an archived booth');
  await shot(hallPage, 'organizer-setup-archived-booth-en-1280', { fullPage: false });

  // the set-up section in both languages and at 390 px
  await org.locator('#org-setup').scrollIntoViewIfNeeded();
  await shot(org, 'organizer-setup-en-1280');
  await org.click('#lang-toggle');
  await org.waitForFunction(() => document.documentElement.lang === 'ko');
  await org.locator('#setup-title', { hasText: '전시 설정' }).waitFor();
  await shot(org, 'organizer-setup-ko-1280');
  await org.setViewportSize({ width: 390, height: 844 });
  await made.locator('.su-edit').click();
  await org.locator('#setup-form').waitFor();
  const overflowSetup = await org.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflowSetup <= 0, `no horizontal scroll at 390 px in the set-up form (${overflowSetup})`);
  await shot(org, 'organizer-setup-ko-390');
  await org.click('#lang-toggle');
  await org.waitForFunction(() => document.documentElement.lang === 'en');
  await shot(org, 'organizer-setup-en-390');
  assert.deepEqual(await a11yProblems(org), [], 'set-up: labels and names');
  await org.click('#setup-cancel');
  await org.setViewportSize({ width: 1280, height: 860 });

  // --- the printable post-event report ---------------------------------------------------------
  await org.goto(`${stack.base}/report.html`);
  await org.locator('#rep-booth-table tbody tr').nth(10).waitFor();
  assert.ok(Number((await org.textContent('#rep-totals [data-key="booths"] .kpi-value')).replace(/\D/g, '')) >= 41, 'the imported booth is counted');
  await shot(org, 'organizer-report-en-1280');
  await org.emulateMedia({ media: 'print' });
  await shot(org, 'organizer-report-print');
  assert.equal(await org.isVisible('#site-header'), false, 'no header on paper');
  await org.emulateMedia({ media: 'screen' });

  // --- a visitor opening the console is told it is for organizers ---------------------------
  await visitor.goto(`${stack.base}/organizer.html`);
  await visitor.locator('#org-forbidden').waitFor();
  const refused = await visitor.evaluate(async () => {
    try { await window.__expo.request('stats.subscribe', {}); return 'accepted'; } catch (e) { return e.code; }
  });
  assert.equal(refused, 'forbidden', 'the server refuses stats.subscribe to a visitor');
  await shot(visitor, 'organizer-forbidden-en-1280');
  await visitor.setViewportSize({ width: 390, height: 844 });
  await shot(visitor, 'organizer-forbidden-en-390');

  assert.deepEqual([...org.errors, ...visitor.errors], [], 'no page errors');
});
