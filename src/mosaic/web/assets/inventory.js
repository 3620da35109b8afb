// The numbers table: pages, sort and search from the v2 list API, kept in the URL.
import { getJson, query } from "./api.js";
import { money } from "./format.js";

const SORTS = ["value", "monthlyPrice", "setupPrice", "currency"];
const SYMBOLS = { USD: "U$", BRL: "R$", EUR: "€" };

export function readListState(search) {
  const params = new URLSearchParams(search);
  const sort = params.get("sort") || "";
  const page = Number.parseInt(params.get("page") || "1", 10);
  const perPage = Number.parseInt(params.get("per_page") || "25", 10);
  return {
    q: (params.get("q") || "").slice(0, 32),
    currency: ["USD", "BRL", "EUR"].includes(params.get("currency")) ? params.get("currency") : "",
    sort: SORTS.includes(sort.replace(/^-/, "")) ? sort : "",
    page: page > 0 ? page : 1,
    perPage: [10, 25, 50, 100].includes(perPage) ? perPage : 25,
  };
}

export function listQuery(state) {
  return query({ q: state.q, currency: state.currency, sort: state.sort, page: state.page,
                 per_page: state.perPage });
}

export async function fetchPage(state, signal) {
  return getJson(`/api/v2/numbers${listQuery(state)}`, { signal, cache: "no-store" });
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

export function renderRows(tbody, items, { canEdit, onEdit }) {
  const rows = items.map((item) => {
    const row = document.createElement("tr");
    row.dataset.id = item.id;
    const number = document.createElement("th");
    number.scope = "row";
    number.textContent = item.value;
    row.appendChild(number);
    const symbol = SYMBOLS[item.monthlyPrice.currency] || "";
    cell(row, money(item.monthlyPrice.amount, symbol), "number");
    cell(row, money(item.setupPrice.amount, symbol), "number");
    cell(row, item.monthlyPrice.currency, "currency");
    const actions = row.insertCell();
    if (canEdit) {
      const edit = document.createElement("button");
      edit.type = "button";
      edit.textContent = "Edit";
      edit.setAttribute("aria-label", `Edit ${item.value}`);
      edit.addEventListener("click", () => onEdit(item.id));
      actions.appendChild(edit);
    }
    return row;
  });
  if (!rows.length) {
    const row = document.createElement("tr");
    const empty = cell(row, "No number matches.");
    empty.colSpan = 5;
    rows.push(row);
  }
  tbody.replaceChildren(...rows);
}

// aria-sort on the headers; a click sorts by that column, a second click reverses it.
export function showSort(table, sort) {
  for (const button of table.querySelectorAll("button.sort")) {
    const key = button.dataset.sort;
    let direction = "none";
    if (sort === key) direction = "ascending";
    else if (sort === `-${key}`) direction = "descending";
    button.closest("th").setAttribute("aria-sort", direction);
  }
}

export function nextSort(current, key) {
  return current === key ? `-${key}` : key;
}
