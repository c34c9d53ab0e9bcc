// Cache: the response cache's settings and tiers (GET /cache) and flushing it (DELETE /cache,
// all of it or one alias's answers), after a confirmation.

import {api, query} from '../api.js';
import {h, clear, field, fmt, notify, confirmAction} from '../dom.js';

export function render(section) {
  const stats = h('div', {id: 'cache-stats'});
  const model = field('Only this alias (optional)', {name: 'model', id: 'flush-model'});
  const form = h('form', {class: 'toolbar', 'aria-label': 'Flush the response cache'},
      model.row, h('button', {type: 'submit', class: 'danger', id: 'flush-cache'}, 'Flush cache'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const alias = model.input.value.trim();
    if (!await confirmAction('Flush the response cache', alias
      ? 'Delete every stored answer of ' + alias + '?'
      : 'Delete every stored answer from every tier? Other instances keep their memory copies ' +
        'until they expire.', 'Flush')) return;
    try {
      const answer = await api('DELETE', '/cache' + query({model: alias}));
      notify('Deleted ' + fmt.num(answer.memory) + ' memory and ' + fmt.num(answer.redis) +
          ' Redis entries.', 'ok');
      load();
    } catch (e) {
      notify(e.message, 'error');
    }
  });
  section.append(stats, form);

  async function load() {
    try {
      const c = await api('GET', '/cache');
      const row = (term, detail) => h('div', {}, h('dt', {}, term), h('dd', {}, detail));
      clear(stats).append(h('section', {class: 'card', 'aria-label': 'Cache state'},
          h('dl', {class: 'facts'},
              row('Enabled', c.enabled ? 'yes' : 'no'),
              row('Scope', c.scope || '–'),
              row('TTL', c.ttlSeconds ? fmt.num(c.ttlSeconds) + ' s' : '–'),
              row('Tiers', (c.tiers || []).join(', ') || 'none'),
              c.memory ? row('Memory tier', fmt.num(c.memory.entries) + ' entries, ' +
                  fmt.num(c.memory.bytes) + ' of ' + fmt.num(c.memory.maxBytes) + ' bytes') : null,
              c.redis ? row('Redis tier', fmt.num(c.redis.entries) + ' entries') : null)));
      const hour = await api('GET', '/stats/recent?minutes=60');
      stats.firstChild.querySelector('dl').append(row('Hit rate, last hour',
          fmt.pct(hour.total.cacheHitRate) + ' (' + fmt.num(hour.total.cacheHits) + ' of ' +
          fmt.num(hour.total.requests) + ' requests)'));
    } catch (e) {
      if (e.status !== 401) notify(e.message, 'error');
    }
  }

  load();
  return () => {};
}
