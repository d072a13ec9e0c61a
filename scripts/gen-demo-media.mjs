#!/usr/bin/env node
// gen-demo-media.mjs: makes the demo's binary media that server/db/demo.sql points at, with
// Debian's Chromium driven by playwright-core (tests/e2e/node_modules; `npm ci` there):
//
//   booth-assets/demo/brochures/<slug>-<lang>.pdf  every PDF brochure demo.sql names: a one-page
//       brochure printed by Chromium from the booth's brochure HTML (name, tagline, the first
//       paragraph, facts, contact; no logo, whose SVG text would embed two more fonts), one font (Noto Sans CJK KR, whose subset Chromium embeds,
//       so the Korean text shows in any viewer) and one weight, which keeps each under 100 KB;
//   booth-assets/demo/video/booth-intro.webm       a 4-second 640x360 VP8 clip drawn on a canvas
//       and recorded with MediaRecorder: plays in Chromium without any network.
//
// Run after scripts/gen-demo.mjs (which writes demo.sql and the brochure HTML):
//   node scripts/gen-demo-media.mjs
// The results are committed; boothd serves them from booth-assets on every node. Output is
// not byte-identical between runs (PDF timestamps, encoder), so run it only when the brochures
// or the clip change.

import { readFileSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'tests', 'e2e', 'package.json'));
let pw;
try {
  pw = require('playwright-core');
} catch {
  console.error('gen-demo-media: playwright-core is missing: run `npm ci` in tests/e2e');
  process.exit(1);
}

const PDF_MAX = 100 * 1024;
const FONT = "'Noto Sans CJK KR'";

const between = (s, a, b) => {
  const i = s.indexOf(a);
  if (i < 0) return '';
  const j = s.indexOf(b, i + a.length);
  return j < 0 ? '' : s.slice(i + a.length, j);
};

// The parts of a brochure page (written by gen-demo.mjs's brochure(); text already escaped).
function brochureParts(html) {
  const header = between(html, '<header>', '</header>');
  const dl = [...html.matchAll(/<dt>(.*?)<\/dt><dd>(.*?)<\/dd>/g)].map((m) => [m[1], m[2]]);
  return {
    lang: between(html, '<html lang="', '"'),
    title: between(html, '<title>', '</title>'),
    name: between(header, '<h1>', '</h1>'),
    tagline: between(header, '<p>', '</p>'),
    color: between(html, 'header{display:flex;gap:24px;align-items:center;padding:32px 40px;background:', ';'),
    first: between(html, '<section>\n<p>', '</p>'),
    facts: dl,
  };
}

function compactPage(p) {
  const rows = p.facts.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('');
  return `<!doctype html><html lang="${p.lang}"><head><meta charset="utf-8"><title>${p.title}</title>
<style>
@page{size:A4;margin:18mm}
*{font-family:${FONT};font-weight:400;font-style:normal}
body{margin:0;color:#1d232b;line-height:1.6;font-size:11pt}
header{display:flex;gap:16px;align-items:center;padding:14px 18px;background:${p.color || '#245'};color:#fff;-webkit-print-color-adjust:exact;print-color-adjust:exact}
h1{font-size:22pt;margin:0}header p{margin:2px 0 0}
table{border-collapse:collapse;margin-top:14px}th{text-align:left;color:#4a5260;padding:4px 16px 4px 0;vertical-align:top}td{padding:4px 0}
</style></head><body>
<header><div><h1>${p.name}</h1><p>${p.tagline}</p></div></header>
<p>${p.first}</p>
<table>${rows}</table>
</body></html>`;
}

async function makePdfs(browser) {
  const sql = readFileSync(join(ROOT, 'server', 'db', 'demo.sql'), 'utf8');
  const wanted = [...new Set([...sql.matchAll(/'\/demo\/brochures\/([a-z0-9-]+-(?:en|ko))\.pdf'/g)].map((m) => m[1]))];
  const page = await browser.newPage();
  for (const base of wanted) {
    const dir = join(ROOT, 'booth-assets', 'demo', 'brochures');
    const html = readFileSync(join(dir, `${base}.html`), 'utf8');
    const parts = brochureParts(html);
    if (!parts.name || !parts.first) throw new Error(`${base}.html: not the shape gen-demo.mjs writes`);
    const tmp = join(dir, `.${base}.print.html`);
    writeFileSync(tmp, compactPage(parts));
    try {
      await page.goto(`file://${tmp}`);
      await page.evaluate(() => document.fonts.ready);
      const out = join(dir, `${base}.pdf`);
      await page.pdf({ path: out, format: 'A4', printBackground: true });
      const size = statSync(out).size;
      if (size > PDF_MAX) throw new Error(`${out}: ${size} bytes, over ${PDF_MAX}`);
      console.log(`${base}.pdf ${size} bytes`);
    } finally {
      (await import('node:fs')).rmSync(tmp, { force: true });
    }
  }
  await page.close();
}

async function makeVideo(browser) {
  const page = await browser.newPage();
  await page.setContent('<canvas width="640" height="360"></canvas>');
  const b64 = await page.evaluate(async () => {
    const c = document.querySelector('canvas');
    const g = c.getContext('2d');
    const started = performance.now();
    const draw = () => {
      const t = (performance.now() - started) / 1000;
      const grad = g.createLinearGradient(0, 0, 640, 360);
      grad.addColorStop(0, '#17324d');
      grad.addColorStop(1, `hsl(${200 + 40 * Math.sin(t)}, 60%, 35%)`);
      g.fillStyle = grad;
      g.fillRect(0, 0, 640, 360);
      g.fillStyle = '#fff';
      g.font = '34px "Noto Sans CJK KR", sans-serif';
      g.fillText('K-Brands Connect 2026', 40, 120);
      g.font = '28px "Noto Sans CJK KR", sans-serif';
      g.fillText('K-브랜드 커넥트 2026', 40, 170);
      g.font = '20px "Noto Sans CJK KR", sans-serif';
      g.fillText('Demo clip · 데모 영상', 40, 215);
      g.fillStyle = '#f5b942';
      g.fillRect(40, 260, (560 * Math.min(t, 4)) / 4, 10);
      g.beginPath();
      g.arc(560, 110, 36 + 8 * Math.sin(t * 3), 0, 2 * Math.PI);
      g.fill();
    };
    draw();
    const rec = new MediaRecorder(c.captureStream(25), { mimeType: 'video/webm;codecs=vp8', videoBitsPerSecond: 250000 });
    const chunks = [];
    rec.ondataavailable = (e) => chunks.push(e.data);
    const timer = setInterval(draw, 40);
    rec.start(500);
    await new Promise((r) => setTimeout(r, 4000));
    await new Promise((r) => { rec.onstop = r; rec.stop(); });
    clearInterval(timer);
    const buf = new Uint8Array(await new Blob(chunks, { type: 'video/webm' }).arrayBuffer());
    let s = '';
    for (let i = 0; i < buf.length; i += 8192) s += String.fromCharCode(...buf.subarray(i, i + 8192));
    return btoa(s);
  });
  const out = join(ROOT, 'booth-assets', 'demo', 'video', 'booth-intro.webm');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, Buffer.from(b64, 'base64'));
  console.log(`booth-intro.webm ${statSync(out).size} bytes`);
  await page.close();
}

const browser = await pw.chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--allow-file-access-from-files'],
});
try {
  await makePdfs(browser);
  await makeVideo(browser);
} finally {
  await browser.close();
}
