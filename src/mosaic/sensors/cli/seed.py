"""flask --app mosaic seed sensors: the sample CSV, each row pushed through the ingestion service
as the wrapped envelope Pub/Sub would send. Idempotent: a row's messageId is its sensor and time."""

from __future__ import annotations

import base64
import csv
import json
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from mosaic.platform.wiring import service
from mosaic.sensors.domain.push import PushMessage
from mosaic.sensors.services.ingestion import IngestionService

SAMPLE = "sensor_readings.csv"
TEXT_FIELDS = {"serial", "Time", "Type", "device"}
INTEGER = re.compile(r"^-?[0-9]+$")


def _value(name: str, text: str) -> Any:
    """The JSON value a sensor sends: text fields stay text, numbers become numbers."""
    if name in TEXT_FIELDS or text == "":
        return text or None
    if INTEGER.match(text):
        return int(text)
    try:
        return float(text)
    except ValueError:
        return text  # left as sent; ingestion quarantines it if it matters


def envelope(row: Mapping[str, str], *, message_id: str) -> dict[str, Any]:
    """The wrapped push envelope of one CSV row."""
    payload = {name: _value(name, text) for name, text in row.items()}
    data = base64.b64encode(json.dumps(payload).encode()).decode()
    return {
        "message": {"data": data, "messageId": message_id, "attributes": {"source": SAMPLE}},
        "subscription": "projects/mosaic/subscriptions/seed",
    }


def messages(path: Path) -> Iterator[PushMessage]:
    with path.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            message_id = (
                f"seed-{row.get('v0')}-{row.get('Time')}"
                if row.get("Time")
                else f"seed-line-{line}"
            )
            document = envelope(row, message_id=message_id)
            yield PushMessage.from_envelope(document, body=json.dumps(document).encode())


@click.command("sensors")
@with_appcontext
def seed() -> None:
    """Load the sample readings (SEED_DATA_DIR/sensor_readings.csv) through ingestion."""
    path = Path(current_app.config["SEED_DATA_DIR"]) / SAMPLE
    if not path.is_file():
        raise click.ClickException(f"{path} is missing: set SEED_DATA_DIR to the data folder.")
    ingestion = service(IngestionService)
    outcomes = Counter(r.outcome.value for r in ingestion.ingest_many(list(messages(path))))
    click.echo(
        "sensors: " + ", ".join(f"{count} {name}" for name, count in sorted(outcomes.items()))
    )
