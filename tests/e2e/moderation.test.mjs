// e2e (moderation, issue 13): an organizer hides a buyer's booth chat message. The buyer's
// page (English) drops its text for one quiet line, live and after a reload; the booth's staff
// (Korean) keep reading it greyed, labelled 숨김 with who hid it. Then the organizer suspends the
// buyer: the saved sign-in and the sign-in dialog say why and until when (English and Korean),
// while a wrong password still gets the usual answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { TEST_OPTIONS, ARTIFACTS, startStack, newPage, shot, signIn, a11yProblems } from './lib/harness.mjs';

const SPAM = `Cheap watches, visit my site ${Date.now()}`;

/** A screenshot of one element (the chat panel, the dialog), to look at what changed. */
function part(page, selector, name) {
  return page.locator(selector).screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

/** Sends a request as the page's signed-in client. */
function call(page, type, data) {
  return page.evaluate(([ty, d]) => window.__expo.request(ty, d), [type, data]);
}

test('hidden messages per role; a suspended account is told why', TEST_OPTIONS, async (t) => {
  const stack = await startStack('moderation');
  t.after(() => stack.stop());

  const buyer = await newPage(stack, { lang: 'en', label: 'buyer' });
  await buyer.goto(`${stack.base}/`);
  const card = buyer.locator('#booth-grid .booth-item').first();
  await card.waitFor();
  const slug = await card.getAttribute('data-slug');
  const boothId = Number(await card.getAttribute('data-booth-id'));
  const boothUrl = `${stack.base}/booth.html?id=${boothId}`;

  await signIn(buyer, 'buyer1@demo.expo', 'demo1234');
  await buyer.goto(boothUrl);
  await buyer.locator('#chat-form').waitFor();
  const staff = await newPage(stack, { lang: 'ko', label: 'staff' });
  await staff.goto(`${stack.base}/`);
  await signIn(staff, `staff@${slug}.demo.expo`, 'demo1234');
  await staff.goto(boothUrl);
  await staff.locator('#chat-form').waitFor();
  const org = await newPage(stack, { lang: 'en', label: 'organizer' });
  await org.goto(`${stack.base}/`);
  await signIn(org, 'organizer@demo.expo', 'demo1234');

  await buyer.fill('#chat-input', SPAM);
  await buyer.press('#chat-input', 'Enter');
  const fine = `Do you ship to Texas? ${Date.now()}`;
  await buyer.fill('#chat-input', fine);
  await buyer.press('#chat-input', 'Enter');
  await staff.locator('#chat-log .msg-text', { hasText: fine }).waitFor();
  const seq = Number(await buyer.locator('#chat-log li[data-seq]', { hasText: SPAM }).getAttribute('data-seq'));

  // --- the organizer hides it: live on both pages --------------------------------------------
  await call(org, 'chat.hide', { booth_id: boothId, seq });
  const gone = buyer.locator(`#chat-log li[data-seq="${seq}"].is-removed`);
  await gone.waitFor();
  assert.equal((await gone.textContent()).trim(), 'A message was removed by the moderators.');
  assert.ok(!(await buyer.locator('#chat-log').textContent()).includes(SPAM), 'the buyer page no longer holds the text');
  const kept = staff.locator(`#chat-log li[data-seq="${seq}"].is-hidden`);
  await kept.waitFor();
  assert.equal((await kept.locator('.msg-text').textContent()), SPAM, 'staff still read it');
  assert.equal((await kept.locator('.hidden-tag').textContent()), '숨김');
  assert.match(await kept.locator('.msg-hidden-by').textContent(), /Expo Organizer 님이 숨김 · /);
  await buyer.locator('#chat-log .msg-text', { hasText: fine }).waitFor();   // the rest stays

  // --- after a reload (history from the server): the same ----------------------------------
  await buyer.reload();
  await buyer.locator(`#chat-log li[data-seq="${seq}"].is-removed`).waitFor();
  assert.ok(!(await buyer.locator('#chat-log').textContent()).includes(SPAM));
  await staff.reload();
  await staff.locator(`#chat-log li[data-seq="${seq}"].is-hidden .hidden-tag`).waitFor();
  await org.goto(boothUrl);
  const orgView = org.locator(`#chat-log li[data-seq="${seq}"].is-hidden`);
  await orgView.waitFor();
  assert.equal(await orgView.locator('.hidden-tag').textContent(), 'Hidden');
  assert.match(await orgView.locator('.msg-hidden-by').textContent(), /^Hidden by Expo Organizer · /);
  assert.deepEqual(await a11yProblems(buyer), [], 'booth page (buyer): labels and names');
  assert.deepEqual(await a11yProblems(staff), [], 'booth page (staff): labels and names');
  await shot(buyer, 'moderation-buyer-en-1280');
  await shot(staff, 'moderation-staff-ko-1280');
  await shot(org, 'moderation-organizer-en-1280');
  await staff.setViewportSize({ width: 390, height: 844 });
  await shot(staff, 'moderation-staff-ko-390');
  await part(staff, '#chat', 'moderation-staff-ko-390-chat');
  await part(org, '#chat', 'moderation-organizer-en-1280-chat');
  await buyer.setViewportSize({ width: 390, height: 844 });
  await buyer.click('#lang-toggle');
  await buyer.waitForFunction(() => document.documentElement.lang === 'ko');
  await buyer.locator(`#chat-log li[data-seq="${seq}"]`, { hasText: '운영진이 삭제한 메시지입니다.' }).waitFor();
  await shot(buyer, 'moderation-buyer-ko-390');
  await part(buyer, '#chat', 'moderation-buyer-ko-390-chat');

  // --- the organizer suspends the buyer until a set time ------------------------------------
  const until = new Date(Date.now() + 3 * 86400000);
  until.setUTCSeconds(0, 0);
  await call(org, 'account.ban', { email: 'buyer1@demo.expo', reason: 'Spam in booth chats', until: until.toISOString() });
  // the buyer's page reconnects; its saved sign-in is refused with the reason (Korean page)
  // (one wait, no second read: a toast goes away after a few seconds)
  await buyer.locator('.toast-error', { hasText: /이용을 정지한 계정입니다\. 사유: Spam in booth chats$/ }).waitFor({ timeout: 20000 });
  await buyer.locator('#sign-in').waitFor();
  // signing in again: the right password is told why and until when
  await buyer.click('#sign-in');
  await buyer.fill('#auth-email', 'buyer1@demo.expo');
  await buyer.fill('#auth-password', 'demo1234');
  await buyer.click('#auth-submit');
  const err = buyer.locator('#auth-error');
  await err.filter({ hasText: '사유: Spam in booth chats' }).waitFor();
  assert.match(await err.textContent(), /까지 이용을 정지한 계정입니다/);
  await shot(buyer, 'moderation-banned-ko-390');
  await part(buyer, '#auth-dialog', 'moderation-banned-ko-390-dialog');
  // a wrong password learns nothing about the suspension
  await buyer.fill('#auth-password', 'not-the-password');
  await buyer.click('#auth-submit');
  await err.filter({ hasText: '이메일 또는 비밀번호가 올바르지 않습니다.' }).waitFor();
  // in English, at desktop width
  await buyer.keyboard.press('Escape');
  await buyer.setViewportSize({ width: 1280, height: 860 });
  await buyer.click('#lang-toggle');
  await buyer.waitForFunction(() => document.documentElement.lang === 'en');
  await buyer.click('#sign-in');
  await buyer.fill('#auth-email', 'buyer1@demo.expo');
  await buyer.fill('#auth-password', 'demo1234');
  await buyer.click('#auth-submit');
  await err.filter({ hasText: 'Reason: Spam in booth chats' }).waitFor();
  const en = await err.textContent();
  assert.match(en, /^This account is suspended by the organizers until .+\. Reason: Spam in booth chats$/);
  assert.ok(en.includes(String(until.getFullYear())), `the end date is shown (${en})`);
  await shot(buyer, 'moderation-banned-en-1280');

  // --- unbanned: the same dialog signs in --------------------------------------------------
  const account = (await call(org, 'ban.list', {})).bans.find((b) => b.email === 'buyer1@demo.expo').account_id;
  await call(org, 'account.unban', { account_id: account });
  await buyer.click('#auth-submit');
  await buyer.waitForSelector('#sign-out');

  assert.deepEqual([...buyer.errors, ...staff.errors, ...org.errors], []);
});
