// Unit tests of booth-assets/js/time.js (two zones side by side, DST) and links.js (embeds).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importAsset } from '../lib/assets.mjs';

const { dualTime, zonedToInstant, toRfc3339InZone, zoneAbbr, zoneOffsetMinutes } = await importAsset('js/time.js');
const { videoEmbed, safeHttpUrl } = await importAsset('js/links.js');

test('meeting time in the viewer and booth zones, as the issue shows it', () => {
  // Tue 9:00 in Dallas (Central, DST in effect) is Tue 23:00 in Korea; in winter Wed 0:00.
  assert.equal(dualTime('2025-03-11T14:00:00Z', 'America/Chicago', 'Asia/Seoul', 'en'), 'Tue 9:00 Chicago (CT) · Tue 23:00 Seoul (KST)');
  assert.equal(dualTime('2025-03-04T15:00:00Z', 'America/Chicago', 'Asia/Seoul', 'en'), 'Tue 9:00 Chicago (CT) · Wed 0:00 Seoul (KST)');
  assert.equal(dualTime('2025-03-04T15:00:00Z', 'America/Chicago', 'Asia/Seoul', 'en', { boothCity: 'Changwon', viewerCity: 'Dallas' }), 'Tue 9:00 Dallas (CT) · Wed 0:00 Changwon (KST)');
  assert.equal(dualTime('2025-03-04T15:00:00Z', 'America/Chicago', 'Asia/Seoul', 'ko'), '화 9:00 시카고 (CT) · 수 0:00 서울 (KST)');
  // same zone: shown once
  assert.equal(dualTime('2025-03-04T15:00:00Z', 'Asia/Seoul', 'Asia/Seoul', 'en'), 'Wed 0:00 Seoul (KST)');
});

test('across the US DST change the booth-side wall clock stays put and the viewer side moves', () => {
  // A Seoul 9:00 meeting on the Saturday before and the Monday after 2025-03-09 (US spring forward).
  const before = zonedToInstant(2025, 3, 8, 9, 0, 'Asia/Seoul');
  const after = zonedToInstant(2025, 3, 10, 9, 0, 'Asia/Seoul');
  assert.equal(dualTime(before, 'America/Chicago', 'Asia/Seoul', 'en'), 'Fri 18:00 Chicago (CT) · Sat 9:00 Seoul (KST)');
  assert.equal(dualTime(after, 'America/Chicago', 'Asia/Seoul', 'en'), 'Sun 19:00 Chicago (CT) · Mon 9:00 Seoul (KST)');
  assert.equal(zoneOffsetMinutes('America/Chicago', before), -360);
  assert.equal(zoneOffsetMinutes('America/Chicago', after), -300);
});

test('wall clock in a zone -> instant, including skipped and repeated hours', () => {
  assert.equal(zonedToInstant(2025, 3, 11, 9, 0, 'America/Chicago').toISOString(), '2025-03-11T14:00:00.000Z');
  assert.equal(zonedToInstant(2025, 1, 11, 9, 0, 'America/Chicago').toISOString(), '2025-01-11T15:00:00.000Z');
  // 2:30 does not exist on 2025-03-09 in Chicago: lands just after the jump (3:30 CDT)
  assert.equal(zonedToInstant(2025, 3, 9, 2, 30, 'America/Chicago').toISOString(), '2025-03-09T08:30:00.000Z');
  // 1:30 happens twice on 2025-11-02: the first (CDT)
  assert.equal(zonedToInstant(2025, 11, 2, 1, 30, 'America/Chicago').toISOString(), '2025-11-02T06:30:00.000Z');
  assert.equal(toRfc3339InZone(zonedToInstant(2025, 7, 1, 9, 0, 'Asia/Seoul'), 'Asia/Seoul'), '2025-07-01T09:00:00+09:00');
  assert.equal(toRfc3339InZone(new Date('2025-07-01T14:00:00Z'), 'America/Chicago'), '2025-07-01T09:00:00-05:00');
  assert.equal(toRfc3339InZone(new Date('2025-07-01T04:00:00Z'), 'Asia/Kolkata'), '2025-07-01T09:30:00+05:30');
});

test('zone abbreviations', () => {
  assert.equal(zoneAbbr('Asia/Seoul'), 'KST');
  assert.equal(zoneAbbr('Europe/Berlin', new Date('2025-07-01')), 'CEST');
  assert.equal(zoneAbbr('Europe/Berlin', new Date('2025-01-01')), 'CET');
  assert.equal(zoneAbbr('America/New_York'), 'ET');
});

test('only YouTube and Vimeo become embeds, through URLs we build', () => {
  assert.equal(videoEmbed('https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10').embed, 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ');
  assert.equal(videoEmbed('https://youtu.be/dQw4w9WgXcQ').embed, 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ');
  assert.equal(videoEmbed('https://m.youtube.com/shorts/dQw4w9WgXcQ').embed, 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ');
  assert.equal(videoEmbed('https://vimeo.com/76979871').embed, 'https://player.vimeo.com/video/76979871');
  assert.equal(videoEmbed('https://player.vimeo.com/video/76979871?h=x').embed, 'https://player.vimeo.com/video/76979871');
  assert.equal(videoEmbed('https://www.youtube.com/watch?v=bad"><script>'), null);
  assert.equal(videoEmbed('https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ'), null);
  assert.equal(videoEmbed('javascript:alert(1)//youtube.com/watch?v=dQw4w9WgXcQ'), null);
  assert.equal(videoEmbed('https://example.com/video.mp4'), null);
});

test('links: only http(s), relative resolved, no credentials', () => {
  assert.equal(safeHttpUrl('javascript:alert(1)', 'https://expo.test/'), null);
  assert.equal(safeHttpUrl(' JAVASCRIPT:alert(1)', 'https://expo.test/'), null);
  assert.equal(safeHttpUrl('data:text/html,x', 'https://expo.test/'), null);
  assert.equal(safeHttpUrl('/files/1', 'https://expo.test/booth.html'), 'https://expo.test/files/1');
  assert.equal(safeHttpUrl('https://user:pw@evil.test/', 'https://expo.test/'), null);
  assert.equal(safeHttpUrl('https://example.com/a b', 'https://expo.test/'), 'https://example.com/a%20b');
  assert.equal(safeHttpUrl('', 'https://expo.test/'), null);
  assert.equal(safeHttpUrl(null, 'https://expo.test/'), null);
});
