// Small DOM helpers: elements are built with textContent and properties only (never innerHTML),
// so nothing read from the API is ever parsed as HTML.

/** h('button', {class: 'x', onclick: fn, 'aria-label': 'y'}, 'text', child, ...) */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else if (name === 'class') {
      el.className = value;
    } else if (name === 'value' || name === 'checked' || name === 'disabled') {
      el[name] = value;
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

let fieldIds = 0;

/** A labelled input; returns {row, input}. */
export function field(label, attrs = {}, hint) {
  const id = attrs.id || 'f' + ++fieldIds;
  const input = attrs.tag === 'select'
    ? h('select', {id, name: attrs.name}, ...(attrs.options || []).map(
        (o) => h('option', {value: o.value, selected: o.value === attrs.value}, o.label)))
    : h(attrs.tag || 'input', {id, ...withoutTag(attrs)});
  const hintId = hint ? id + '-hint' : null;
  if (hintId) input.setAttribute('aria-describedby', hintId);
  const row = h('div', {class: 'field'}, h('label', {for: id}, label), input,
      hint ? h('small', {id: hintId, class: 'hint'}, hint) : null);
  return {row, input};
}

function withoutTag(attrs) {
  const {tag, options, id, ...rest} = attrs;
  return rest;
}

/** A table from rows: columns are [{label, value: row => node|text, class?}]. */
export function table(caption, columns, rows, {onRow, empty = 'Nothing to show.'} = {}) {
  const head = h('tr', {}, ...columns.map((c) => h('th', {scope: 'col', class: c.class}, c.label)));
  const body = rows.length === 0
    ? [h('tr', {}, h('td', {colspan: columns.length, class: 'empty'}, empty))]
    : rows.map((row) => {
      const tr = h('tr', {}, ...columns.map((c) => h('td', {class: c.class}, c.value(row))));
      if (onRow) onRow(tr, row);
      return tr;
    });
  return h('div', {class: 'table-wrap'},
      h('table', {}, h('caption', {class: caption.startsWith('*') ? 'sr-only' : ''},
          caption.replace(/^\*/, '')), h('thead', {}, head), h('tbody', {}, ...body)));
}

/** Announces a message to the page's live region (screen readers) and shows it. */
export function notify(message, kind = 'info') {
  const region = document.getElementById('status');
  clear(region);
  region.className = 'status ' + kind;
  region.append(h('span', {}, message),
      h('button', {class: 'link', 'aria-label': 'Dismiss message', onclick: () => {
        clear(region);
        region.className = 'status';
      }}, '×'));
}

/**
 * Asks before an operation, in a modal <dialog> (focus moves into it; Escape cancels).
 * Resolves true when confirmed.
 */
export function confirmAction(title, text, confirmLabel = 'Confirm') {
  return new Promise((resolve) => {
    const dialog = h('dialog', {'aria-labelledby': 'confirm-title', class: 'confirm'});
    const done = (answer) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    dialog.append(
        h('h2', {id: 'confirm-title'}, title),
        h('p', {}, text),
        h('div', {class: 'actions'},
            h('button', {type: 'button', class: 'secondary', onclick: () => done(false)}, 'Cancel'),
            h('button', {type: 'button', class: 'danger', 'data-confirm': '', onclick: () => done(true)},
                confirmLabel)));
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      done(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    dialog.querySelector('[data-confirm]').focus();
  });
}

/** Saves text as a file (CSV, JSON exports fetched with the key). */
export function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], {type}));
  const link = h('a', {href: url, download: name, class: 'sr-only'}, name);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export const fmt = {
  num: (n) => (n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US')),
  usd: (n) => (n === null || n === undefined ? '–'
      : '$' + Number(n).toLocaleString('en-US', {minimumFractionDigits: 2, maximumFractionDigits: 6})),
  pct: (n) => (n === null || n === undefined ? '–' : (Number(n) * 100).toFixed(1) + '%'),
  ms: (n) => (n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US') + ' ms'),
  time: (t) => (t ? new Date(t).toLocaleString('en-GB', {hour12: false}) : '–'),
};

/** A status pill: healthy/ok green, degraded amber, anything else red. */
export function pill(text) {
  const t = String(text);
  const kind = /^(healthy|closed|ok|active|enabled|2\d\d)$/.test(t) ? 'good'
      : /^(degraded|half_open|half-open|disabled_soft|4\d\d)$/.test(t) ? 'warn' : 'bad';
  return h('span', {class: 'pill ' + kind}, t);
}
