// Pair drill-down: totals, outcomes per bucket (stacked), latency percentiles, successes by attempt
// and the error breakdown of one source → destination pair.

import { api } from './api.js';
import { bars, lines, stackedSteps } from './charts.js';
import * as fmt from './format.js';

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
const ATTEMPTS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10+'];

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
  const [ts, summary, errors] = await Promise.all([
    api.pairSeries(workspace, view.source, view.destination, params, signal),
    api.summary(workspace, { ...params, ...filter }, signal),
    api.errors(workspace, { ...params, ...filter, limit: 100 }, signal),
  ]);
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
    legend('latency-legend', LATENCIES);
    $('outcome-chart').replaceChildren(
      stackedSteps(points, OUTCOMES, { stepMs, when, label: 'Outcomes per bucket' }),
    );
    $('latency-chart').replaceChildren(
      lines(points, LATENCIES, { stepMs, when, label: 'Latency percentiles', yFormat: fmt.latency }),
    );
    $('attempt-chart').replaceChildren(
      bars(total.successes_by_attempt, ATTEMPTS, { label: 'Successes by attempt' }),
    );
    errorRows(errors);
  }
  return {
    query: ts.query,
    complete_through: ts.complete_through,
    partial: points.some((p) => p.partial) ? 'hatched buckets are partial (not complete yet)' : null,
  };
}
