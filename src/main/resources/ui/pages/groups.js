// Key groups: balances, create, adjust a balance (credit or debit, with a reason and a
// confirmation), and a group's transactions.

import {api, query} from '../api.js';
import {h, clear, field, fmt, notify, table, confirmAction} from '../dom.js';

export function render(section) {
  const listHost = h('div', {id: 'groups-list'});
  const detail = h('div', {id: 'group-detail'});
  const name = field('New group name', {name: 'name', id: 'group-name', required: true});
  const balance = field('Initial balance (USD)', {name: 'balance', type: 'number', step: 'any', min: '0'});
  const createForm = h('form', {class: 'toolbar', 'aria-label': 'Create a key group'},
      name.row, balance.row, h('button', {type: 'submit'}, 'Create group'));
  createForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = {name: name.input.value.trim()};
    if (balance.input.value.trim() !== '') body.balance = Number(balance.input.value);
    try {
      const group = await api('POST', '/key-groups', body);
      name.input.value = '';
      balance.input.value = '';
      notify('Group ' + group.name + ' is created.', 'ok');
      load();
    } catch (e) {
      notify(e.message, 'error');
    }
  });
  section.append(createForm, listHost, detail);

  async function load() {
    try {
      const groups = (await api('GET', '/key-groups')).data;
      clear(listHost).append(table('Key groups', [
        {label: 'Name', value: (g) => g.name},
        {label: 'Id', value: (g) => h('code', {}, g.id)},
        {label: 'Balance', value: (g) => h('span', {'data-balance': g.id}, fmt.usd(g.balance)), class: 'num'},
        {label: 'Credits', value: (g) => fmt.usd(g.credits), class: 'num'},
        {label: 'Spend', value: (g) => fmt.usd(g.spend), class: 'num'},
        {label: 'Created', value: (g) => fmt.time(g.createdAt)},
        {label: 'Actions', value: (g) => h('button', {type: 'button', class: 'secondary',
          'aria-label': 'Open ' + g.name, onclick: () => open(g)}, 'Balance & transactions')},
      ], groups, {empty: 'No key groups yet.', onRow: (tr, g) => tr.setAttribute('data-group-id', g.id)}));
    } catch (e) {
      if (e.status !== 401) notify(e.message, 'error');
    }
  }

  async function open(g) {
    const amount = field('Amount (USD)', {name: 'amount', id: 'adjust-amount', type: 'number',
      step: 'any', required: true}, 'Positive to credit, negative to debit.');
    const reason = field('Reason', {name: 'reason', id: 'adjust-reason', required: true});
    const form = h('form', {class: 'toolbar', 'aria-label': 'Adjust the balance of ' + g.name},
        amount.row, reason.row, h('button', {type: 'submit', id: 'adjust-balance'}, 'Adjust balance'));
    const transactions = h('div', {id: 'transactions'});
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const value = Number(amount.input.value);
      if (!await confirmAction('Adjust ' + g.name, (value >= 0 ? 'Credit ' : 'Debit ') +
          fmt.usd(Math.abs(value)) + (value >= 0 ? ' to ' : ' from ') + g.name + '?', 'Adjust')) {
        return;
      }
      try {
        const answer = await api('POST', '/key-groups/' + encodeURIComponent(g.id) + '/adjust-balance',
            {amount: value, reason: reason.input.value.trim()});
        notify('Balance of ' + g.name + ' is now ' + fmt.usd(answer.group.balance) + '.', 'ok');
        amount.input.value = '';
        reason.input.value = '';
        await load();
        await showTransactions(g, transactions);
      } catch (e) {
        notify(e.message, 'error');
      }
    });
    clear(detail).append(h('section', {class: 'card', 'aria-labelledby': 'group-title'},
        h('h2', {id: 'group-title'}, g.name), form, transactions));
    await showTransactions(g, transactions);
    amount.input.focus();
  }

  async function showTransactions(g, host, cursor) {
    try {
      const page = await api('GET', '/key-groups/' + encodeURIComponent(g.id) + '/transactions' +
          query({limit: 25, cursor}));
      const more = page.nextCursor
        ? h('button', {type: 'button', class: 'secondary',
          onclick: () => showTransactions(g, host, page.nextCursor)}, 'Older transactions')
        : null;
      clear(host).append(table('Transactions of ' + g.name, [
        {label: 'When', value: (t) => fmt.time(t.createdAt)},
        {label: 'Kind', value: (t) => t.kind},
        {label: 'Amount', value: (t) => fmt.usd(t.amount), class: 'num'},
        {label: 'Reason', value: (t) => t.reason || ''},
      ], page.data, {empty: 'No transactions yet.'}));
      if (more) host.append(more);
    } catch (e) {
      if (e.status !== 401) notify(e.message, 'error');
    }
  }

  load();
  return () => {};
}
