// The widgets beside the map: total, monthly turnover by gender, turnover by age group and
// gender, top postal codes. Charts are drawn by Chart.js; every figure is also in a table.
import {
  BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController,
  LineElement, PointElement, Tooltip,
} from "chart.js";
import { compact, fillTable, money } from "./format.js";
import { AGE_GROUPS, GENDERS } from "./state.js";

Chart.register(BarController, BarElement, CategoryScale, Legend, LinearScale, LineController,
  LineElement, PointElement, Tooltip);

// Okabe–Ito orange and blue: told apart with every kind of colour blindness.
const SERIES = {
  F: { label: "Women", color: "#E69F00", point: "circle", dash: [] },
  M: { label: "Men", color: "#0072B2", point: "triangle", dash: [6, 3] },
};
const TOP = 10;

function series(groups, key, labels) {
  return GENDERS.map((gender) => {
    const exact = labels.map((label) => {
      const group = groups.find((g) => g[key] === label && g.gender === gender);
      return group ? group.turnover : null;
    });
    return { gender, exact };
  });
}

function chart(canvas, type) {
  return new Chart(canvas, {
    type,
    data: { labels: [], datasets: [] },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      scales: { y: { beginAtZero: true, ticks: { callback: (value) => compact(value) } } },
      plugins: {
        legend: { labels: { usePointStyle: true } }, // circle vs triangle, not only colour
        tooltip: {
          callbacks: {
            label: (item) => `${item.dataset.label}: ${money(item.dataset.exact[item.dataIndex])}`,
          },
        },
      },
    },
  });
}

function setSeries(target, labels, rows) {
  target.data.labels = labels;
  target.data.datasets = rows.map(({ gender, exact }) => ({
    label: SERIES[gender].label,
    data: exact.map((value) => (value === null ? null : Number(value))),
    exact,
    borderColor: SERIES[gender].color,
    backgroundColor: SERIES[gender].color,
    borderDash: SERIES[gender].dash,
    pointStyle: SERIES[gender].point,
    pointRadius: 4,
    spanGaps: false,
  }));
  target.update("none");
}

function figures(table, firstHeader, labels, rows) {
  fillTable(table, [firstHeader, ...rows.map(({ gender }) => SERIES[gender].label)],
    labels.map((label, index) => [label, ...rows.map(({ exact }) => money(exact[index]))]));
}

export class Widgets {
  constructor(root, { onSelect }) {
    this.total = root.querySelector("#total");
    this.totalScope = root.querySelector("#total-scope");
    this.totalCount = root.querySelector("#total-count");
    this.months = chart(root.querySelector("#chart-months"), "line");
    this.ages = chart(root.querySelector("#chart-ages"), "bar");
    this.monthsTable = root.querySelector("#table-months");
    this.agesTable = root.querySelector("#table-ages");
    this.top = root.querySelector("#top-codes");
    this.onSelect = onSelect;
  }

  render({ byMonth, byAge, byCode }, { code }) {
    this.total.value = byMonth.total;
    this.total.textContent = money(byMonth.total);
    this.totalScope.textContent = code ? `of postal code ${code}` : "of the view";
    const count = byCode.groups.length;
    this.totalCount.textContent = `${count} postal code${count === 1 ? "" : "s"} with turnover`;

    const months = [...new Set(byMonth.groups.map((g) => g.month))].sort();
    const monthRows = series(byMonth.groups, "month", months);
    setSeries(this.months, months, monthRows);
    figures(this.monthsTable, "Month", months, monthRows);

    const ageRows = series(byAge.groups, "age", AGE_GROUPS);
    setSeries(this.ages, AGE_GROUPS, ageRows);
    figures(this.agesTable, "Age group", AGE_GROUPS, ageRows);

    this.renderTop(byCode.groups);
  }

  renderTop(groups) {
    const ranked = [...groups].sort((a, b) => Number(b.turnover) - Number(a.turnover)).slice(0, TOP);
    const highest = ranked.length ? Number(ranked[0].turnover) : 0;
    this.top.replaceChildren(...ranked.map((group) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "link";
      button.textContent = group.postal_code;
      button.setAttribute("aria-label", `Show postal code ${group.postal_code}`);
      button.addEventListener("click", () => this.onSelect(group.postal_code));
      const bar = document.createElement("span");
      bar.className = "bar";
      bar.setAttribute("aria-hidden", "true");
      bar.style.width = `${highest ? (100 * Number(group.turnover)) / highest : 0}%`;
      const amount = document.createElement("span");
      amount.className = "amount";
      amount.textContent = money(group.turnover);
      item.append(button, bar, amount);
      return item;
    }));
    if (!ranked.length) {
      const item = document.createElement("li");
      item.textContent = "No turnover here with these filters.";
      this.top.replaceChildren(item);
    }
  }

  busy(isBusy) {
    for (const section of this.top.closest(".widgets").querySelectorAll(".widget")) {
      section.setAttribute("aria-busy", String(isBusy));
    }
  }
}
