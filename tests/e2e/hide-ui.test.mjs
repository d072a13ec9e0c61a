// e2e (moderation, issue 13): hiding a booth chat message from the pages, by clicking. The
// booth's staff (Korean) hide a buyer's message on the booth page: a Hide button beside each
// visible message, an inline question (keyboard: Enter opens it, Escape closes it, focus follows),
// then chat.hide. The buyer (English, a second browser context) sees it replaced live by the grey
// line and has no Hide button anywhere; the staff page keeps it greyed, labelled 숨김. The
// organizer (a third context) hides another one from the organizers' inbox (the desk's public
// chat). A hide the server does not answer (boothd paused) shows a readable error in the
// question, and the hide still lands when the server resumes. The exhibitor desk offers the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { TEST_OPTIONS, ARTIFACTS, startStack, newPage, shot, signIn, a11yProblems, overflowing, firstBooth } from './lib/harness.mjs';

const stamp = Date.now();
const SPAM1 = `Cheap watches at my site ${stamp}`;
const SPAM2 = `Crypto giveaway, DM me ${stamp}`;
const SPAM3 = `Followers for sale ${stamp}`;
const FINE = `Do you ship to Texas? ${stamp}`;

function part(page, selector, name) {
  return page.locator(selector).screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

/** The contrast ratio of an element's text against the first opaque background behind it. */
function contrastOf(page, selector) {
  return page.locator(selector).first().evaluate((n) => {
    const rgb = (s) => (s.match(/[\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
      const f = (v) => { const c = v / 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const fg = rgb(getComputedStyle(n).color);
    let bg = [255, 255, 255];
    for (let p = n; p; p = p.parentElement) {
      const c = rgb(getComputedStyle(p).backgroundColor);
      if (c.length >= 3 && (c.length < 4 || c[3] > 0.5)) { bg = c; break; }
    }
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    return (a + 0.05) / (b + 0.05);
  });
}

/** The message <li> of `text` in the chat of `scope`. */
function row(page, text, scope = '#chat-log') {
  return page.locator(`${scope} li[data-seq]`, { hasText: text });
}

test('the Hide button: staff and organizers hide by clicking, visitors see the grey line live', TEST_OPTIONS, async (t) => {
  const stack = await startStack('hide-ui');
  t.after(async () => {
    try { process.kill(stack.pid(), 'SIGCONT'); } catch { /* not paused, or gone */ }
    await stack.stop();
  });

  // --- a buyer writes four messages in a booth's chat ---------------------------------------
  const buyer = await newPage(stack, { lang: 'en', label: 'buyer' });
  const { slug, boothId, boothUrl } = await firstBooth(stack, buyer);
  await signIn(buyer, 'buyer1@demo.expo', 'demo1234');
  await buyer.goto(boothUrl);
  await buyer.locator('#chat-form').waitFor();
  for (const text of [SPAM1, SPAM2, SPAM3, FINE]) {
    await buyer.fill('#chat-input', text);
    await buyer.press('#chat-input', 'Enter');
    await row(buyer, text).waitFor();
  }
  // a private question, so that the booth is in the organizers' inbox
  await buyer.evaluate(async (id) => {
    const r = await window.__expo.request('inquiry.open', { booth_id: id });
    await window.__expo.request('inquiry.send', { thread_id: r.thread.id, text: 'Samples for a distributor?', client_msg_id: 'hide-ui-1' });
  }, boothId);

  // --- the booth's staff: a Hide button on every visible message ------------------------------
  const staff = await newPage(stack, { lang: 'ko', label: 'staff' });
  await staff.goto(`${stack.base}/`);
  await signIn(staff, `staff@${slug}.demo.expo`, 'demo1234');
  await staff.goto(boothUrl);
  await row(staff, FINE).waitFor();
  const visible = await staff.locator('#chat-log li[data-seq]:not(.is-hidden):not(.is-removed)').count();
  assert.ok(visible >= 4, `the buyer's four messages at least (${visible})`);
  await staff.locator('#chat-log .msg-hide-btn').first().waitFor();
  assert.equal(await staff.locator('#chat-log .msg-hide-btn').count(), visible, 'one Hide per visible message');
  const btn1 = row(staff, SPAM1).locator('.msg-hide-btn');
  assert.equal((await btn1.textContent()).trim(), '숨기기');
  assert.equal(await btn1.getAttribute('aria-label'), 'Emily Carter 님의 메시지 숨기기');
  const box = await btn1.boundingBox();
  assert.ok(box.height >= 32 && box.width >= 32, `touch target ${box.width}x${box.height}`);
  assert.ok(await contrastOf(staff, '#chat-log .msg-hide-btn') >= 4.5, 'Hide button text contrast');

  // the visitor gets none
  assert.equal(await buyer.locator('.msg-hide-btn, .msg-confirm').count(), 0, 'no Hide for a visitor');

  // --- keyboard: Enter asks, Escape closes, focus follows; then hide by clicking -------------
  const seq1 = Number(await row(staff, SPAM1).getAttribute('data-seq'));
  await btn1.focus();
  await staff.keyboard.press('Enter');
  const ask1 = staff.locator(`#hide-ask-${seq1}`);
  await ask1.waitFor();
  assert.equal(await staff.evaluate(() => document.activeElement?.dataset.fk), `hide-yes-${seq1}`, 'focus on the confirm button');
  assert.equal(await row(staff, SPAM1).locator('.msg-hide-btn').count(), 0, 'the question takes the button\'s place');
  assert.match(await ask1.textContent(), /이 메시지를 숨길까요\?/);
  assert.equal(await ask1.getAttribute('role'), 'group');
  assert.ok(await contrastOf(staff, `#hide-ask-${seq1} .msg-confirm-q`) >= 4.5, 'question contrast');
  await staff.keyboard.press('Escape');
  await ask1.waitFor({ state: 'detached' });
  assert.equal(await staff.evaluate(() => document.activeElement?.dataset.fk), `hide-${seq1}`, 'focus back on Hide');
  await staff.keyboard.press('Enter');
  await ask1.waitFor();
  assert.equal(await buyer.locator(`#chat-log li[data-seq="${seq1}"].is-removed`).count(), 0, 'asking hides nothing');
  await shot(staff, 'hide-ui-staff-ko-1280-ask');
  await ask1.locator('.btn-danger').click();
  // first, while it is there (a toast leaves after 4.7 s)
  await staff.locator('.toast', { hasText: '메시지를 숨겼습니다.' }).waitFor();

  // the buyer: the grey line, live; the text is gone from the page
  const gone1 = buyer.locator(`#chat-log li[data-seq="${seq1}"].is-removed`);
  await gone1.waitFor();
  assert.equal((await gone1.textContent()).trim(), 'A message was removed by the moderators.');
  assert.ok(!(await buyer.locator('#chat-log').textContent()).includes(SPAM1));
  await row(buyer, FINE).waitFor();
  // the staff page: greyed, labelled, who hid it; no Hide any more on it
  const kept1 = staff.locator(`#chat-log li[data-seq="${seq1}"].is-hidden`);
  await kept1.waitFor();
  assert.equal(await kept1.locator('.msg-text').textContent(), SPAM1);
  assert.equal(await kept1.locator('.hidden-tag').textContent(), '숨김');
  assert.match(await kept1.locator('.msg-hidden-by').textContent(), / 님이 숨김 · /);
  assert.equal(await kept1.locator('.msg-hide-btn').count(), 0);
  assert.equal(await staff.locator('#chat-log .msg-hide-btn').count(), visible - 1);

  // --- the organizer hides another one from the organizers' inbox ----------------------------
  const org = await newPage(stack, { lang: 'en', label: 'organizer' });
  await org.goto(`${stack.base}/organizer.html`);
  await signIn(org, 'organizer@demo.expo', 'demo1234');
  await org.locator('#org-inbox #desk-list li[data-thread]').first().waitFor();
  await org.selectOption('#desk-filter-booth', String(boothId));
  await org.click(`#desk-public-${boothId}`);
  const orgRow2 = row(org, SPAM2, '#org-inbox #chat-log');
  await orgRow2.waitFor();
  const seq2 = Number(await orgRow2.getAttribute('data-seq'));
  assert.equal(await org.locator(`#org-inbox #chat-log li[data-seq="${seq1}"].is-hidden .hidden-tag`).textContent(), 'Hidden');
  const orgBtn = orgRow2.locator('.msg-hide-btn');
  assert.equal((await orgBtn.textContent()).trim(), 'Hide');
  assert.equal(await orgBtn.getAttribute('aria-label'), 'Hide the message from Emily Carter');
  await orgBtn.click();
  const ask2 = org.locator(`#hide-ask-${seq2}`);
  await ask2.waitFor();
  assert.match(await ask2.textContent(), /Hide this message\? Visitors will no longer see it/);
  await shot(org, 'hide-ui-organizer-en-1280-ask');
  await ask2.getByRole('button', { name: 'Hide message' }).click();
  await buyer.locator(`#chat-log li[data-seq="${seq2}"].is-removed`).waitFor();
  await org.locator(`#org-inbox #chat-log li[data-seq="${seq2}"].is-hidden`).waitFor();
  const kept2 = staff.locator(`#chat-log li[data-seq="${seq2}"].is-hidden`);
  await kept2.waitFor();
  assert.match(await kept2.locator('.msg-hidden-by').textContent(), /^Expo Organizer 님이 숨김 · /);

  // --- a hide the server does not answer: a readable error, and the hide lands later --------
  const seq3 = Number(await row(staff, SPAM3).getAttribute('data-seq'));
  await row(staff, SPAM3).locator('.msg-hide-btn').click();
  const ask3 = staff.locator(`#hide-ask-${seq3}`);
  await ask3.waitFor();
  process.kill(stack.pid(), 'SIGSTOP');
  try {
    await ask3.locator('.btn-danger').click();
    await ask3.locator('.btn-danger', { hasText: '숨기는 중…' }).waitFor();
    const err = ask3.locator('.msg-confirm-error');
    await err.waitFor({ timeout: 25000 });   // the client gives up after 10 s
    assert.match(await err.textContent(), /^메시지를 숨기지 못했습니다: .+/);
    assert.equal(await err.getAttribute('role'), 'alert');
    assert.ok(await contrastOf(staff, `#hide-ask-${seq3} .msg-confirm-error`) >= 4.5, 'error contrast');
    assert.ok(await err.evaluate((n) => {
      const r = n.getBoundingClientRect();
      const l = document.getElementById('chat-log').getBoundingClientRect();
      return r.top >= l.top - 1 && r.bottom <= l.bottom + 1;
    }), 'the error is in the log\'s view');
    await part(staff, '#chat', 'hide-ui-staff-ko-1280-error');
  } finally {
    process.kill(stack.pid(), 'SIGCONT');
  }
  // the request had reached the server: it hides the message when it runs again, and the
  // question closes by itself
  await staff.locator(`#chat-log li[data-seq="${seq3}"].is-hidden`).waitFor({ timeout: 20000 });
  await ask3.waitFor({ state: 'detached' });
  await buyer.locator(`#chat-log li[data-seq="${seq3}"].is-removed`).waitFor({ timeout: 20000 });

  // --- looks: KO and EN, 1280 and 390, with the Hide buttons and hidden messages ------------
  await row(staff, FINE).locator('.msg-hide-btn').click();   // a question open, for the pictures
  await shot(staff, 'hide-ui-staff-ko-1280');
  await part(staff, '#chat', 'hide-ui-staff-ko-1280-chat');
  await staff.keyboard.press('Escape');
  await staff.setViewportSize({ width: 390, height: 844 });
  assert.deepEqual(await overflowing(staff, '#chat'), [], 'no overflow at 390 px (KO)');
  const small = await row(staff, FINE).locator('.msg-hide-btn').boundingBox();
  assert.ok(small.height >= 32 && small.width >= 32, `touch target at 390 px ${small.width}x${small.height}`);
  await row(staff, FINE).locator('.msg-hide-btn').click();
  await staff.locator('#chat-log .msg-confirm').scrollIntoViewIfNeeded();
  assert.deepEqual(await overflowing(staff, '#chat'), [], 'no overflow at 390 px with the question (KO)');
  await part(staff, '#chat', 'hide-ui-staff-ko-390-chat');
  await staff.click('#lang-toggle');
  await staff.waitForFunction(() => document.documentElement.lang === 'en');
  await row(staff, FINE).locator('.msg-confirm', { hasText: 'Hide this message?' }).waitFor();
  assert.equal(await staff.locator(`#chat-log li[data-seq="${seq1}"] .hidden-tag`).textContent(), 'Hidden');
  assert.deepEqual(await overflowing(staff, '#chat'), [], 'no overflow at 390 px (EN)');
  await part(staff, '#chat', 'hide-ui-staff-en-390-chat');
  await shot(staff, 'hide-ui-staff-en-390');
  await staff.setViewportSize({ width: 1280, height: 860 });
  await part(staff, '#chat', 'hide-ui-staff-en-1280-chat');
  await org.setViewportSize({ width: 390, height: 844 });
  assert.deepEqual(await overflowing(org, '#org-inbox #chat'), [], 'organizers\' inbox chat at 390 px');
  await part(org, '#org-inbox #chat', 'hide-ui-organizer-en-390-chat');
  await buyer.setViewportSize({ width: 390, height: 844 });
  await part(buyer, '#chat', 'hide-ui-buyer-en-390-chat');
  assert.equal(await buyer.locator('.msg-hide-btn, .msg-confirm').count(), 0, 'still no Hide for the visitor');

  for (const [p, what] of [[buyer, 'buyer'], [staff, 'staff'], [org, 'organizer']]) {
    assert.deepEqual(await a11yProblems(p), [], `${what}: labels and names`);
  }

  // --- the exhibitor desk's public chat offers the same ---------------------------------------
  await staff.goto(`${stack.base}/exhibitor.html`);
  await staff.click(`#desk-public-${boothId}`);
  await row(staff, FINE, '#desk #chat-log').locator('.msg-hide-btn').waitFor();
  assert.equal(await staff.locator(`#desk #chat-log li[data-seq="${seq1}"].is-hidden .msg-hide-btn`).count(), 0);
  await part(staff, '#desk #chat', 'hide-ui-desk-en-1280-chat');
  await staff.setViewportSize({ width: 390, height: 844 });
  assert.deepEqual(await overflowing(staff, '#desk'), [], 'the desk\'s public chat at 390 px');
  await row(staff, FINE, '#desk #chat-log').locator('.msg-hide-btn').click();
  await staff.locator('#desk .msg-confirm').waitFor();
  assert.deepEqual(await overflowing(staff, '#desk'), [], 'the desk\'s question at 390 px');
  await part(staff, '#desk #chat', 'hide-ui-desk-en-390-chat');

  assert.deepEqual([...buyer.errors, ...staff.errors, ...org.errors], []);
});
