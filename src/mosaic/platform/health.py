"""GET /health and GET /version: unauthenticated and never rate limited."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue

from mosaic.platform.db import Database
from mosaic.platform.limits import counters_scope
from mosaic.platform.revisions import RevisionChannel
from mosaic.platform.wiring import service

blueprint = Blueprint("ops", __name__)


def _check_database() -> dict[str, str]:
    try:
        service(Database).ping()
    except Exception as error:
        return {"status": "down", "error": error.__class__.__name__}
    return {"status": "up"}


def _check_redis() -> dict[str, str]:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return {"status": "not configured"}
    import redis

    try:
        redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5).ping()
    except redis.RedisError as error:
        return {"status": "down", "error": error.__class__.__name__}
    return {"status": "up"}


@blueprint.get("/health")
def health() -> ResponseReturnValue:
    """Liveness and dependencies.
    ---
    get:
      tags: [operations]
      summary: Health of the service and its dependencies
      description: 200 while the database answers, "degraded" when Redis is configured but
        down (the cache and rate limits fall back to each process); 503 when the database
        is down. `rate_limits` says where limits are counted (shared in Redis, or per worker
        in memory). `revisions` is the state of the answering worker's revision listener,
        "listening" (cached reads trust pushed data revisions), "starting" or "down" (they
        read the revision from PostgreSQL on every request until it listens, slower but never
        stale), or "off" (REVISION_PUSH=false); a listener that is down does not make the
        service degraded.
      responses:
        200:
          description: Healthy
          content:
            application/json:
              example: {"status": "ok", "checks": {"database": {"status": "up"},
                        "redis": {"status": "up"}, "rate_limits": {"storage": "redis",
                        "scope": "shared by all workers"}, "revisions": {"status":
                        "listening", "reads": "pushed (bound 1000 ms)"}}}
        503:
          description: The database is down
          content:
            application/json:
              example: {"status": "unavailable", "checks": {"database": {"status": "down",
                        "error": "OperationalError"}, "redis": {"status": "up"}}}
    """
    checks: dict[str, Any] = {"database": _check_database(), "redis": _check_redis()}
    redis_up = checks["redis"]["status"] == "up"
    checks["rate_limits"] = counters_scope(current_app, redis_up=redis_up)
    checks["revisions"] = service(RevisionChannel).state()
    healthy = checks["database"]["status"] == "up"
    degraded = checks["redis"]["status"] == "down"
    status = ("degraded" if degraded else "ok") if healthy else "unavailable"
    body = {"status": status, "checks": checks}
    response = jsonify(body)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/version")
def version() -> ResponseReturnValue:
    """Build information.
    ---
    get:
      tags: [operations]
      summary: Version, git commit and build time
      responses:
        200:
          description: Build information
          content:
            application/json:
              example: {"version": "0.1.0", "commit": "3f2c1ab", "build_time":
                        "2026-11-21T22:46:00+00:00"}
    """
    config = current_app.config
    return jsonify(
        version=config["VERSION"], commit=config["GIT_COMMIT"], build_time=config["BUILD_TIME"]
    )
