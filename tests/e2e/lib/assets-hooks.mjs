// assets-hooks.mjs: node module hook (registered by assets.mjs): every .js file under
// booth-assets/ is an ES module. Those files have no package.json saying "type": "module"
// (boothd serves the folder as is); node >= 20.19 detects ES module syntax by itself, but
// node 18 (Debian 12's nodejs) would load them as CommonJS and fail on `export`.
const ASSETS = new URL('../../../booth-assets/', import.meta.url).href;

export async function load(url, context, nextLoad) {
  if (url.startsWith(ASSETS) && /\.js$/.test(new URL(url).pathname)) {
    return nextLoad(url, { ...context, format: 'module' });
  }
  return nextLoad(url, context);
}
