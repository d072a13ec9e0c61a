// Unit test of the demo data (server/db/demo.sql, made by scripts/gen-demo.mjs and
// scripts/gen-demo-media.mjs): no dead ends. Every brochure a demo booth lists is a real, small,
// structurally valid PDF in booth-assets (in each language the booth lists), every local media
// target exists, and nothing points at a made-up site (.example) — company websites and
// video-call links that have no real target stay empty.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const demo = readFileSync(join(ROOT, 'server', 'db', 'demo.sql'), 'utf8');
const PDF_MAX = 100 * 1024;

// (v_booth, '<kind>', '<title en>', '<title ko>', '<url>', '<lang>', <order>) rows of booth_media
const media = [...demo.matchAll(/\(v_booth, '(\w+)', '(?:[^']|'')*', '(?:[^']|'')*', '([^']*)', (?:'(\w+)'|NULL), \d+\)/g)]
  .map(([, kind, url, lang]) => ({ kind, url, lang }));

/** Checks the bytes are a PDF a viewer opens: header, trailer, startxref at an xref or an object. */
function assertPdf(file) {
  const b = readFileSync(file);
  assert.equal(b.subarray(0, 5).toString('latin1'), '%PDF-', `${file}: no %PDF- header`);
  const tail = b.subarray(Math.max(0, b.length - 1024)).toString('latin1');
  assert.match(tail, /%%EOF\s*$/, `${file}: no %%EOF at the end`);
  const m = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  assert.ok(m, `${file}: no startxref`);
  const at = b.subarray(Number(m[1]), Number(m[1]) + 24).toString('latin1');
  assert.match(at, /^(xref|\d+ \d+ obj)/, `${file}: startxref ${m[1]} points at ${JSON.stringify(at)}`);
  assert.match(b.toString('latin1'), /\/Type\s*\/Page\b/, `${file}: no page`);
  assert.ok(b.length <= PDF_MAX, `${file}: ${b.length} bytes, more than ${PDF_MAX}`);
}

test('the demo lists brochures, videos and links', () => {
  assert.ok(media.filter((m) => m.kind === 'brochure').length >= 28, `only ${media.length} media rows parsed`);
});

test('every brochure is a real small PDF, in each language its booth lists', () => {
  const brochures = media.filter((m) => m.kind === 'brochure');
  for (const m of brochures) {
    assert.match(m.url, /^\/demo\/brochures\/[a-z0-9-]+-(en|ko)\.pdf$/, m.url);
    assert.equal(m.url.slice(-6, -4), m.lang, `${m.url}: listed as ${m.lang}`);
    assertPdf(join(ROOT, 'booth-assets', m.url));
  }
  const slugs = new Set(brochures.map((m) => m.url.replace(/-(en|ko)\.pdf$/, '')));
  for (const s of slugs) {    // the demo booths with a brochure have it in both languages
    assert.ok(brochures.some((m) => m.url === `${s}-en.pdf`) && brochures.some((m) => m.url === `${s}-ko.pdf`), s);
  }
});

test('every local media target exists', () => {
  for (const m of media.filter((x) => x.url.startsWith('/'))) {
    const file = join(ROOT, 'booth-assets', m.url);
    assert.ok(existsSync(file) && statSync(file).size > 0, `${m.kind} ${m.url} is missing`);
  }
  for (const m of media) assert.ok(m.url.startsWith('/'), `${m.kind} ${m.url} leaves the server`);
});

test('nothing points at a made-up site; empty fields stay empty', () => {
  assert.doesNotMatch(demo, /\.example\b/, 'demo.sql names a .example address');
  assert.doesNotMatch(demo, /video_call_url\)\s*VALUES[^;]*'https?:/, 'a booth has a made-up video-call link');
  for (const f of ['haneul-cosmetics-en.html', 'haneul-cosmetics-ko.html']) {
    assert.doesNotMatch(readFileSync(join(ROOT, 'booth-assets', 'demo', 'brochures', f), 'utf8'), /\.example\b/, f);
  }
});
