// The dashboard's only way to the server: same-origin fetches of the public API. The token lives in
// this tab's sessionStorage and travels only in the Authorization header, never in a URL.

const TOKEN_KEY = 'delivery-metrics.token';
const WORKSPACE_KEY = 'delivery-metrics.workspace';
// Pages of pairs or series followed at most; the overview says when it stopped early.
const MAX_PAGES = 20;
// Requests in flight at once. The server answers 429 beyond query.max-concurrent-per-workspace
// (4 by default) queries of one workspace (all operators' reads of destination types share one
// such budget), and a request the page has aborted may still hold one of those until its query
// ends, so the page stays one below.
const MAX_IN_FLIGHT = 3;
// A 429 whose Retry-After is at most this many seconds (the query budget's) is retried once.
const RETRY_AFTER_MAX_S = 2;

/** A failed request, carrying the RFC 9457 problem the server answered with. */
export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    const title = (problem && problem.title) || (status ? `HTTP ${status}` : 'Network error');
    const detail = (problem && problem.detail) || '';
    super(detail ? `${title}: ${detail}` : title);
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.retryAfter = retryAfter;
  }
}

export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  workspace: () => sessionStorage.getItem(WORKSPACE_KEY),
  setToken: (token) => sessionStorage.setItem(TOKEN_KEY, token),
  setWorkspace: (ws) => sessionStorage.setItem(WORKSPACE_KEY, ws),
  clear() {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(WORKSPACE_KEY);
  },
};

const abortError = () => new DOMException('The request was aborted', 'AbortError');

/** The requests waiting for a slot, first come first served; `active` are in flight. */
const slots = { active: 0, waiting: [] };

/** Resolves when a request may start; rejects with an AbortError when `signal` aborts first. */
function acquire(signal) {
  if (signal && signal.aborted) return Promise.reject(abortError());
  if (slots.active < MAX_IN_FLIGHT) {
    slots.active++;
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    const entry = {
      start() {
        if (signal) signal.removeEventListener('abort', entry.abort);
        slots.active++;
        resolve();
      },
      abort() {
        const at = slots.waiting.indexOf(entry);
        if (at >= 0) slots.waiting.splice(at, 1);
        reject(abortError());
      },
    };
    if (signal) signal.addEventListener('abort', entry.abort, { once: true });
    slots.waiting.push(entry);
  });
}

function release() {
  slots.active--;
  const next = slots.waiting.shift();
  if (next) next.start();
}

function wait(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal && signal.aborted) {
      reject(abortError());
      return;
    }
    const timer = setTimeout(resolve, ms);
    if (signal) {
      signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(abortError());
        },
        { once: true },
      );
    }
  });
}

/** One request through the queue; a 429 with a short Retry-After is tried once more. */
async function request(path, params, signal) {
  try {
    return await queued(path, params, signal);
  } catch (e) {
    const seconds = e instanceof ApiError && e.status === 429 ? Number(e.retryAfter) : NaN;
    if (!(seconds >= 0 && seconds <= RETRY_AFTER_MAX_S)) throw e;
    await wait(seconds * 1000, signal);
    return queued(path, params, signal);
  }
}

async function queued(path, params, signal) {
  await acquire(signal);
  try {
    return await send(path, params, signal);
  } finally {
    release();
  }
}

async function send(path, params, signal) {
  const url = new URL(path, window.location.origin);
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== null && v !== undefined) url.searchParams.set(k, v);
  }
  const headers = { Accept: 'application/json' };
  const token = session.token();
  if (token) headers.Authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch(url, { headers, signal, cache: 'no-store', credentials: 'omit' });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, { title: 'Network error', detail: 'the API server could not be reached' });
  }
  const type = res.headers.get('Content-Type') || '';
  const body = type.includes('json') ? await res.json().catch(() => null) : null;
  if (!res.ok) throw new ApiError(res.status, body, res.headers.get('Retry-After'));
  return body;
}

async function allPages(path, params, key, signal) {
  let first = null;
  const items = [];
  let cursor = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const body = await request(path, { ...params, cursor }, signal);
    if (first === null) first = body;
    items.push(...body[key]);
    cursor = body.next_cursor;
    if (!cursor) break;
  }
  return { ...first, [key]: items, next_cursor: cursor };
}

const enc = encodeURIComponent;
const workspacePath = (ws) => `/v1/workspaces/${enc(ws)}`;

export const api = {
  config: (signal) => request('/dashboard-config', null, signal),
  whoami: (signal) => request('/v1/whoami', null, signal),
  /** Totals per pair over the range, every page. */
  summary: (ws, params, signal) =>
    allPages(`${workspacePath(ws)}/delivery-metrics/summary`, { ...params, limit: 1000 }, 'pairs', signal),
  /** Totals per event of the matching pairs (group_by=event_type or event_name), every page. */
  eventSummary: (ws, params, signal) =>
    allPages(`${workspacePath(ws)}/delivery-metrics/summary`, { ...params, limit: 1000 }, 'events', signal),
  /** Series (e.g. group_by=pair), every page. */
  series: (ws, params, signal) =>
    allPages(`${workspacePath(ws)}/delivery-metrics`, { ...params, limit: 1000 }, 'series', signal),
  pairSeries: (ws, src, dst, params, signal) =>
    request(`${workspacePath(ws)}/sources/${enc(src)}/destinations/${enc(dst)}/delivery-metrics`, params, signal),
  /** Per (outcome, error code) of the pair: its count and up to 10 sampled failed attempts. */
  errorSamples: (ws, src, dst, params, signal) =>
    request(`${workspacePath(ws)}/sources/${enc(src)}/destinations/${enc(dst)}/errors/samples`, params, signal),
  /** Every goal of the workspace, evaluated now over its own window. */
  goalStatus: (ws, signal) => request(`${workspacePath(ws)}/goals/status`, null, signal),
  /** Every destination type's status (operator token). */
  destinations: (signal) => request('/v1/destinations', null, signal),
  /** One destination type's series over all workspaces (operator token). */
  destinationSeries: (type, params, signal) =>
    request(`/v1/destinations/${enc(type)}/delivery-metrics`, params, signal),
  /** The public status: types with enough workspaces, aggregate figures only (no token needed). */
  publicStatus: (signal) => request('/v1/status', null, signal),
};
