"""bench/load_mix.sh's and bench/load_mix_compose.sh's helpers: nginx's prod config rendered for
loopback replicas, the limit_req exemption of the load generator's address, the load's data file
for wrk (bench/load_mix.lua), and the report (wrk's RESULT line and nginx's log).

    python bench/load_mix.py nginx OUT_DIR LISTEN_PORT UPSTREAM_PORT...
    python bench/load_mix.py exempt MOSAIC_D_DIR ADDRESS
    python bench/load_mix.py data DATABASE_URL BASE_URL USERNAME PASSWORD PUSH_TOKEN OUT.lua
    python bench/load_mix.py summary RESULT_FILE NGINX_ACCESS_LOG [SKIP_LINES]

(`data` needs only SQLAlchemy and psycopg2: load_mix_compose.sh runs it inside an API container.)
"""

from __future__ import annotations

import base64
import json
import math
import random
import re
import statistics
import sys
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
# The mix, in weights out of 100 (docs/performance.md repeats it): 80 reads, 20 writes. The data
# file hands it to bench/load_mix.lua, and bench/request_costs.py weighs its classes by it.
MIX = (
    (12, "geo.choropleth"),  # GET /postal-codes, the map (cached per geo revision)
    (5, "geo.turnover"),  # GET /turnover, a widget (cached)
    (5, "geo.at"),  # GET /postal-codes/at, a click at a random point (uncached)
    (6, "geo.tile"),  # GET a vector tile (cached)
    (12, "numbers.list"),  # GET /numbers, a page of 50 (cached per inventory revision)
    (6, "numbers.get"),  # GET /numbers/{id}
    (3, "numbers.create"),  # POST /numbers (editor)
    (3, "numbers.update"),  # PATCH /numbers/{id} with If-Match (editor)
    (10, "expenses.list"),  # GET /expenses, filtered and sorted (cached per expense revision)
    (6, "expenses.aggregate"),  # GET /expenses/aggregates (cached)
    (4, "expenses.create"),  # POST /expenses (editor)
    (8, "sensors.readings"),  # GET /sensors/{id}/readings, downsampled (uncached)
    (10, "sensors.push"),  # POST /sensors/pubsub, a new message (verification token)
    (10, "sensors.kpis"),  # GET /sensors/kpis over a day (uncached)
)

# The limit_req knob of nginx/nginx.conf: a file in mosaic.d/ beside it that exempts the load
# generator's one address (an operator would list a prober or a trusted fan-in proxy the same way).
LIMIT_EXEMPT = (
    "# bench/load_mix: the load generator is one address ({address}) for 200 clients.\n"
    'map $remote_addr $limit_per_client {{ default $binary_remote_addr; {address} ""; }}\n'
)


def nginx(out: str, listen: str, *upstreams: str) -> None:
    """nginx.conf as the prod stack runs it, with `api` resolved to the loopback replicas (what
    Docker's DNS gives nginx under --scale api=2) and its /tmp files under OUT_DIR."""
    folder = Path(out).resolve()
    conf = (ROOT / "nginx/nginx.conf").read_text()
    servers = "\n        ".join(f"server 127.0.0.1:{port};" for port in upstreams)
    for old, new in (
        ("server api:8000;", servers),
        ("listen 8080 ", f"listen 127.0.0.1:{listen} "),
    ):
        assert conf.count(old) == 1, f"expected one `{old}` in nginx/nginx.conf"
        conf = conf.replace(old, new)
    conf = conf.replace("/tmp/", f"{folder}/")  # noqa: S108 (moved under OUT_DIR)
    conf = conf.replace("access_log /dev/stdout", f"access_log {folder}/access.log")
    exempt(str(folder / "mosaic.d"), "127.0.0.1")
    (folder / "nginx.conf").write_text(conf)


def exempt(folder: str, address: str) -> None:
    """MOSAIC_D_DIR/limit-exempt.conf: nginx's limit_req does not count ADDRESS (one IPv4 address,
    as nginx sees the load generator: 127.0.0.1 natively, the network's gateway in Docker)."""
    assert re.fullmatch(r"\d{1,3}(\.\d{1,3}){3}", address), f"not an IPv4 address: {address!r}"
    Path(folder).mkdir(parents=True, exist_ok=True)
    (Path(folder) / "limit-exempt.conf").write_text(LIMIT_EXEMPT.format(address=address))


def _lua(value: object) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key} = {_lua(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "{" + ", ".join(_lua(item) for item in value) + "}"
    if isinstance(value, str):
        return json.dumps(value)
    return repr(value)


def _tiles(west: float, south: float, east: float, north: float) -> list[str]:
    """Up to 24 tiles at zooms 11-13 over the postal codes' extent, the map's working zooms."""

    def tile(lon: float, lat: float, zoom: int) -> tuple[int, int]:
        n = 2**zoom
        y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
        return int((lon + 180) / 360 * n), int(y)

    found = []
    for zoom in (11, 12, 13):
        (x0, y0), (x1, y1) = tile(west, north, zoom), tile(east, south, zoom)
        found += [f"{zoom}/{x}/{y}" for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]
    return random.Random(3).sample(found, min(24, len(found)))


def _token(base: str, username: str, password: str) -> str:
    body = json.dumps({"username": username, "password": password}).encode()
    request = urllib.request.Request(  # noqa: S310 (loopback, the bench's own stack)
        f"{base}/api/v1/auth/token", body, {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as reply:  # noqa: S310
        return str(json.load(reply)["access_token"])


def _payloads(count: int = 200) -> list[str]:
    rng = random.Random(11)
    return [
        base64.b64encode(
            json.dumps(
                {
                    "serial": "000100000100",
                    "application": 11,
                    "Type": "xkgw",
                    "device": "LoadMix",
                    "Time": f"2026-01-01T{n // 3600:02d}:{n // 60 % 60:02d}:{n % 60:02d}.{n:06d}",
                    "v0": 200_000 + n % 50,
                    "v7": rng.randint(1, 99_999),
                    "v18": round(rng.lognormvariate(2, 0.6), 2),
                }
            ).encode()
        ).decode()
        for n in range(count)
    ]


def data(url: str, *, base: str, username: str, password: str, push_token: str, out: str) -> None:
    """The ids, points and tokens the mix draws from, as a Lua table."""
    engine = create_engine(url)
    with engine.connect() as db:
        numbers = db.scalars(text("SELECT id FROM phone_number ORDER BY id")).all()
        points = db.execute(text(
            "SELECT ST_X(p.geom), ST_Y(p.geom) FROM (SELECT (ST_Dump(ST_GeneratePoints("
            "ST_Union(geom), 300, 7))).geom FROM postal_code) AS p"
        )).all()  # fmt: skip
        extent = db.execute(text(
            "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) "
            "FROM (SELECT ST_Extent(geom)::geometry AS e FROM postal_code) AS x"
        )).one()  # fmt: skip
        sensors = db.execute(text(
            "SELECT sensor_id, min(observed_at), max(observed_at) FROM sensor_reading "
            "GROUP BY sensor_id ORDER BY count(*) DESC LIMIT 10"
        )).all()  # fmt: skip
        registers = {
            name: db.scalars(text(f"SELECT id FROM {name} ORDER BY id")).all()  # noqa: S608
            for name in ("department", "project", "member")  # (fixed names, not input)
        }
    start, end = min(s[1] for s in sensors), max(s[2] for s in sensors)
    day = start.date().isoformat()
    table = {
        "token": _token(base, username, password),
        "push_token": push_token,
        "numbers": list(numbers),
        "number_pages": max(1, len(numbers) // 50),
        "points": [[round(x, 6), round(y, 6)] for x, y in points],
        "tiles": _tiles(*extent),
        "departments": list(registers["department"]),
        "projects": list(registers["project"]),
        "members": list(registers["member"]),
        "sensors": [int(s[0]) for s in sensors],
        "sensor_start": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "sensor_end": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "kpi_start": f"{day}T00:00:00Z",
        "kpi_end": f"{day}T23:59:59Z",
        "payloads": _payloads(),
        "mix": MIX,
    }
    Path(out).write_text("return " + _lua(table) + "\n")
    if out.endswith(".lua"):  # and beside it for bench/request_costs.py (not when streamed)
        Path(out).with_suffix(".json").write_text(json.dumps(table))


FIELD = re.compile(r"(\w+)=([\w.:,]+)")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def summary(result_file: str, access_log: str, skip: str = "0") -> None:
    """The run's totals (wrk) and the per-class breakdown (nginx's log of the same requests)."""
    line = next(x for x in Path(result_file).read_text().splitlines() if "RESULT" in x)
    row = dict(FIELD.findall(line))
    statuses = Counter(
        {int(s): int(n) for s, n in (p.split(":") for p in row["statuses"].split(",") if p)}
    )
    errors = {s: n for s, n in statuses.items() if s >= 400}
    socket_errors = sum(
        int(row[k]) for k in ("connect_errors", "read_errors", "write_errors", "timeouts")
    )
    print("| requests/s | p50 ms | p95 ms | p99 ms | max ms | requests | errors (status: count) |")
    print("|---|---|---|---|---|---|---|")
    shown = ", ".join(f"{s}: {n}" for s, n in sorted(errors.items())) or "0"
    if socket_errors:
        shown += f"; socket errors: {socket_errors}"
    print(f"| {float(row['rps']):.0f} | {row['p50_ms']} | {row['p95_ms']} | {row['p99_ms']} "
          f"| {row['max_ms']} | {row['requests']} | {shown} |")  # fmt: skip
    classes: dict[str, list[float]] = defaultdict(list)
    codes: dict[str, Counter[int]] = defaultdict(Counter)
    for raw in Path(access_log).read_text().splitlines()[int(skip) :]:
        entry = json.loads(raw)
        parts = entry["request_id"].split(".")
        if parts[0] != "mix":
            continue
        name = ".".join(parts[1:3])
        classes[name].append(float(entry["request_time"]) * 1000)
        codes[name][int(entry["status"])] += 1
    total = sum(len(times) for times in classes.values()) or 1
    print()
    print("| class | share | requests | median ms | p95 ms | p99 ms | statuses |")
    print("|---|---|---|---|---|---|---|")
    for name in sorted(classes):
        times = classes[name]
        shown = ", ".join(f"{s}: {n}" for s, n in sorted(codes[name].items()))
        median, p95, p99 = (
            statistics.median(times), _percentile(times, 0.95), _percentile(times, 0.99)
        )  # fmt: skip
        print(f"| {name} | {len(times) / total:.0%} | {len(times)} | {median:.0f} | {p95:.0f} "
              f"| {p99:.0f} | {shown} |")  # fmt: skip
    print()
    print("(per class: nginx's $request_time, millisecond resolution, of the same run)")


if __name__ == "__main__":
    if sys.argv[1] == "data":
        keys = ("base", "username", "password", "push_token", "out")
        data(sys.argv[2], **dict(zip(keys, sys.argv[3:], strict=True)))
    else:
        {"nginx": nginx, "exempt": exempt, "summary": summary}[sys.argv[1]](*sys.argv[2:])
