// `/sensors`: dwell time per sensor over a range at a chosen resolution, and the KPIs with their
// change on the period before. State in the URL; on the public API only.
import "./base.css";
import "./sensors.css";
import { getJson, query } from "./api.js";
import { DwellChart } from "./dwell.js";
import {
  changeText, minuteOf, readSensorState, seconds, sensorSearch, seriesParams, windowParams,
} from "./readings.js";
import { Status } from "./status.js";

const API = "/api/v1/sensors";
const KPIS = [["mean", "Mean"], ["median", "Median"], ["p95", "95th percentile"],
  ["max", "Maximum"], ["count", "Readings"]];
const state = readSensorState(window.location.search);
const form = document.getElementById("controls");
const status = new Status(document.getElementById("status"));
const charts = new Map();
let loading = null;

function kpiCard(name, label, figures) {
  const card = document.createElement("div");
  card.className = "kpi-card";
  card.dataset.kpi = name;
  const term = document.createElement("dt");
  term.textContent = label;
  const value = document.createElement("dd");
  const data = document.createElement("data");
  data.className = "value";
  data.value = figures[name] === null ? "" : String(figures[name]);
  data.textContent = name === "count" ? String(figures[name]) : seconds(figures[name]);
  const change = document.createElement("span");
  change.className = "change";
  change.textContent = changeText(figures.change[name]);
  value.append(data, change);
  card.append(term, value);
  return card;
}

function kpiGroup(title, figures, sensorId) {
  const group = document.createElement("section");
  group.className = "kpi-group";
  group.dataset.sensor = sensorId;
  const heading = document.createElement("h3");
  heading.textContent = title;
  const list = document.createElement("dl");
  list.className = "kpi-cards";
  list.append(...KPIS.map(([name, label]) => kpiCard(name, label, figures)));
  group.append(heading, list);
  return group;
}

function showKpis(kpis) {
  const period = (w) => `${w.from.replace("T", " ").slice(0, 16)} to ${w.to.replace("T", " ").slice(0, 16)}`;
  document.getElementById("kpi-period").textContent =
    `${period(kpis)} UTC, compared with ${period(kpis.previous)}.`;
  document.getElementById("kpi-cards").replaceChildren(
    kpiGroup("All sensors", kpis.overall, "all"),
    ...kpis.sensors.map((s) => kpiGroup(`Sensor ${s.sensor_id}`, s, String(s.sensor_id))),
  );
}

function showForm() {
  for (const name of ["from", "to", "res", "agg"]) form.elements[name].value = state[name];
  form.elements.agg.disabled = !state.res.startsWith("bucket:");
}

async function load() {
  loading?.abort();
  loading = new AbortController();
  const { signal } = loading;
  document.body.dataset.state = "loading";
  status.loading("Readings");
  try {
    const sensors = await getJson(API, { signal });
    if (!state.from && sensors.length) {
      // The latest day of readings at most: the API refuses windows past its limit.
      const last = sensors.map((s) => s.last_observed_at).sort().at(-1);
      const first = sensors.map((s) => s.first_observed_at).sort()[0];
      state.to = minuteOf(last, { up: true });
      const dayBefore = new Date(Date.parse(`${state.to}:00Z`) - 86_400_000).toISOString();
      state.from = minuteOf(first > dayBefore ? first : dayBefore);
    }
    showForm();
    const [kpis, ...series] = await Promise.all([
      getJson(`${API}/kpis${query(windowParams(state))}`, { signal }),
      ...sensors.map((s) => getJson(`${API}/${s.sensor_id}/readings${query(seriesParams(state))}`,
                                    { signal })),
    ]);
    showKpis(kpis);
    const container = document.getElementById("charts");
    series.forEach((one) => {
      if (!charts.has(one.sensor_id)) charts.set(one.sensor_id, new DwellChart(container, one.sensor_id));
      charts.get(one.sensor_id).show(one);
    });
    window.history.replaceState(null, "", `${window.location.pathname}${sensorSearch(state)}`);
    if (sensors.length) status.clear();
    else status.done("No sensor has sent a reading yet.");
    document.body.dataset.state = "ready";
  } catch (error) {
    if (error.name === "AbortError") return;
    document.body.dataset.state = "error";
    status.error(`Could not load the sensors: ${error.message}`, load);
  }
}

form.elements.res.addEventListener("change", () => {
  form.elements.agg.disabled = !form.elements.res.value.startsWith("bucket:");
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  for (const name of ["from", "to", "res", "agg"]) state[name] = form.elements[name].value;
  load();
});

showForm();
load();
