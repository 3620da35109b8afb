// `/expenses`: the query API's filters, sort and sparse fields in a table paged by cursor
// (links.next / links.prev), totals by department, project, member or month as a bar chart,
// and CSV downloads of both. On the public API only.
import "./base.css";
import "./expenses.css";
import { getJson, query } from "./api.js";
import { fillRows, filterParams, listParams, showTotals, totalsChart } from "./ledger.js";
import { Status } from "./status.js";

const API = "/api/v1/expenses";
const form = document.getElementById("filters");
const table = document.getElementById("expenses");
const status = new Status(document.getElementById("status"));
const chart = totalsChart(document.getElementById("totals-chart"));
const figure = document.getElementById("totals-figure");
const by = document.getElementById("by");
const links = { next: null, prev: null };
let pageNumber = 1;
let loading = null;

function sameOrigin(link) {
  const url = new URL(link, window.location.href);
  return url.origin === window.location.origin ? `${url.pathname}${url.search}` : null;
}

async function loadPage(url, signal) {
  const params = listParams(form);
  const page = await getJson(url, { signal });
  fillRows(table, page.data, params.fields);
  links.next = page.links.next ? sameOrigin(page.links.next) : null;
  links.prev = page.links.prev ? sameOrigin(page.links.prev) : null;
  document.getElementById("previous").disabled = !links.prev;
  document.getElementById("next").disabled = !links.next;
  document.getElementById("page-info").textContent = `Page ${pageNumber}`;
  document.getElementById("caption").textContent =
    `Expenses: page ${pageNumber}, ${page.data.length} entries${links.next ? ", more after" : ""}`;
  const csv = { ...params, format: "csv" };
  delete csv.limit;
  document.getElementById("csv").href = `${API}${query(csv)}`;
}

async function loadTotals(signal) {
  const params = { ...filterParams(form), by: by.value };
  const body = await getJson(`${API}/aggregates${query(params)}`, { signal });
  const sums = showTotals(chart, document.getElementById("totals"), body.data, by.value);
  figure.dataset.sums = JSON.stringify(sums);
  document.getElementById("totals-chart").setAttribute("aria-label",
    `Bar chart of the sum of expenses per ${by.value}, ${body.data.length} groups; `
    + "the figures are in the table below.");
  document.getElementById("totals-csv").href =
    `${API}/aggregates${query({ ...params, format: "csv" })}`;
}

async function run(what, work) {
  loading?.abort();
  loading = new AbortController();
  document.body.dataset.state = "loading";
  status.loading(what);
  try {
    await work(loading.signal);
    status.clear();
    document.body.dataset.state = "ready";
  } catch (error) {
    if (error.name === "AbortError") return;
    document.body.dataset.state = "error";
    status.error(`Could not load the expenses: ${error.message}`, () => run(what, work));
  }
}

function reload() {
  pageNumber = 1;
  const url = `${API}${query(listParams(form))}&cursor=`; // empty: the first page by cursor
  return run("Expenses", (signal) => Promise.all([loadPage(url, signal), loadTotals(signal)]));
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  reload();
});
by.addEventListener("change", () => run("Totals", loadTotals));
document.getElementById("next").addEventListener("click", () => {
  pageNumber += 1;
  run("Expenses", (signal) => loadPage(links.next, signal));
});
document.getElementById("previous").addEventListener("click", () => {
  pageNumber -= 1;
  run("Expenses", (signal) => loadPage(links.prev, signal));
});

reload();
