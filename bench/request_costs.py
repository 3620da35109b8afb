"""What one request of each class of the load mix costs the app, alone: CPU and wall time in
one process (the Flask test client: no HTTP server, no nginx, one thread), against the database,
Redis and settings of the stack bench/load_mix.sh just ran, with its data (data.json beside the
Lua table). It answers why the mix saturates two cores where it does: the mix's weighted CPU per
request, and the requests/s the app's Python alone would allow on all the host's cores.

    python bench/request_costs.py DATA_JSON [ROUNDS]     (the environment of bench/load_mix.sh)

Cached classes are measured as hits (nothing writes in between), so they are a lower bound of
what they cost in the mix, where every write makes its context's next reads recompute.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient

from mosaic import create_app

Send = Callable[[], Any]


def _classes(client: FlaskClient, data: dict[str, Any]) -> dict[str, Send]:
    rng, serial = random.Random(5), itertools.count(1)
    editor = {"Authorization": f"Bearer {data['token']}"}

    def created() -> Any:
        number = next(serial)  # unique, as the mix's are
        value = f"+55 21 98{number // 10000 % 1000:03d}-{number % 10000:04d}"
        body = {"value": value, "monthyPrice": "0.03", "setupPrice": "3.40", "currency": "U$"}
        return client.post("/api/v1/numbers", json=body, headers=editor)

    mine = {}  # numbers of its own, each with the ETag of its last answer
    for _ in range(3):
        reply = created()
        mine[reply.get_json()["id"]] = reply.headers["ETag"]

    def update() -> Any:
        number = rng.choice(list(mine))
        body = {"monthyPrice": f"0.{rng.randint(10, 99)}"}
        headers = {**editor, "If-Match": mine[number]}
        reply = client.patch(f"/api/v1/numbers/{number}", json=body, headers=headers)
        mine[number] = reply.headers.get("ETag", mine[number])
        return reply

    def push() -> Any:
        message = {
            "data": rng.choice(data["payloads"]),
            "messageId": f"costs-{next(serial)}",
            "publishTime": "2026-01-01T00:00:00Z",
        }
        body = {"message": message, "subscription": "projects/bench/subscriptions/push"}
        return client.post(f"/api/v1/sensors/pubsub?token={data['push_token']}", json=body)

    def point() -> str:
        lon, lat = rng.choice(data["points"])
        return f"lon={lon + rng.uniform(-5e-5, 5e-5):.6f}&lat={lat + rng.uniform(-5e-5, 5e-5):.6f}"

    expense = {"amount": "12.34", "date": "2021-03-04", "description": "request costs"}
    sensors = f"from={data['sensor_start']}&to={data['sensor_end']}"
    return {
        "geo.choropleth": lambda: client.get("/api/v1/postal-codes"),
        "geo.turnover": lambda: client.get("/api/v1/turnover?group_by=age,gender"),
        "geo.at": lambda: client.get(f"/api/v1/postal-codes/at?{point()}&geometry=false"),
        "geo.tile": lambda: client.get(
            f"/api/v1/tiles/postal-codes/{rng.choice(data['tiles'])}.mvt"
        ),
        "numbers.list": lambda: client.get(
            f"/api/v1/numbers?per_page=50&page={rng.randint(1, data['number_pages'])}"
        ),
        "numbers.get": lambda: client.get(f"/api/v1/numbers/{rng.choice(data['numbers'])}"),
        "numbers.create": created,
        "numbers.update": update,
        "expenses.list": lambda: client.get("/api/v1/expenses?sort=-date&limit=50"),
        "expenses.aggregate": lambda: client.get(
            "/api/v1/expenses/aggregates?by=department&metrics=sum,count,share"
        ),
        "expenses.create": lambda: client.post(
            "/api/v1/expenses",
            json={
                **expense,
                "department_id": rng.choice(data["departments"]),
                "project_id": rng.choice(data["projects"]),
                "member_id": rng.choice(data["members"]),
            },
            headers=editor,
        ),
        "sensors.readings": lambda: client.get(
            f"/api/v1/sensors/{rng.choice(data['sensors'])}/readings?{sensors}&points=100"
        ),
        "sensors.push": push,
        "sensors.kpis": lambda: client.get(
            f"/api/v1/sensors/kpis?from={data['kpi_start']}&to={data['kpi_end']}"
        ),
    }


def _measure(send: Send, rounds: int) -> tuple[float, float]:
    for _ in range(20):  # warm: compiled statements, pooled connections, cached results
        reply = send()
    assert reply.status_code < 300, reply.get_data()[:300]
    cpu, wall = [], []
    for _ in range(rounds):
        cpu_at, wall_at = time.process_time(), time.perf_counter()
        send()
        cpu.append(time.process_time() - cpu_at)
        wall.append(time.perf_counter() - wall_at)
    return statistics.median(cpu) * 1000, statistics.median(wall) * 1000


def main(data_file: str, rounds: str = "200") -> None:
    data = json.loads(Path(data_file).read_text())
    app = create_app()
    # The app's JSON logs go to whatever sys.stdout is: still formatted and written, not shown.
    table, sys.stdout = sys.stdout, open(os.devnull, "w")  # noqa: SIM115 (for the process's life)
    classes = _classes(app.test_client(), data)
    print("| class | weight | CPU ms (median) | wall ms (median) |", file=table)
    print("|---|---|---|---|", file=table)
    weighted = 0.0
    for weight, name in data["mix"]:  # bench/load_mix.py MIX
        cpu, wall = _measure(classes[name], int(rounds))
        weighted += weight * cpu / 100
        print(f"| {name} | {weight} | {cpu:.2f} | {wall:.2f} |", file=table, flush=True)
    cores = len(os.sched_getaffinity(0))
    print(
        f"\nthe mix: {weighted:.2f} ms of the app's CPU per request on average, so at most "
        f"{cores * 1000 / weighted:.0f} requests/s on {cores} cores for the app's Python alone "
        "(before nginx, PostgreSQL, Redis and the load generator take their share)",
        file=table,
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
