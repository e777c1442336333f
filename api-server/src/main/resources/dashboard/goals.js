// Delivery goals (GET /goals/status): which goals apply to a pair, how a goal and its state are
// described, and the error-budget panel. Goal ids, descriptions and pair ids are the workspace's
// text: they only ever reach the page through textContent.

import { api } from './api.js';
import * as fmt from './format.js';

const KIND_LABEL = { success_rate: 'success rate', latency_p95: 'p95 latency', data_lag: 'data lag' };

/**
 * The workspace's goals evaluated now; `error` instead when they cannot be read (e.g. a server
 * without a control database), so that the metrics are still shown.
 */
export async function loadGoals(workspace, signal) {
  try {
    const status = await api.goalStatus(workspace, signal);
    return { goals: status.goals, evaluatedAt: status.evaluated_at, error: null };
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    return { goals: [], evaluatedAt: null, error: e };
  }
}

/** The goals that cover a pair: its own, its destination's and the workspace's. */
export function applicable(goals, source, destination) {
  return goals.filter(
    (g) =>
      g.scope === 'workspace' ||
      (g.scope === 'destination' && g.destination_id === destination) ||
      (g.scope === 'pair' && g.source_id === source && g.destination_id === destination),
  );
}

/** "workspace", "destination dst_x" or "src_a → dst_x". */
export function scopeText(g) {
  if (g.scope === 'workspace') return 'workspace';
  if (g.scope === 'destination') return `destination ${g.destination_id}`;
  return `${g.source_id} → ${g.destination_id}`;
}

export const lagText = (seconds) => (seconds === null || seconds === undefined ? '\u2014' : `${Math.round(seconds)} s`);

/** The goal's value now, formatted for its kind. */
export function valueText(g) {
  if (g.kind === 'success_rate') return fmt.rate(g.value);
  if (g.kind === 'latency_p95') return fmt.latency(g.value);
  return lagText(g.value);
}

/** "≥ 99.00 % over 24h", "p95 ≤ 2.00 s over 6h", "≤ 60 s behind". */
export function targetText(g) {
  if (g.kind === 'success_rate') return `\u2265 ${fmt.rate(g.target)} over ${g.window}`;
  if (g.kind === 'latency_p95') return `p95 \u2264 ${fmt.latency(g.target)} over ${g.window}`;
  return `\u2264 ${lagText(g.target)} behind`;
}

export const kindText = (g) => KIND_LABEL[g.kind] || g.kind;

/** burning, met, not met or no data; a burning goal may still be met over its whole window. */
export function state(g) {
  if (g.burning) return { key: 'burning', text: 'burning' };
  if (g.met === true) return { key: 'met', text: 'met' };
  if (g.met === false) return { key: 'missed', text: 'not met' };
  return { key: 'nodata', text: 'no data' };
}

/** The share of the error budget left, e.g. "37.5 %" or "-250.0 %" (overspent). */
export const budgetText = (remaining) =>
  remaining === null || remaining === undefined ? '\u2014' : `${(remaining * 100).toFixed(1)} %`;

/** Which multi-window burn alerts fire ("fast burn, slow burn"), or "not burning". */
function burnText(g) {
  const firing = Object.entries(g.alerts || {})
    .filter(([, on]) => on)
    .map(([name]) => name.replace('_', ' '));
  return firing.length ? firing.join(', ') : 'not burning';
}

function burnRates(g) {
  return Object.entries(g.burn_rates || {})
    .map(([w, r]) => `${w} ${r === null ? '\u2014' : `${r.toFixed(1)}\u00d7`}`)
    .join(' \u00b7 ');
}

function line(cls, ...parts) {
  const p = document.createElement('div');
  p.className = cls;
  p.append(...parts);
  return p;
}

function span(cls, text) {
  const s = document.createElement('span');
  s.className = cls;
  s.textContent = text;
  return s;
}

function head(g) {
  const h = line('goal-head', span('goal-id', g.goal_id), span('muted', ` ${scopeText(g)}`));
  if (g.description) h.title = g.description;
  return h;
}

/** The panel beside the success-rate chart: each goal's error budget and whether it burns. */
export function budgetPanel(goals) {
  return goals.map((g) => {
    const box = document.createElement('div');
    const st = state(g);
    box.className = `goal-budget state-${st.key}`;
    box.dataset.goal = g.goal_id;
    const remaining = g.error_budget ? g.error_budget.remaining : null;
    const meter = document.createElement('meter');
    meter.min = 0;
    meter.max = 1;
    meter.low = 0.25;
    meter.optimum = 1;
    meter.value = remaining === null ? 0 : Math.max(0, Math.min(1, remaining));
    const left = span('budget-remaining', budgetText(remaining));
    left.dataset.value = remaining === null ? '' : String(remaining);
    box.append(
      head(g),
      line('muted small', `target ${targetText(g)} \u00b7 now ${valueText(g)}`),
      line(
        'budget',
        span('budget-label', 'error budget remaining '),
        left,
        ...(remaining !== null && remaining < 0 ? [span('overspent', ' overspent')] : []),
      ),
      meter,
      line(
        `goal-state${g.burning ? ' burning' : ''}`,
        ...(g.burning ? [span('badge burning-badge', 'BURNING'), ' '] : []),
        span('burn-text', burnText(g)),
      ),
      line('muted small', `burn rate ${burnRates(g)}`),
    );
    return box;
  });
}

/** The panel beside the latency chart: each p95 goal, its value now and whether it is met. */
export function latencyPanel(goals) {
  return goals.map((g) => {
    const st = state(g);
    const box = document.createElement('div');
    box.className = `goal-budget state-${st.key}`;
    box.dataset.goal = g.goal_id;
    box.append(
      head(g),
      line('muted small', `target ${targetText(g)}`),
      line('budget', span('budget-label', 'now '), span('goal-value', valueText(g)), span(`goal-state-text state-${st.key}`, ` ${st.text}`)),
    );
    return box;
  });
}
