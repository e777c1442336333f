// Pair drill-down: totals, outcomes per bucket (stacked), success rate and latency percentiles with
// the pair's goals as target lines, the error budget of its success-rate goals, successes by
// attempt and the error breakdown of one source → destination pair.

import { api } from './api.js';
import { bars, lines, niceMax, stackedSteps } from './charts.js';
import * as fmt from './format.js';
import { applicable, budgetPanel, latencyPanel, loadGoals } from './goals.js';

const STEP_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const OUTCOMES = [
  { key: 'successes', label: 'successes', cls: 's-successes' },
  { key: 'retried', label: 'retried', cls: 's-retried' },
  { key: 'discarded', label: 'discarded', cls: 's-discarded' },
  { key: 'expired', label: 'expired', cls: 's-expired' },
  { key: 'filtered', label: 'filtered', cls: 's-filtered' },
];
// Drawn in this order: p99 dashed over a wider p95, so both stay visible where they are equal
// (few deliveries per bucket).
const LATENCIES = [
  { key: 'latency_p50', label: 'p50', cls: 's-p50' },
  { key: 'latency_p95', label: 'p95', cls: 's-p95' },
  { key: 'latency_p99', label: 'p99', cls: 's-p99' },
];
const SCOPES = ['pair', 'destination', 'workspace'];
const RATE = [{ key: 'success_rate', label: 'success rate', cls: 's-rate' }];
const GOAL_LEGEND = { label: 'goal (target)', cls: 's-goal' };
const ATTEMPTS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10+'];

/** From a round bound below the lowest rate or target up to 100 %, so that 99 % and 99.9 % differ. */
function rateRange(points, goals) {
  const values = [...points.map((p) => p.success_rate), ...goals.map((g) => g.value)].filter(
    (v) => v !== null && v !== undefined,
  );
  const low = values.length ? Math.min(...values) : 0;
  const span = niceMax((1 - low) * 1.1);
  return [Math.max(0, Math.round((1 - span) * 1e6) / 1e6), 1];
}

function sidePanel(id, boxes) {
  $(id).replaceChildren(...boxes);
  $(id).hidden = boxes.length === 0;
}

const $ = (id) => document.getElementById(id);

function kpi(id, label, value, bad) {
  const div = document.createElement('div');
  div.className = bad ? 'kpi bad' : 'kpi';
  div.dataset.kpi = id;
  const v = document.createElement('div');
  v.className = 'kpi-value';
  v.textContent = value;
  const l = document.createElement('div');
  l.className = 'kpi-label';
  l.textContent = label;
  div.append(v, l);
  return div;
}

function legend(id, series) {
  $(id).replaceChildren(
    ...series.map((s) => {
      const item = document.createElement('span');
      item.className = `legend-item ${s.cls}`;
      item.textContent = s.label;
      return item;
    }),
  );
}

function errorRows(errors) {
  const tbody = $('error-table').querySelector('tbody');
  tbody.replaceChildren();
  for (const e of errors.errors) {
    const tr = document.createElement('tr');
    tr.dataset.outcome = e.outcome;
    tr.dataset.errorCode = e.error_code;
    for (const [col, text, cls] of [
      ['outcome', e.outcome, `outcome o-${e.outcome}`],
      ['error_code', e.error_code, 'code'],
      ['count', fmt.count(e.count), 'num'],
      ['share', fmt.share(e.share), 'num'],
    ]) {
      const td = document.createElement('td');
      td.dataset.col = col;
      td.className = cls;
      td.textContent = text;
      tr.append(td);
    }
    tbody.append(tr);
  }
  const none = errors.errors.length === 0;
  $('error-table').hidden = none;
  $('errors-empty').hidden = !none;
  $('error-totals').textContent =
    `${fmt.count(errors.total_failures)} failures: ` +
    errors.by_outcome.map((o) => `${o.outcome} ${fmt.count(o.count)}`).join(' · ');
  $('errors-truncated').hidden = !errors.truncated;
  $('errors-truncated').textContent = errors.truncated ? `Showing the ${errors.errors.length} most frequent.` : '';
}

export async function renderPair(ctx, view) {
  const { workspace, params, signal, config } = ctx;
  const filter = { source: view.source, destination: view.destination };
  const [ts, summary, errors, goalStatus] = await Promise.all([
    api.pairSeries(workspace, view.source, view.destination, params, signal),
    api.summary(workspace, { ...params, ...filter }, signal),
    api.errors(workspace, { ...params, ...filter, limit: 100 }, signal),
    loadGoals(workspace, signal),
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
    errorRows(errors);
    $('pair-goals-note').hidden = !goalStatus.error;
    $('pair-goals-note').textContent = goalStatus.error ? `Goals could not be loaded: ${goalStatus.error.message}` : '';
  }
  return {
    query: ts.query,
    complete_through: ts.complete_through,
    partial: points.some((p) => p.partial) ? 'hatched buckets are partial (not complete yet)' : null,
  };
}
