// msg-group.js: in a rendered message list, consecutive messages of one author within five
// minutes show the name and avatar once (class is-cont on the followers). Each message <li>
// carries data-seq, data-author (account id) and data-t (ms since the epoch).

const GAP_MS = 5 * 60000;

export function groupMessages(list) {
  let prev = null;
  for (const li of list.querySelectorAll('li[data-seq]')) {
    const cont = prev && prev.dataset.author === li.dataset.author && li.dataset.author !== ''
      && Number(li.dataset.t) - Number(prev.dataset.t) < GAP_MS;
    li.classList.toggle('is-cont', !!cont);
    prev = li;
  }
}
