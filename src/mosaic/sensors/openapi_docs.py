"""OpenAPI operations of the sensors API (YAML read by apispec), kept apart from the views."""

from __future__ import annotations

READ_ERRORS = """
    400: {$ref: "#/components/responses/BadRequest"}
    401: {$ref: "#/components/responses/Unauthorized"}
    429: {$ref: "#/components/responses/TooManyRequests"}
    503: {$ref: "#/components/responses/ServiceUnavailable"}
"""

PUSH = """Pub/Sub push.
---
post:
  tags: [sensors]
  summary: Receive one Pub/Sub push delivery (wrapped envelope or unwrapped payload)
  description: >-
    The push endpoint of a Pub/Sub subscription. Wrapped: the JSON envelope
    {"message": {"data": base64 JSON, "attributes", "messageId", "publishTime"}, "subscription"}
    (the snake_case twins message_id and publish_time too). Unwrapped (payload unwrapping with
    write_metadata): the body is the JSON itself and the metadata arrives in x-goog-pubsub-*
    headers. Authenticated by Google's OIDC token (Authorization: Bearer) or by the shared
    verification token (?token=); with neither configured every push is refused.
    204 when the reading is stored or was stored before (idempotent on messageId); 202 with the
    reason when the message is poison and was quarantined (Pub/Sub stops redelivering it);
    503 with Retry-After when the database is unavailable, so Pub/Sub redelivers it later.
  security: [{bearerAuth: []}, {}]
  parameters:
    - {in: query, schema: PushQuery}
  requestBody:
    required: true
    content:
      application/json:
        schema: {type: object}
        example: {"message": {
          "data": "eyJUaW1lIjogIjIwMjItMTEtMDhUMDQ6MDA6MDQuMzE3ODAxIiwgInYwIjogMTAwMDEzLCAidjE4I\
          jogMi43Mn0=",
          "attributes": {"key": "value"}, "messageId": "2070443601311540",
          "publishTime": "2021-02-26T19:13:55.749Z"},
          "subscription": "projects/myproject/subscriptions/mysubscription"}
  responses:
    204: {description: "Stored, or stored before (a redelivery)"}
    202:
      description: Poison message, quarantined once; the body says why
      content:
        application/json:
          example: {"status": "quarantined", "message_id": "2070443601311540",
            "kind": "missing-field", "reason": "The data has no v18."}
    400: {$ref: "#/components/responses/BadRequest"}
    401: {$ref: "#/components/responses/Unauthorized"}
    403: {$ref: "#/components/responses/Forbidden"}
    413:
      description: The body is larger than SENSORS_PUSH_MAX_BYTES
      content:
        application/problem+json: {schema: Problem}
    503: {$ref: "#/components/responses/ServiceUnavailable"}
"""

SENSORS = f"""Sensors.
---
get:
  tags: [sensors]
  summary: Every sensor with its first and last observation and its number of readings
  responses:
    200:
      description: The sensors, by id
      content:
        application/json:
          example: [{{"sensor_id": 100013, "first_observed_at": "2022-11-08T04:00:04.317801Z",
            "last_observed_at": "2022-11-08T04:59:58.256543Z", "reading_count": 231}}]
{READ_ERRORS}"""

READINGS = f"""Series.
---
get:
  tags: [sensors]
  summary: A sensor's dwell time series for a line chart (raw, downsampled or bucketed)
  description: >-
    Points in time order. Raw by default (refused past SENSORS_MAX_POINTS readings);
    points=N keeps N of them chosen by MinMaxLTTB (tsdownsample); bucket=5m|1h|1d... with
    agg=avg|min|max|count|p50|p95 gives one point per bucket, empty buckets as null (count 0).
    The window is [from, to), at most SENSORS_MAX_WINDOW_DAYS long. format=csv answers t,v lines.
  parameters:
    - {{in: path, schema: SensorPath}}
    - {{in: query, schema: SeriesQuery}}
  responses:
    200:
      description: The series
      content:
        application/json:
          example: {{"sensor_id": 100013, "unit": "s", "from": "2022-11-08T04:00:00Z",
            "to": "2022-11-08T05:00:00Z", "bucket": "5m", "agg": "avg",
            "points": [{{"t": "2022-11-08T04:00:00Z", "v": 7.41}},
            {{"t": "2022-11-08T04:05:00Z", "v": null}}]}}
        text/csv:
          example: "t,v\\n2022-11-08T04:00:04.317801Z,2.72\\n"
    404: {{$ref: "#/components/responses/NotFound"}}
{READ_ERRORS}"""

KPIS = f"""KPIs.
---
get:
  tags: [sensors]
  summary: Count, mean, median, p95 and max dwell time, per sensor and overall, with change
  description: >-
    Over [from, to) and, for comparison, the period of the same length just before
    (`previous`); `change` is relative (0.25 = +25 %), null without a previous figure.
  parameters:
    - {{in: query, schema: KpiQuery}}
  responses:
    200:
      description: The KPIs
      content:
        application/json:
          example: {{"from": "2022-11-08T00:00:00Z", "to": "2022-11-09T00:00:00Z",
            "previous": {{"from": "2022-11-07T00:00:00Z", "to": "2022-11-08T00:00:00Z"}},
            "unit": "s", "overall": {{"count": 444, "mean": 9.95, "median": 7.1, "p95": 27.3,
            "max": 60.2, "previous": {{"count": 0, "mean": null, "median": null, "p95": null,
            "max": null}}, "change": {{"count": null, "mean": null, "median": null, "p95": null,
            "max": null}}}}, "sensors": [{{"sensor_id": 100013, "count": 231,
            "mean": 9.206277}}]}}
    404: {{$ref: "#/components/responses/NotFound"}}
{READ_ERRORS}"""

QUARANTINE = """Quarantine.
---
get:
  tags: [sensors]
  summary: Poison messages kept by the push endpoint (admin)
  description: >-
    Oldest first, by keyset: pass the `next_after_id` of a page as after_id for the next one.
    `flask --app mosaic sensors replay-quarantine` ingests them again after a fix.
  security: [{bearerAuth: []}]
  parameters:
    - {in: query, schema: QuarantineQuery}
  responses:
    200:
      description: A page of quarantined messages
      content:
        application/json:
          example: {"items": [{"id": 1, "message_id": "2070443601311540",
            "kind": "bad-base64", "reason": "message.data is not valid base64.",
            "received_at": "2026-11-23T10:00:00Z", "body": "{...}", "headers": {}}],
            "next_after_id": null}
    400: {$ref: "#/components/responses/BadRequest"}
    401: {$ref: "#/components/responses/Unauthorized"}
    403: {$ref: "#/components/responses/Forbidden"}
    429: {$ref: "#/components/responses/TooManyRequests"}
    503: {$ref: "#/components/responses/ServiceUnavailable"}
"""
