// Overview: the last minutes' traffic from GET /api/admin/stats/recent (computed from the request
// log) and spend from GET /api/admin/spend, refreshed every 10 seconds.

import {api, query} from '../api.js';
import {h, clear, fmt, notify} from '../dom.js';
import {lineChart} from '../charts.js';

const REFRESH_MS = 10000;

export function render(section) {
  const cards = h('div', {class: 'cards', 'aria-live': 'off'});
  const updated = h('p', {class: 'hint', id: 'overview-updated'});
  const charts = {
    requests: lineChart('Requests per minute', (v) => fmt.num(v), true),
    errors: lineChart('Errors per minute', (v) => fmt.num(v), true),
    p95: lineChart('p95 latency (ms)', (v) => fmt.num(Math.round(v))),
    cost: lineChart('Spend per minute (USD)', (v) => '$' + Number(v).toFixed(4)),
  };
  section.append(
      h('h2', {class: 'sr-only'}, 'Current numbers'), cards,
      h('h2', {}, 'Last hour'),
      h('div', {class: 'charts'}, ...Object.values(charts).map((c) => c.el)),
      updated);

  const onResize = () => Object.values(charts).forEach((c) => c.resize());
  window.addEventListener('resize', onResize);

  async function refresh() {
    try {
      const now = new Date();
      const monthStart = now.toISOString().slice(0, 8) + '01';
      const today = now.toISOString().slice(0, 10);
      const [hour, recent, spend] = await Promise.all([
        api('GET', '/stats/recent?minutes=60'),
        api('GET', '/stats/recent?minutes=5'),
        api('GET', '/spend' + query({groupBy: 'day', from: monthStart})),
      ]);
      const todayRow = spend.data.find((d) => d.group === today);
      const t = recent.total;
      clear(cards).append(
          card('Requests/s', t.requestsPerSecond.toFixed(t.requestsPerSecond < 1 ? 3 : 2), 'last 5 minutes', 'rps'),
          card('Error rate', fmt.pct(t.errorRate), fmt.num(t.errors) + ' of ' + fmt.num(t.requests), 'error-rate'),
          card('Latency p50', fmt.ms(t.p50Ms), 'last 5 minutes', 'p50'),
          card('Latency p95', fmt.ms(t.p95Ms), 'last 5 minutes', 'p95'),
          card('Active requests', fmt.num(hour.activeRequests), 'this instance, now', 'active'),
          card('Requests', fmt.num(hour.total.requests), 'last hour', 'requests-hour'),
          card('Spend today', fmt.usd(todayRow ? todayRow.cost : 0), today + ' (UTC)', 'spend-today'),
          card('Spend this month', fmt.usd(spend.total.cost), 'since ' + monthStart, 'spend-month'),
          card('Cache hit rate', fmt.pct(hour.total.cacheHitRate),
              fmt.num(hour.total.cacheHits) + ' hits, last hour', 'cache-hit-rate'));
      const times = hour.data.map((m) => Date.parse(m.minute) / 1000);
      charts.requests.update(times, hour.data.map((m) => m.requests));
      charts.errors.update(times, hour.data.map((m) => m.errors));
      charts.p95.update(times, hour.data.map((m) => m.p95Ms));
      charts.cost.update(times, hour.data.map((m) => Number(m.cost)));
      updated.textContent = 'Updated ' + fmt.time(hour.asOf) + '; refreshes every 10 seconds.';
    } catch (e) {
      if (e.status !== 401) notify(e.message, 'error');
    }
  }

  refresh();
  const timer = setInterval(refresh, REFRESH_MS);
  return () => {
    clearInterval(timer);
    window.removeEventListener('resize', onResize);
    Object.values(charts).forEach((c) => c.destroy());
  };
}

function card(label, value, note, id) {
  return h('section', {class: 'card stat', 'data-stat': id, 'aria-label': label},
      h('h3', {}, label), h('p', {class: 'value'}, value), h('p', {class: 'note'}, note));
}
