// The dashboard's state lives in the URL (?from=&to=&age=&gender=&code=&map=zoom/lat/lng), so a
// reload or a shared link restores the same view. Values are checked as they are read.

export const AGE_GROUPS = ["<=24", "25-34", "35-44", "45-54", "55-64", ">=65"];
export const GENDERS = ["F", "M"];
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const CODE = /^\d{5}$/;

function parseView(text) {
  const parts = (text || "").split("/").map(Number);
  if (parts.length !== 3 || parts.some((n) => !Number.isFinite(n))) return null;
  const [zoom, lat, lng] = parts;
  if (Math.abs(lat) > 90 || Math.abs(lng) > 180 || zoom < 0 || zoom > 22) return null;
  return { zoom, lat, lng };
}

export function readState(search) {
  const params = new URLSearchParams(search);
  const pick = (name, test) => (test(params.get(name) || "") ? params.get(name) : "");
  return {
    from: pick("from", (v) => MONTH.test(v)),
    to: pick("to", (v) => MONTH.test(v)),
    age: (params.get("age") || "").split(",").filter((age) => AGE_GROUPS.includes(age)),
    gender: pick("gender", (v) => GENDERS.includes(v)),
    code: pick("code", (v) => CODE.test(v)),
    view: parseView(params.get("map")),
  };
}

// The API's filter parameters (shared by the choropleth, the widgets and the detail).
export function filterParams(state) {
  return { from: state.from, to: state.to, age: state.age.join(","), gender: state.gender };
}

export function stateSearch(state) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...filterParams(state), code: state.code })) {
    if (value) params.set(key, value);
  }
  if (state.view) {
    const { zoom, lat, lng } = state.view;
    params.set("map", `${+zoom.toFixed(2)}/${lat.toFixed(5)}/${lng.toFixed(5)}`);
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}
