// e2e (visitors issue): a newly registered visitor and demo booth staff, in two browser
// contexts, chat in a booth; a dropped connection resumes without gaps or duplicates; the hall
// search finds a booth by its Korean name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_OPTIONS, startStack, newPage, shot, signIn, register, a11yProblems } from './lib/harness.mjs';

async function seqsOf(page) {
  return page.$$eval('#chat-log li[data-seq]', (lis) => lis.map((li) => Number(li.dataset.seq)));
}

function assertGaplessUnique(seqs, what) {
  assert.equal(new Set(seqs).size, seqs.length, `${what}: no duplicate seq (${seqs})`);
  for (let i = 1; i < seqs.length; i++) assert.equal(seqs[i], seqs[i - 1] + 1, `${what}: seq in order without gaps (${seqs})`);
}

test('visitor and booth staff chat live; reconnect resumes exactly; hall search by Korean name', TEST_OPTIONS, async (t) => {
  const stack = await startStack('chat');
  t.after(() => stack.stop());

  // --- the hall, in Korean: search by a booth's Korean name -------------------------------
  const visitor = await newPage(stack, { lang: 'ko', label: 'visitor' });
  await visitor.goto(`${stack.base}/`);
  await visitor.locator('#booth-grid .booth-item').first().waitFor();
  const totalAll = Number(await visitor.getAttribute('#results-count', 'data-total'));
  assert.ok(totalAll >= 2, `hall lists booths (${totalAll})`);
  const cards = visitor.locator('#booth-grid .booth-item');
  const pickIdx = Math.min(2, (await cards.count()) - 1);
  const target = cards.nth(pickIdx);
  const slug = await target.getAttribute('data-slug');
  const boothId = await target.getAttribute('data-booth-id');
  const koName = (await target.locator('.booth-link').textContent()).trim();
  assert.match(koName, /[\uAC00-\uD7A3]/, `the card shows the Korean name in Korean mode (${koName})`);
  await shot(visitor, 'chat-hall-ko');
  assert.deepEqual(await a11yProblems(visitor), [], 'hall: labels and names');

  await visitor.fill('#hall-search', koName);
  await visitor.waitForFunction((n) => Number(document.querySelector('#results-count').dataset.total) < n
    && !document.querySelector('#booth-grid').matches('[aria-busy="true"]'), totalAll);
  const found = await visitor.$$eval('#booth-grid .booth-item', (lis) => lis.map((li) => li.dataset.slug));
  assert.ok(found.includes(slug), `search "${koName}" finds ${slug} (got ${found})`);
  await shot(visitor, 'chat-hall-search-ko');

  // back to English for the rest, through the toggle (remembered in localStorage)
  await visitor.click('#lang-toggle');
  await visitor.waitForFunction(() => document.documentElement.lang === 'en');
  assert.equal(await visitor.evaluate(() => localStorage.getItem('expo.lang')), 'en');

  // --- staff signs in and opens their booth ------------------------------------------------
  const staff = await newPage(stack, { lang: 'en', label: 'staff' });
  await staff.goto(`${stack.base}/`);
  await signIn(staff, `staff@${slug}.demo.expo`, 'demo1234');
  await staff.goto(`${stack.base}/booth.html?id=${encodeURIComponent(boothId)}`);
  await staff.locator('#chat-form').waitFor();

  // --- a new visitor registers and enters the same booth -----------------------------------
  await register(visitor, { name: 'Dana Buyer', company: 'Lone Star Imports', country: 'US' });
  await visitor.click(`#booth-grid .booth-item[data-slug="${slug}"] .booth-link`);
  await visitor.locator('#chat-form').waitFor();
  await visitor.locator('#booth-staff[data-online="true"]').waitFor({ timeout: 15000 });
  await staff.waitForFunction(() => Number(document.querySelector('#booth-visitors')?.dataset.n) >= 1, null, { timeout: 15000 });

  const hello = `Hello! Do you ship to Texas? ${Date.now()}`;
  await visitor.fill('#chat-input', hello);
  await visitor.press('#chat-input', 'Enter');
  await staff.locator('#chat-log .msg-text', { hasText: hello }).waitFor();
  await visitor.locator('#chat-log li[data-seq] .msg-text', { hasText: hello }).waitFor();

  const reply = `안녕하세요! Yes, FOB Busan, MOQ 500. <b>not bold</b> ${Date.now()}`;
  await staff.fill('#chat-input', reply);
  await staff.click('#chat-send');
  const got = visitor.locator('#chat-log li.msg.is-staff .msg-text', { hasText: reply });
  await got.waitFor();
  assert.equal(await got.textContent(), reply, 'text shown literally (never as HTML)');
  assert.equal(await visitor.locator('#chat-log b').count(), 0, 'no element made from message text');
  await shot(visitor, 'chat-visitor');
  await shot(staff, 'chat-staff');

  // --- the visitor's socket drops; staff keeps talking; the visitor resumes exactly ---------
  await visitor.evaluate(() => { const c = window.__expo; c.backoff = { base: 2500, max: 2500 }; c.ws.close(); });
  await visitor.locator('#conn-state[data-state="reconnecting"]').waitFor();
  const missed = [];
  for (let i = 1; i <= 3; i++) {
    const m = `While you were away ${i} ${Date.now()}`;
    missed.push(m);
    await staff.fill('#chat-input', m);
    await staff.click('#chat-send');
    await staff.locator('#chat-log li[data-seq] .msg-text', { hasText: m }).waitFor();
  }
  await visitor.locator('#conn-state[data-state="open"]').waitFor({ timeout: 20000 });
  for (const m of missed) await visitor.locator('#chat-log li[data-seq] .msg-text', { hasText: m }).waitFor();
  // and the visitor can still send after the resume (the booth was re-entered)
  const after = `Back again ${Date.now()}`;
  await visitor.fill('#chat-input', after);
  await visitor.press('#chat-input', 'Enter');
  await staff.locator('#chat-log .msg-text', { hasText: after }).waitFor();
  await visitor.locator('#chat-log li[data-seq] .msg-text', { hasText: after }).waitFor();

  assert.deepEqual(await a11yProblems(visitor), [], 'booth page: labels and names');
  const vs = await seqsOf(visitor);
  const ss = await seqsOf(staff);
  assertGaplessUnique(vs, 'visitor');
  assertGaplessUnique(ss, 'staff');
  assert.deepEqual(vs.slice(-5), ss.slice(-5), 'both see the same messages in the same order');
  await shot(visitor, 'chat-visitor-after-reconnect');

  // --- phone-sized view of the booth -------------------------------------------------------
  await visitor.setViewportSize({ width: 390, height: 844 });
  await shot(visitor, 'chat-visitor-phone');

  assert.deepEqual([...visitor.errors, ...staff.errors], []);
});
