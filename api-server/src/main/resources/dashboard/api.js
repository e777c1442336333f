// The dashboard's only way to the server: same-origin fetches of the public API. The token lives in
// this tab's sessionStorage and travels only in the Authorization header, never in a URL.

const TOKEN_KEY = 'delivery-metrics.token';
const WORKSPACE_KEY = 'delivery-metrics.workspace';
// Pages of pairs or series followed at most; the overview says when it stopped early.
const MAX_PAGES = 20;

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

async function request(path, params, signal) {
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
  /** Series (e.g. group_by=pair), every page. */
  series: (ws, params, signal) =>
    allPages(`${workspacePath(ws)}/delivery-metrics`, { ...params, limit: 1000 }, 'series', signal),
  pairSeries: (ws, src, dst, params, signal) =>
    request(`${workspacePath(ws)}/sources/${enc(src)}/destinations/${enc(dst)}/delivery-metrics`, params, signal),
  errors: (ws, params, signal) => request(`${workspacePath(ws)}/delivery-errors`, params, signal),
  /** Every goal of the workspace, evaluated now over its own window. */
  goalStatus: (ws, signal) => request(`${workspacePath(ws)}/goals/status`, null, signal),
};
