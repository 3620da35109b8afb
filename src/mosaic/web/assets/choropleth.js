// Leaflet map of the postal codes, coloured by the API's legend classes. No base map unless
// WEB_TILE_URL is configured: nothing is loaded from another host by default.
import * as L from "leaflet/dist/leaflet-src.esm.js";
import "leaflet/dist/leaflet.css";
import { money } from "./format.js";

// ColorBrewer "Greens": sequential, single hue, safe for colour-blind readers and in print.
const GREENS = {
  2: ["#e5f5e0", "#31a354"],
  3: ["#e5f5e0", "#a1d99b", "#31a354"],
  4: ["#edf8e9", "#bae4b3", "#74c476", "#238b45"],
  5: ["#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"],
  6: ["#edf8e9", "#c7e9c0", "#a1d99b", "#74c476", "#31a354", "#006d2c"],
  7: ["#edf8e9", "#c7e9c0", "#a1d99b", "#74c476", "#41ab5d", "#238b45", "#005a32"],
  8: ["#f7fcf5", "#e5f5e0", "#c7e9c0", "#a1d99b", "#74c476", "#41ab5d", "#238b45", "#005a32"],
  9: ["#f7fcf5", "#e5f5e0", "#c7e9c0", "#a1d99b", "#74c476", "#41ab5d", "#238b45", "#006d2c",
      "#00441b"],
  10: ["#f7fcf5", "#e5f5e0", "#c7e9c0", "#a1d99b", "#74c476", "#41ab5d", "#238b45", "#006d2c",
       "#00541f", "#00441b"],
};
const NO_DATA = "url(#no-data)"; // grey hatching: distinct from every green, also in grey print

export function palette(classes) {
  return GREENS[Math.min(Math.max(classes, 2), 10)];
}

function tooltipContent(properties) {
  const text = document.createElement("span");
  text.textContent = `${properties.code}: ${
    properties.legend_class === 0 ? "no turnover" : money(properties.turnover)}`;
  return text;
}

function addHatching(svg) {
  if (!svg || svg.querySelector("#no-data")) return;
  const ns = "http://www.w3.org/2000/svg";
  const defs = document.createElementNS(ns, "defs");
  const pattern = document.createElementNS(ns, "pattern");
  for (const [name, value] of Object.entries({ id: "no-data", width: 6, height: 6,
    patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" })) {
    pattern.setAttribute(name, value);
  }
  const back = document.createElementNS(ns, "rect");
  for (const [name, value] of Object.entries({ width: 6, height: 6, fill: "#d9d9d9" })) {
    back.setAttribute(name, value);
  }
  const line = document.createElementNS(ns, "line");
  for (const [name, value] of Object.entries({ x1: 0, y1: 0, x2: 0, y2: 6, stroke: "#737373",
    "stroke-width": 2 })) {
    line.setAttribute(name, value);
  }
  pattern.append(back, line);
  defs.appendChild(pattern);
  svg.prepend(defs);
}

export class ChoroplethMap {
  constructor(element, { tileUrl, onSelect, onMove }) {
    this.map = L.map(element, { zoomSnap: 0.25, attributionControl: Boolean(tileUrl) });
    if (tileUrl) {
      L.tileLayer(tileUrl, { attribution: `Base map: ${new URL(tileUrl).host}` }).addTo(this.map);
    }
    this.layer = null;
    this.selected = "";
    this.colors = palette(5);
    this.onSelect = onSelect;
    this.map.on("moveend", () => onMove(this.bbox(), this.view()));
  }

  style(feature) {
    const { code, legend_class: level } = feature.properties;
    const chosen = code === this.selected;
    return {
      color: chosen ? "#000" : "#fff",
      weight: chosen ? 3 : 0.8,
      fillColor: level === 0 ? NO_DATA : this.colors[level - 1],
      fillOpacity: 0.9,
    };
  }

  draw(collection) {
    this.colors = palette(collection.legend.classes);
    if (this.layer) this.layer.remove();
    this.layer = L.geoJSON(collection, {
      style: (feature) => this.style(feature),
      onEachFeature: (feature, layer) => {
        layer.bindTooltip(tooltipContent(feature.properties), { sticky: true });
        layer.on("click", () => this.onSelect(feature.properties.code));
        layer.on("add", () => {
          const path = layer.getElement();
          path.dataset.code = feature.properties.code;
          path.dataset.class = feature.properties.legend_class;
        });
      },
    }).addTo(this.map);
    // The SVG exists once the map has a view: before the first one, Leaflet defers the layers.
    this.map.whenReady(() => addHatching(this.map.getPanes().overlayPane.querySelector("svg")));
    this.highlight(this.selected);
  }

  highlight(code) {
    this.selected = code;
    if (!this.layer) return;
    this.layer.setStyle((feature) => this.style(feature));
    this.layer.eachLayer((layer) => {
      if (layer.feature.properties.code === code) layer.bringToFront();
    });
  }

  show(view) {
    if (view) this.map.setView([view.lat, view.lng], view.zoom);
    else this.map.fitBounds(this.layer.getBounds(), { padding: [8, 8] });
  }

  view() {
    const center = this.map.getCenter();
    return { zoom: this.map.getZoom(), lat: center.lat, lng: center.lng };
  }

  // minLon,minLat,maxLon,maxLat of what is on screen, clamped to the API's ranges.
  bbox() {
    const bounds = this.map.getBounds();
    const clamp = (value, limit) => Math.min(Math.max(value, -limit), limit).toFixed(5);
    return [clamp(bounds.getWest(), 180), clamp(bounds.getSouth(), 90),
            clamp(bounds.getEast(), 180), clamp(bounds.getNorth(), 90)].join(",");
  }
}

export function drawLegend(list, legend) {
  const classes = Math.max(0, Math.min(legend.classes, (legend.breaks || []).length - 1));
  const colors = palette(legend.classes);
  const items = [];
  const swatch = (className, color) => {
    const box = document.createElement("span");
    box.className = `swatch ${className}`;
    if (color) box.style.backgroundColor = color; // CSSOM, allowed by the CSP (not inline markup)
    box.setAttribute("aria-hidden", "true");
    return box;
  };
  for (let index = 0; index < classes; index += 1) {
    const item = document.createElement("li");
    const label = document.createElement("span");
    label.textContent = `${money(legend.breaks[index])} – ${money(legend.breaks[index + 1])}`;
    item.append(swatch("", colors[index]), label);
    items.push(item);
  }
  const none = document.createElement("li");
  const label = document.createElement("span");
  label.textContent = "No turnover";
  none.append(swatch("no-data"), label);
  items.push(none);
  list.replaceChildren(...items);
}
