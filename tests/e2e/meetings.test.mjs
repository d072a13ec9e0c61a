// e2e (meetings issue): the exhibitor offers times; a visitor requests a meeting; the exhibitor,
// in another browser context, accepts it from the live inbox; the visitor's My meetings page
// shows it accepted without a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_OPTIONS, startStack, newPage, shot, signIn, register, a11yProblems } from './lib/harness.mjs';

test('visitor requests a meeting, exhibitor accepts, visitor sees it live', TEST_OPTIONS, async (t) => {
  const stack = await startStack('meetings');
  t.after(() => stack.stop());

  // Pick a booth from the hall.
  const visitor = await newPage(stack, { lang: 'en', label: 'visitor' });
  await visitor.goto(`${stack.base}/`);
  const card = visitor.locator('#booth-grid .booth-item').nth(1);
  await card.waitFor();
  const slug = await card.getAttribute('data-slug');
  const boothId = await card.getAttribute('data-booth-id');

  // --- the exhibitor signs in on the desk and offers a window tomorrow ---------------------
  const staff = await newPage(stack, { lang: 'ko', label: 'staff' });
  await staff.goto(`${stack.base}/exhibitor.html`);
  await staff.locator('#ex-signin').waitFor();
  await shot(staff, 'meet-exhibitor-signed-out');
  await signIn(staff, `staff@${slug}.demo.expo`, 'demo1234');
  await staff.locator('#win-form').waitFor();
  await staff.locator('#ex-inbox').waitFor();
  // tomorrow (the form's default date) 14:00-16:00 in the booth's zone, 30-minute slots
  await staff.fill('#win-from', '14:00');
  await staff.fill('#win-to', '16:00');
  await staff.click('#win-add');
  await staff.selectOption('#win-slot', '30');
  await staff.click('#win-save');
  await staff.locator('#win-saved', { hasText: /\S/ }).waitFor();
  await shot(staff, 'meet-exhibitor-availability');

  // --- the visitor registers, opens the booth and requests the first free slot -------------
  await register(visitor, { name: 'Sam Rivera', company: 'Rivera Trading LLC', country: 'United States' });
  await visitor.goto(`${stack.base}/booth.html?id=${encodeURIComponent(boothId)}`);
  const slot = visitor.locator('#slot-days button.slot:not([disabled])').first();
  await slot.waitFor();
  const startsAt = await slot.getAttribute('data-start');
  await slot.click();
  await visitor.locator('#meet-selected', { hasText: /·|:/ }).waitFor();
  await visitor.fill('#meet-note', 'We would like to discuss distribution in Texas.');
  await shot(visitor, 'meet-visitor-picker');
  await visitor.click('#meet-request');
  await visitor.locator('#meet-sent').waitFor();

  // --- My meetings shows it requested ------------------------------------------------------
  await visitor.click('#meet-sent a');
  await visitor.waitForURL(/meetings\.html/);
  const card2 = visitor.locator('.meeting').first();
  await card2.waitFor();
  assert.equal(await card2.getAttribute('data-status'), 'requested');
  const mid = await card2.getAttribute('data-meeting-id');
  const timeText = await card2.locator('.meeting-time').textContent();
  // Shown in the viewer's zone (the context runs in America/Chicago) and the booth's zone.
  assert.match(timeText, /Chicago \(C[DS]?T\)/, `viewer zone shown: ${timeText}`);
  assert.match(timeText, / · /, `two zones side by side: ${timeText}`);
  await visitor.evaluate(() => { window.__noReload = 'still here'; });
  await shot(visitor, 'meet-visitor-requested');

  // --- the exhibitor's inbox got it live; accept ------------------------------------------
  const req = staff.locator(`#ex-pending .meeting[data-meeting-id="${mid}"]`);
  await req.waitFor({ timeout: 15000 });
  assert.equal(await req.locator('time').getAttribute('datetime'), startsAt);
  await shot(staff, 'meet-exhibitor-inbox');
  assert.deepEqual(await a11yProblems(staff), [], 'exhibitor desk: labels and names');
  await req.locator('.reply-input').fill('반갑습니다! See you then.');
  await req.locator('.accept-btn').click();
  await staff.locator(`#ex-decided .meeting[data-meeting-id="${mid}"][data-status="accepted"]`).waitFor();

  // --- the visitor sees it accepted, without a reload -------------------------------------
  const accepted = visitor.locator(`.meeting[data-meeting-id="${mid}"][data-status="accepted"]`);
  await accepted.waitFor({ timeout: 15000 });
  assert.equal(await visitor.evaluate(() => window.__noReload), 'still here', 'page was not reloaded');
  await accepted.locator('.meeting-quote', { hasText: 'See you then' }).waitFor();
  const join = await accepted.locator('.join-link').getAttribute('href');
  assert.match(join || '', /^https?:\/\//, `accepted meeting has a video link (${join})`);
  await shot(visitor, 'meet-visitor-accepted');
  assert.deepEqual(await a11yProblems(visitor), [], 'My meetings: labels and names');

  // --- "Add to calendar" downloads the ICS with the session token ---------------------------
  const [download] = await Promise.all([
    visitor.waitForEvent('download', { timeout: 15000 }),
    accepted.locator('.ics-link').click(),
  ]);
  const ics = await (async () => { const s = await download.createReadStream(); let b = ''; for await (const ch of s) b += ch; return b; })();
  assert.match(ics, /BEGIN:VCALENDAR/);
  assert.match(ics, /BEGIN:VEVENT/);

  await visitor.setViewportSize({ width: 390, height: 844 });
  await shot(visitor, 'meet-visitor-phone');
  await staff.setViewportSize({ width: 390, height: 844 });
  await shot(staff, 'meet-exhibitor-phone');
  assert.deepEqual([...visitor.errors, ...staff.errors], []);
});
