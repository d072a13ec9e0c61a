// e2e (booth page header): the booth's logo never covers the text of the booth's banner image
// (the demo banners carry the company's name and slogan at their left). The banner is a CSS
// background, so its text has no element of its own: the test lays the banner's SVG over the
// banner element exactly as the page shows it (viewBox with "xMidYMid slice" = background-size
// cover, centred) and takes getBoundingClientRect() of each <text> line. At 390 and 1280 px,
// in English and Korean, for a booth with a long name: no text line of the banner meets the
// logo, the logo does not reach into the banner, and nothing is wider than the screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_OPTIONS, ARTIFACTS, startStack, newPage, overflowing } from './lib/harness.mjs';

const BOOTHS = ['haneul-cosmetics', 'seohae-cnc-tools'];
const WIDTHS = [390, 1280];

/** On the booth page: the logo's box, the banner's box and the boxes of the banner's text lines
 *  where the banner shows them (clipped to the banner). */
async function heroGeometry(page) {
  return page.evaluate(async () => {
    const banner = document.querySelector('.booth-hero .booth-banner.has-image');
    const logo = document.querySelector('.booth-hero .booth-hero-body .logo-lg');
    const cs = getComputedStyle(banner);
    const url = cs.backgroundImage.match(/^url\("(.*)"\)$/)?.[1];
    const svg = new DOMParser().parseFromString(await (await fetch(url)).text(), 'image/svg+xml').documentElement;
    const b = banner.getBoundingClientRect();
    const over = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    over.setAttribute('viewBox', svg.getAttribute('viewBox'));
    over.setAttribute('preserveAspectRatio', 'xMidYMid slice');
    Object.assign(over.style, { position: 'absolute', left: `${b.left + scrollX}px`, top: `${b.top + scrollY}px`, width: `${b.width}px`, height: `${b.height}px`, visibility: 'hidden', pointerEvents: 'none' });
    for (const tx of svg.querySelectorAll('text')) over.append(document.importNode(tx, true));
    document.body.append(over);
    const box = (r) => ({ left: r.left, top: r.top, right: r.right, bottom: r.bottom });
    const lines = [...over.querySelectorAll('text')].map((tx) => {
      const r = tx.getBoundingClientRect();
      const c = { left: Math.max(r.left, b.left), top: Math.max(r.top, b.top), right: Math.min(r.right, b.right), bottom: Math.min(r.bottom, b.bottom) };
      return { text: tx.textContent, ...(c.right > c.left && c.bottom > c.top ? c : { hidden: true }) };
    });
    over.remove();
    return { size: cs.backgroundSize, position: cs.backgroundPosition, banner: box(b), logo: box(logo.getBoundingClientRect()), lines };
  });
}

const meets = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

test('booth page: the logo never covers the banner\'s text, 390 and 1280 px, KO and EN', TEST_OPTIONS, async (t) => {
  const stack = await startStack('booth-hero');
  t.after(() => stack.stop());
  const pages = [];
  for (const lang of ['en', 'ko']) {
    const page = await newPage(stack, { lang, label: `visitor-${lang}` });
    pages.push(page);
    for (const slug of BOOTHS) {
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 844 });
        await page.goto(`${stack.base}/booth.html?slug=${slug}`);
        await page.locator('.booth-hero .booth-banner.has-image').waitFor();
        await page.locator('.booth-hero .logo-lg img').waitFor();
        await page.waitForFunction(() => document.fonts.status === 'loaded');
        const g = await heroGeometry(page);
        const where = `${slug} ${lang} ${width} px`;
        // the overlay maps the SVG as the page does only for a centred cover background
        assert.equal(g.size, 'cover', where);
        assert.equal(g.position, '50% 50%', where);
        // the measurement sees the text: the name line is on screen inside the banner
        assert.ok(g.lines.length >= 2 && !g.lines[0].hidden, `${where}: banner text measured ${JSON.stringify(g.lines)}`);
        for (const line of g.lines.filter((l) => !l.hidden)) {
          assert.ok(!meets(line, g.logo), `${where}: the logo ${JSON.stringify(g.logo)} covers the banner's "${line.text}" ${JSON.stringify(line)}`);
        }
        assert.ok(g.logo.top >= g.banner.bottom - 0.5, `${where}: the logo reaches into the banner image (${g.logo.top} < ${g.banner.bottom})`);
        assert.deepEqual(await overflowing(page, '.booth-hero'), [], `${where}: nothing wider than the screen`);
        await page.locator('.booth-hero').screenshot({ path: `${ARTIFACTS}/booth-hero-${slug}-${lang}-${width}.png` });
      }
    }
  }
  assert.deepEqual(pages.flatMap((p) => p.errors), []);
});
