"""The drills' writes beyond phone numbers: expenses through the API, and Pub/Sub pushes to the
sensors endpoint (authenticated with the verification token), each one identifiable afterwards.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

from bench.drills.harness import PUSH_TOKEN, Postgres, Reply, Writer, call

PUSH = f"/api/v1/sensors/pubsub?token={PUSH_TOKEN}"
DRILL_SENSOR = 990001
TODAY = datetime.now(UTC).date().isoformat()


def expense_writer(port: int, token: str, postgres: Postgres) -> Writer:
    """POST /api/v1/expenses for a seeded department, project and member; the description
    names the write (`drill-<serial>`)."""
    department, project, member = postgres.psql(
        "SELECT department_id, project_id, member_id FROM expense ORDER BY id LIMIT 1"
    ).split("|")
    headers = {"Authorization": f"Bearer {token}"}

    def write(serial: int) -> tuple[str, Reply, str]:
        description = f"drill-{serial}"
        body = {"department_id": int(department), "project_id": int(project),
                "member_id": int(member), "amount": "12.34", "date": TODAY,
                "currency": "EUR", "description": description}  # fmt: skip
        reply = call(port, "POST", "/api/v1/expenses", body=body, headers=headers)
        return "expense", reply, description

    return write


def envelope(message_id: str) -> dict[str, Any]:
    """A push as Pub/Sub wraps it: one reading of the drill's sensor, timed now (UTC)."""
    now = datetime.now(UTC).replace(tzinfo=None).isoformat()
    data = {"serial": "000100000100", "application": 11, "Time": now, "Type": "xkgw",
            "device": "DrillDevice", "v0": DRILL_SENSOR, "v18": 2.5}  # fmt: skip
    message = {"data": base64.b64encode(json.dumps(data).encode()).decode(),
               "attributes": {}, "messageId": message_id,
               "publishTime": datetime.now(UTC).isoformat()}  # fmt: skip
    return {"message": message, "subscription": "projects/drill/subscriptions/readings"}


def push_writer(port: int) -> tuple[Writer, dict[str, dict[str, Any]]]:
    """A pusher, and every envelope it sent by message id (to replay them as Pub/Sub would)."""
    sent: dict[str, dict[str, Any]] = {}

    def write(serial: int) -> tuple[str, Reply, str]:
        message_id = f"drill-{serial}"
        sent[message_id] = envelope(message_id)
        return "push", call(port, "POST", PUSH, body=sent[message_id]), message_id

    return write, sent


def replay(port: int, sent: dict[str, dict[str, Any]]) -> list[Reply]:
    """Every envelope once more, unchanged: a redelivery of each message."""
    return [call(port, "POST", PUSH, body=body) for body in sent.values()]


def stored_per_message(postgres: Postgres) -> dict[str, int]:
    rows = postgres.psql(
        "SELECT message_id, count(*) FROM sensor_reading WHERE message_id LIKE 'drill-%' "
        "GROUP BY message_id"
    )
    return {line.split("|")[0]: int(line.split("|")[1]) for line in rows.splitlines() if line}


def stored_expenses(postgres: Postgres) -> list[str]:
    found = postgres.psql("SELECT description FROM expense WHERE description LIKE 'drill-%'")
    return found.splitlines()
