// Pair drill-down: totals, outcomes per bucket (stacked), success rate and latency percentiles with
// the pair's goals as target lines, the error budget of its success-rate goals, successes by
// attempt, the failures per event (with the previous range) and the failures per reason with their
// sampled attempts of one source → destination pair.

import { api, ApiError } from './api.js';
import { bars, lines, OUTCOMES, RATE, rateRange, stackedSteps, STEP_MS } from './charts.js';
import { cell, kpi, legend } from './dom.js';
import * as fmt from './format.js';
import { applicable, budgetPanel, latencyPanel, loadGoals } from './goals.js';
import { sinceText, statusBadge } from './status.js';

// Drawn in this order: p99 dashed over a wider p95, so both stay visible where they are equal
// (few deliveries per bucket).
const LATENCIES = [
  { key: 'latency_p50', label: 'p50', cls: 's-p50' },
  { key: 'latency_p95', label: 'p95', cls: 's-p95' },
  { key: 'latency_p99', label: 'p99', cls: 's-p99' },
];
const SCOPES = ['pair', 'destination', 'workspace'];
const GOAL_LEGEND = { label: 'goal (target)', cls: 's-goal' };
const ATTEMPTS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10+'];
// The event breakdown keeps the five outcome counters per event (no latency).
const EVENT_METRICS = 'successes,retried,discarded,expired,filtered';
const FAILURE_OUTCOMES = ['retrying', 'discarded', 'expired'];

function sidePanel(id, boxes) {
  $(id).replaceChildren(...boxes);
  $(id).hidden = boxes.length === 0;
}

const $ = (id) => document.getElementById(id);

/** Appends one cell per [column, text, class] to `tr` and returns it. */
function addCells(tr, cells) {
  for (const [col, text, cls] of cells) cell(tr, col, text, cls);
  return tr;
}

const failuresOf = (m) => m.discarded + m.expired;
const attemptsOf = (m) => m.successes + m.retried + m.discarded + m.expired + m.filtered;
// Code-unit order, as the API sorts: the same on every browser and locale.
const byText = (a, b) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);

/**
 * The pair's totals per (event type, event name) with the previous comparable range; when that
 * range is beyond retention (422), the totals alone with a note; any other failure becomes a note,
 * so that the rest of the page is still shown.
 */
async function loadBreakdown(workspace, params, signal) {
  const query = { ...params, group_by: 'event_name', metrics: EVENT_METRICS };
  try {
    const body = await api.eventSummary(workspace, { ...query, compare: 'previous' }, signal);
    return { events: body.events, compared: true, error: null };
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    if (!(e instanceof ApiError && e.status === 422)) return { events: [], compared: false, error: e };
    try {
      const body = await api.eventSummary(workspace, query, signal);
      return { events: body.events, compared: false, error: e };
    } catch (again) {
      if (again.name === 'AbortError') throw again;
      return { events: [], compared: false, error: again };
    }
  }
}

function breakdownRows(breakdown, pairFailures) {
  const rows = breakdown.events.map((e) => {
    const failures = failuresOf(e);
    const before = breakdown.compared && e.previous ? failuresOf(e.previous) : null;
    return { e, failures, attempts: attemptsOf(e), before };
  });
  rows.sort(
    (a, b) =>
      b.failures - a.failures ||
      b.attempts - a.attempts ||
      byText(a.e.event_type, b.e.event_type) ||
      byText(a.e.event_name, b.e.event_name),
  );
  const tbody = $('event-table').querySelector('tbody');
  tbody.replaceChildren(
    ...rows.map(({ e, failures, attempts, before }) => {
      const tr = document.createElement('tr');
      tr.dataset.eventType = e.event_type;
      if (e.event_name !== null) tr.dataset.eventName = e.event_name;
      if (e.other) tr.dataset.other = 'true';
      if (e.other) tr.className = 'other';
      const change = before === null ? null : failures - before;
      return addCells(tr, [
        ['event_type', e.other ? 'other' : e.event_type, 'code'],
        ['event_name', e.other ? 'all other event names' : (e.event_name ?? 'no name'), e.event_name === null ? 'name muted' : 'name'],
        ['attempts', fmt.count(attempts), 'num'],
        ['failures', fmt.count(failures), failures > 0 ? 'num bad' : 'num'],
        ['share', pairFailures > 0 ? fmt.share(failures / pairFailures) : fmt.count(null), 'num'],
        ['change', change === null ? fmt.count(null) : fmt.signed(change), 'num'],
        ['change_relative', change === null || before === 0 ? fmt.count(null) : fmt.signedShare(change / before), 'num'],
      ]);
    }),
  );
  const none = rows.length === 0;
  $('event-table-box').hidden = none;
  $('events-empty').hidden = !none || !!breakdown.error;
  const error = breakdown.error;
  $('events-note').hidden = !error;
  $('events-note').textContent = !error
    ? ''
    : breakdown.events.length
      ? `No comparison with the previous range: ${error.message}`
      : `The event breakdown could not be loaded: ${error.message}`;
}

// The reasons whose samples are open, kept across refreshes of the same pair.
const expanded = { pair: null, keys: new Set() };

function sampleTable(key) {
  const table = document.createElement('table');
  table.className = 'samples';
  const other = key.error_code === 'other';
  const head = document.createElement('tr');
  const columns = ['Event id', 'Attempt', 'Outcome', ...(other ? ['Error code'] : []), 'Completed at (UTC)', 'Event', 'Error message'];
  for (const label of columns) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = label;
    head.append(th);
  }
  table.createTHead().append(head);
  const body = table.createTBody();
  for (const s of key.samples) {
    const tr = document.createElement('tr');
    tr.dataset.eventId = s.event_id;
    body.append(
      addCells(tr, [
        ['event_id', s.event_id, 'code'],
        ['attempt', String(s.attempt), 'num'],
        ['outcome', s.outcome, `outcome o-${s.outcome}`],
        ...(other ? [['error_code', s.error_code, 'code']] : []),
        ['completed_at', s.completed_at, 'code'],
        ['event', s.event_name === null ? s.event_type : `${s.event_type} · ${s.event_name}`, 'name'],
        ['error_message', s.error_message ?? 'no message', s.error_message === null ? 'message muted' : 'message'],
      ]),
    );
  }
  return table;
}

function reasonRows(view, reasons) {
  const pair = `${view.source}\u0000${view.destination}`;
  if (expanded.pair !== pair) expanded.keys.clear();
  expanded.pair = pair;
  const total = reasons.errors.reduce((n, k) => n + k.count, 0);
  const byOutcome = new Map(FAILURE_OUTCOMES.map((o) => [o, 0]));
  const tbody = $('error-table').querySelector('tbody');
  tbody.replaceChildren();
  reasons.errors.forEach((k, i) => {
    byOutcome.set(k.outcome, (byOutcome.get(k.outcome) || 0) + k.count);
    const id = `samples-${i}`;
    const keyId = `${k.outcome}\u0000${k.error_code}`;
    const open = expanded.keys.has(keyId);
    const tr = document.createElement('tr');
    tr.dataset.outcome = k.outcome;
    tr.dataset.errorCode = k.error_code;
    addCells(tr, [
      ['outcome', k.outcome, `outcome o-${k.outcome}`],
      ['error_code', k.error_code, 'code'],
      ['count', fmt.count(k.count), 'num'],
      ['share', fmt.share(total > 0 ? k.count / total : null), 'num'],
    ]);
    const toggle = document.createElement('button');
    toggle.type = 'button';
    toggle.className = 'disclose';
    toggle.setAttribute('aria-expanded', String(open));
    toggle.setAttribute('aria-controls', id);
    const n = k.samples.length;
    toggle.textContent = n === 0 ? 'no samples' : n === 1 ? '1 sample' : `${n} samples`;
    toggle.disabled = k.samples.length === 0;
    const td = document.createElement('td');
    td.dataset.col = 'samples';
    td.append(toggle);
    tr.append(td);

    const detail = document.createElement('tr');
    detail.id = id;
    detail.className = 'samples-row';
    detail.hidden = !open;
    const wide = document.createElement('td');
    wide.colSpan = 5;
    wide.append(sampleTable(k));
    detail.append(wide);
    toggle.addEventListener('click', () => {
      const show = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', String(show));
      detail.hidden = !show;
      if (show) expanded.keys.add(keyId);
      else expanded.keys.delete(keyId);
    });
    tbody.append(tr, detail);
  });
  const none = reasons.errors.length === 0;
  $('error-table').hidden = none;
  $('errors-empty').hidden = !none;
  $('error-totals').textContent =
    `${fmt.count(total)} failures: ` +
    [...byOutcome].map(([o, n]) => `${o} ${fmt.count(n)}`).join(' · ');
}

/**
 * "Is it me or them?": the pair's destination type and, when enough workspaces send to it for the
 * public status to list it, how that type is doing across all customers (never who they are).
 */
function destinationStatus(ds) {
  const box = $('pair-destination-status');
  box.replaceChildren();
  box.hidden = !ds;
  if (!ds) return;
  const type = document.createElement('code');
  type.textContent = ds.destination_type;
  if (!ds.status) {
    box.className = 'destination-status muted';
    box.append('Destination type ', type, ': too few workspaces send to it to show how it does across customers.');
    return;
  }
  box.className = `destination-status row-${ds.status}`;
  box.dataset.status = ds.status;
  box.append(
    'Across all customers, ',
    type,
    ' is ',
    statusBadge(ds.status),
    ` since ${sinceText(ds)}: success rate ${fmt.rate(ds.success_rate)}, p95 ${fmt.latency(ds.latency_p95_ms)}. `,
    ds.status === 'operational'
      ? 'Failures of this pair are likely its own.'
      : 'Failures of this pair may be the partner\'s, not this workspace\'s.',
  );
}

export async function renderPair(ctx, view) {
  const { workspace, params, signal, config } = ctx;
  const filter = { source: view.source, destination: view.destination };
  // Five requests (more with pages): api.js lets three of them run at a time.
  const [ts, summary, reasons, goalStatus, breakdown] = await Promise.all([
    api.pairSeries(workspace, view.source, view.destination, params, signal),
    api.summary(workspace, { ...params, ...filter }, signal),
    api.errorSamples(workspace, view.source, view.destination, params, signal),
    loadGoals(workspace, signal),
    loadBreakdown(workspace, { ...params, ...filter }, signal),
  ]);
  // Burning goals first, then the narrowest scope: the pair's own, its destination's, the workspace's.
  const goals = applicable(goalStatus.goals, view.source, view.destination).sort(
    (a, b) => Number(!!b.burning) - Number(!!a.burning) || SCOPES.indexOf(a.scope) - SCOPES.indexOf(b.scope),
  );
  const rateGoals = goals.filter((g) => g.kind === 'success_rate');
  const latencyGoals = goals.filter((g) => g.kind === 'latency_p95');
  const rateLines = rateGoals.map((g) => ({ id: g.goal_id, value: g.target, label: `${g.goal_id} \u2265 ${fmt.rate(g.target)}` }));
  const latencyLines = latencyGoals.map((g) => ({
    id: g.goal_id,
    value: g.target,
    label: `${g.goal_id} p95 \u2264 ${fmt.latency(g.target)}`,
  }));
  const points = ts.series.length ? ts.series[0].points : [];
  const total = summary.pairs[0] || null;
  const stepMs = STEP_MS[ts.query.granularity];
  const when = (p) => `${fmt.dateTime(p.start)} UTC (${ts.query.granularity})`;

  $('pair-title').textContent = `${view.source} → ${view.destination}`;
  destinationStatus(ts.destination_status);
  $('back').href = ctx.link({ name: 'overview' });
  const failures = total ? total.discarded + total.expired : 0;
  const rateBad = total && total.success_rate !== null && total.success_rate < config.success_rate_threshold;
  const p95Bad = total && total.latency_p95 !== null && total.latency_p95 > config.latency_p95_threshold_ms;
  $('pair-kpis').replaceChildren(
    kpi('successes', 'successes', fmt.count(total ? total.successes : 0)),
    kpi('failures', 'failures (discarded + expired)', fmt.count(failures), failures > 0),
    kpi('success_rate', 'success rate', fmt.rate(total ? total.success_rate : null), rateBad),
    kpi('retried', 'retried attempts', fmt.count(total ? total.retried : 0)),
    kpi('filtered', 'filtered', fmt.count(total ? total.filtered : 0)),
    kpi('latency_p50', 'p50 latency', fmt.latency(total ? total.latency_p50 : null)),
    kpi('latency_p95', 'p95 latency', fmt.latency(total ? total.latency_p95 : null), p95Bad),
    kpi('latency_p99', 'p99 latency', fmt.latency(total ? total.latency_p99 : null)),
  );

  const empty = !total || OUTCOMES.every((o) => total[o.key] === 0);
  $('pair-empty').hidden = !empty;
  $('pair-empty').textContent = empty
    ? `No deliveries from ${view.source} to ${view.destination} between ${fmt.dateTime(ts.query.start)} and ${fmt.dateTime(ts.query.end)} UTC.`
    : '';
  $('pair-charts').hidden = empty;
  if (!empty) {
    legend('outcome-legend', OUTCOMES);
    legend('latency-legend', latencyLines.length ? [...LATENCIES, GOAL_LEGEND] : LATENCIES);
    legend('rate-legend', rateLines.length ? [...RATE, GOAL_LEGEND] : RATE);
    $('rate-chart').replaceChildren(
      lines(points, RATE, {
        stepMs,
        when,
        label: 'Success rate per bucket',
        yFormat: fmt.rate,
        range: rateRange(points, rateLines),
        goals: rateLines,
      }),
    );
    sidePanel('rate-goals', budgetPanel(rateGoals));
    $('outcome-chart').replaceChildren(
      stackedSteps(points, OUTCOMES, { stepMs, when, label: 'Outcomes per bucket' }),
    );
    $('latency-chart').replaceChildren(
      lines(points, LATENCIES, { stepMs, when, label: 'Latency percentiles', yFormat: fmt.latency, goals: latencyLines }),
    );
    sidePanel('latency-goals', latencyPanel(latencyGoals));
    $('attempt-chart').replaceChildren(
      bars(total.successes_by_attempt, ATTEMPTS, { label: 'Successes by attempt' }),
    );
    breakdownRows(breakdown, failures);
    reasonRows(view, reasons);
    $('pair-goals-note').hidden = !goalStatus.error;
    $('pair-goals-note').textContent = goalStatus.error ? `Goals could not be loaded: ${goalStatus.error.message}` : '';
  }
  return {
    query: ts.query,
    complete_through: ts.complete_through,
    partial: points.some((p) => p.partial) ? 'hatched buckets are partial (not complete yet)' : null,
  };
}
