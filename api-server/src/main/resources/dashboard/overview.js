// Workspace overview: one row per source → destination pair with totals over the range (summary
// endpoint) and a sparkline (group_by=pair series). Columns sort; problem pairs are highlighted;
// pairs covered by a goal that is burning its error budget are marked and stay on top. Above the
// table, the workspace's goals and their state.

import { api } from './api.js';
import { sparkline } from './charts.js';
import { cell, kpi } from './dom.js';
import * as fmt from './format.js';
import { applicable, budgetText, loadGoals, scopeText, state, targetText, valueText } from './goals.js';

const COLUMNS = [
  { key: 'source', label: 'Source', text: true },
  { key: 'destination', label: 'Destination', text: true },
  { key: 'successes', label: 'Successes' },
  { key: 'failures', label: 'Failures', title: 'discarded + expired events' },
  { key: 'success_rate', label: 'Success rate', title: 'successes / (successes + discarded + expired)' },
  { key: 'latency_p95', label: 'p95 latency' },
  { key: 'goals', label: 'Goals', sortable: false },
  { key: 'trend', label: 'Successes over time', sortable: false },
];

// Kept across refreshes and range changes.
let sort = { key: 'source', dir: 1 };

const $ = (id) => document.getElementById(id);
// A sparkline needs no more than a few dozen points: long ranges ask for coarser buckets than the
// automatic choice, which keeps the group_by=pair request small for workspaces with many pairs.
const sparkGranularity = (spanMs) =>
  spanMs > 8 * 86_400_000 ? 'day' : spanMs > 6 * 3_600_000 ? 'hour' : undefined;
const pairKey = (src, dst) => `${src}\u0000${dst}`;

function problems(row, config) {
  const reasons = [];
  if (row.success_rate !== null && row.success_rate < config.success_rate_threshold) {
    reasons.push(`success rate below ${fmt.rate(config.success_rate_threshold)}`);
  }
  if (row.latency_p95 !== null && row.latency_p95 > config.latency_p95_threshold_ms) {
    reasons.push(`p95 latency above ${fmt.latency(config.latency_p95_threshold_ms)}`);
  }
  return reasons;
}

function compare(a, b) {
  // Pairs whose goal is burning come first whatever the column; the column orders each group.
  const aBurns = a.burning.length > 0;
  const bBurns = b.burning.length > 0;
  if (aBurns !== bBurns) return aBurns ? -1 : 1;
  const x = a[sort.key];
  const y = b[sort.key];
  // Undefined values (no deliveries) sort last either way.
  if (x === null && y === null) return 0;
  if (x === null) return 1;
  if (y === null) return -1;
  const c = typeof x === 'string' ? x.localeCompare(y) : x - y;
  return c !== 0 ? sort.dir * c : a.source.localeCompare(b.source) || a.destination.localeCompare(b.destination);
}

function drawHead(rerender) {
  const tr = $('overview-table').querySelector('thead tr');
  tr.replaceChildren();
  for (const col of COLUMNS) {
    const th = document.createElement('th');
    th.dataset.col = col.key;
    if (!col.text && col.sortable !== false) th.className = 'num';
    if (col.sortable === false) {
      th.textContent = col.label;
    } else {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = col.label;
      if (col.title) b.title = col.title;
      const active = sort.key === col.key;
      th.setAttribute('aria-sort', active ? (sort.dir > 0 ? 'ascending' : 'descending') : 'none');
      b.addEventListener('click', () => {
        // Text columns start A→Z; numbers start with the largest.
        sort = { key: col.key, dir: active ? -sort.dir : col.text ? 1 : -1 };
        rerender();
      });
      th.append(b);
    }
    tr.append(th);
  }
}

function drawRows(rows, ctx, sparks) {
  const tbody = $('overview-table').querySelector('tbody');
  tbody.replaceChildren();
  for (const row of [...rows].sort(compare)) {
    const tr = document.createElement('tr');
    tr.dataset.source = row.source;
    tr.dataset.destination = row.destination;
    if (row.problems.length) {
      tr.classList.add('problem');
      tr.title = `Needs attention: ${row.problems.join('; ')}`;
    }
    if (row.burning.length) {
      tr.classList.add('burning');
      tr.dataset.burning = row.burning.map((g) => g.goal_id).join(' ');
    }
    const src = document.createElement('td');
    src.dataset.col = 'source';
    const a = document.createElement('a');
    a.href = ctx.link({ name: 'pair', source: row.source, destination: row.destination });
    a.textContent = row.source;
    src.append(a);
    if (row.problems.length) {
      const badge = document.createElement('span');
      badge.className = 'badge';
      badge.textContent = 'attention';
      src.append(badge);
    }
    tr.append(src);
    cell(tr, 'destination', row.destination);
    cell(tr, 'successes', fmt.count(row.successes), 'num');
    cell(tr, 'failures', fmt.count(row.failures), row.failures > 0 ? 'num warn' : 'num');
    const rateBad = row.success_rate !== null && row.success_rate < ctx.config.success_rate_threshold;
    cell(tr, 'success_rate', fmt.rate(row.success_rate), rateBad ? 'num bad' : 'num');
    const p95Bad = row.latency_p95 !== null && row.latency_p95 > ctx.config.latency_p95_threshold_ms;
    cell(tr, 'latency_p95', fmt.latency(row.latency_p95), p95Bad ? 'num bad' : 'num');
    tr.append(goalCell(row));
    const trend = document.createElement('td');
    trend.dataset.col = 'trend';
    trend.append(sparkline(sparks.get(pairKey(row.source, row.destination))));
    tr.append(trend);
    tbody.append(tr);
  }
}

/** What the pair's goals say: the burning ones first, by id; else those not met; else "n met". */
function goalCell(row) {
  const td = document.createElement('td');
  td.dataset.col = 'goals';
  const missed = row.goals.filter((g) => g.met === false && !g.burning);
  if (row.burning.length) {
    const badge = document.createElement('span');
    badge.className = 'badge burning-badge';
    badge.textContent = 'BURNING';
    td.append(badge, ` ${row.burning.map((g) => g.goal_id).join(', ')}`);
    td.title = row.burning.map((g) => `${g.goal_id} (${scopeText(g)}) is burning its error budget`).join('\n');
  } else if (missed.length) {
    td.className = 'goal-missed';
    td.textContent = `not met: ${missed.map((g) => g.goal_id).join(', ')}`;
  } else if (row.goals.length) {
    td.className = 'muted';
    const met = row.goals.filter((g) => g.met === true).length;
    td.textContent = `${met} of ${row.goals.length} met`;
  } else {
    td.className = 'muted';
    td.textContent = '\u2014';
  }
  return td;
}

function goalsCard(status, ctx) {
  const { goals, error, evaluatedAt } = status;
  $('overview-goals').hidden = goals.length === 0 && !error;
  $('goals-note').hidden = !error;
  $('goals-note').textContent = error ? `Goals could not be loaded: ${error.message}` : '';
  $('goals-evaluated').textContent = evaluatedAt
    ? `evaluated at ${fmt.dateTime(evaluatedAt)} UTC, each over its own window`
    : '';
  $('goals-table').hidden = goals.length === 0;
  const order = { burning: 0, missed: 1, nodata: 2, met: 3 };
  const sorted = [...goals].sort((a, b) => order[state(a).key] - order[state(b).key] || a.goal_id.localeCompare(b.goal_id));
  const tbody = $('goals-table').querySelector('tbody');
  tbody.replaceChildren(
    ...sorted.map((g) => {
      const st = state(g);
      const tr = document.createElement('tr');
      tr.dataset.goal = g.goal_id;
      tr.dataset.state = st.key;
      tr.className = `state-${st.key}`;
      const id = document.createElement('td');
      id.dataset.col = 'goal';
      id.className = 'goal-id';
      id.textContent = g.goal_id;
      if (g.description) id.title = g.description;
      const scope = document.createElement('td');
      scope.dataset.col = 'scope';
      if (g.scope === 'pair') {
        const a = document.createElement('a');
        a.href = ctx.link({ name: 'pair', source: g.source_id, destination: g.destination_id });
        a.textContent = scopeText(g);
        scope.append(a);
      } else {
        scope.textContent = scopeText(g);
      }
      const target = document.createElement('td');
      target.dataset.col = 'target';
      target.textContent = `${targetText(g)}`;
      const now = document.createElement('td');
      now.dataset.col = 'value';
      now.className = 'num';
      now.textContent = valueText(g);
      const budget = document.createElement('td');
      budget.dataset.col = 'budget';
      budget.className = 'num';
      budget.textContent = g.error_budget ? budgetText(g.error_budget.remaining) : '';
      const stateCell = document.createElement('td');
      stateCell.dataset.col = 'state';
      if (st.key === 'burning') {
        const badge = document.createElement('span');
        badge.className = 'badge burning-badge';
        badge.textContent = 'BURNING';
        stateCell.append(badge);
      } else {
        stateCell.textContent = st.text;
        stateCell.className = `goal-state-text state-${st.key}`;
      }
      tr.append(id, scope, target, now, budget, stateCell);
      return tr;
    }),
  );
}

async function sparkSeries(workspace, params, signal) {
  const query = { ...params, group_by: 'pair', metrics: 'successes,discarded,expired' };
  const granularity = sparkGranularity(Date.parse(params.end) - Date.parse(params.start));
  try {
    return await api.series(workspace, { ...query, granularity }, signal);
  } catch (e) {
    // A custom range older than the coarser tier's retention: let the server choose.
    if (granularity && e.status === 422) return api.series(workspace, query, signal);
    throw e;
  }
}

export async function renderOverview(ctx) {
  const { workspace, params, signal, config } = ctx;
  const [summary, series, goalStatus] = await Promise.all([
    api.summary(
      workspace,
      { ...params, metrics: 'successes,retried,discarded,expired,filtered,success_rate,latency_p95' },
      signal,
    ),
    sparkSeries(workspace, params, signal),
    loadGoals(workspace, signal),
  ]);
  const sparks = new Map(series.series.map((s) => [pairKey(s.source_id, s.destination_id), s.points]));
  const rows = summary.pairs.map((p) => {
    const row = {
      source: p.source_id,
      destination: p.destination_id,
      successes: p.successes,
      failures: p.discarded + p.expired,
      success_rate: p.success_rate,
      latency_p95: p.latency_p95,
    };
    row.problems = problems(row, config);
    row.goals = applicable(goalStatus.goals, row.source, row.destination);
    row.burning = row.goals.filter((g) => g.burning);
    return row;
  });

  const totals = rows.reduce(
    (t, r) => ({ successes: t.successes + r.successes, failures: t.failures + r.failures }),
    { successes: 0, failures: 0 },
  );
  const terminal = totals.successes + totals.failures;
  const overallRate = terminal === 0 ? null : totals.successes / terminal;
  const flagged = rows.filter((r) => r.problems.length).length;
  $('overview-kpis').replaceChildren(
    kpi('pairs', 'pairs with traffic', fmt.count(rows.length)),
    kpi('successes', 'successes', fmt.count(totals.successes)),
    kpi('failures', 'failures (discarded + expired)', fmt.count(totals.failures), totals.failures > 0),
    kpi('success_rate', 'success rate', fmt.rate(overallRate), overallRate !== null && overallRate < config.success_rate_threshold),
    kpi('problems', 'pairs need attention', fmt.count(flagged), flagged > 0),
  );
  const goals = goalStatus.goals;
  if (goals.length) {
    const met = goals.filter((g) => g.met === true).length;
    const burning = goals.filter((g) => g.burning).length;
    $('overview-kpis').append(
      kpi('goals_met', 'goals met', `${fmt.count(met)} of ${fmt.count(goals.length)}`, met < goals.length),
      kpi('goals_burning', 'goals burning their error budget', fmt.count(burning), burning > 0),
    );
  }
  goalsCard(goalStatus, ctx);
  $('overview-legend').textContent =
    `highlighted: success rate below ${fmt.rate(config.success_rate_threshold)} ` +
    `or p95 latency above ${fmt.latency(config.latency_p95_threshold_ms)}` +
    (goals.some((g) => g.burning) ? '; pairs with a burning goal first' : '');

  const empty = rows.length === 0;
  $('overview-empty').textContent = empty
    ? `No deliveries in workspace ${workspace} between ${fmt.dateTime(summary.query.start)} and ${fmt.dateTime(summary.query.end)} UTC. Try a longer range.`
    : '';
  $('overview-empty').hidden = !empty;
  $('overview-table').hidden = empty;
  const cut = summary.next_cursor || series.next_cursor;
  $('overview-truncated').hidden = !cut;
  $('overview-truncated').textContent = cut ? 'Showing the first pages of pairs only.' : '';
  if (!empty) {
    const rerender = () => {
      drawHead(rerender);
      drawRows(rows, ctx, sparks);
    };
    rerender();
  }
  return {
    query: summary.query,
    complete_through: summary.complete_through,
    partial: summary.partial ? 'the newest minutes of the range are partial (not complete yet)' : null,
  };
}
