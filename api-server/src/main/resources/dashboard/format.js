// How numbers and times are shown. Times are always UTC, like the API.

const DASH = '\u2014';

export const count = (n) => (n === null || n === undefined ? DASH : Number(n).toLocaleString('en-US'));

/** A rate in percent with two decimals, rounded down so that 99.996 % never shows as 100.00 %. */
export const rate = (r) =>
  r === null || r === undefined ? DASH : `${(Math.floor(r * 10000 + 1e-9) / 100).toFixed(2)} %`;

export const share = (s) => (s === null || s === undefined ? DASH : `${(s * 100).toFixed(1)} %`);

const MINUS = '\u2212';

/** A change in a count: "+12", "−3", "0". */
export const signed = (n) => (n > 0 ? `+${count(n)}` : n < 0 ? `${MINUS}${count(-n)}` : '0');

/** A relative change in percent with one decimal: "+50.0 %", "−12.5 %". */
export const signedShare = (r) => {
  if (r === null || r === undefined) return DASH;
  const text = `${(Math.abs(r) * 100).toFixed(1)} %`;
  return r > 0 ? `+${text}` : r < 0 ? `${MINUS}${text}` : text;
};

export const latency = (ms) => {
  if (ms === null || ms === undefined) return DASH;
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
};

const pad = (n) => String(n).padStart(2, '0');

/** 2026-11-26 12:00 */
export function dateTime(t) {
  const d = new Date(t);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** A short axis label for an instant, given the span the axis covers. */
export function axisTime(t, spanMs) {
  const d = new Date(t);
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  if (spanMs <= 36 * 3600_000) return hm;
  const md = `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return spanMs <= 8 * 86400_000 ? `${md} ${hm}` : md;
}

/** The value of a datetime-local input (UTC) for an instant, and back. */
export const toInput = (t) => new Date(t).toISOString().slice(0, 16);
export const fromInput = (v) => (v ? Date.parse(`${v}:00Z`) : NaN);
