// assets.mjs: imports the browser modules of booth-assets/js/ into node for the unit tests,
// on every node the project supports (18 from Debian 12, 20 from NodeSource):
//
//   const { ChatLog } = await importAsset('js/chat-log.js');
//
// The files are ES modules named *.js without a "type": "module" package.json, which node 18
// cannot tell from CommonJS; assets-hooks.mjs tells it. (A static `import ... from
// '../../../booth-assets/js/x.js'` works on node 20 only.)
import { register } from 'node:module';

register('./assets-hooks.mjs', import.meta.url);

const ASSETS = new URL('../../../booth-assets/', import.meta.url);

/** Imports booth-assets/<rel> (e.g. 'js/time.js') as an ES module. */
export function importAsset(rel) {
  return import(new URL(rel, ASSETS).href);
}
