// Entry point: sign-in (a workspace token opens its workspace, an operator token the destination
// status), hash routing (#/, #/pairs/{source}/{destination}, #/status, #/destinations/{type} with
// ?range= or ?start=&end=, and #/public-status, which needs no sign-in), the time-range picker, the
// status line and the refresh loop.

import { api, ApiError, session } from './api.js';
import { renderDestination } from './destination.js';
import * as fmt from './format.js';
import { renderOverview } from './overview.js';
import { renderPair } from './pair.js';
import { renderPublicStatus, renderStatus } from './status.js';

const RANGES = {
  '10m': 10 * 60_000,
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};
const DEFAULT_RANGE = '1h';
const WORKSPACE_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
// The section of each view; the views with a time range; the views only operators may read.
const SECTIONS = {
  overview: 'overview',
  pair: 'pair',
  status: 'status-page',
  destination: 'destination',
  public: 'public-status',
};
const RANGED = new Set(['overview', 'pair', 'destination']);
const OPERATOR_VIEWS = new Set(['status', 'destination']);

const state = {
  config: null,
  // Server clock minus browser clock: ranges are relative to the server's "now".
  offsetMs: 0,
  // 'workspace' or 'operator' (the token's scope), 'open' when auth is disabled, null signed out.
  scope: null,
  workspace: null,
  generation: 0,
  controller: null,
  timer: null,
  shown: null,
};

const $ = (id) => document.getElementById(id);
const show = (id, visible) => {
  $(id).hidden = !visible;
};

function parseHash() {
  const raw = window.location.hash.replace(/^#/, '') || '/';
  const [path, query = ''] = raw.split('?');
  const params = new URLSearchParams(query);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  let view = { name: 'overview' };
  if (parts[0] === 'pairs' && parts.length === 3) view = { name: 'pair', source: parts[1], destination: parts[2] };
  else if (parts[0] === 'status' && parts.length === 1) view = { name: 'status' };
  else if (parts[0] === 'destinations' && parts.length === 2) view = { name: 'destination', type: parts[1] };
  else if (parts[0] === 'public-status' && parts.length === 1) view = { name: 'public' };
  let range;
  if (params.has('start') || params.has('end')) {
    range = { custom: true, start: Date.parse(params.get('start')), end: Date.parse(params.get('end')) };
  } else {
    const preset = params.get('range');
    range = { preset: RANGES[preset] ? preset : DEFAULT_RANGE };
  }
  return { view, range };
}

function rangeQuery(range) {
  return range.custom
    ? `start=${new Date(range.start).toISOString()}&end=${new Date(range.end).toISOString()}`
    : `range=${range.preset}`;
}

/** The hash of a view, keeping the current range. */
export function link(view, range = parseHash().range) {
  const enc = encodeURIComponent;
  const path = {
    pair: () => `/pairs/${enc(view.source)}/${enc(view.destination)}`,
    status: () => '/status',
    destination: () => `/destinations/${enc(view.type)}`,
    public: () => '/public-status',
  }[view.name];
  const hash = `#${path ? path() : '/'}`;
  return RANGED.has(view.name) ? `${hash}?${rangeQuery(range)}` : hash;
}

function timeWindow(range, view) {
  // The status views show the server's status horizon, whatever the range says.
  if (!RANGED.has(view.name)) return { live: true };
  if (range.custom) return { start: range.start, end: range.end, live: false };
  // Up to the end of the current minute, so the newest (partial) minute is on screen.
  const now = Date.now() + state.offsetMs;
  const end = Math.floor(now / 60_000) * 60_000 + 60_000;
  return { start: end - RANGES[range.preset], end, live: true };
}

function showProblem(e) {
  const title = e instanceof ApiError ? e.title : 'Error';
  const detail = e instanceof ApiError ? e.detail : String(e.message || e);
  const retry = e instanceof ApiError && e.retryAfter ? ` (retry after ${e.retryAfter} s)` : '';
  $('alert-title').textContent = title;
  $('alert-detail').textContent = `${detail}${retry}`;
  show('alert', true);
}

function hideContent() {
  for (const id of [...Object.values(SECTIONS), 'status']) show(id, false);
  state.shown = null;
}

/** A 403 on an operator view: the API's own words, and what to do about it. */
function operatorOnly(e) {
  return new ApiError(e.status, {
    title: e.title,
    detail: `${e.detail}. The destination status needs an operator token: sign out and sign in with one.`,
  });
}

function updatePicker(range) {
  for (const b of $('ranges').querySelectorAll('button')) {
    const on = range.custom ? b.dataset.range === 'custom' : b.dataset.range === range.preset;
    b.setAttribute('aria-pressed', String(on));
  }
  if (range.custom && range.start < range.end) {
    $('custom-start').value = fmt.toInput(range.start);
    $('custom-end').value = fmt.toInput(range.end);
  }
  show('custom-range', !!range.custom || $('custom-range').dataset.open === 'true');
}

function updateStatus(info, win) {
  const q = info.query;
  show('granularity-part', !!q);
  if (q) {
    $('granularity').textContent = q.granularity;
    $('requested-granularity').textContent = `(${q.requested_granularity})`;
    $('range-label').textContent = `${fmt.dateTime(q.start)} → ${fmt.dateTime(q.end)} UTC`;
  } else {
    $('range-label').textContent = `status horizon ${fmt.dateTime(info.horizon.start)} → ${fmt.dateTime(info.horizon.end)} UTC`;
  }
  $('complete-through').textContent = info.complete_through
    ? `complete through ${fmt.dateTime(info.complete_through)} UTC`
    : 'no pipeline progress reported yet';
  $('partial-note').textContent = info.partial || '';
  show('partial-note', !!info.partial);
  const updated = new Date(Date.now() + state.offsetMs).toISOString().slice(11, 19);
  $('refresh-note').textContent = win.live
    ? `live · refreshes every ${state.config.refresh_seconds} s · updated ${updated} UTC`
    : `fixed range · loaded ${updated} UTC`;
  show('status', true);
}

function renderView(ctx, view) {
  switch (view.name) {
    case 'pair':
      return renderPair(ctx, view);
    case 'status':
      return renderStatus(ctx);
    case 'destination':
      return renderDestination(ctx, view);
    case 'public':
      return renderPublicStatus(ctx);
    default:
      return renderOverview(ctx);
  }
}

async function render() {
  clearTimeout(state.timer);
  if (state.controller) state.controller.abort();
  const { view, range } = parseHash();
  if (!state.scope) {
    // Signed out: only the public status, else the sign-in form.
    if (view.name !== 'public') {
      if ($('login').hidden) showLogin();
      return;
    }
    show('login', false);
  } else if (state.scope === 'operator' && view.name === 'overview') {
    // An operator token reads no workspace: its home is the destination status.
    window.location.replace(link({ name: 'status' }));
    return;
  }
  const controller = new AbortController();
  state.controller = controller;
  const generation = ++state.generation;
  const ranged = RANGED.has(view.name);
  show('ranges', ranged && !!state.scope);
  if (ranged) updatePicker(range);
  else show('custom-range', false);
  const key = `${link(view, range)}`;
  const refreshing = state.shown === key;
  if (range.custom && !(range.start < range.end)) {
    hideContent();
    showProblem(new ApiError(400, { title: 'Invalid range', detail: 'the start must be before the end' }));
    return;
  }
  const win = timeWindow(range, view);
  const ctx = {
    workspace: state.workspace,
    config: state.config,
    params: ranged ? { start: new Date(win.start).toISOString(), end: new Date(win.end).toISOString() } : null,
    signal: controller.signal,
    link: (v) => link(v, range),
  };
  show('busy', true);
  let unauthorized = false;
  try {
    const info = await renderView(ctx, view);
    if (generation !== state.generation) return;
    show('alert', false);
    for (const [name, id] of Object.entries(SECTIONS)) show(id, view.name === name);
    state.shown = key;
    updateStatus(info, win);
  } catch (e) {
    if (e.name === 'AbortError' || generation !== state.generation) return;
    if (e instanceof ApiError && e.status === 401 && state.config.auth_enabled && state.scope) {
      unauthorized = true;
      signOut(e);
    } else {
      // A failed refresh keeps the last good numbers on screen under the message.
      if (!refreshing) hideContent();
      const forbidden = e instanceof ApiError && e.status === 403 && OPERATOR_VIEWS.has(view.name);
      showProblem(forbidden ? operatorOnly(e) : e);
    }
  } finally {
    if (generation === state.generation) show('busy', false);
  }
  if (win.live && !unauthorized && generation === state.generation && !document.hidden) {
    state.timer = setTimeout(render, state.config.refresh_seconds * 1000);
  }
}

function showLogin(error) {
  hideContent();
  for (const id of ['ranges', 'sign-out', 'workspace', 'nav-status', 'custom-range', 'alert']) show(id, false);
  const auth = state.config.auth_enabled;
  show('token-field', auth);
  show('workspace-field', !auth);
  $('login-error').textContent = error ? (error instanceof ApiError ? `${error.title}: ${error.detail}` : error.message) : '';
  show('login-error', !!error);
  show('login', true);
  (auth ? $('token-input') : $('workspace-input')).focus();
}

/** Signs in as `scope`: 'workspace' (of `workspace`), 'operator', or 'open' (auth disabled). */
function start(scope, workspace) {
  state.scope = scope;
  state.workspace = workspace;
  $('workspace').textContent = scope === 'operator' ? 'operator' : workspace;
  show('workspace', true);
  show('login', false);
  show('sign-out', true);
  // The operator views need an operator token, or none when auth is disabled.
  show('nav-status', scope !== 'workspace');
  render();
}

function signOut(error) {
  clearTimeout(state.timer);
  if (state.controller) state.controller.abort();
  session.clear();
  state.scope = null;
  state.workspace = null;
  // The public status stays readable without a token; any other view waits for the next sign-in.
  if (parseHash().view.name === 'public') window.history.replaceState(null, '', '#/');
  showLogin(error);
}

/** Signs in with the scope /v1/whoami tells for the session's token. */
async function startFromToken() {
  const me = await api.whoami();
  if (me.scope === 'operator') {
    start('operator', null);
  } else if (me.workspace_id) {
    session.setWorkspace(me.workspace_id);
    start('workspace', me.workspace_id);
  } else {
    throw new Error('This token reads no workspace and is not an operator token.');
  }
}

async function signIn() {
  if (state.config.auth_enabled) {
    const input = $('token-input');
    const token = input.value.trim();
    input.value = '';
    if (!token) {
      showLogin(new Error('Enter an API token.'));
      return;
    }
    session.setToken(token);
    try {
      await startFromToken();
    } catch (e) {
      signOut(e);
    }
  } else {
    const ws = $('workspace-input').value.trim();
    if (!WORKSPACE_ID.test(ws)) {
      showLogin(new Error('A workspace id is 1 to 64 of A-Z a-z 0-9 _ . : -'));
      return;
    }
    session.setWorkspace(ws);
    start('open', ws);
  }
}

function wire() {
  $('login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    signIn();
  });
  $('sign-out').addEventListener('click', () => signOut());
  $('ranges').addEventListener('click', (e) => {
    const b = e.target.closest('button');
    if (!b) return;
    const { view, range } = parseHash();
    if (b.dataset.range === 'custom') {
      const win = timeWindow(range, view);
      $('custom-start').value = fmt.toInput(win.start);
      $('custom-end').value = fmt.toInput(win.end);
      $('custom-range').dataset.open = 'true';
      show('custom-range', true);
      return;
    }
    $('custom-range').dataset.open = 'false';
    window.location.hash = link(view, { preset: b.dataset.range });
  });
  $('custom-range').addEventListener('submit', (e) => {
    e.preventDefault();
    const startMs = fmt.fromInput($('custom-start').value);
    const endMs = fmt.fromInput($('custom-end').value);
    if (!(startMs < endMs)) {
      showProblem(new ApiError(400, { title: 'Invalid range', detail: 'the start must be before the end' }));
      return;
    }
    window.location.hash = link(parseHash().view, { custom: true, start: startMs, end: endMs });
  });
  window.addEventListener('hashchange', () => render());
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) clearTimeout(state.timer);
    else render();
  });
}

async function boot() {
  wire();
  try {
    state.config = await api.config();
  } catch (e) {
    showProblem(e);
    return;
  }
  state.offsetMs = Date.parse(state.config.server_time) - Date.now();
  if (state.config.auth_enabled && session.token()) {
    try {
      await startFromToken();
    } catch (e) {
      signOut(e);
    }
  } else if (!state.config.auth_enabled && session.workspace()) {
    start('open', session.workspace());
  } else if (parseHash().view.name === 'public') {
    render();
  } else {
    showLogin();
  }
}

boot();
