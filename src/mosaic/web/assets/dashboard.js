// `/`: the wireframe. The map shows every postal code for the filters; the widgets total what is
// in view (bbox) or the chosen postal code. All data comes from the public API under /api/v1.
import "./base.css";
import "./dashboard.css";
import { getJson, query } from "./api.js";
import { ChoroplethMap, drawLegend } from "./choropleth.js";
import { money } from "./format.js";
import { filterParams, readState, stateSearch } from "./state.js";
import { Status } from "./status.js";
import { Widgets } from "./widgets.js";

const API = "/api/v1";
const state = readState(window.location.search);
const form = document.getElementById("filters");
const status = new Status(document.getElementById("status"));
const pending = { map: null, widgets: null };
let map;
let widgets;
let started = false; // the first view is set by start(), later moves by the person
let moved = 0;

function remember() {
  window.history.replaceState(null, "", `${window.location.pathname}${stateSearch(state)}`);
}

function fresh(slot) {
  pending[slot]?.abort();
  pending[slot] = new AbortController();
  return pending[slot].signal;
}

function fillSelect(select, values, { blank } = {}) {
  const options = values.map((value) => new Option(value, value));
  if (blank) options.unshift(new Option(blank, ""));
  select.replaceChildren(...options);
}

function showForm() {
  form.elements.from.value = state.from || form.elements.from.options[0]?.value || "";
  const last = form.elements.to.options[form.elements.to.options.length - 1];
  form.elements.to.value = state.to || last?.value || "";
  for (const box of form.querySelectorAll("input[name=age]")) box.checked = state.age.includes(box.value);
  for (const radio of form.querySelectorAll("input[name=gender]")) {
    radio.checked = radio.value === state.gender;
  }
  form.elements.code.value = state.code;
}

function readForm(changed) {
  let { value: from } = form.elements.from;
  let { value: to } = form.elements.to;
  if (from > to) {
    if (changed === form.elements.to) from = to;
    else to = from;
    form.elements.from.value = from;
    form.elements.to.value = to;
  }
  const all = form.elements.from.options;
  state.from = from === all[0]?.value ? "" : from;
  state.to = to === all[all.length - 1]?.value ? "" : to;
  state.age = [...form.querySelectorAll("input[name=age]:checked")].map((box) => box.value);
  state.gender = form.querySelector("input[name=gender]:checked")?.value || "";
}

async function loadMap({ first = false } = {}) {
  const collection = await getJson(`${API}/postal-codes${query(filterParams(state))}`,
    { signal: fresh("map") });
  map.draw(collection);
  drawLegend(document.getElementById("legend-items"), collection.legend);
  if (first) {
    const codes = collection.features.map((f) => f.properties.code).sort();
    fillSelect(form.elements.code, codes, { blank: "All in view" });
    if (!codes.includes(state.code)) state.code = ""; // a stale or hand-made link
    form.elements.code.value = state.code;
    performance.mark("map-drawn");
  }
}

function showDetail(detail) {
  const panel = document.getElementById("detail");
  panel.hidden = !detail;
  if (!detail) return;
  const { code, turnover, by_month: byMonth } = detail.properties;
  document.getElementById("detail-code").textContent = code;
  const amount = document.getElementById("detail-turnover");
  amount.value = turnover;
  amount.textContent = money(turnover);
  const busiest = [...byMonth].sort((a, b) => Number(b.turnover) - Number(a.turnover))[0];
  document.getElementById("detail-month").textContent = busiest
    ? `${busiest.month} (${money(busiest.turnover)})` : "none with these filters";
}

async function loadWidgets() {
  const signal = fresh("widgets");
  const filters = filterParams(state);
  const scope = state.code ? { postal_code: state.code } : { bbox: map.bbox() };
  document.getElementById("map").dataset.bbox = scope.bbox || ""; // what the widgets total
  const turnover = (groupBy) => getJson(
    `${API}/turnover${query({ ...filters, ...scope, group_by: groupBy })}`, { signal });
  widgets.busy(true);
  const [byMonth, byAge, byCode, detail] = await Promise.all([
    turnover("month,gender"), turnover("age,gender"), turnover("postal_code"),
    state.code ? getJson(`${API}/postal-codes/${state.code}${query(filters)}`, { signal }) : null,
  ]);
  widgets.render({ byMonth, byAge, byCode }, state);
  showDetail(detail);
  widgets.busy(false);
  document.body.dataset.state = "ready";
  performance.mark("widgets-drawn");
}

// Run a load; a newer load of the same kind aborts it; failures show in the status line.
async function run(task, message) {
  document.body.dataset.state = "loading";
  status.loading(message);
  try {
    await task();
    status.clear();
  } catch (error) {
    if (error.name === "AbortError") return;
    document.body.dataset.state = "error";
    status.error(`Could not load the ${message.toLowerCase()}: ${error.message}`,
      () => run(task, message));
  }
}

function select(code) {
  state.code = code;
  form.elements.code.value = code;
  map.highlight(code);
  remember();
  run(loadWidgets, "Widgets");
}

async function start() {
  const months = await getJson(`${API}/turnover?group_by=month`);
  const labels = months.groups.map((group) => group.month);
  fillSelect(form.elements.from, labels);
  fillSelect(form.elements.to, labels);
  showForm();
  if (map) map.map.remove(); // a retry after an error starts over
  const element = document.getElementById("map");
  map = new ChoroplethMap(element, {
    tileUrl: element.dataset.tileUrl,
    onSelect: select,
    onMove: (bbox, view) => {
      state.view = view;
      remember();
      window.clearTimeout(moved);
      // Wait for the map to settle: a run of key presses or wheel steps makes one request set.
      if (started && !state.code) moved = window.setTimeout(() => run(loadWidgets, "Widgets"), 250);
    },
  });
  widgets ??= new Widgets(document.querySelector(".layout"), { onSelect: select });
  await loadMap({ first: true });
  map.highlight(state.code);
  map.show(state.view);
  started = true;
  await loadWidgets();
}

form.addEventListener("change", (event) => {
  if (event.target === form.elements.code) {
    select(form.elements.code.value);
    return;
  }
  readForm(event.target);
  remember();
  run(async () => {
    await loadMap();
    await loadWidgets();
  }, "Map and widgets");
});
form.addEventListener("reset", (event) => {
  event.preventDefault();
  Object.assign(state, { from: "", to: "", age: [], gender: "", code: "" });
  showForm();
  map.highlight("");
  remember();
  run(async () => {
    await loadMap();
    await loadWidgets();
  }, "Map and widgets");
});
document.getElementById("detail-clear").addEventListener("click", () => select(""));

run(start, "Map");
