// Hand-written SVG charts: stepped stacked areas, lines with gaps, bars and sparklines. Every
// bucket of a chart has an invisible hover target with a <title>, and partial buckets (not complete
// yet) are covered by a hatched, labelled zone.

import { axisTime, count } from './format.js';

const NS = 'http://www.w3.org/2000/svg';

/** Length of a bucket of each granularity the API answers with. */
export const STEP_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** The five outcome counters, stacked from the bottom up. */
export const OUTCOMES = [
  { key: 'successes', label: 'successes', cls: 's-successes' },
  { key: 'retried', label: 'retried', cls: 's-retried' },
  { key: 'discarded', label: 'discarded', cls: 's-discarded' },
  { key: 'expired', label: 'expired', cls: 's-expired' },
  { key: 'filtered', label: 'filtered', cls: 's-filtered' },
];

export const RATE = [{ key: 'success_rate', label: 'success rate', cls: 's-rate' }];
const M = { top: 14, right: 14, bottom: 26, left: 58 };
let patterns = 0;

export function el(name, attrs = {}, text) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * A success-rate axis from a round bound below the lowest rate or target up to 100 %, so that 99 %
 * and 99.9 % differ.
 * @param goals [{value}]: targets that must be on the axis too
 */
export function rateRange(points, goals = []) {
  const values = [...points.map((p) => p.success_rate), ...goals.map((g) => g.value)].filter(
    (v) => v !== null && v !== undefined,
  );
  const low = values.length ? Math.min(...values) : 0;
  const span = niceMax((1 - low) * 1.1);
  return [Math.max(0, Math.round((1 - span) * 1e6) / 1e6), 1];
}

/** A round upper bound for an axis: 1, 2, 4 or 5 times a power of ten. */
export function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 4, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function frame(width, height, label) {
  const svg = el('svg', {
    viewBox: `0 0 ${width} ${height}`,
    class: 'chart',
    role: 'img',
    'aria-label': label,
  });
  const defs = el('defs');
  const id = `hatch-${++patterns}`;
  svg.dataset.hatch = id;
  const hatch = el('pattern', {
    id,
    width: 6,
    height: 6,
    patternUnits: 'userSpaceOnUse',
    patternTransform: 'rotate(45)',
  });
  hatch.append(el('rect', { width: 6, height: 6, class: 'hatch-bg' }));
  hatch.append(el('line', { x1: 0, y1: 0, x2: 0, y2: 6, class: 'hatch-line' }));
  defs.append(hatch);
  svg.append(defs);
  return svg;
}

/** Geometry shared by the time charts: n buckets from start, each `stepMs` long. */
function timeAxes(svg, { width, height, points, stepMs, yMin = 0, yMax, yFormat, integers = false }) {
  const n = points.length;
  const plotW = width - M.left - M.right;
  const plotH = height - M.top - M.bottom;
  const x = (i) => M.left + (i * plotW) / Math.max(n, 1);
  const y = (v) => M.top + plotH - ((v - yMin) / (yMax - yMin)) * plotH;
  // The scale, for readers of the chart that need to place a value on it.
  Object.assign(svg.dataset, { yMin: String(yMin), yMax: String(yMax), plotTop: String(M.top), plotHeight: String(plotH) });
  const axes = el('g', { class: 'axes' });
  for (const f of [0, 0.5, 1]) {
    const v = yMin + (yMax - yMin) * f;
    if (integers && !Number.isInteger(v)) continue;
    axes.append(el('line', { x1: M.left, x2: width - M.right, y1: y(v), y2: y(v), class: 'grid' }));
    axes.append(el('text', { x: M.left - 6, y: y(v) + 4, class: 'tick', 'text-anchor': 'end' }, yFormat(v)));
  }
  const start = Date.parse(points[0].start);
  const span = n * stepMs;
  const ticks = Math.min(6, n);
  for (let k = 0; k <= ticks; k++) {
    const i = Math.round((k * n) / ticks);
    const anchor = k === 0 ? 'start' : k === ticks ? 'end' : 'middle';
    axes.append(el('line', { x1: x(i), x2: x(i), y1: M.top + plotH, y2: M.top + plotH + 4, class: 'grid' }));
    axes.append(
      el('text', { x: x(i), y: height - 6, class: 'tick', 'text-anchor': anchor }, axisTime(start + i * stepMs, span)),
    );
  }
  svg.append(axes);
  return { x, y, plotH, n };
}

function partialZone(svg, points, g) {
  const first = points.findIndex((p) => p.partial);
  const buckets = first < 0 ? 0 : points.length - first;
  svg.dataset.partialBuckets = String(buckets);
  if (buckets === 0) return;
  const zone = el('g', { class: 'partial-zone' });
  zone.append(
    el('rect', { x: g.x(first), y: M.top, width: g.x(points.length) - g.x(first), height: g.plotH, fill: `url(#${svg.dataset.hatch})` }),
  );
  const label = buckets === points.length ? 'all partial' : 'partial';
  zone.append(el('text', { x: g.x(points.length) - 3, y: M.top + 11, 'text-anchor': 'end', class: 'partial-label' }, label));
  svg.append(zone);
}

function hoverTargets(svg, points, g, describe) {
  const layer = el('g', { class: 'hover' });
  points.forEach((p, i) => {
    const r = el('rect', { x: g.x(i), y: M.top, width: Math.max(g.x(i + 1) - g.x(i), 0.5), height: g.plotH });
    r.append(el('title', {}, describe(p)));
    layer.append(r);
  });
  svg.append(layer);
}

/**
 * Stacked stepped areas of counts per bucket.
 * @param layers [{key, label, cls}] from the bottom up
 */
export function stackedSteps(points, layers, { width = 960, height = 250, stepMs, label, when }) {
  const svg = frame(width, height, label);
  const totals = points.map((p) => layers.reduce((s, l) => s + (p[l.key] || 0), 0));
  const yMax = niceMax(Math.max(...totals));
  const g = timeAxes(svg, { width, height, points, stepMs, yMax, yFormat: count, integers: true });
  const lower = points.map(() => 0);
  for (const layer of layers) {
    const upper = points.map((p, i) => lower[i] + (p[layer.key] || 0));
    let d = '';
    points.forEach((_, i) => {
      d += `${i === 0 ? 'M' : 'L'}${g.x(i)},${g.y(upper[i])}L${g.x(i + 1)},${g.y(upper[i])}`;
    });
    for (let i = points.length - 1; i >= 0; i--) {
      d += `L${g.x(i + 1)},${g.y(lower[i])}L${g.x(i)},${g.y(lower[i])}`;
    }
    svg.append(el('path', { d: `${d}Z`, class: `area ${layer.cls}`, 'data-series': layer.key }));
    upper.forEach((v, i) => {
      lower[i] = v;
    });
  }
  partialZone(svg, points, g);
  hoverTargets(svg, points, g, (p) =>
    [when(p), ...layers.map((l) => `${l.label}: ${count(p[l.key] || 0)}`), p.partial ? '(partial bucket)' : '']
      .filter(Boolean)
      .join('\n'),
  );
  return svg;
}

/**
 * Dashed horizontal lines across the plot, each labelled at its right end; labels that would
 * overlap are moved apart.
 * @param goals [{id, value, label}]
 */
function goalLines(svg, goals, g, width) {
  if (!goals.length) return;
  const layer = el('g', { class: 'goals' });
  const placed = goals.map((goal) => ({ goal, y: g.y(goal.value) })).sort((a, b) => a.y - b.y);
  let lastLabel = -Infinity;
  for (const { goal, y } of placed) {
    const line = el('line', { x1: M.left, x2: width - M.right, y1: y, y2: y, class: 'goal-line' });
    line.dataset.goal = goal.id;
    line.dataset.value = String(goal.value);
    line.append(el('title', {}, goal.label));
    layer.append(line);
    // Above the line when there is room, else below it; never on top of the previous label.
    let ly = y - 4 < M.top + 10 ? y + 13 : y - 4;
    if (ly < lastLabel + 13) ly = lastLabel + 13;
    lastLabel = ly;
    // At the left end: the right end is where the partial buckets are labelled.
    const text = el('text', { x: M.left + 6, y: ly, class: 'goal-label' }, goal.label);
    text.dataset.goal = goal.id;
    layer.append(text);
  }
  svg.append(layer);
}

/**
 * Lines through bucket centres; a null value breaks the line.
 * @param series [{key, label, cls}], drawn in this order
 * @param options.range [min, max] of the y axis (default: 0 to a round bound over the values and goals)
 * @param options.goals [{id, value, label}]: targets drawn as dashed lines
 * @param options.integers label only whole numbers on the y axis (counts)
 */
export function lines(points, series, { width = 960, height = 220, stepMs, label, when, yFormat, range, goals = [], integers = false }) {
  const svg = frame(width, height, label);
  const values = points.flatMap((p) => series.map((s) => p[s.key])).filter((v) => v !== null && v !== undefined);
  const [yMin, yMax] = range || [0, niceMax(Math.max(0, ...values, ...goals.map((goal) => goal.value)))];
  const g = timeAxes(svg, { width, height, points, stepMs, yMin, yMax, yFormat, integers });
  goalLines(svg, goals, g, width);
  for (const s of series) {
    let d = '';
    let open = false;
    points.forEach((p, i) => {
      const v = p[s.key];
      if (v === null || v === undefined) {
        open = false;
        return;
      }
      const cx = (g.x(i) + g.x(i + 1)) / 2;
      const alone = (i === 0 || points[i - 1][s.key] == null) && (i === points.length - 1 || points[i + 1][s.key] == null);
      if (alone) svg.append(el('circle', { cx, cy: g.y(v), r: 2.5, class: `dot ${s.cls}` }));
      d += `${open ? 'L' : 'M'}${cx},${g.y(v)}`;
      open = true;
    });
    if (d) svg.append(el('path', { d, class: `line ${s.cls}`, 'data-series': s.key }));
  }
  partialZone(svg, points, g);
  hoverTargets(svg, points, g, (p) =>
    [when(p), ...series.map((s) => `${s.label}: ${yFormat(p[s.key])}`), p.partial ? '(partial bucket)' : '']
      .filter(Boolean)
      .join('\n'),
  );
  return svg;
}

/** Vertical bars with a label under and the count above each. */
export function bars(values, labels, { width = 460, height = 220, label }) {
  const svg = frame(width, height, label);
  const yMax = niceMax(Math.max(...values));
  const plotW = width - 24;
  const plotH = height - M.top - M.bottom - 10;
  const w = plotW / values.length;
  values.forEach((v, i) => {
    const h = (v / yMax) * plotH;
    const x = 12 + i * w;
    const top = M.top + 10 + plotH - h;
    const bar = el('rect', { x: x + w * 0.15, y: top, width: w * 0.7, height: Math.max(h, v > 0 ? 1 : 0), class: 'bar' });
    bar.append(el('title', {}, `attempt ${labels[i]}: ${count(v)}`));
    svg.append(bar);
    svg.append(el('text', { x: x + w / 2, y: top - 3, class: 'tick', 'text-anchor': 'middle' }, count(v)));
    svg.append(el('text', { x: x + w / 2, y: height - 6, class: 'tick', 'text-anchor': 'middle' }, labels[i]));
  });
  return svg;
}

/** A small trend line of successes; buckets with failures get a red tick. */
export function sparkline(points, { width = 120, height = 28 } = {}) {
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, class: 'sparkline', 'aria-hidden': 'true' });
  if (!points || points.length === 0) return svg;
  const max = Math.max(1, ...points.map((p) => p.successes || 0));
  const n = points.length;
  const x = (i) => (n === 1 ? width / 2 : 1 + (i * (width - 2)) / (n - 1));
  const y = (v) => height - 4 - (v / max) * (height - 8);
  svg.append(el('polyline', { points: points.map((p, i) => `${x(i)},${y(p.successes || 0)}`).join(' '), class: 'spark' }));
  points.forEach((p, i) => {
    if ((p.discarded || 0) + (p.expired || 0) > 0) {
      svg.append(el('line', { x1: x(i), x2: x(i), y1: height - 3, y2: height - 0.5, class: 'spark-fail' }));
    }
  });
  return svg;
}

/**
 * A small line of the success rate per bucket on a fixed 0–100 % scale, so that an outage reads as
 * a drop to the floor; buckets without terminal events break the line.
 */
export function rateSparkline(points, { width = 120, height = 28 } = {}) {
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, class: 'sparkline rate-spark', 'aria-hidden': 'true' });
  if (!points || points.length === 0) return svg;
  const n = points.length;
  const x = (i) => (n === 1 ? width / 2 : 1 + (i * (width - 2)) / (n - 1));
  const y = (r) => height - 4 - r * (height - 8);
  let run = [];
  const flush = () => {
    if (run.length === 1) {
      const [cx, cy] = run[0].split(',');
      svg.append(el('circle', { cx, cy, r: 1.5, class: 'spark-dot' }));
    } else if (run.length) {
      svg.append(el('polyline', { points: run.join(' '), class: 'spark' }));
    }
    run = [];
  };
  points.forEach((p, i) => {
    if (p.success_rate === null || p.success_rate === undefined) {
      flush();
      return;
    }
    run.push(`${x(i)},${y(p.success_rate)}`);
  });
  flush();
  return svg;
}
