// Small time-series charts with uPlot (served from its WebJar under /ui/vendor/uplot/<version>/;
// index.html names the file, so no version is written here).

import {h} from './dom.js';

let uPlotModule = null;

function loadUplot() {
  if (!uPlotModule) {
    const meta = document.querySelector('meta[name="conduit-uplot"]');
    uPlotModule = import(new URL(meta.content, document.baseURI).href).then((m) => m.default);
  }
  return uPlotModule;
}

function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

/**
 * A chart card: title, a uPlot line chart of (times in seconds, values), and a text summary for
 * screen readers, which counts the points in {@code unit} (one point a minute, or a day). Returns
 * {el, update(times, values)}.
 */
export function lineChart(title, format = (v) => String(v), integers = false, unit = 'minutes') {
  const plotHost = h('div', {class: 'plot', 'aria-hidden': 'true'});
  const summary = h('p', {class: 'sr-only'});
  const el = h('figure', {class: 'chart card', 'data-chart': title},
      h('figcaption', {}, title), plotHost, summary);
  let plot = null;
  let pending = null;
  // Colours come from the theme's CSS variables: a change of theme draws the chart anew.
  const scheme = matchMedia('(prefers-color-scheme: dark)');
  const redraw = () => {
    if (plot) {
      plot.destroy();
      plot = null;
      update(...pending);
    }
  };
  scheme.addEventListener('change', redraw);

  async function update(times, values) {
    pending = [times, values];
    const uPlot = await loadUplot();
    const [t, v] = pending;
    const last = v.length ? v[v.length - 1] : null;
    summary.textContent = title + ': latest ' + (last === null ? 'none' : format(last)) +
        ', ' + v.length + ' ' + unit + ' shown.';
    if (plot) {
      plot.setData([t, v]);
      return;
    }
    const width = Math.max(240, plotHost.clientWidth || 320);
    const axis = {stroke: cssVar('--muted'), grid: {stroke: cssVar('--grid'), width: 1},
      ticks: {stroke: cssVar('--grid'), width: 1}};
    plot = new uPlot({
      width,
      height: 150,
      legend: {show: false},
      cursor: {drag: {x: false, y: false}},
      scales: {x: {time: true}, y: {range: (u, min, max) => [0, Math.max(1, max * 1.1)]}},
      axes: [axis, {...axis, size: 56, values: (u, splits) => splits.map(
          (s) => (integers && !Number.isInteger(s) ? '' : format(s)))}],
      series: [{}, {label: title, stroke: cssVar('--accent'), width: 2,
        fill: cssVar('--accent-fill'), spanGaps: false,
        points: {show: false, size: 6, fill: cssVar('--accent'), filter: isolated}}],
    }, [t, v], plotHost);
  }

  function resize() {
    if (plot && plotHost.clientWidth) plot.setSize({width: plotHost.clientWidth, height: 150});
  }

  function destroy() {
    scheme.removeEventListener('change', redraw);
    if (plot) plot.destroy();
    plot = null;
  }

  return {el, update, resize, destroy};
}

/** Indices of values with no value on either side: a line cannot show them, a dot does. */
function isolated(u, seriesIdx) {
  const values = u.data[seriesIdx];
  const idxs = [];
  for (let i = 0; i < values.length; i++) {
    if (values[i] !== null && (i === 0 || values[i - 1] === null) &&
        (i === values.length - 1 || values[i + 1] === null)) {
      idxs.push(i);
    }
  }
  return idxs.length ? idxs : null;
}
