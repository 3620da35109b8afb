// The pages' pure helpers, under node's test runner (run by tests/unit/test_web_assets.py).
import assert from "node:assert/strict";
import { test } from "node:test";

import { fieldOf } from "../../../src/mosaic/web/assets/editor.js";
import { money } from "../../../src/mosaic/web/assets/format.js";
import { nextSort, readListState } from "../../../src/mosaic/web/assets/inventory.js";
import { readState, stateSearch } from "../../../src/mosaic/web/assets/state.js";

test("money groups the exact decimal string, never through a float", () => {
  assert.equal(money("1276112517.04"), "€1,276,112,517.04");
  assert.equal(money("9007199254740993.01"), "€9,007,199,254,740,993.01");
  assert.equal(money("0.5", "U$"), "U$0.50");
  assert.equal(money("-12"), "−€12");
  assert.equal(money(null), "–");
});

test("the dashboard's URL state keeps only valid values", () => {
  const state = readState("?from=2015-03&to=2015-13&age=25-34,99,%3E%3D65&gender=X&code=28001"
    + "&map=12/40.4/-3.7");
  assert.deepEqual(state, { from: "2015-03", to: "", age: ["25-34", ">=65"], gender: "",
    code: "28001", view: { zoom: 12, lat: 40.4, lng: -3.7 } });
  assert.equal(readState("?map=12/91/0&code=2800").view, null);
  assert.equal(stateSearch(state), "?from=2015-03&age=25-34%2C%3E%3D65&code=28001&map=12%2F40.40000%2F-3.70000");
  assert.deepEqual(readState(stateSearch(state)), state);
});

test("a problem's pointer names the input it belongs to", () => {
  assert.equal(fieldOf("#/monthlyPrice/amount"), "monthly");
  assert.equal(fieldOf("#/monthlyPrice"), "monthly");
  assert.equal(fieldOf("#/setupPrice/currency"), "currency");
  assert.equal(fieldOf("#/value"), "value");
  assert.equal(fieldOf("#/unknown"), "");
});

test("the numbers list state is whitelisted and sorting toggles", () => {
  assert.deepEqual(readListState("?sort=-id;drop&page=-2&per_page=7&currency=XXX&q=84"),
    { q: "84", currency: "", sort: "", page: 1, perPage: 25 });
  assert.equal(readListState("?sort=-monthlyPrice").sort, "-monthlyPrice");
  assert.equal(nextSort("value", "value"), "-value");
  assert.equal(nextSort("-value", "value"), "value");
  assert.equal(nextSort("value", "currency"), "currency");
});

test("the sensors page's URL state keeps only valid values and maps to the series query", async () => {
  const { changeText, readSensorState, sensorSearch, seriesParams } =
    await import("../../../src/mosaic/web/assets/readings.js");
  const state = readSensorState("?from=2022-11-08T04:00&to=nope&res=bucket:5m&agg=p95");
  assert.deepEqual(state, { from: "2022-11-08T04:00", to: "", res: "bucket:5m", agg: "p95" });
  assert.deepEqual(seriesParams(state),
    { from: "2022-11-08T04:00:00Z", to: "", bucket: "5m", agg: "p95" });
  assert.deepEqual(readSensorState("?res=bucket:7m&agg=sum"),
    { from: "", to: "", res: "points:500", agg: "avg" });
  assert.deepEqual(seriesParams({ ...state, res: "points:100" }),
    { from: "2022-11-08T04:00:00Z", to: "", points: "100" });
  assert.deepEqual(readSensorState(sensorSearch(state)), state);
  assert.equal(changeText(0.25), "+25.0 % on the period before");
  assert.equal(changeText(-0.125), "−12.5 % on the period before");
  assert.equal(changeText(null), "no earlier figure to compare");
});
