// Destination status: the operators' table of every destination type (GET /v1/destinations) with a
// success-rate sparkline over the status horizon for the first types, and the public view
// (GET /v1/status), which shows only what that endpoint gives: no workspace ids, no counts.

import { api } from './api.js';
import { rateSparkline } from './charts.js';
import { cell, kpi } from './dom.js';
import * as fmt from './format.js';

/**
 * Types that get a sparkline, first in the table's order. Each is one series request, and all
 * operators share one query budget of a few concurrent reads: a page of forty types must not spend
 * it at once, so the requests go through api.js's queue and only the first types get one.
 */
export const SPARKLINE_TYPES = 8;

const ORDER = { outage: 0, degraded: 1, operational: 2 };
const LABEL = { outage: 'Outage', degraded: 'Degraded', operational: 'Operational' };

/** Sparkline points by type, for one horizon: a refresh within the same horizon asks nothing. */
const sparks = { horizon: null, points: new Map() };

const $ = (id) => document.getElementById(id);
const byText = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const rank = (t) => ORDER[t.status] ?? 3;

/** Outage, degraded, operational; then the most affected workspaces; then by name. */
const byStatus = (a, b) =>
  rank(a) - rank(b) ||
  (b.affected_workspaces ?? 0) - (a.affected_workspaces ?? 0) ||
  byText(a.destination_type, b.destination_type);

/** The status as a badge: a colour, a shape and the word, so that it never rests on colour alone. */
export function statusBadge(status) {
  const badge = document.createElement('span');
  badge.className = `status-badge status-${status}`;
  badge.textContent = LABEL[status] || status;
  return badge;
}

function statusCell(tr, t) {
  const td = document.createElement('td');
  td.dataset.col = 'status';
  td.append(statusBadge(t.status));
  if (t.reason) td.title = t.reason;
  tr.append(td);
}

export const sinceText = (t) =>
  t.since ? `${fmt.dateTime(t.since)} UTC${t.since_exact ? '' : ' or earlier'}` : '\u2014';

/** The cells both views share: type (a link when `href` is given), status, since, rate, p95. */
function commonCells(tr, t, href) {
  tr.dataset.type = t.destination_type;
  tr.dataset.status = t.status;
  tr.className = `row-${t.status}`;
  const name = cell(tr, 'destination_type', href ? '' : t.destination_type, 'code');
  if (href) {
    const a = document.createElement('a');
    a.href = href;
    a.textContent = t.destination_type;
    name.append(a);
  }
  statusCell(tr, t);
  cell(tr, 'since', sinceText(t));
  cell(tr, 'success_rate', fmt.rate(t.success_rate), 'num');
  cell(tr, 'latency_p95', fmt.latency(t.latency_p95_ms), 'num');
}

/** Loads the sparklines of `types` (cached per horizon) and draws each into its cell. */
async function loadSparklines(types, horizon, cells, signal) {
  const key = `${horizon.start}/${horizon.end}`;
  if (sparks.horizon !== key) {
    sparks.horizon = key;
    sparks.points = new Map();
  }
  const params = { start: horizon.start, end: horizon.end, metrics: 'success_rate' };
  const results = await Promise.allSettled(
    types.map(async (type) => {
      if (!sparks.points.has(type)) {
        const body = await api.destinationSeries(type, params, signal);
        sparks.points.set(type, body.points);
      }
      cells.get(type).replaceChildren(rateSparkline(sparks.points.get(type)));
      cells.get(type).dataset.loaded = 'true';
    }),
  );
  const failed = results.filter((r) => r.status === 'rejected').map((r) => r.reason);
  const aborted = failed.find((e) => e.name === 'AbortError');
  if (aborted) throw aborted;
  return failed;
}

export async function renderStatus(ctx) {
  const { signal } = ctx;
  const body = await api.destinations(signal);
  const types = [...body.destinations].sort(byStatus);
  const counts = { outage: 0, degraded: 0, operational: 0 };
  for (const t of types) counts[t.status] = (counts[t.status] || 0) + 1;
  $('status-kpis').replaceChildren(
    kpi('outage', 'types in outage', fmt.count(counts.outage), counts.outage > 0),
    kpi('degraded', 'types degraded', fmt.count(counts.degraded), counts.degraded > 0),
    kpi('operational', 'types operational', fmt.count(counts.operational)),
    kpi('types', 'destination types', fmt.count(types.length)),
  );
  const empty = types.length === 0;
  $('status-empty').hidden = !empty;
  $('status-empty').textContent = empty ? 'No destination type has sent anything in the status horizon or the baseline.' : '';
  $('status-table').hidden = empty;

  const withSpark = types.slice(0, SPARKLINE_TYPES).map((t) => t.destination_type);
  const horizon = `${fmt.dateTime(body.horizon.start)} → ${fmt.dateTime(body.horizon.end)} UTC`;
  $('status-spark-note').textContent =
    types.length > SPARKLINE_TYPES
      ? `Success-rate sparklines (${horizon}) for the first ${SPARKLINE_TYPES} types only, outages and degraded ` +
        `first: each is one request, and all operators share one query budget. Open a type for its charts.`
      : `Success-rate sparklines over the status horizon, ${horizon}.`;

  const cells = new Map();
  const tbody = $('status-table').querySelector('tbody');
  tbody.replaceChildren(
    ...types.map((t) => {
      const tr = document.createElement('tr');
      commonCells(tr, t, ctx.link({ name: 'destination', type: t.destination_type }));
      const affected = document.createElement('td');
      affected.dataset.col = 'workspaces';
      affected.className = t.affected_workspaces > 0 ? 'num warn' : 'num';
      affected.textContent = `${fmt.count(t.affected_workspaces)} / ${fmt.count(t.workspaces)}`;
      tr.append(affected);
      const trend = cell(tr, 'trend', withSpark.includes(t.destination_type) ? '' : 'not loaded', 'muted');
      if (withSpark.includes(t.destination_type)) {
        trend.className = '';
        cells.set(t.destination_type, trend);
      }
      return tr;
    }),
  );
  const failed = await loadSparklines(withSpark, body.horizon, cells, signal);
  if (failed.length) {
    $('status-spark-note').textContent += ` ${failed.length} sparkline(s) could not be loaded: ${failed[0].message}`;
  }
  return { query: null, horizon: body.horizon, complete_through: body.complete_through, partial: null };
}

export async function renderPublicStatus(ctx) {
  const body = await api.publicStatus(ctx.signal);
  const types = [...body.destinations].sort(byStatus);
  $('public-note').textContent =
    `Destination types that at least ${fmt.count(body.min_workspaces)} workspaces send to, with figures over ` +
    `all of them for the ${fmt.count(body.window_minutes)} minutes up to ${fmt.dateTime(body.horizon.end)} UTC.`;
  const empty = types.length === 0;
  $('public-empty').hidden = !empty;
  $('public-empty').textContent = empty ? 'No destination type to show yet.' : '';
  $('public-table').hidden = empty;
  $('public-table')
    .querySelector('tbody')
    .replaceChildren(
      ...types.map((t) => {
        const tr = document.createElement('tr');
        commonCells(tr, t, null);
        return tr;
      }),
    );
  return { query: null, horizon: body.horizon, complete_through: body.complete_through, partial: null };
}
