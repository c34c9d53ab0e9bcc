// Logs: the request log (GET /logs) with filters, cursor pages, a row's detail, and a CSV export
// of the same filters (GET /logs/export, fetched with the key and saved as a file).

import {api, query} from '../api.js';
import {h, clear, field, fmt, notify, pill, table, download} from '../dom.js';
import {lineChart} from '../charts.js';

export function render(section) {
  const f = {
    key: field('Key id', {name: 'key', id: 'filter-key'}),
    model: field('Model', {name: 'model', id: 'filter-model'}),
    provider: field('Provider', {name: 'provider', id: 'filter-provider'}),
    status: field('Status', {name: 'status', id: 'filter-status', placeholder: '429, 5xx, error'}),
    from: field('From', {name: 'from', id: 'filter-from', type: 'datetime-local'}),
    to: field('To', {name: 'to', id: 'filter-to', type: 'datetime-local'}),
  };
  const form = h('form', {class: 'filters', 'aria-label': 'Log filters'},
      ...Object.values(f).map((x) => x.row),
      h('div', {class: 'actions'},
          h('button', {type: 'submit', id: 'apply-filters'}, 'Apply'),
          h('button', {type: 'button', class: 'secondary', id: 'export-csv', onclick: exportCsv}, 'Export CSV')));
  const listHost = h('div', {id: 'logs-list'});
  const more = h('div', {class: 'pager'});
  const detail = h('div', {id: 'log-detail'});
  let rows = [];
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    load();
    loadSpend();
  });
  const groupBy = field('Spend by', {tag: 'select', name: 'groupBy', id: 'spend-by', value: 'model',
    options: ['model', 'provider', 'key', 'group', 'day'].map((g) => ({value: g, label: g}))});
  const spendHost = h('div', {id: 'spend'});
  const spendChart = lineChart('Spend per day (USD)', (v) => '$' + Number(v).toFixed(4), false, 'days');
  spendChart.el.hidden = true;
  groupBy.input.addEventListener('change', () => loadSpend());
  section.append(form, listHost, more, detail,
      h('h2', {}, 'Spend'), h('div', {class: 'toolbar'}, groupBy.row), spendHost, spendChart.el);

  function filters() {
    const time = (input) => (input.value ? new Date(input.value).toISOString() : '');
    return {
      key: f.key.input.value.trim(), model: f.model.input.value.trim(),
      provider: f.provider.input.value.trim(), status: f.status.input.value.trim(),
      from: time(f.from.input), to: time(f.to.input),
    };
  }

  async function load(cursor) {
    try {
      const page = await api('GET', '/logs' + query({...filters(), limit: 50, cursor}));
      rows = cursor ? rows.concat(page.data) : page.data;
      clear(listHost).append(table('Request log', [
        {label: 'Time', value: (r) => fmt.time(r.timestamp)},
        {label: 'Status', value: (r) => pill(r.status)},
        {label: 'Model', value: (r) => r.model || '–'},
        {label: 'Provider', value: (r) => r.provider || '–'},
        {label: 'Key', value: (r) => (r.keyId ? h('code', {}, r.keyId) : '–')},
        {label: 'Tokens', value: (r) => fmt.num(r.inputTokens) + ' / ' + fmt.num(r.outputTokens), class: 'num'},
        {label: 'Cost', value: (r) => fmt.usd(r.cost), class: 'num'},
        {label: 'Latency', value: (r) => fmt.ms(r.latencyMs), class: 'num'},
        {label: 'Detail', value: (r) => h('button', {type: 'button', class: 'link',
          'aria-label': 'Show request ' + r.requestId, onclick: () => showDetail(r.id)}, 'Show')},
      ], rows, {empty: 'No requests match.', onRow: (tr, r) => tr.setAttribute('data-log-id', r.id)}));
      clear(more).append(page.nextCursor
        ? h('button', {type: 'button', class: 'secondary', onclick: () => load(page.nextCursor)}, 'Load more')
        : h('span', {class: 'hint'}, rows.length + ' rows'));
    } catch (e) {
      if (e.status !== 401) notify(e.message, 'error');
    }
  }

  /** Totals of the same filters by model, provider, key, group or day (GET /spend). */
  async function loadSpend() {
    const by = groupBy.input.value;
    try {
      const report = await api('GET', '/spend' + query({...filters(), groupBy: by}));
      clear(spendHost).append(table('Spend by ' + by, [
        {label: by, value: (r) => r.group || '(none)'},
        {label: 'Requests', value: (r) => fmt.num(r.requests), class: 'num'},
        {label: 'Tokens', value: (r) => fmt.num(r.totalTokens), class: 'num'},
        {label: 'Cache hits', value: (r) => fmt.num(r.cacheHits), class: 'num'},
        {label: 'Cost', value: (r) => fmt.usd(r.cost), class: 'num'},
      ], report.data.concat([{...report.total, group: 'Total'}]), {empty: 'No spend.'}));
      spendChart.el.hidden = by !== 'day' || report.data.length === 0;
      if (!spendChart.el.hidden) {
        const days = report.data.slice().sort((a, b) => a.group.localeCompare(b.group));
        spendChart.update(days.map((d) => Date.parse(d.group) / 1000), days.map((d) => Number(d.cost)));
      }
    } catch (e) {
      if (e.status !== 401) notify(e.message, 'error');
    }
  }

  async function showDetail(id) {
    try {
      const row = await api('GET', '/logs/' + encodeURIComponent(id));
      const entries = Object.entries(row).map(([k, v]) =>
        h('div', {}, h('dt', {}, k), h('dd', {}, v === null ? '–' : String(v))));
      clear(detail).append(h('section', {class: 'card', 'aria-labelledby': 'log-detail-title', tabindex: '-1'},
          h('h2', {id: 'log-detail-title'}, 'Request ' + row.requestId),
          h('dl', {class: 'facts'}, ...entries),
          h('button', {type: 'button', class: 'secondary', onclick: () => clear(detail)}, 'Close')));
      detail.firstChild.focus();
    } catch (e) {
      notify(e.message, 'error');
    }
  }

  async function exportCsv() {
    try {
      const text = await api('GET', '/logs/export' + query({...filters(), format: 'csv'}));
      download('request-logs.csv', 'text/csv', text);
      notify('Exported the matching rows as request-logs.csv.', 'ok');
    } catch (e) {
      notify(e.message, 'error');
    }
  }

  load();
  loadSpend();
  return () => spendChart.destroy();
}
