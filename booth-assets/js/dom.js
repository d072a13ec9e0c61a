// dom.js: the safe element builder every page uses (text only: server text never becomes
// HTML). The lowest module of the pages: it imports nothing.

/**
 * el('a', {href, class, text, onclick, dataset: {...}, aria: {...}}, child, ...)
 * Children: Nodes or strings (strings become text nodes). Never parses HTML.
 */
export function el(tag, attrs = {}, ...children) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') n.className = v;
    else if (k === 'text') n.textContent = v;
    else if (k === 'dataset') Object.assign(n.dataset, v);
    else if (k === 'aria') {
      // like the attributes above, undefined/null leaves the attribute out (not "undefined")
      for (const [a, av] of Object.entries(v)) if (av !== undefined && av !== null) n.setAttribute(`aria-${a}`, String(av));
    }
    else if (k.startsWith('on') && typeof v === 'function') n.addEventListener(k.slice(2), v);
    else if (k in n && typeof v !== 'string') n[k] = v;
    else n.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    n.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return n;
}

export function clear(n) { while (n.firstChild) n.removeChild(n.firstChild); return n; }
