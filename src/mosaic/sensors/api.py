"""/api/v1/sensors: the Pub/Sub push endpoint, the sensor list, series, KPIs, the quarantine."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request, url_for
from flask.typing import ResponseReturnValue

from mosaic.platform.auth.domain import Role
from mosaic.platform.auth.tokens import read_access, require_role
from mosaic.platform.limits import unlimited
from mosaic.platform.openapi import operation
from mosaic.platform.parsing import use_args
from mosaic.platform.wiring import service
from mosaic.sensors import openapi_docs as docs
from mosaic.sensors.domain.push import MESSAGE_ID_HEADER
from mosaic.sensors.schemas import (
    KpiQuery,
    PushQuery,
    QuarantinedRead,
    QuarantineQuery,
    SensorPath,
    SensorRead,
    SeriesQuery,
    iso,
)
from mosaic.sensors.services.ingestion import Delivery, IngestionService, Outcome
from mosaic.sensors.services.push_auth import PushCredentials
from mosaic.sensors.services.readings import ReadingsService, Series

blueprint = Blueprint("sensors", __name__, url_prefix="/api/v1/sensors")
SENSORS, QUARANTINED = SensorRead(many=True), QuarantinedRead(many=True)


def _delivery(args: dict[str, Any]) -> Delivery:
    request.max_content_length = current_app.config["SENSORS_PUSH_MAX_BYTES"]  # 413 past it
    scheme, _, bearer = request.headers.get("Authorization", "").partition(" ")
    unwrapped = MESSAGE_ID_HEADER in {name.lower() for name, _ in request.headers.items()}
    return Delivery(
        body=request.get_data(cache=False),
        headers=dict(request.headers.items()) if unwrapped else None,
        credentials=PushCredentials(
            bearer=bearer.strip() if scheme.lower() == "bearer" else None, token=args.get("token")
        ),
    )


@blueprint.post("/pubsub")
@operation(docs.PUSH)
@unlimited  # Pub/Sub pushes from few addresses: a per-client limit would only cause redeliveries
@use_args(PushQuery(), location="query")
def receive_push(args: dict[str, Any]) -> ResponseReturnValue:
    receipt = service(IngestionService).receive(_delivery(args))
    if receipt.outcome is Outcome.QUARANTINED:
        return {
            "status": "quarantined",
            "message_id": receipt.message_id,
            "kind": receipt.kind,
            "reason": receipt.reason,
        }, 202
    return Response(status=204)


@blueprint.get("")
@operation(docs.SENSORS)
@read_access
def list_sensors() -> ResponseReturnValue:
    return jsonify(SENSORS.dump(service(ReadingsService).list_sensors()))


def _series_json(series: Series, args: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {
        "sensor_id": series.sensor_id,
        "unit": "s",
        "from": iso(series.window.start),
        "to": iso(series.window.end),
    }
    if args.get("bucket"):
        body |= {"bucket": request.args["bucket"], "agg": args["aggregate"].value}
    return body | {"points": [{"t": iso(t), "v": v} for t, v in series.points]}


def _series_csv(series: Series) -> Response:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["t", "v"])
    writer.writerows((iso(t), "" if v is None else repr(v)) for t, v in series.points)
    name = f"sensor-{series.sensor_id}.csv"
    return Response(
        text.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@blueprint.get("/<int:sensor_id>/readings")
@operation(docs.READINGS)
@read_access
@use_args(SensorPath(), location="view_args")
@use_args(SeriesQuery(), location="query")
def get_readings(path: dict[str, Any], args: dict[str, Any], **_raw: Any) -> ResponseReturnValue:
    series = service(ReadingsService).series(
        path["sensor_id"],
        start=args.get("start"),
        end=args.get("end"),
        bucket=args.get("bucket"),
        aggregate=args["aggregate"],
        points=args.get("points"),
    )
    if args["format"] == "csv":
        return _series_csv(series)
    return jsonify(_series_json(series, args))


@blueprint.get("/kpis")
@operation(docs.KPIS)
@read_access
@use_args(KpiQuery(), location="query")
def get_kpis(args: dict[str, Any]) -> ResponseReturnValue:
    found = service(ReadingsService).kpis(
        start=args.get("start"), end=args.get("end"), sensor_id=args.get("sensor_id")
    )
    window = found.pop("window")
    previous = window.previous()
    return jsonify(
        {
            "from": iso(window.start),
            "to": iso(window.end),
            "previous": {"from": iso(previous.start), "to": iso(previous.end)},
            "unit": "s",
            **found,
        }
    )


@blueprint.get("/quarantine")
@operation(docs.QUARANTINE)
@require_role(Role.ADMIN)
@use_args(QuarantineQuery(), location="query")
def list_quarantine(args: dict[str, Any]) -> ResponseReturnValue:
    items = service(IngestionService).list_quarantine(
        after_id=args["after_id"], limit=args["limit"]
    )
    following = items[-1].id if len(items) == args["limit"] else None
    response = jsonify({"items": QUARANTINED.dump(items), "next_after_id": following})
    if following is not None:
        link = url_for(".list_quarantine", after_id=following, limit=args["limit"])
        response.headers["Link"] = f'<{link}>; rel="next"'
    return response
