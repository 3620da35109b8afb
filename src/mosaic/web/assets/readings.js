// The sensors page's state (?from=&to=&res=&agg=, checked as read) and how it becomes the API's
// query: `points=` downsamples the raw series, `bucket=` + `agg=` aggregates it per period.

export const RESOLUTIONS = ["raw", "points:100", "points:500", "bucket:1m", "bucket:5m",
  "bucket:15m", "bucket:1h"];
export const AGGREGATES = ["avg", "p50", "p95", "max", "min", "count"];
const MINUTE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

export function readSensorState(search) {
  const params = new URLSearchParams(search);
  const pick = (name, test, fallback = "") => (test(params.get(name) || "") ? params.get(name) : fallback);
  return {
    from: pick("from", (v) => MINUTE.test(v)),
    to: pick("to", (v) => MINUTE.test(v)),
    res: pick("res", (v) => RESOLUTIONS.includes(v), "points:500"),
    agg: pick("agg", (v) => AGGREGATES.includes(v), "avg"),
  };
}

export function sensorSearch(state) {
  const params = new URLSearchParams();
  for (const key of ["from", "to", "res", "agg"]) if (state[key]) params.set(key, state[key]);
  return `?${params}`;
}

// `2022-11-08T04:00` (a datetime-local value, UTC) from an API time; minutes rounded down/up.
export function minuteOf(iso, { up = false } = {}) {
  const time = new Date(iso).getTime();
  const minute = 60_000;
  const rounded = up ? Math.ceil(time / minute) * minute : Math.floor(time / minute) * minute;
  return new Date(rounded).toISOString().slice(0, 16);
}

export function windowParams(state) {
  return { from: state.from && `${state.from}:00Z`, to: state.to && `${state.to}:00Z` };
}

export function seriesParams(state) {
  const [kind, value] = state.res.split(":");
  if (kind === "points") return { ...windowParams(state), points: value };
  if (kind === "bucket") return { ...windowParams(state), bucket: value, agg: state.agg };
  return windowParams(state);
}

// A KPI's relative change (0.25) as people read it: "+25.0 % on the previous period".
export function changeText(change) {
  if (change === null || change === undefined) return "no earlier figure to compare";
  const percent = (change * 100).toFixed(1);
  const sign = change > 0 ? "+" : change < 0 ? "−" : "±";
  return `${sign}${percent.replace("-", "")} % on the period before`;
}

export function seconds(value, digits = 2) {
  return value === null || value === undefined ? "–" : `${Number(value).toFixed(digits)} s`;
}
