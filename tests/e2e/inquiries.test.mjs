// e2e (inquiries issue): three browser contexts. A buyer asks a booth privately; the question
// arrives on the staff member's desk with a badge and a count in the title; the reply arrives
// live; a second buyer sees nothing of it. 25 rapid sends are all delivered with no visible
// error (the page paces them under the server's rate). The unsent draft survives a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_OPTIONS, ARTIFACTS, startStack, newPage, shot, signIn, a11yProblems, overflowing as overflow } from './lib/harness.mjs';

const SLUG = 'haneul-cosmetics';

async function seqsOf(page) {
  return page.$$eval('#inq-log li[data-seq]', (lis) => lis.map((li) => Number(li.dataset.seq)));
}

test('private inquiry: desk badge and title, live reply, privacy, 25 paced sends, draft kept', TEST_OPTIONS, async (t) => {
  const stack = await startStack('inquiries');
  t.after(() => stack.stop());

  // --- the booth's staff opens the desk ----------------------------------------------------
  const staff = await newPage(stack, { lang: 'en', label: 'staff' });
  await staff.goto(`${stack.base}/`);
  const card = staff.locator(`#booth-grid .booth-item[data-slug="${SLUG}"]`);
  await card.waitFor();
  const boothId = await card.getAttribute('data-booth-id');
  await signIn(staff, `staff@${SLUG}.demo.expo`, 'demo1234');
  await staff.goto(`${stack.base}/exhibitor.html`);
  await staff.locator('#desk #desk-list').waitFor();
  await staff.locator(`#desk-public-${boothId}`).waitFor();

  // --- a second buyer, listening for any inquiry event -------------------------------------
  const other = await newPage(stack, { lang: 'en', label: 'buyer2' });
  await other.goto(`${stack.base}/`);
  await signIn(other, 'buyer2@demo.expo', 'demo1234');
  await other.goto(`${stack.base}/booth.html?id=${encodeURIComponent(boothId)}`);
  await other.locator('#inquiry').waitFor();
  await other.evaluate(() => { window.__inq = []; window.__expo.on('inquiry.message', (d) => window.__inq.push(d)); });

  // --- buyer 1 asks privately -------------------------------------------------------------
  const buyer = await newPage(stack, { lang: 'en', label: 'buyer1' });
  await buyer.goto(`${stack.base}/`);
  await signIn(buyer, 'buyer1@demo.expo', 'demo1234');
  await buyer.goto(`${stack.base}/booth.html?id=${encodeURIComponent(boothId)}`);
  // the staff member sits on the desk, not in the booth: still "online"
  await buyer.locator('#inq-staff-note[data-online="true"]').waitFor({ timeout: 15000 });
  await buyer.locator('#booth-staff[data-online="true"]').waitFor({ timeout: 15000 });
  await buyer.click('#inq-ask');
  await buyer.locator('#inq-form').waitFor();
  const question = `What is your FOB price for 2,000 units? ${Date.now()}`;
  await buyer.fill('#inq-input', question);
  await buyer.press('#inq-input', 'Enter');
  await buyer.locator('#inq-log li[data-seq] .msg-text', { hasText: question }).waitFor();
  await shot(buyer, 'inquiries-booth-buyer');

  // --- it arrives on the desk with a badge and the count in the title ----------------------
  const item = staff.locator('#desk-list li[data-thread]');
  await item.locator('.counter', { hasText: '1' }).waitFor();
  await staff.waitForFunction(() => document.title.startsWith('(1) '));
  await staff.locator('#desk-total', { hasText: '1' }).waitFor();
  await shot(staff, 'inquiries-desk-badge');
  await item.locator('button').click();
  await staff.locator('#inq-log .msg-text', { hasText: question }).waitFor();
  await staff.locator('#desk-buyer-card', { hasText: 'Emily Carter' }).waitFor();
  assert.match(await staff.locator('#desk-buyer-card .desk-buyer-time').textContent(), /Chicago/, 'the buyer\'s local time, from their browser\'s zone');
  // reading it clears the badge and the title count
  await staff.waitForFunction(() => !document.title.startsWith('('));
  await staff.click('#desk-claim');
  await staff.locator('#desk-claim-who', { hasText: 'Handled by you' }).waitFor();

  // --- the booth's quick replies, edited on the desk, offered beside the thread -------------
  await staff.click(`#desk-public-${boothId}`);
  await staff.locator('#desk-settings summary').click();
  await staff.fill('#desk-quick-input', 'Thank you for your interest!\nOur MOQ is 500 units.');
  await staff.click('#desk-settings button[type="submit"]');
  await staff.locator('#desk-settings .form-ok', { hasText: 'Saved' }).waitFor();
  await item.locator('button').click();
  await staff.locator('#inq-quick .quick-reply', { hasText: 'Our MOQ is 500 units.' }).click();
  assert.equal(await staff.inputValue('#inq-input'), 'Our MOQ is 500 units.');

  // --- the reply arrives live ---------------------------------------------------------------
  const reply = `FOB Busan USD 3.20, MOQ 500. <i>not italic</i> ${Date.now()}`;
  await staff.fill('#inq-input', reply);
  await staff.click('#inq-send');
  const got = buyer.locator('#inq-log li.msg.is-staff .msg-text', { hasText: reply });
  await got.waitFor();
  assert.equal(await got.textContent(), reply, 'text shown literally');
  assert.equal(await buyer.locator('#inq-log i').count(), 0, 'no element made from message text');
  await shot(staff, 'inquiries-desk-thread');

  // --- 25 rapid sends: all delivered, in order, no visible error -----------------------------
  await buyer.evaluate(() => {
    window.__failed = 0;
    new MutationObserver(() => { if (document.querySelector('#inq-log .is-failed')) window.__failed++; })
      .observe(document.getElementById('inquiry'), { subtree: true, childList: true });
  });
  const burst = [];
  for (let i = 1; i <= 25; i++) {
    const m = `Quick question ${i} ${Date.now()}`;
    burst.push(m);
    await buyer.fill('#inq-input', m);
    await buyer.press('#inq-input', 'Enter');
  }
  await buyer.waitForFunction(() => document.querySelectorAll('#inq-log li[data-seq]').length >= 27
    && !document.querySelector('#inq-log li[data-pending]'), null, { timeout: 60000 });
  assert.equal(await buyer.evaluate(() => window.__failed), 0, 'no send was shown as failed');
  const seqs = await seqsOf(buyer);
  assert.deepEqual(seqs, Array.from({ length: 27 }, (_, i) => i + 1), 'gapless, no duplicates');
  for (const m of burst) await staff.locator('#inq-log .msg-text', { hasText: m }).waitFor();
  assert.deepEqual(await seqsOf(staff), seqs, 'the desk has the same messages in the same order');

  // --- the second buyer saw nothing ---------------------------------------------------------
  assert.deepEqual(await other.evaluate(() => window.__inq), [], 'no inquiry event reached buyer 2');
  assert.equal(await other.locator('text=FOB Busan').count(), 0);
  await other.goto(`${stack.base}/inquiries.html`);
  await other.locator('#inq-none').waitFor();

  // --- the draft survives a reload; My inquiries has the thread ------------------------------
  const draft = `Unsent draft ${Date.now()}`;
  await buyer.fill('#inq-input', draft);
  await buyer.reload();
  await buyer.locator('#inq-form').waitFor();
  assert.equal(await buyer.inputValue('#inq-input'), draft);
  await buyer.goto(`${stack.base}/inquiries.html`);
  await buyer.locator('#inq-list li[data-thread]').waitFor();
  await shot(buyer, 'inquiries-mine-en-1280');
  assert.deepEqual(await a11yProblems(buyer), [], 'my inquiries: labels and names');
  assert.deepEqual(await a11yProblems(staff), [], 'desk: labels and names');

  // --- Korean and phone-sized views -----------------------------------------------------------
  await buyer.locator('#inq-list li[data-thread] button').click();
  await buyer.locator('#inq-log li[data-seq]').first().waitFor();
  await buyer.setViewportSize({ width: 390, height: 844 });
  await buyer.click('#lang-toggle');
  await buyer.waitForFunction(() => document.documentElement.lang === 'ko');
  await shot(buyer, 'inquiries-mine-ko-390');
  assert.deepEqual(await overflow(buyer, '.inq-page'), [], 'my inquiries at 390 px: nothing wider than the screen');
  await buyer.goto(`${stack.base}/booth.html?id=${encodeURIComponent(boothId)}`);
  await buyer.locator('#inq-form').waitFor();
  await buyer.locator('#inquiry').screenshot({ path: `${ARTIFACTS}/inquiries-booth-ko-390.png` });
  assert.deepEqual(await overflow(buyer, '#inquiry'), [], 'booth at 390 px: nothing wider than the screen');
  await staff.setViewportSize({ width: 390, height: 844 });
  await shot(staff, 'inquiries-desk-en-390');
  assert.deepEqual(await overflow(staff, '#desk'), [], 'desk at 390 px: nothing wider than the screen');
  await staff.click('#lang-toggle');
  await staff.waitForFunction(() => document.documentElement.lang === 'ko');
  await staff.setViewportSize({ width: 1280, height: 860 });
  await shot(staff, 'inquiries-desk-ko-1280');

  assert.deepEqual([...buyer.errors, ...staff.errors, ...other.errors], []);
});
