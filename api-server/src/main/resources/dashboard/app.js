// Entry point: sign-in, hash routing (#/ and #/pairs/{source}/{destination}, ?range= or
// ?start=&end=), the time-range picker, the status line and the refresh loop.

import { api, ApiError, session } from './api.js';
import * as fmt from './format.js';
import { renderOverview } from './overview.js';
import { renderPair } from './pair.js';

const RANGES = {
  '10m': 10 * 60_000,
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};
const DEFAULT_RANGE = '1h';
const WORKSPACE_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

const state = {
  config: null,
  // Server clock minus browser clock: ranges are relative to the server's "now".
  offsetMs: 0,
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
  const view =
    parts[0] === 'pairs' && parts.length === 3
      ? { name: 'pair', source: parts[1], destination: parts[2] }
      : { name: 'overview' };
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
  const path =
    view.name === 'pair'
      ? `/pairs/${encodeURIComponent(view.source)}/${encodeURIComponent(view.destination)}`
      : '/';
  return `#${path}?${rangeQuery(range)}`;
}

function timeWindow(range) {
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
  for (const id of ['overview', 'pair', 'status']) show(id, false);
  state.shown = null;
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
  $('granularity').textContent = q.granularity;
  $('requested-granularity').textContent = `(${q.requested_granularity})`;
  $('range-label').textContent = `${fmt.dateTime(q.start)} → ${fmt.dateTime(q.end)} UTC`;
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

async function render() {
  clearTimeout(state.timer);
  if (state.controller) state.controller.abort();
  if (!state.workspace) return;
  const controller = new AbortController();
  state.controller = controller;
  const generation = ++state.generation;
  const { view, range } = parseHash();
  updatePicker(range);
  const key = `${link(view, range)}`;
  const refreshing = state.shown === key;
  if (range.custom && !(range.start < range.end)) {
    hideContent();
    showProblem(new ApiError(400, { title: 'Invalid range', detail: 'the start must be before the end' }));
    return;
  }
  const win = timeWindow(range);
  const ctx = {
    workspace: state.workspace,
    config: state.config,
    params: { start: new Date(win.start).toISOString(), end: new Date(win.end).toISOString() },
    signal: controller.signal,
    link: (v) => link(v, range),
  };
  show('busy', true);
  let unauthorized = false;
  try {
    const info = view.name === 'pair' ? await renderPair(ctx, view) : await renderOverview(ctx);
    if (generation !== state.generation) return;
    show('alert', false);
    show('overview', view.name === 'overview');
    show('pair', view.name === 'pair');
    state.shown = key;
    updateStatus(info, win);
  } catch (e) {
    if (e.name === 'AbortError' || generation !== state.generation) return;
    if (e instanceof ApiError && e.status === 401 && state.config.auth_enabled) {
      unauthorized = true;
      signOut(e);
    } else {
      // A failed refresh keeps the last good numbers on screen under the message.
      if (!refreshing) hideContent();
      showProblem(e);
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
  for (const id of ['ranges', 'sign-out', 'workspace', 'custom-range', 'alert']) show(id, false);
  const auth = state.config.auth_enabled;
  show('token-field', auth);
  show('workspace-field', !auth);
  $('login-error').textContent = error ? (error instanceof ApiError ? `${error.title}: ${error.detail}` : error.message) : '';
  show('login-error', !!error);
  show('login', true);
  (auth ? $('token-input') : $('workspace-input')).focus();
}

function start(workspace) {
  state.workspace = workspace;
  $('workspace').textContent = workspace;
  show('workspace', true);
  show('login', false);
  show('ranges', true);
  show('sign-out', true);
  render();
}

function signOut(error) {
  clearTimeout(state.timer);
  if (state.controller) state.controller.abort();
  session.clear();
  state.workspace = null;
  showLogin(error);
}

// An operator token reads no workspace (only the operator routes), so it cannot sign in here.
function requireWorkspace(me) {
  if (!me.workspace_id) {
    throw new Error('This is an operator token, which reads no workspace. Sign in with a workspace token.');
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
      const me = await api.whoami();
      requireWorkspace(me);
      session.setWorkspace(me.workspace_id);
      start(me.workspace_id);
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
    start(ws);
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
      const win = timeWindow(range);
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
      const me = await api.whoami();
      requireWorkspace(me);
      start(me.workspace_id);
    } catch (e) {
      signOut(e);
    }
  } else if (!state.config.auth_enabled && session.workspace()) {
    start(session.workspace());
  } else {
    showLogin();
  }
}

boot();
