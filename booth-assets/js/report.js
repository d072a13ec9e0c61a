// report.js: the printable post-event report (report.html), organizers only: totals, the
// concurrency graph per hour (stats.history) and one row per booth (stats.report).

import { client } from './expo-client.js';
import { t, pick, onLang, getLang, errorText } from './i18n.js';
import { el, clear, mountHeader, mountFooter, openAuth } from './ui.js';
import { viewerZone } from './time.js';

const c = client();
mountHeader({ active: 'organizer' });
mountFooter({ zone: viewerZone() });
const root = document.getElementById('rep-root');
const sub = document.getElementById('rep-sub');
document.getElementById('rep-print').addEventListener('click', () => window.print());
const st = { report: null, hours: null, error: null };
let chart = null;

const loc = () => (getLang() === 'ko' ? 'ko-KR' : 'en-US');
const fmt = (n) => Number(n ?? 0).toLocaleString(loc());
const TOTALS = ['visitors', 'exhibitors', 'booths', 'peak_sessions', 'visits', 'unique_booth_visitors', 'avg_dwell_seconds',
  'chat_messages', 'meetings_requested', 'meetings_accepted', 'meetings_declined', 'leads'];

async function load() {
  if (c.user?.role !== 'organizer') { render(); return; }
  try {
    const [r, h] = await Promise.all([c.request('stats.report', {}), c.request('stats.history', { hours: 1 })]);
    st.report = r.report;
    st.hours = h.hours;
    st.error = null;
  } catch (e) { st.error = errorText(e); }
  render();
}

function render() {
  clear(root);
  sub.textContent = '';
  if (chart) { chart.destroy(); chart = null; }
  if (!c.user) {
    root.append(el('div', { class: 'panel gate' }, el('p', { text: t('org.signin') }),
      el('button', { type: 'button', class: 'btn btn-primary', text: t('auth.signin'), onclick: () => openAuth('signin') })));
    return;
  }
  if (c.user.role !== 'organizer') {
    root.append(el('div', { class: 'panel gate', id: 'org-forbidden' }, el('h2', { text: t('org.only') }),
      el('p', { text: t('org.only_lead', { role: t(`role.${c.user.role}`) }) })));
    return;
  }
  if (st.error) { root.append(el('p', { class: 'form-error', role: 'alert', text: st.error })); return; }
  const r = st.report;
  if (!r) { root.append(el('div', { class: 'skeleton' })); return; }
  sub.textContent = `${pick(r.expo.name)} · ${t('rep.generated', { time: new Date().toLocaleString(loc()) })}`;
  root.append(
    el('section', { class: 'rep-totals', id: 'rep-totals', aria: { label: t('rep.totals') } },
      TOTALS.map((k) => el('div', { class: 'kpi', dataset: { key: k } },
        el('span', { class: 'kpi-label', text: t(`rep.t.${k}`) }),
        el('span', { class: 'kpi-value', text: k === 'avg_dwell_seconds' ? t('rep.seconds', { n: fmt(r.totals[k]) }) : fmt(r.totals[k]) })))),
    el('section', { class: 'panel rep-section', aria: { labelledby: 'rep-conc' } },
      el('h2', { class: 'panel-title', id: 'rep-conc', text: t('rep.concurrency') }),
      st.hours?.length ? el('div', { class: 'rep-chart' }, el('canvas', { id: 'rep-chart', role: 'img', aria: { label: t('rep.concurrency') } }))
        : el('p', { class: 'muted', text: t('org.chart.empty') })),
    el('section', { class: 'panel rep-section', aria: { labelledby: 'rep-booths' } },
      el('h2', { class: 'panel-title', id: 'rep-booths', text: t('rep.per_booth') }),
      el('div', { class: 'table-scroll' }, el('table', { class: 'org-table', id: 'rep-booth-table' },
        el('thead', {}, el('tr', {}, ['org.booth', 'rep.c.visits', 'rep.c.unique', 'rep.c.dwell', 'rep.c.chat', 'rep.c.meetings', 'rep.c.accepted', 'rep.c.leads']
          .map((k, i) => el('th', { scope: 'col', class: i ? 'num' : '', text: t(k) })))),
        el('tbody', {}, r.booths.map((b) => el('tr', {},
          el('td', { text: pick(b.name) }), el('td', { class: 'num', text: fmt(b.visits) }), el('td', { class: 'num', text: fmt(b.unique_visitors) }),
          el('td', { class: 'num', text: fmt(b.avg_dwell_seconds) }), el('td', { class: 'num', text: fmt(b.chat_messages) }),
          el('td', { class: 'num', text: fmt(b.meetings) }), el('td', { class: 'num', text: fmt(b.meetings_accepted) }),
          el('td', { class: 'num', text: fmt(b.leads) }))))))));
  drawChart();
}

async function drawChart() {
  const canvas = document.getElementById('rep-chart');
  if (!canvas) return;
  let m;
  try { m = await import('/vendor/chart.js/chart.esm.js'); } catch { return; }
  m.Chart.register(...m.registerables);
  chart = new m.Chart(canvas, {
    type: 'line',
    data: {
      labels: st.hours.map((h) => new Date(h.t).toLocaleString(loc(), { month: 'short', day: 'numeric', hour: '2-digit' })),
      datasets: [
        { label: t('org.chart.sessions'), data: st.hours.map((h) => h.sessions), borderColor: '#2f3fb4', backgroundColor: '#2f3fb4', pointRadius: 0 },
        { label: t('org.chart.visitors'), data: st.hours.map((h) => h.visitors), borderColor: '#157a47', backgroundColor: '#157a47', pointRadius: 0 },
      ],
    },
    options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
}

c.on('auth', load);
onLang(render);
load();
