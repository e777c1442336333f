// One destination type over every workspace (operators): success rate, volume, p95 latency and the
// workspaces sending to it against those affected, per bucket of the dashboard's range, from
// GET /v1/destinations/{type}/delivery-metrics.

import { api } from './api.js';
import { lines, OUTCOMES, RATE, rateRange, stackedSteps, STEP_MS } from './charts.js';
import { kpi, legend } from './dom.js';
import * as fmt from './format.js';

const METRICS = 'successes,retried,discarded,expired,filtered,success_rate,latency_p95';
const P95 = [{ key: 'latency_p95', label: 'p95', cls: 's-p95' }];
const WORKSPACES = [
  { key: 'workspaces', label: 'workspaces sending', cls: 's-workspaces' },
  { key: 'affected_workspaces', label: 'affected (a failed attempt)', cls: 's-affected' },
];

const $ = (id) => document.getElementById(id);
const sum = (points, key) => points.reduce((s, p) => s + (p[key] || 0), 0);
const most = (points, key) => points.reduce((m, p) => Math.max(m, p[key] || 0), 0);

export async function renderDestination(ctx, view) {
  const { params, signal, config } = ctx;
  const ts = await api.destinationSeries(view.type, { ...params, metrics: METRICS }, signal);
  const points = ts.points;
  const stepMs = STEP_MS[ts.query.granularity];
  const when = (p) => `${fmt.dateTime(p.start)} UTC (${ts.query.granularity})`;

  $('destination-title').textContent = view.type;
  const successes = sum(points, 'successes');
  const failures = sum(points, 'discarded') + sum(points, 'expired');
  const rate = successes + failures === 0 ? null : successes / (successes + failures);
  const affected = most(points, 'affected_workspaces');
  $('destination-kpis').replaceChildren(
    kpi('successes', 'successes', fmt.count(successes)),
    kpi('failures', 'failures (discarded + expired)', fmt.count(failures), failures > 0),
    kpi('success_rate', 'success rate', fmt.rate(rate), rate !== null && rate < config.success_rate_threshold),
    kpi('retried', 'retried attempts', fmt.count(sum(points, 'retried'))),
    kpi('workspaces', 'most workspaces in a bucket', fmt.count(most(points, 'workspaces'))),
    kpi('affected_workspaces', 'most affected workspaces in a bucket', fmt.count(affected), affected > 0),
  );

  const empty = points.every((p) => OUTCOMES.every((o) => !p[o.key]));
  $('destination-empty').hidden = !empty;
  $('destination-empty').textContent = empty
    ? `No deliveries to ${view.type} between ${fmt.dateTime(ts.query.start)} and ${fmt.dateTime(ts.query.end)} UTC.`
    : '';
  $('destination-charts').hidden = empty;
  if (!empty) {
    legend('dest-rate-legend', RATE);
    legend('dest-volume-legend', OUTCOMES);
    legend('dest-latency-legend', P95);
    legend('dest-workspaces-legend', WORKSPACES);
    $('dest-rate-chart').replaceChildren(
      lines(points, RATE, { stepMs, when, label: 'Success rate per bucket', yFormat: fmt.rate, range: rateRange(points) }),
    );
    $('dest-volume-chart').replaceChildren(stackedSteps(points, OUTCOMES, { stepMs, when, label: 'Outcomes per bucket' }));
    $('dest-latency-chart').replaceChildren(
      lines(points, P95, { width: 560, stepMs, when, label: 'p95 latency per bucket', yFormat: fmt.latency }),
    );
    $('dest-workspaces-chart').replaceChildren(
      lines(points, WORKSPACES, { width: 560, stepMs, when, label: 'Workspaces per bucket', yFormat: fmt.count, integers: true }),
    );
  }
  return {
    query: ts.query,
    complete_through: ts.complete_through,
    partial: points.some((p) => p.partial) ? 'hatched buckets are partial (not complete yet)' : null,
  };
}
