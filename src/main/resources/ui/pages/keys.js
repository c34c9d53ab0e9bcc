// Virtual keys: list (search and pages in the browser over GET /virtual-keys), create (the key is
// shown once, with a copy button), edit limits, budget and allowed models, revoke; a key's spend
// per day (GET /spend?key=...&groupBy=day) as a chart.

import {api, query} from '../api.js';
import {h, clear, field, fmt, notify, pill, table, confirmAction} from '../dom.js';
import {lineChart} from '../charts.js';

const PAGE_SIZE = 20;

export function render(section) {
  let keys = [];
  let page = 0;
  const search = field('Search keys', {type: 'search', id: 'key-search', placeholder: 'name, id or hint'});
  const listHost = h('div', {id: 'keys-list'});
  const pager = h('nav', {class: 'pager', 'aria-label': 'Key pages'});
  const editorHost = h('div', {id: 'key-editor'});
  const created = h('div', {id: 'key-created'});
  const spendHost = h('div', {id: 'key-spend'});
  let spendChart = null;
  search.input.addEventListener('input', () => {
    page = 0;
    show();
  });
  section.append(
      h('div', {class: 'toolbar'}, search.row,
          h('button', {type: 'button', id: 'new-key', onclick: () => edit(null)}, 'Create key')),
      created, editorHost, spendHost, listHost, pager);

  async function load() {
    try {
      keys = (await api('GET', '/virtual-keys')).data;
      show();
    } catch (e) {
      if (e.status !== 401) notify(e.message, 'error');
    }
  }

  function show() {
    const term = search.input.value.trim().toLowerCase();
    const matching = keys.filter((k) => !term ||
        [k.name, k.id, k.keyHint, k.groupId].some((v) => v && v.toLowerCase().includes(term)));
    const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
    page = Math.min(page, pages - 1);
    const rows = matching.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
    clear(listHost).append(table('Virtual keys (' + matching.length + ')', [
      {label: 'Name', value: (k) => k.name},
      {label: 'Key', value: (k) => h('code', {}, k.keyHint)},
      {label: 'State', value: (k) => pill(k.revoked ? 'revoked' : k.enabled ? 'active' : 'disabled')},
      {label: 'Models', value: (k) => (k.allowedModels && k.allowedModels.length ? k.allowedModels.join(', ') : 'all')},
      {label: 'Budget', value: (k) => (k.maxBudget === null || k.maxBudget === undefined ? '–'
          : fmt.usd(k.maxBudget) + ' ' + (k.budgetPeriod || ''))},
      {label: 'Spend', value: (k) => fmt.usd(k.spend), class: 'num'},
      {label: 'Limits', value: (k) => ['rpm', 'rpd', 'tpm'].filter((l) => k[l]).map((l) => l + ' ' + k[l]).join(', ') || '–'},
      {label: 'Created', value: (k) => fmt.time(k.createdAt)},
      {label: 'Actions', value: (k) => h('span', {class: 'row-actions'},
          h('button', {type: 'button', class: 'secondary', 'aria-label': 'Spend of ' + k.name,
            onclick: () => showSpend(k)}, 'Spend'),
          ...(k.revoked ? [] : [
            h('button', {type: 'button', class: 'secondary', 'aria-label': 'Edit ' + k.name, onclick: () => edit(k)}, 'Edit'),
            h('button', {type: 'button', class: 'danger', 'aria-label': 'Revoke ' + k.name, onclick: () => revoke(k)}, 'Revoke')]))},
    ], rows, {empty: 'No keys match.', onRow: (tr, k) => tr.setAttribute('data-key-id', k.id)}));
    clear(pager).append(
        h('button', {type: 'button', class: 'secondary', disabled: page === 0, onclick: () => {
          page--;
          show();
        }}, 'Previous'),
        h('span', {}, 'Page ' + (page + 1) + ' of ' + pages),
        h('button', {type: 'button', class: 'secondary', disabled: page >= pages - 1, onclick: () => {
          page++;
          show();
        }}, 'Next'));
  }

  async function revoke(k) {
    if (!await confirmAction('Revoke ' + k.name, 'Revoke key ' + k.keyHint + ' for good? Callers ' +
        'using it are refused at once.', 'Revoke')) return;
    try {
      await api('DELETE', '/virtual-keys/' + encodeURIComponent(k.id));
      notify('Key ' + k.name + ' is revoked.', 'ok');
      load();
    } catch (e) {
      notify(e.message, 'error');
    }
  }

  function edit(k) {
    clear(created);
    const name = field('Name', {name: 'name', required: true, value: k ? k.name : ''});
    const models = field('Allowed models', {name: 'allowedModels',
      value: k && k.allowedModels ? k.allowedModels.join(', ') : ''},
    'Comma-separated aliases or prefixes ending in * (gpt-*); empty allows every model.');
    const budget = field('Budget (USD)', {name: 'maxBudget', type: 'number', min: '0', step: 'any',
      value: k && k.maxBudget !== null && k.maxBudget !== undefined ? String(k.maxBudget) : ''},
    'Empty: no budget.');
    const period = field('Budget period', {tag: 'select', name: 'budgetPeriod',
      value: k && k.budgetPeriod ? k.budgetPeriod : 'total',
      options: ['total', 'daily', 'weekly', 'monthly'].map((p) => ({value: p, label: p}))});
    const limit = (label, key) => field(label, {name: key, type: 'number', min: '1', step: '1',
      value: k && k[key] ? String(k[key]) : ''});
    const rpm = limit('Requests per minute', 'rpm');
    const rpd = limit('Requests per day', 'rpd');
    const tpm = limit('Tokens per minute', 'tpm');
    const group = field('Key group id', {name: 'groupId', value: k && k.groupId ? k.groupId : ''});
    const ips = field('IP allowlist', {name: 'ipAllowlist',
      value: k && k.ipAllowlist ? k.ipAllowlist.join(', ') : ''}, 'Addresses or CIDRs, comma-separated.');
    const error = h('p', {class: 'error', role: 'alert'});
    const form = h('form', {class: 'card editor', 'aria-labelledby': 'key-form-title'},
        h('h2', {id: 'key-form-title'}, k ? 'Edit ' + k.name : 'Create a virtual key'),
        h('div', {class: 'grid'}, name.row, models.row, budget.row, period.row, rpm.row, rpd.row,
            tpm.row, group.row, ips.row),
        error,
        h('div', {class: 'actions'},
            h('button', {type: 'button', class: 'secondary', onclick: () => clear(editorHost)}, 'Cancel'),
            h('button', {type: 'submit', id: 'save-key'}, k ? 'Save' : 'Create')));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const list = (input) => input.value.split(',').map((s) => s.trim()).filter(Boolean);
      const number = (input) => (input.value.trim() === '' ? null : Number(input.value));
      const body = {
        name: name.input.value.trim(),
        allowedModels: list(models.input).length ? list(models.input) : null,
        maxBudget: number(budget.input),
        budgetPeriod: budget.input.value.trim() === '' ? null : period.input.value,
        rpm: number(rpm.input), rpd: number(rpd.input), tpm: number(tpm.input),
        groupId: group.input.value.trim() || null,
        ipAllowlist: list(ips.input).length ? list(ips.input) : null,
      };
      if (!k) {
        for (const [f, v] of Object.entries(body)) if (v === null) delete body[f];
      }
      try {
        const answer = k
          ? await api('PATCH', '/virtual-keys/' + encodeURIComponent(k.id), body)
          : await api('POST', '/virtual-keys', body);
        clear(editorHost);
        if (!k) showCreated(answer);
        notify(k ? 'Key ' + answer.name + ' is saved.' : 'Key ' + answer.name + ' is created.', 'ok');
        load();
      } catch (e) {
        error.textContent = e.message;
      }
    });
    clear(editorHost).append(form);
    name.input.focus();
  }

  /** The key's spend per day: a chart and the table behind it. */
  async function showSpend(k) {
    try {
      const report = await api('GET', '/spend' + query({key: k.id, groupBy: 'day'}));
      const days = report.data.slice().sort((a, b) => a.group.localeCompare(b.group));
      if (spendChart) spendChart.destroy();
      spendChart = lineChart('Spend per day of ' + k.name + ' (USD)', (v) => '$' + Number(v).toFixed(4), false, 'days');
      clear(spendHost).append(h('section', {class: 'card', 'aria-labelledby': 'key-spend-title'},
          h('h2', {id: 'key-spend-title'}, 'Spend of ' + k.name),
          table('Spend of ' + k.name + ' by day', [
            {label: 'Day', value: (r) => r.group},
            {label: 'Requests', value: (r) => fmt.num(r.requests), class: 'num'},
            {label: 'Tokens', value: (r) => fmt.num(r.totalTokens), class: 'num'},
            {label: 'Cost', value: (r) => fmt.usd(r.cost), class: 'num'},
          ], days, {empty: 'No spend yet.'}),
          spendChart.el,
          h('button', {type: 'button', class: 'secondary', onclick: () => clear(spendHost)}, 'Close')));
      spendChart.el.hidden = days.length === 0;
      if (days.length) {
        spendChart.update(days.map((d) => Date.parse(d.group) / 1000), days.map((d) => Number(d.cost)));
      }
    } catch (e) {
      if (e.status !== 401) notify(e.message, 'error');
    }
  }

  function showCreated(answer) {
    const value = h('input', {id: 'created-key', readonly: true, value: answer.key,
      'aria-describedby': 'created-key-hint', class: 'mono'});
    const copy = h('button', {type: 'button', id: 'copy-key', onclick: async () => {
      try {
        await navigator.clipboard.writeText(answer.key);
        copy.textContent = 'Copied';
      } catch (e) {
        value.select();
        copy.textContent = 'Press Ctrl+C';
      }
    }}, 'Copy');
    clear(created).append(h('section', {class: 'card created', 'aria-labelledby': 'created-title'},
        h('h2', {id: 'created-title'}, 'Key ' + answer.name + ' created'),
        h('p', {id: 'created-key-hint'}, 'Copy it now: it is shown only this once and cannot be ' +
            'read again.'),
        h('div', {class: 'copy-row'}, h('label', {for: 'created-key', class: 'sr-only'}, 'New key'),
            value, copy),
        h('button', {type: 'button', class: 'secondary', onclick: () => clear(created)}, 'Done')));
    value.focus();
    value.select();
  }

  load();
  return () => {
    if (spendChart) spendChart.destroy();
  };
}
