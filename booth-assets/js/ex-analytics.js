// ex-analytics.js: the exhibitor's analytics tab. mountAnalyticsTab(container, ctx) shows the
// booth's totals (analytics.booth), per-hour charts over the expo drawn with Chart.js (Debian's
// libjs-chart.js, served by boothd under /vendor/), and the "now" counters, which the server
// keeps current with analytics.now (at most one a second). Inquiries are not counted yet.
//
// ctx: {client, boothId, booth?: {time_zone}}. Returns {unmount()}.

import './i18n-leads.js';
import { t, getLang, onLang, errorText } from './i18n.js';
import { el, clear } from './ui.js';
import { zoneCity, zoneAbbr } from './time.js';
import { useLeadsStyles } from './leads-styles.js';

const CHART_URL = '/vendor/chart.js/chart.mjs';
let chartLib = null;

/** Chart.js, loaded once, with every controller and scale registered. */
function loadChart() {
  chartLib ??= import(CHART_URL).then((m) => { m.Chart.register(...m.registerables); return m.Chart; });
  return chartLib;
}

function dwellText(sec) {
  if (sec == null) return t('an.none');
  const s = Math.round(Number(sec));
  return s < 60 ? t('an.seconds', { n: s }) : t('an.minutes', { m: Math.floor(s / 60), s: s % 60 });
}

/** "12/8 09:00" from an RFC 3339 time on the booth's wall clock (its own offset). */
function hourLabel(iso) {
  const m = /^\d{4}-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso || '');
  return m ? `${Number(m[1])}/${Number(m[2])} ${m[3]}:${m[4]}` : iso;
}

export function mountAnalyticsTab(container, ctx) {
  useLeadsStyles();
  const c = ctx.client;
  const root = el('section', { class: 'panel analytics-tab', id: 'analytics-tab', aria: { labelledby: 'an-title' } });
  container.append(root);
  let data = null;
  let error = null;
  let charts = [];
  let gone = false;

  function destroyCharts() { for (const ch of charts) ch.destroy(); charts = []; }

  async function load() {
    try {
      data = await c.request('analytics.booth', { booth_id: ctx.boothId });
      error = null;
    } catch (e) {
      error = errorText(e);
    }
    if (!gone) render();
  }

  function tile(id, label, value, sub) {
    return el('div', { class: 'an-tile', id },
      el('div', { class: 'an-value', text: String(value) }),
      el('div', { class: 'an-label', text: label }),
      sub ? el('div', { class: 'an-sub', text: sub }) : null);
  }

  function renderNow() {
    const box = root.querySelector('#an-now');
    if (!box || !data) return;
    clear(box).append(
      tile('an-visitors-now', t('an.visitors_now'), data.now.visitors_now),
      tile('an-staff-online', t('an.staff_online'), data.now.staff_online));
  }

  async function drawCharts() {
    destroyCharts();
    const hours = data.hourly || [];
    const labels = hours.map((h) => hourLabel(h.hour));
    const status = root.querySelector('#an-chart-status');
    try {
      const Chart = await loadChart();
      if (gone) return;
      const common = {
        responsive: true, maintainAspectRatio: false, animation: false,
        interaction: { mode: 'index', intersect: false },
        scales: { x: { ticks: { maxRotation: 0, autoSkip: true, color: '#4a5068' } }, y: { beginAtZero: true, ticks: { precision: 0, color: '#4a5068' } } },
        plugins: { legend: { labels: { color: '#161a2b' } } },
        elements: { point: { radius: hours.length > 48 ? 0 : 2 } },
      };
      const visits = root.querySelector('#an-chart-visits');
      const engage = root.querySelector('#an-chart-engagement');
      if (!visits || !engage) return;
      charts.push(new Chart(visits, {
        type: 'bar', options: common,
        data: { labels, datasets: [
          { label: t('an.visits'), data: hours.map((h) => h.visits), backgroundColor: '#2f3fb4' },
          { label: t('an.unique'), data: hours.map((h) => h.unique_visitors), backgroundColor: '#e2483d' },
        ] },
      }));
      charts.push(new Chart(engage, {
        type: 'line', options: common,
        data: { labels, datasets: [
          { label: t('an.chat'), data: hours.map((h) => h.chat_messages), borderColor: '#2f3fb4', backgroundColor: '#2f3fb4', tension: 0.2 },
          { label: t('an.meetings'), data: hours.map((h) => h.meeting_requests), borderColor: '#157a47', backgroundColor: '#157a47', tension: 0.2 },
          { label: t('an.leads'), data: hours.map((h) => h.leads), borderColor: '#9a5b00', backgroundColor: '#9a5b00', tension: 0.2 },
        ] },
      }));
      root.dataset.charts = 'drawn';
    } catch (e) {
      if (status) status.textContent = t('an.chart_error');
      console.warn('analytics: Chart.js failed', e);
    }
  }

  function render() {
    destroyCharts();
    clear(root);
    const zone = data?.time_zone || ctx.booth?.time_zone || 'Asia/Seoul';
    root.append(el('div', { class: 'panel-head' },
      el('h2', { id: 'an-title', text: t('an.title') }),
      el('button', { type: 'button', class: 'btn btn-ghost btn-sm', id: 'an-refresh', text: t('an.refresh'), onclick: load })),
    el('p', { class: 'hint', text: t('an.lead', { zone: `${zoneCity(zone, getLang())}, ${zoneAbbr(zone)}` }) }));
    if (error) { root.append(el('p', { class: 'form-error', role: 'alert', text: error })); return; }
    if (!data) { root.append(el('p', { class: 'muted', text: '…' })); return; }
    const tt = data.totals;
    root.append(
      el('h3', { class: 'section-title', text: t('an.now') }),
      el('div', { class: 'an-tiles an-now', id: 'an-now', aria: { live: 'polite' } }),
      el('div', { class: 'an-tiles', id: 'an-totals' },
        tile('an-visits', t('an.visits'), tt.visits),
        tile('an-unique', t('an.unique'), tt.unique_visitors),
        tile('an-avg', t('an.avg_dwell'), dwellText(tt.avg_dwell_seconds)),
        tile('an-median', t('an.median_dwell'), dwellText(tt.median_dwell_seconds)),
        tile('an-chat', t('an.chat'), tt.chat_messages),
        tile('an-meetings', t('an.meetings'), tt.meeting_requests, t('an.accepted', { n: tt.meetings_accepted })),
        tile('an-leads', t('an.leads'), tt.leads)),
      el('h3', { class: 'section-title', text: t('an.per_hour') }),
      el('div', { class: 'an-chart' }, el('canvas', { id: 'an-chart-visits', role: 'img', aria: { label: t('an.per_hour') } })),
      el('h3', { class: 'section-title', text: t('an.engagement') }),
      el('div', { class: 'an-chart' }, el('canvas', { id: 'an-chart-engagement', role: 'img', aria: { label: t('an.engagement') } })),
      el('p', { class: 'form-error', id: 'an-chart-status', role: 'status' }));
    renderNow();
    drawCharts();
  }

  const offs = [
    c.on('analytics.now', (d) => {
      if (!data || String(d.booth_id) !== String(ctx.boothId)) return;
      data.now = { visitors_now: d.visitors_now, staff_online: d.staff_online };
      renderNow();
    }),
    // A reconnect loses the subscription: ask again.
    c.on('auth', (u) => { if (u) load(); }),
    onLang(() => render()),
  ];

  render();
  load();
  return {
    unmount() {
      gone = true;
      for (const off of offs) off();
      destroyCharts();
      root.remove();
      c.request('analytics.unwatch', {}).catch(() => { /* signed out or gone: nothing to stop */ });
    },
  };
}
