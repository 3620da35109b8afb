"""The sensors curl scripts against a live gunicorn (seeded with the sample): push, list,
series, KPIs and the quarantine."""

from __future__ import annotations

import json
import subprocess
import uuid

import pytest

from tests.conftest import ROOT
from tests.e2e.conftest import BIN, LIVE_PUSH_TOKEN, LiveServer

pytestmark = pytest.mark.e2e
SCRIPTS = ROOT / "scripts" / "curl"
ADMIN, ADMIN_PASSWORD = "live-admin", "live-admin-password"


def run(script: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SCRIPTS / script), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def admin_token(live_server: LiveServer, env: dict[str, str]) -> str:
    subprocess.run(
        [
            str(BIN / "flask"),
            "--app",
            "mosaic",
            "users",
            "create",
            ADMIN,
            "--role",
            "admin",
            "--password-stdin",
        ],
        input=ADMIN_PASSWORD + "\n",
        text=True,
        env=live_server.env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=60,
    )
    token = run("token.sh", env={**env, "USERNAME": ADMIN, "PASSWORD": ADMIN_PASSWORD})
    assert token.returncode == 0, token.stderr
    return token.stdout.strip()


def test_the_sensors_curl_scripts(live_server: LiveServer) -> None:
    env = {"PATH": "/usr/bin:/bin", "BASE_URL": live_server.base_url}
    listed = json.loads(run("sensors-list.sh", env=env).stdout)
    counts = {s["sensor_id"]: s["reading_count"] for s in listed}
    assert (counts[100013], counts[100022]) == (231, 213)

    kpis = json.loads(run("sensors-kpis.sh", "from=2022-11-08&to=2022-11-09", env=env).stdout)
    means = {s["sensor_id"]: round(s["mean"], 6) for s in kpis["sensors"]}
    assert (means[100013], means[100022]) == (9.206277, 10.772629)

    series = run(
        "sensors-readings.sh", "100013", "from=2022-11-08&to=2022-11-09&points=20", env=env
    )
    assert len(json.loads(series.stdout)["points"]) == 20
    csv_text = run(
        "sensors-readings.sh", "100022", "from=2022-11-08&to=2022-11-09&format=csv", env=env
    )
    assert csv_text.stdout.strip().splitlines()[0] == "t,v"
    assert len(csv_text.stdout.strip().splitlines()) == 214

    push_env = {**env, "PUSH_TOKEN": LIVE_PUSH_TOKEN}
    time, message_id = "2022-11-10T12:00:00", f"curl-{uuid.uuid4()}"
    pushed = run("sensors-push.sh", "100099", "4.5", time, message_id, env=push_env)
    assert pushed.stdout.strip() == "204", pushed.stderr
    again = run("sensors-push.sh", "100099", "4.5", time, message_id, env=push_env)
    assert again.stdout.strip() == "204"
    one = json.loads(run("sensors-readings.sh", "100099", "from=2022-11-10", env=env).stdout)
    assert [p["v"] for p in one["points"]] == [4.5]

    poison_id = f"curl-{uuid.uuid4()}"
    poison = run("sensors-push.sh", "100099", '"oops"', time, poison_id, env=push_env)
    assert poison.stdout.strip() == "202"
    assert json.loads(poison.stderr)["kind"] == "wrong-type"
    refused = run("sensors-push.sh", "100099", "1", time, "x", env={**env, "PUSH_TOKEN": "wrong"})
    assert refused.stdout.strip() == "401"

    admin = {**env, "TOKEN": admin_token(live_server, env)}
    kept = json.loads(run("sensors-quarantine.sh", "limit=1000", env=admin).stdout)
    assert poison_id in [q["message_id"] for q in kept["items"]]
