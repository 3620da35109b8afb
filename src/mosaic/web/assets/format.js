// Money arrives as exact decimal strings ("1276112517.04"); it is grouped as text, never
// through a float, so what people read is what the API summed.

export function groupDigits(digits) {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

export function money(amount, symbol = "€") {
  if (amount === undefined || amount === null || amount === "") return "–";
  const text = String(amount);
  const negative = text.startsWith("-");
  const [whole, cents = ""] = text.replace(/^-/, "").split(".");
  const decimals = cents ? `.${cents.padEnd(2, "0")}` : "";
  return `${negative ? "−" : ""}${symbol}${groupDigits(whole)}${decimals}`;
}

// Axis labels only: a compact approximate figure (the exact one is in the tables).
export function compact(value) {
  return new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 })
    .format(value);
}

// Replace the children of `element` with plain-text cells (data never becomes HTML).
export function fillTable(table, headers, rows) {
  const head = document.createElement("thead");
  const headRow = head.insertRow();
  for (const header of headers) {
    const cell = document.createElement("th");
    cell.scope = "col";
    cell.textContent = header;
    headRow.appendChild(cell);
  }
  const body = document.createElement("tbody");
  for (const row of rows) {
    const tr = body.insertRow();
    row.forEach((value, index) => {
      const cell = index === 0 ? document.createElement("th") : document.createElement("td");
      if (index === 0) cell.scope = "row";
      cell.textContent = value;
      tr.appendChild(cell);
    });
  }
  table.replaceChildren(head, body);
}
