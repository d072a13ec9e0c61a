// e2e (organizers' inbox, issue 12): the header links each console only to those it serves (a
// buyer sees neither the exhibitor desk nor the organizer console, booth staff see the desk,
// organizers the console), and My meetings only to buyers (the only ones who can book); staff
// and organizers, who answer inquiries for booths, find their own as "Inquiries I sent". A buyer asks a booth privately; the organizer sees it in the inbox
// of every booth on organizer.html with a badge and a count in the title beside another booth's
// inquiry, filters by booth and searches, replies, and the buyer gets the reply labelled "Organizer". Looking in does not mark
// the thread read for the booth's team. Staff removed from the team lose the desk link and the
// booth's inquiries at once. Screenshots at 1280 and 390 px in English and Korean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_OPTIONS, ARTIFACTS, startStack, newPage, signIn, a11yProblems, overflowing as overflow } from './lib/harness.mjs';

const SLUG = 'haneul-cosmetics';

/** A screenshot of the viewport with the inbox's top just below the sticky header. */
async function inboxShot(page, name) {
  await page.evaluate(() => {
    const h = document.getElementById('site-header').getBoundingClientRect().height;
    window.scrollTo(0, document.getElementById('org-inbox').getBoundingClientRect().top + window.scrollY - h - 8);
  });
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png` });
}

async function navLinks(page) {
  return page.$$eval('.site-nav a[data-nav]', (as) => as.filter((a) => !a.hidden && a.offsetParent !== null).map((a) => a.dataset.nav));
}

/** The visible nav items as "name=label". */
async function navLabels(page) {
  return page.$$eval('.site-nav a[data-nav]', (as) => as.filter((a) => !a.hidden && a.offsetParent !== null).map((a) => `${a.dataset.nav}=${a.textContent.trim()}`));
}

test('organizers\' inbox: badge, filter, reply labelled Organizer; the nav per role', TEST_OPTIONS, async (t) => {
  const stack = await startStack('org-inbox');
  t.after(() => stack.stop());

  // --- the nav: a buyer sees no desk and no console ------------------------------------------
  const buyer = await newPage(stack, { lang: 'en', label: 'buyer' });
  await buyer.goto(`${stack.base}/`);
  const card = buyer.locator(`#booth-grid .booth-item[data-slug="${SLUG}"]`);
  await card.waitFor();
  const boothId = await card.getAttribute('data-booth-id');
  assert.deepEqual(await navLinks(buyer), ['hall', 'meetings', 'inquiries'], 'signed out: no console links');
  await signIn(buyer, 'buyer1@demo.expo', 'demo1234');
  assert.deepEqual(await navLinks(buyer), ['hall', 'meetings', 'inquiries'], 'a buyer sees no desk link and no console');
  assert.deepEqual(await navLabels(buyer), ['hall=Exhibition hall', 'meetings=My meetings', 'inquiries=My inquiries']);
  for (const page of ['meetings.html', 'inquiries.html', `booth.html?id=${boothId}`]) {
    await buyer.goto(`${stack.base}/${page}`);
    await buyer.locator('#sign-out').waitFor();
    assert.equal(await buyer.isVisible('a[data-nav="exhibitor"]'), false, `no desk link for a buyer on ${page}`);
  }
  await buyer.click('#lang-toggle');
  await buyer.waitForFunction(() => document.documentElement.lang === 'ko');
  assert.deepEqual(await navLinks(buyer), ['hall', 'meetings', 'inquiries'], 'in Korean too');
  await buyer.click('#lang-toggle');
  await buyer.waitForFunction(() => document.documentElement.lang === 'en');

  // --- booth staff see the desk, not the console ----------------------------------------------
  const staff = await newPage(stack, { lang: 'ko', label: 'staff' });
  await staff.goto(`${stack.base}/`);
  await signIn(staff, `staff@${SLUG}.demo.expo`, 'demo1234');
  assert.deepEqual(await navLabels(staff), ['hall=전시장', 'inquiries=내가 보낸 문의', 'exhibitor=출품기업 데스크'],
    'staff: the desk link, their own inquiries as "Inquiries I sent", no My meetings (they cannot book)');
  await staff.goto(`${stack.base}/exhibitor.html`);
  await staff.locator(`#desk-public-${boothId}`).waitFor();

  // --- the organizer opens the console: the inbox of every booth ------------------------------
  const org = await newPage(stack, { lang: 'en', label: 'organizer' });
  await org.goto(`${stack.base}/organizer.html`);
  await signIn(org, 'organizer@demo.expo', 'demo1234');
  assert.deepEqual(await navLabels(org), ['hall=Exhibition hall', 'inquiries=Inquiries I sent', 'organizer=Organizer console'],
    'organizer: the console link named as its page, no desk, no My meetings');
  await org.locator('#org-inbox #desk-list #desk-empty').waitFor();

  // --- a buyer asks privately ------------------------------------------------------------------
  await buyer.goto(`${stack.base}/booth.html?id=${encodeURIComponent(boothId)}`);
  await buyer.click('#inq-ask');
  await buyer.locator('#inq-form').waitFor();
  const question = `Can you ship 3,000 units to Toronto by March? ${Date.now()}`;
  await buyer.fill('#inq-input', question);
  await buyer.press('#inq-input', 'Enter');
  await buyer.locator('#inq-log li[data-seq] .msg-text', { hasText: question }).waitFor();

  // --- a second buyer asks another booth (through the page's client) -------------------------
  const buyer2 = await newPage(stack, { lang: 'en', label: 'buyer2' });
  await buyer2.goto(`${stack.base}/`);
  const card2 = buyer2.locator('#booth-grid .booth-item[data-slug="bada-gim"]');
  await card2.waitFor();
  const boothId2 = Number(await card2.getAttribute('data-booth-id'));
  await signIn(buyer2, 'buyer2@demo.expo', 'demo1234');
  await buyer2.evaluate(async (id) => {
    const r = await window.__expo.request('inquiry.open', { booth_id: id });
    await window.__expo.request('inquiry.send', { thread_id: r.thread.id, text: 'Do you offer private label for the seaweed snacks?', client_msg_id: 'pl-1' });
  }, boothId2);

  // --- both arrive in the organizer's inbox, each with its booth, a badge and the title count --
  const items = org.locator('#org-inbox #desk-list li[data-thread]');
  const item = items.filter({ hasText: 'Emily Carter' });
  await item.locator('.counter', { hasText: '1' }).waitFor();
  await item.locator('.desk-item-booth', { hasText: 'Haneul' }).waitFor();
  await items.filter({ hasText: 'private label' }).locator('.desk-item-booth', { hasText: 'Bada' }).waitFor();
  await org.locator('#org-inbox #desk-total', { hasText: '2' }).waitFor();
  await org.waitForFunction(() => document.title.startsWith('(2) '));
  await org.locator('#org-inbox-jump', { hasText: '2 not read by the booths' }).waitFor();
  await inboxShot(org, 'org-inbox-all-en-1280');
  // the booth filter names each booth with its unread count and narrows the list; so does the search
  assert.match(await org.locator('#desk-filter-booth').textContent(), /Haneul[^()]*\(1 not read by the booth\)/);
  await org.fill('#desk-search', 'no such buyer anywhere');
  await org.locator('#desk-none-match').waitFor();
  await org.fill('#desk-search', 'seaweed');
  await items.filter({ hasText: 'private label' }).waitFor();
  assert.equal(await items.count(), 1, 'the search keeps the matching thread only');
  await org.fill('#desk-search', '');
  await org.selectOption('#desk-filter-booth', boothId);
  await org.locator(`#desk-public-${boothId}`).waitFor();
  await org.waitForFunction(() => document.querySelectorAll('#org-inbox #desk-list li[data-thread]').length === 1);
  await item.waitFor();
  await inboxShot(org, 'org-inbox-en-1280');

  // --- the organizer opens it (the booth still has it unread) and replies -----------------------
  await item.locator('button').click();
  await org.locator('#inq-log .msg-text', { hasText: question }).waitFor();
  await org.waitForTimeout(500);
  // the team's badge says whose read mark it is (one mark per thread, shared by the team)
  await staff.locator('#desk-list li[data-thread] .counter[aria-label="팀이 읽지 않음 1"]', { hasText: '1' }).waitFor();
  await staff.waitForFunction(() => document.title.startsWith('(1) '));
  const reply = `The organizers will connect you with Haneul's export manager. ${Date.now()}`;
  await org.fill('#inq-input', reply);
  await org.click('#inq-send');
  await org.locator('#inq-log li[data-seq] .msg-text', { hasText: reply }).waitFor();
  await inboxShot(org, 'org-inbox-thread-en-1280');

  // --- the buyer gets the reply live, labelled Organizer (and the booth's desk sees it too) ----
  const got = buyer.locator('#inq-log li.msg', { hasText: reply });
  await got.waitFor();
  assert.equal((await got.locator('.staff-tag').textContent()).trim(), 'Organizer');
  const onDesk = staff.locator('#desk-list li[data-thread]');
  await onDesk.locator('button').click();
  await staff.locator('#inq-log li.msg', { hasText: reply }).locator('.staff-tag', { hasText: '주최측' }).waitFor();
  // the reply answered for the booth: that thread's badge is gone, the other booth's stays
  await org.waitForFunction(() => document.title.startsWith('(1) '));
  assert.equal(await item.locator('.counter').count(), 0);
  await org.locator('#org-inbox #desk-total', { hasText: '1' }).waitFor();
  assert.deepEqual(await a11yProblems(org), [], 'organizer inbox: labels and names');

  // --- English and Korean at 1280 and 390 px ---------------------------------------------------
  await org.click('#lang-toggle');
  await org.waitForFunction(() => document.documentElement.lang === 'ko');
  await org.locator('#org-inbox #desk-title', { hasText: '전체 부스 문의' }).waitFor();
  await inboxShot(org, 'org-inbox-ko-1280');
  await org.setViewportSize({ width: 390, height: 844 });
  await inboxShot(org, 'org-inbox-ko-390');
  assert.deepEqual(await overflow(org, '#org-inbox'), [], 'inbox at 390 px: nothing wider than the screen');
  await org.click('#lang-toggle');
  await org.waitForFunction(() => document.documentElement.lang === 'en');
  await org.locator('#org-inbox .desk-back').click();
  await org.locator('#desk-filter-booth').waitFor();
  await inboxShot(org, 'org-inbox-en-390');
  // every nav item in sight at 390 px (the row wraps; it used to scroll, hiding the console link)
  assert.deepEqual(await overflow(org, '.site-nav'), [], 'nav at 390 px: no item past the screen\'s edge');
  assert.deepEqual(await navLinks(org), ['hall', 'inquiries', 'organizer']);
  assert.deepEqual(await overflow(org, '#org-inbox'), [], 'inbox list at 390 px: nothing wider than the screen');

  // --- staff removed from the team: the desk link and the booth's inquiries go at once ---------
  await staff.setViewportSize({ width: 1280, height: 860 });
  await staff.locator('#desk-list li[data-thread]').waitFor();
  const staffId = await staff.evaluate(() => window.__expo.user.id);
  await org.evaluate(([b, a]) => window.__expo.request('team.remove', { booth_id: b, account_id: a }), [Number(boothId), staffId]);
  await staff.waitForFunction(() => !document.querySelector('#desk-list li[data-thread]'));
  await staff.waitForFunction(() => { const a = document.querySelector('a[data-nav="exhibitor"]'); return a && a.hidden; });
  assert.deepEqual(await navLabels(staff), ['hall=전시장', 'inquiries=내 문의'], 'removed staff: no desk link, "My inquiries" again');

  // --- the organizer's own inquiries page is named as the nav names it --------------------------
  await org.setViewportSize({ width: 1280, height: 860 });
  await org.goto(`${stack.base}/inquiries.html`);
  await org.locator('#inq-list').waitFor();
  assert.equal((await org.locator('#inq-page-title').textContent()).trim(), 'Inquiries I sent');
  assert.match(await org.locator('#inq-page-lead').textContent(), /Organizer console/);
  assert.match(await org.title(), /^Inquiries I sent · /);
  assert.equal(await org.locator('a[data-nav="inquiries"].is-active').textContent(), 'Inquiries I sent');

  assert.deepEqual([...buyer.errors, ...buyer2.errors, ...staff.errors, ...org.errors], []);
});
