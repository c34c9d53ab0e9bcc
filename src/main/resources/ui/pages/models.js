// Models: aliases and their deployments (GET /model-mappings), and the price table
// (GET /model-costs) with its export and import (/model-costs/export, /model-costs/import).

import {api} from '../api.js';
import {h, clear, fmt, notify, table, download, confirmAction} from '../dom.js';

export function render(section) {
  const aliases = h('div', {id: 'aliases'});
  const prices = h('div', {id: 'prices'});
  const file = h('input', {type: 'file', id: 'price-file', accept: '.json,.csv,application/json,text/csv'});
  const importButton = h('button', {type: 'button', id: 'import-prices'}, 'Import prices');
  importButton.addEventListener('click', importPrices);
  section.append(
      h('h2', {}, 'Aliases and deployments'), aliases,
      h('h2', {}, 'Price table'),
      h('div', {class: 'toolbar'},
          h('button', {type: 'button', class: 'secondary', 'data-export': 'json',
            onclick: () => exportPrices('json')}, 'Export JSON'),
          h('button', {type: 'button', class: 'secondary', 'data-export': 'csv',
            onclick: () => exportPrices('csv')}, 'Export CSV'),
          h('div', {class: 'field'}, h('label', {for: 'price-file'}, 'Price file (JSON or CSV)'), file),
          importButton),
      prices);

  async function load() {
    try {
      const [mappings, costs] = await Promise.all([api('GET', '/model-mappings'), api('GET', '/model-costs')]);
      clear(aliases).append(table('*Aliases', [
        {label: 'Alias', value: (m) => m.alias},
        {label: 'Strategy', value: (m) => m.strategy || 'priority'},
        {label: 'Deployments', value: (m) => h('ul', {class: 'plain'}, ...(m.deployments || []).map((d) =>
          h('li', {}, d.provider + '/' + d.model +
              (d.region ? ' · ' + d.region : '') +
              (d.weight !== undefined && d.weight !== null ? ' · weight ' + d.weight : '') +
              (d.priority !== undefined && d.priority !== null ? ' · priority ' + d.priority : '') +
              (d.timeouts && d.timeouts.totalMs ? ' · total ' + fmt.ms(d.timeouts.totalMs) : ''))))},
        {label: 'Fallbacks', value: (m) => (m.fallbacks || []).join(', ') || '–'},
        {label: 'Retries', value: (m) => (m.retries === undefined || m.retries === null ? '–' : m.retries)},
        {label: 'Source', value: (m) => m.source || ''},
      ], mappings.data, {empty: 'No aliases.'}));
      clear(prices).append(table('*Prices', [
        {label: 'Provider', value: (p) => p.provider},
        {label: 'Model', value: (p) => p.model},
        {label: 'Input / M', value: (p) => fmt.usd(p.inputPerMillion), class: 'num'},
        {label: 'Output / M', value: (p) => fmt.usd(p.outputPerMillion), class: 'num'},
        {label: 'Cached input / M', value: (p) => fmt.usd(p.cachedInputPerMillion), class: 'num'},
        {label: 'Source', value: (p) => p.source},
        {label: 'As of', value: (p) => p.asOf || '–'},
      ], costs.data, {empty: 'No prices.'}));
    } catch (e) {
      if (e.status !== 401) notify(e.message, 'error');
    }
  }

  async function exportPrices(format) {
    try {
      const answer = await api('GET', '/model-costs/export?format=' + format);
      download('model-prices.' + format, format === 'csv' ? 'text/csv' : 'application/json',
          typeof answer === 'string' ? answer : JSON.stringify(answer, null, 2));
    } catch (e) {
      notify(e.message, 'error');
    }
  }

  async function importPrices() {
    const chosen = file.files && file.files[0];
    if (!chosen) {
      notify('Choose a JSON or CSV price file first.', 'error');
      file.focus();
      return;
    }
    const format = chosen.name.toLowerCase().endsWith('.csv') ? 'csv' : 'json';
    if (!await confirmAction('Import prices', 'Insert or replace prices from ' + chosen.name +
        '? All rows are applied, or none.', 'Import')) return;
    try {
      const text = await chosen.text();
      const answer = await api('POST', '/model-costs/import?format=' + format,
          {text, type: format === 'csv' ? 'text/csv' : 'application/json'});
      notify('Imported prices: ' + answer.created + ' new, ' + answer.updated + ' replaced.', 'ok');
      load();
    } catch (e) {
      notify(e.message, 'error');
    }
  }

  load();
  return () => {};
}
