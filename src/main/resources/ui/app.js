// The console's shell: login gate, navigation and a hash router (#/overview, #/keys, ...).
// Each page module exports render(main, ctx) and may return a cleanup function (timers).

import {api, session} from './api.js';
import {h, clear, notify} from './dom.js';
import * as overview from './pages/overview.js';
import * as providers from './pages/providers.js';
import * as models from './pages/models.js';
import * as keys from './pages/keys.js';
import * as groups from './pages/groups.js';
import * as logs from './pages/logs.js';
import * as cache from './pages/cache.js';

const PAGES = [
  {path: 'overview', label: 'Overview', page: overview},
  {path: 'providers', label: 'Providers', page: providers},
  {path: 'models', label: 'Models', page: models},
  {path: 'keys', label: 'Virtual keys', page: keys},
  {path: 'groups', label: 'Key groups', page: groups},
  {path: 'logs', label: 'Logs', page: logs},
  {path: 'cache', label: 'Cache', page: cache},
];

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const logout = document.getElementById('logout');
let cleanup = null;
let shownHash = null;

/** A message belongs to the page it was shown on. */
function clearStatus() {
  const region = document.getElementById('status');
  clear(region);
  region.className = 'status';
}

session.onUnauthorized(() => {
  session.clear();
  notify('The master key was refused or has changed: log in again.', 'error');
  showLogin();
});

logout.addEventListener('click', () => {
  session.clear();
  location.hash = '';
  showLogin();
});

function stopPage() {
  if (typeof cleanup === 'function') cleanup();
  cleanup = null;
}

function showLogin() {
  stopPage();
  nav.hidden = true;
  logout.hidden = true;
  clear(main);
  const input = h('input', {id: 'master-key', type: 'password', autocomplete: 'off',
    required: true, spellcheck: 'false', 'aria-describedby': 'master-key-hint'});
  const error = h('p', {class: 'error', role: 'alert'});
  const form = h('form', {class: 'login card', 'aria-labelledby': 'login-title'},
      h('h1', {id: 'login-title'}, 'Conduit console'),
      h('label', {for: 'master-key'}, 'Admin master key'),
      input,
      h('small', {id: 'master-key-hint', class: 'hint'},
          'Kept in this tab\'s session storage only, and sent with each admin API call.'),
      error,
      h('button', {type: 'submit', id: 'login'}, 'Log in'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    const key = input.value.trim();
    try {
      // Any authenticated read proves the key; it is stored only once it has worked.
      await api('GET', '/stats/recent?minutes=1', undefined, key);
      session.save(key);
      input.value = '';
      if (!location.hash || location.hash === '#/') {
        location.hash = '#/overview'; // routes through the hashchange event
      } else {
        route();
      }
    } catch (e) {
      error.textContent = e.status === 401 ? 'That master key is not valid.' : e.message;
      input.focus();
    }
  });
  main.append(form);
  input.focus();
}

function route() {
  if (!session.key()) {
    showLogin();
    return;
  }
  const path = (location.hash.replace(/^#\/?/, '').split('/')[0]) || 'overview';
  const entry = PAGES.find((p) => p.path === path) || PAGES[0];
  stopPage();
  if (location.hash !== shownHash) clearStatus();
  shownHash = location.hash;
  nav.hidden = false;
  logout.hidden = false;
  clear(nav);
  for (const p of PAGES) {
    nav.append(h('a', {href: '#/' + p.path, 'aria-current': p === entry ? 'page' : null}, p.label));
  }
  clear(main);
  document.title = entry.label + ' · Conduit console';
  main.append(h('h1', {}, entry.label));
  const section = h('div', {class: 'page', id: 'page-' + entry.path});
  main.append(section);
  try {
    cleanup = entry.page.render(section);
  } catch (e) {
    notify(e.message, 'error');
  }
  main.focus({preventScroll: true});
}

window.addEventListener('hashchange', route);
route();
