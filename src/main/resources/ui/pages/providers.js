// Providers: health, circuits, last error and key hints from GET /providers/health and
// GET /providers; the runbook's operations (disable, enable, reset circuit, health check), each
// after a confirmation.

import {api} from '../api.js';
import {h, clear, fmt, notify, pill, table, confirmAction} from '../dom.js';

export function render(section) {
  const list = h('div', {id: 'providers-list'});
  const checkButton = h('button', {type: 'button', id: 'run-health-check'}, 'Run health check');
  checkButton.addEventListener('click', async () => {
    if (!await confirmAction('Run health checks',
        'Call every provider\'s check endpoint now? This may take a few seconds.', 'Run checks')) {
      return;
    }
    checkButton.disabled = true;
    try {
      const answer = await api('POST', '/providers/health/check');
      const failed = (answer.checks || []).filter((c) => c.checked && !c.ok);
      notify('Health checks ran: ' + (answer.checks || []).filter((c) => c.checked).length +
          ' checked, ' + failed.length + ' failed.', failed.length ? 'error' : 'ok');
      show(answer.data, await definitions());
    } catch (e) {
      notify(e.message, 'error');
    } finally {
      checkButton.disabled = false;
    }
  });
  section.append(h('div', {class: 'toolbar'}, checkButton), list);

  async function definitions() {
    const answer = await api('GET', '/providers');
    return Object.fromEntries(answer.data.map((p) => [p.name, p]));
  }

  function show(health, defs) {
    clear(list).append(...health.map((p) => providerCard(p, defs[p.name] || {}, load)));
  }

  async function load(periodic) {
    // A periodic refresh would redraw an open form away.
    if (periodic === true && list.querySelector('.region-editor form')) return;
    try {
      const [health, defs] = await Promise.all([api('GET', '/providers/health'), definitions()]);
      show(health.data, defs);
    } catch (e) {
      if (e.status !== 401) notify(e.message, 'error');
    }
  }

  load();
  const timer = setInterval(() => load(true), 15000);
  return () => clearInterval(timer);
}

function providerCard(p, def, reload) {
  const op = async (title, text, label, method, path, done) => {
    if (!await confirmAction(title, text, label)) return;
    try {
      await api(method, path);
      notify(done, 'ok');
      reload();
    } catch (e) {
      notify(e.message, 'error');
    }
  };
  const name = encodeURIComponent(p.name);
  const toggle = p.enabled
    ? h('button', {type: 'button', class: 'danger', 'data-action': 'disable',
      onclick: () => op('Disable ' + p.name, 'Traffic to ' + p.name + ' stops at once: its ' +
          'deployments leave routing and requests move to other deployments or fallbacks.',
      'Disable', 'PATCH', '/providers/' + name + '/disable', p.name + ' is disabled.')},
    'Disable')
    : h('button', {type: 'button', 'data-action': 'enable',
      onclick: () => op('Enable ' + p.name, 'Traffic to ' + p.name + ' resumes at once.', 'Enable',
          'PATCH', '/providers/' + name + '/enable', p.name + ' is enabled.')}, 'Enable');
  const reset = h('button', {type: 'button', class: 'secondary', 'data-action': 'reset-circuit',
    onclick: () => op('Reset circuits of ' + p.name, 'Close every circuit of ' + p.name +
        ', put its rejected API keys back into rotation and clear its statistics, on every ' +
        'instance?', 'Reset circuit', 'POST', '/providers/' + name + '/reset-circuit',
    'Circuits of ' + p.name + ' are reset.')}, 'Reset circuit');
  const keys = (def.apiKeys || []).join(', ') || 'none';
  const regions = Object.entries(p.regionalEndpoints || {}).map(([r, u]) => r + ': ' + u).join(', ');
  return h('section', {class: 'card provider', 'data-provider': p.name,
    'aria-labelledby': 'provider-' + p.name},
  h('div', {class: 'card-head'},
      h('h2', {id: 'provider-' + p.name}, p.name, ' ', h('small', {}, p.type)),
      h('span', {'data-field': 'status'}, pill(p.status))),
  p.reason ? h('p', {class: 'reason'}, p.reason) : null,
  h('dl', {class: 'facts'},
      fact('Latency p50 / p95', p.latencyMs ? fmt.ms(p.latencyMs.p50) + ' / ' + fmt.ms(p.latencyMs.p95) : '–'),
      fact('Error rate', fmt.pct(p.errorRate) + ' of ' + fmt.num(p.recentCalls) + ' calls'),
      fact('Last error', p.lastError ? p.lastError + ' (' + fmt.time(p.lastErrorAt) + ')' : 'none'),
      fact('Last check', p.lastCheck ? (p.lastCheckOk ? 'ok' : 'failed') + ', ' +
          fmt.time(p.lastCheck) : 'never'),
      fact('API keys', keys + ' (' + (p.apiKeys ? p.apiKeys.active + ' of ' + p.apiKeys.total +
          ' active' : '–') + ')'),
      regions ? fact('Regional endpoints', regions) : null),
  table('Deployments of ' + p.name, [
    {label: 'Deployment', value: (d) => d.deployment},
    {label: 'Aliases', value: (d) => (d.aliases || []).join(', ')},
    {label: 'Region', value: (d) => d.region || '–'},
    {label: 'Circuit', value: (d) => h('span', {'data-circuit': d.deployment}, pill(d.circuitState))},
    {label: 'In flight', value: (d) => fmt.num(d.inFlight), class: 'num'},
    {label: 'Latency', value: (d) => fmt.ms(d.latencyMs), class: 'num'},
  ], p.deployments || [], {empty: 'No deployment uses this provider.'}),
  h('div', {class: 'region-editor'}),
  h('div', {class: 'actions'},
      h('button', {type: 'button', class: 'secondary', 'data-action': 'edit-regions',
        onclick: (event) => editRegions(p, event.target.closest('.provider'), reload)},
      'Regional endpoints'),
      toggle, reset));
}

/** A form for the provider's regional endpoints, one "region = URL" per line (POST /providers/config). */
function editRegions(p, card, reload) {
  const host = card.querySelector('.region-editor');
  const id = 'regions-' + p.name;
  const lines = Object.entries(p.regionalEndpoints || {}).map(([r, u]) => r + ' = ' + u).join('\n');
  const text = h('textarea', {id, name: 'regionalEndpoints', rows: '4', cols: '60',
    'aria-describedby': id + '-hint'});
  text.value = lines;
  const error = h('p', {class: 'error', role: 'alert'});
  const form = h('form', {class: 'card editor', 'aria-label': 'Regional endpoints of ' + p.name},
      h('label', {for: id}, 'Regional endpoints of ' + p.name),
      text,
      h('small', {id: id + '-hint', class: 'hint'},
          'One per line: region = https://url. Empty clears them; calls then use the base URL.'),
      error,
      h('div', {class: 'actions'},
          h('button', {type: 'button', class: 'secondary', onclick: () => clear(host)}, 'Cancel'),
          h('button', {type: 'submit', 'data-action': 'save-regions'}, 'Save')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const endpoints = {};
    for (const line of text.value.split('\n').map((l) => l.trim()).filter(Boolean)) {
      const at = line.indexOf('=');
      if (at < 1) {
        error.textContent = 'Write each line as region = URL: ' + line;
        return;
      }
      endpoints[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    }
    if (!await confirmAction('Regional endpoints of ' + p.name, 'Replace the regional endpoints of ' +
        p.name + ' with ' + Object.keys(endpoints).length + ' entries, on every instance?', 'Save')) {
      return;
    }
    try {
      await api('POST', '/providers/config', {provider: p.name, regionalEndpoints: endpoints});
      notify('Regional endpoints of ' + p.name + ' are saved.', 'ok');
      reload();
    } catch (e) {
      error.textContent = e.message;
    }
  });
  clear(host).append(form);
  text.focus();
}

function fact(term, detail) {
  return h('div', {}, h('dt', {}, term), h('dd', {}, detail));
}
