// The expenses page's pieces: the query API's parameters from the filter form, the table of a
// page (sparse fields: only the columns asked for), and the totals' bar chart.
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from "chart.js";
import { compact, fillTable, money } from "./format.js";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

export const FILTERS = ["member", "department", "project", "date[gte]", "date[lte]", "amount[gte]"];
const HEADERS = { id: "#", date: "Date", department: "Department", project: "Project",
  member: "Member", amount: "Amount", currency: "Currency", quarter: "Quarter" };
const SYMBOLS = { EUR: "€", USD: "$", GBP: "£" };

// {member: "Sam", "date[gte]": "2021-03-01", ...}: blank boxes are left out.
export function filterParams(form) {
  const params = {};
  for (const name of FILTERS) {
    const value = form.elements[name].value.trim();
    if (value) params[name] = value;
  }
  return params;
}

export function listParams(form) {
  const fields = [...form.querySelectorAll("input[name=fields]:checked")].map((box) => box.value);
  return { ...filterParams(form), sort: form.elements.sort.value, limit: form.elements.limit.value,
           fields: ["id", ...fields].join(",") };
}

export function cell(row, name) {
  if (name === "amount") return money(row.amount, row.currency ? SYMBOLS[row.currency] ?? "" : "");
  return row[name] === undefined || row[name] === null ? "" : String(row[name]);
}

export function fillRows(table, rows, fields) {
  const names = fields.split(",");
  const caption = table.caption;
  fillTable(table, names.map((name) => HEADERS[name] ?? name),
    rows.map((row) => names.map((name) => cell(row, name))));
  table.prepend(caption);
}

export function totalsChart(canvas) {
  return new Chart(canvas, {
    type: "bar",
    data: { labels: [], datasets: [] },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false, indexAxis: "y",
      scales: { x: { beginAtZero: true, ticks: { callback: (value) => compact(value) } } },
      plugins: { tooltip: { callbacks: {
        label: (item) => money(item.dataset.exact[item.dataIndex], ""),
      } } },
    },
  });
}

// Groups are per currency too: a label names both when there is more than one currency.
export function showTotals(chart, table, groups, by) {
  const currencies = new Set(groups.map((g) => g.currency));
  const label = (g) => (currencies.size > 1 ? `${g[by]} (${g.currency})` : String(g[by]));
  chart.data.labels = groups.map(label);
  chart.data.datasets = [{ label: "Sum", data: groups.map((g) => Number(g.sum)),
    exact: groups.map((g) => g.sum), backgroundColor: "#0072B2" }];
  chart.update();
  fillTable(table, [by[0].toUpperCase() + by.slice(1), "Currency", "Sum", "Count"],
    groups.map((g) => [label(g), g.currency, g.sum, String(g.count)]));
  return Object.fromEntries(groups.map((g) => [label(g), g.sum]));
}
