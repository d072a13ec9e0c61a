// organizer.js: the organizer console (organizer.html): live figures from stats.live (every
// second, summed over every server), the busiest booths, staff coverage per booth, and
// history charts from stats.history (Chart.js from /vendor). Organizers only: other roles get
// an "organizers only" page (the server refuses stats.* to them with `forbidden` anyway).

import { client } from './expo-client.js';
import { t, pick, onLang, getLang, errorText } from './i18n.js';
import { el, clear, mountHeader, mountFooter, openAuth } from './ui.js';
import { viewerZone } from './time.js';

const c = client();
mountHeader({ active: 'organizer' });
mountFooter({ zone: viewerZone() });

const root = document.getElementById('org-root');
const updated = document.getElementById('org-updated');
const HISTORY_EVERY_MS = 60000;

const st = {
  live: null,          // latest stats.live data
  receivedAt: 0,       // Date.now() when it arrived
  subscribed: false,
  error: null,
  onlyUnstaffed: false,
  history: null,       // {minutes, hours}
  chartsFailed: false,
};
let Chart = null;      // loaded on first use
const charts = {};     // canvas id -> Chart
let built = false;     // the dashboard's skeleton is in the DOM
let historyTimer = null;

const fmt = (n) => (typeof n === 'number' ? n.toLocaleString(getLang() === 'ko' ? 'ko-KR' : 'en-US') : '–');
const isOrganizer = () => c.user?.role === 'organizer';

// ---- subscription -----------------------------------------------------------------------

async function subscribe() {
  if (!isOrganizer()) return;
  try {
    const r = await c.request('stats.subscribe', {});
    st.subscribed = true;
    st.error = null;
    if (r.live) onLive(r.live);
    loadHistory();
  } catch (e) {
    st.error = errorText(e);
    render();
  }
}

function onLive(d) {
  st.live = d;
  st.receivedAt = Date.now();
  if (built) fill(); else render();
}

c.on('stats.live', onLive);
c.on('auth', () => { st.subscribed = false; st.live = null; render(); subscribe(); });

// ---- rendering --------------------------------------------------------------------------

function kpi(id, key, opts = {}) {
  return el('div', { class: `kpi${opts.warn ? ' kpi-warn' : ''}`, id: `kpi-${id}` },
    el('span', { class: 'kpi-label', text: t(key) }),
    el('span', { class: 'kpi-value', dataset: { value: '' }, text: '–' }));
}

function render() {
  clear(root);
  built = false;
  document.querySelector('[data-i18n="org.lead"]').hidden = !isOrganizer();
  if (!c.user) {
    root.append(el('div', { class: 'panel gate' },
      el('p', { text: t('org.signin') }),
      el('button', { type: 'button', class: 'btn btn-primary', text: t('auth.signin'), onclick: () => openAuth('signin') })));
    updated.textContent = '';
    return;
  }
  if (!isOrganizer()) {
    root.append(el('div', { class: 'panel gate', id: 'org-forbidden' },
      el('h2', { text: t('org.only') }),
      el('p', { text: t('org.only_lead', { role: t(`role.${c.user.role}`) }) }),
      el('a', { class: 'btn btn-primary', href: 'index.html', text: t('org.back_hall') })));
    updated.textContent = '';
    return;
  }
  if (st.error) root.append(el('p', { class: 'form-error', role: 'alert', text: st.error }));
  root.append(
    el('section', { class: 'kpis', aria: { label: t('org.title') } },
      kpi('sessions', 'org.kpi.sessions'), kpi('signed-in', 'org.kpi.signed_in'),
      kpi('visitors', 'org.kpi.visitors'), kpi('chat', 'org.kpi.chat'),
      kpi('staff', 'org.kpi.staff'), kpi('unstaffed', 'org.kpi.unstaffed', { warn: true }),
      kpi('requested', 'org.kpi.requested'), kpi('accepted', 'org.kpi.accepted'),
      kpi('declined', 'org.kpi.declined'), kpi('registrations', 'org.kpi.registrations')),
    el('div', { class: 'org-grid' },
      el('section', { class: 'panel', aria: { labelledby: 'org-top-title' } },
        el('h2', { class: 'panel-title', id: 'org-top-title', text: t('org.top') }),
        el('ol', { class: 'top-booths', id: 'org-top' })),
      el('section', { class: 'panel', aria: { labelledby: 'org-nodes-title' } },
        el('h2', { class: 'panel-title', id: 'org-nodes-title', text: t('org.nodes') }),
        el('table', { class: 'org-table', id: 'org-nodes' },
          el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: t('org.node') }), el('th', { scope: 'col', class: 'num', text: t('org.sessions') }))),
          el('tbody')))),
    el('section', { class: 'panel org-history', aria: { labelledby: 'org-history-title' } },
      el('h2', { class: 'panel-title', id: 'org-history-title', text: t('org.history') }),
      el('div', { class: 'charts' },
        el('figure', { class: 'chart-box' }, el('figcaption', { text: t('org.chart.minutes') }),
          el('div', { class: 'chart-wrap' }, el('canvas', { id: 'chart-minutes', role: 'img', aria: { label: t('org.chart.minutes') } }))),
        el('figure', { class: 'chart-box' }, el('figcaption', { text: t('org.chart.hours') }),
          el('div', { class: 'chart-wrap' }, el('canvas', { id: 'chart-hours', role: 'img', aria: { label: t('org.chart.hours') } })))),
      el('p', { class: 'muted chart-note', id: 'chart-note' })),
    el('section', { class: 'panel', aria: { labelledby: 'org-staff-title' } },
      el('div', { class: 'panel-head' },
        el('h2', { class: 'panel-title', id: 'org-staff-title', text: t('org.staffing') }),
        el('label', { class: 'check' },
          el('input', { type: 'checkbox', id: 'only-unstaffed', checked: st.onlyUnstaffed, onchange: (ev) => { st.onlyUnstaffed = ev.target.checked; fill(); } }),
          ' ', t('org.only_unstaffed'))),
      el('div', { class: 'table-scroll' },
        el('table', { class: 'org-table', id: 'org-booths' },
          el('thead', {}, el('tr', {},
            el('th', { scope: 'col', text: t('org.booth') }),
            el('th', { scope: 'col', class: 'num', text: t('org.visitors') }),
            el('th', { scope: 'col', class: 'num', text: t('org.staff') }))),
          el('tbody'))),
      el('p', { class: 'muted hidden', id: 'org-all-staffed', text: t('org.all_staffed') })));
  built = true;
  for (const k of Object.keys(charts)) { charts[k].destroy(); delete charts[k]; }
  fill();
  drawCharts();
}

function setKpi(id, v) {
  const n = document.querySelector(`#kpi-${id} .kpi-value`);
  if (!n) return;
  n.textContent = fmt(v);
  n.dataset.value = v == null ? '' : String(v);
}

function boothRow(b) {
  return el('tr', { dataset: { booth: String(b.booth_id) }, class: b.staff ? '' : 'unstaffed' },
    el('td', {}, el('a', { href: `booth.html?id=${encodeURIComponent(b.booth_id)}`, text: pick(b.name) || `#${b.booth_id}` }),
      b.staff ? null : el('span', { class: 'badge badge-warn', text: t('org.no_staff') })),
    el('td', { class: 'num', text: fmt(b.visitors) }),
    el('td', { class: 'num', text: fmt(b.staff) }));
}

function fill() {
  const d = st.live;
  renderUpdated();
  if (!d) return;
  setKpi('sessions', d.sessions);
  setKpi('signed-in', d.signed_in);
  setKpi('visitors', d.visitors_in_booths);
  setKpi('chat', d.chat_per_min);
  setKpi('staff', d.staff_online);
  setKpi('unstaffed', d.booths_without_staff);
  const today = d.today || {};
  setKpi('requested', today.meetings_requested);
  setKpi('accepted', today.meetings_accepted);
  setKpi('declined', today.meetings_declined);
  setKpi('registrations', today.registrations);

  const top = document.getElementById('org-top');
  clear(top);
  const max = Math.max(1, ...(d.top_booths || []).map((b) => b.visitors));
  if (!d.top_booths?.length) top.append(el('li', { class: 'muted empty-row', text: t('org.top_empty') }));
  for (const b of d.top_booths || []) {
    top.append(el('li', { dataset: { booth: String(b.booth_id) } },
      el('span', { class: 'top-name', text: pick(b.name) || `#${b.booth_id}` }),
      el('span', { class: 'top-bar', aria: { hidden: 'true' } }, el('span', { style: `width:${Math.round((b.visitors / max) * 100)}%` })),
      el('span', { class: 'top-count', text: fmt(b.visitors) })));
  }

  const nodes = document.querySelector('#org-nodes tbody');
  clear(nodes);
  for (const n of d.nodes || []) nodes.append(el('tr', {}, el('td', { text: n.node_id }), el('td', { class: 'num', text: fmt(n.sessions) })));

  const booths = document.querySelector('#org-booths tbody');
  clear(booths);
  const list = (d.booths || []).filter((b) => !st.onlyUnstaffed || !b.staff)
    .sort((a, b) => (a.staff ? 1 : 0) - (b.staff ? 1 : 0) || b.visitors - a.visitors);
  for (const b of list) booths.append(boothRow(b));
  document.getElementById('org-all-staffed').classList.toggle('hidden', !(st.onlyUnstaffed && !list.length));
}

function renderUpdated() {
  if (!isOrganizer()) { updated.textContent = ''; return; }
  if (!st.live) { updated.textContent = t('org.waiting'); return; }
  const age = Math.round((Date.now() - st.receivedAt) / 1000);
  const time = new Date(st.live.at || st.receivedAt).toLocaleTimeString(getLang() === 'ko' ? 'ko-KR' : 'en-US');
  updated.textContent = age > 3 ? t('org.stale', { s: age }) : t('org.updated', { time });
  updated.classList.toggle('is-stale', age > 3);
}
setInterval(renderUpdated, 1000);

// ---- history charts ---------------------------------------------------------------------

async function loadHistory() {
  clearTimeout(historyTimer);
  if (!isOrganizer()) return;
  try {
    st.history = await c.request('stats.history', { hours: 3 });
    drawCharts();
  } catch { /* the next round retries */ }
  historyTimer = setTimeout(loadHistory, HISTORY_EVERY_MS);
}

async function loadChart() {
  if (Chart || st.chartsFailed) return Chart;
  try {
    const m = await import('/vendor/chart.js/chart.esm.js');
    m.Chart.register(...m.registerables);
    Chart = m.Chart;
  } catch {
    st.chartsFailed = true;
  }
  return Chart;
}

function label(iso, withDay) {
  const d = new Date(iso);
  const loc = getLang() === 'ko' ? 'ko-KR' : 'en-US';
  return withDay ? d.toLocaleString(loc, { month: 'short', day: 'numeric', hour: '2-digit' })
    : d.toLocaleTimeString(loc, { hour: '2-digit', minute: '2-digit' });
}

async function drawCharts() {
  if (!built || !st.history) return;
  const note = document.getElementById('chart-note');
  const C = await loadChart();
  if (!C) { note.textContent = t('org.chart.unavailable'); return; }
  if (!built) return;
  note.textContent = st.history.minutes.length ? '' : t('org.chart.empty');
  draw(C, 'chart-minutes', st.history.minutes, false);
  draw(C, 'chart-hours', st.history.hours, true);
}

function draw(C, id, rows, withDay) {
  const canvas = document.getElementById(id);
  if (!canvas) return;
  const data = {
    labels: rows.map((r) => label(r.t, withDay)),
    datasets: [
      { label: t('org.chart.sessions'), data: rows.map((r) => r.sessions), borderColor: '#2f3fb4', backgroundColor: '#2f3fb4', yAxisID: 'y', tension: 0.2, pointRadius: 0 },
      { label: t('org.chart.visitors'), data: rows.map((r) => r.visitors), borderColor: '#157a47', backgroundColor: '#157a47', yAxisID: 'y', tension: 0.2, pointRadius: 0 },
      { label: t('org.chart.chat'), data: rows.map((r) => r.chat), borderColor: '#e2483d', backgroundColor: 'rgba(226,72,61,.25)', yAxisID: 'y1', type: 'bar' },
    ],
  };
  if (charts[id]) { charts[id].data = data; charts[id].update('none'); return; }
  charts[id] = new C(canvas, {
    type: 'line',
    data,
    options: {
      animation: false, responsive: true, maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      scales: {
        y: { beginAtZero: true, position: 'left', ticks: { precision: 0, color: '#4a5068' } },
        y1: { beginAtZero: true, position: 'right', grid: { drawOnChartArea: false }, ticks: { precision: 0, color: '#4a5068' } },
        x: { ticks: { maxTicksLimit: 8, color: '#4a5068' } },
      },
      plugins: { legend: { labels: { color: '#161a2b', boxWidth: 12 } } },
    },
  });
}

onLang(render);
render();
subscribe();
