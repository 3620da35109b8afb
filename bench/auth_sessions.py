"""The per-request cost of the session check (token generation, disabled flag, ended sessions).

    eval "$(scripts/provision.sh mosaic_bench_auth)"
    export REDIS_URL=redis://127.0.0.1:6379/9
    .venv/bin/alembic upgrade head
    .venv/bin/python bench/auth_sessions.py [--requests 2000] [--rounds 5]

Server time around the WSGI call (Flask test client, no network) of a tiny read guarded by
`read_access`: anonymous; a token verified without the session check (the baseline: what an
authenticated request cost before the check); a token checked against the state cached in Redis;
and checked against PostgreSQL (no REDIS_URL: no cache could be invalidated in every worker).
Medians of the rounds' per-request medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

from flask import Flask

from mosaic import create_app
from mosaic.platform.auth.domain import Role
from mosaic.platform.auth.services import AuthService, UserService
from mosaic.platform.auth.tokens import read_access
from mosaic.platform.wiring import service

SECRET = "bench-secret-key-that-is-long-enough-for-hs256"  # noqa: S105 (a bench key)
USER = "bench-user"
PASSWORD = "bench-pass"  # noqa: S105 (a bench user)


def build(*, redis_url: str | None) -> Flask:
    app = create_app(
        {"JWT_SECRET_KEY": SECRET, "RATELIMIT_ENABLED": False, "LOG_LEVEL": "WARNING",
         "REDIS_URL": redis_url, "ENV": "test"}
    )  # fmt: skip
    app.add_url_rule("/bench/probe", view_func=read_access(lambda: {"ok": True}))
    return app


def per_request_ms(call: Callable[[], object], requests: int) -> float:
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(app: Flask, token: str, requests: int) -> dict[str, float]:
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    auth = service(AuthService, app)
    checked = {
        "anonymous": per_request_ms(lambda: client.get("/bench/probe"), requests),
        "token, checked": per_request_ms(
            lambda: client.get("/bench/probe", headers=headers), requests
        ),
    }
    admits = auth.admits
    auth.admits = lambda *_args, **_kwargs: True  # type: ignore[method-assign]
    try:  # the baseline: the same token verified (signature, claims) without the session check
        checked["token, unchecked"] = per_request_ms(
            lambda: client.get("/bench/probe", headers=headers), requests
        )
    finally:
        auth.admits = admits  # type: ignore[method-assign]
    return checked


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    modes = {"cached in Redis": os.environ.get("REDIS_URL"), "read from PostgreSQL": None}
    apps = {
        name: build(redis_url=url) for name, url in modes.items() if name.startswith("read") or url
    }
    first = next(iter(apps.values()))
    service(UserService, first).create_or_update(USER, role=Role.EDITOR, password=PASSWORD)
    with first.test_request_context():
        token = service(AuthService, first).login(USER, PASSWORD).access_token
    results: dict[str, list[dict[str, float]]] = {name: [] for name in apps}
    for _ in range(args.rounds):
        for name, app in apps.items():
            results[name].append(measure(app, token, args.requests))
    print("| session state | anonymous | token, no session check | token, checked | check costs |")
    print("|---|---|---|---|---|")
    for name, rounds in results.items():
        med = {k: statistics.median(r[k] for r in rounds) for k in rounds[0]}
        cost = med["token, checked"] - med["token, unchecked"]
        ratio = med["token, checked"] / med["token, unchecked"]
        print(f"| {name} | {med['anonymous']:.3f} ms | {med['token, unchecked']:.3f} ms | "
              f"{med['token, checked']:.3f} ms | +{cost:.3f} ms ({ratio:.2f}x) |")  # fmt: skip


if __name__ == "__main__":
    main()
