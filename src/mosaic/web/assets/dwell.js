// One line chart per sensor (Chart.js on a linear time axis): null points break the line, so a
// period without readings is drawn as a gap. Every chart also has its points in a table.
import {
  Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip,
} from "chart.js";
import { fillTable } from "./format.js";
import { seconds } from "./readings.js";

Chart.register(Legend, LinearScale, LineController, LineElement, PointElement, Tooltip);

const COLOR = "#0072B2"; // Okabe–Ito blue
const clock = (ms) => new Date(ms).toISOString().slice(11, 16);
const stamp = (ms) => new Date(ms).toISOString().replace("T", " ").slice(0, 19);

function element(tag, properties = {}) {
  return Object.assign(document.createElement(tag), properties);
}

function newChart(canvas, label) {
  return new Chart(canvas, {
    type: "line",
    data: { datasets: [] },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      spanGaps: false,
      interaction: { mode: "nearest", axis: "x", intersect: false },
      scales: {
        x: { type: "linear", ticks: { callback: (value) => clock(value), maxTicksLimit: 8 },
             title: { display: true, text: "Time (UTC)" } },
        y: { beginAtZero: true, title: { display: true, text: label } },
      },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { title: (items) => stamp(items[0].parsed.x),
                                label: (item) => seconds(item.parsed.y) } },
      },
    },
  });
}

export class DwellChart {
  constructor(container, sensorId) {
    this.sensorId = sensorId;
    this.figure = element("figure", { className: "sensor-chart" });
    this.figure.dataset.sensor = String(sensorId);
    const caption = element("figcaption", { id: `sensor-${sensorId}-title`,
                                            textContent: `Sensor ${sensorId}` });
    const box = element("div", { className: "chart" });
    this.canvas = element("canvas");
    this.canvas.setAttribute("role", "img");
    box.appendChild(this.canvas);
    const details = element("details");
    details.appendChild(element("summary", { textContent: "The points as a table" }));
    const wrap = element("div", { className: "table-wrap" });
    this.table = element("table");
    wrap.appendChild(this.table);
    details.appendChild(wrap);
    this.figure.append(caption, box, details);
    this.figure.setAttribute("aria-labelledby", caption.id);
    container.appendChild(this.figure);
    this.chart = newChart(this.canvas, "Dwell time (s)");
  }

  show(series) {
    const points = series.points.map((p) => ({ x: Date.parse(p.t), y: p.v }));
    const label = series.bucket ? `${series.agg} per ${series.bucket}` : "dwell time";
    this.chart.data.datasets = [{
      label: `Sensor ${this.sensorId}`, data: points, borderColor: COLOR, backgroundColor: COLOR,
      pointRadius: points.length > 200 ? 0 : 2, borderWidth: 1.5, spanGaps: false,
    }];
    Object.assign(this.chart.options.scales.x, { min: Date.parse(series.from),
                                                 max: Date.parse(series.to) });
    this.chart.options.scales.y.title.text = series.agg === "count" ? "Readings" : "Dwell time (s)";
    this.chart.update();
    const drawn = points.filter((p) => p.y !== null).length;
    this.figure.dataset.points = String(points.length);
    this.figure.dataset.values = String(drawn);
    this.canvas.setAttribute("aria-label", `Sensor ${this.sensorId}, ${label}: ${drawn} values `
      + `and ${points.length - drawn} empty periods from ${stamp(Date.parse(series.from))} `
      + `to ${stamp(Date.parse(series.to))} UTC.`);
    fillTable(this.table, ["Time (UTC)", series.agg === "count" ? "Readings" : "Seconds"],
      series.points.map((p) => [stamp(Date.parse(p.t)), p.v === null ? "no readings" : String(p.v)]));
  }
}
