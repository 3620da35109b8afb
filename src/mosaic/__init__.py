"""Mosaic: one layered Flask data API over PostgreSQL + PostGIS."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from mosaic import config as settings
from mosaic.platform.cache import init_cache
from mosaic.platform.cors import init_cors
from mosaic.platform.db import Database
from mosaic.platform.errors import register_error_handlers
from mosaic.platform.headers import init_headers
from mosaic.platform.health import blueprint as ops_blueprint
from mosaic.platform.http import init_http
from mosaic.platform.limits import init_limits
from mosaic.platform.observability import configure_logging, init_request_ids
from mosaic.platform.openapi import init_openapi
from mosaic.platform.parsing import init_parsing
from mosaic.platform.revisions import RevisionChannel
from mosaic.platform.wiring import Platform, provide

log = logging.getLogger("mosaic")


def create_app(
    config: Mapping[str, Any] | None = None, *, database: Database | None = None
) -> Flask:
    """Build the application: settings from the environment, overridden by `config`.

    `database` replaces the one built from DATABASE_URL (tests pin it to a rolled-back transaction).
    """
    app = Flask(__name__)
    app.config.update(settings.from_environment())
    app.config.update(config or {})
    app.config.update(VERSION=_version(), JSON_SORT_KEYS=False)
    app.config["GIT_COMMIT"] = app.config["GIT_COMMIT"] or _git_commit()
    app.config["BUILD_TIME"] = app.config["BUILD_TIME"] or datetime.now(UTC).isoformat()
    app.json.sort_keys = False  # type: ignore[attr-defined]
    configure_logging(app.config["LOG_LEVEL"])
    if app.config["PROXY_HOPS"]:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=app.config["PROXY_HOPS"], x_proto=1, x_host=1
        )

    # A given database (a test's, pinned to a rolled-back transaction) has its revisions read.
    revisions = (
        RevisionChannel.from_config(app.config) if database is None else RevisionChannel(None)
    )
    database = database or Database.from_config(app.config)
    platform = Platform(database=database, cache=init_cache(app), revisions=revisions)
    provide(app, database, platform.cache, revisions)

    init_request_ids(app)
    init_headers(app)
    init_cors(app)
    init_http(app)
    init_parsing(app)
    register_error_handlers(app)
    app.register_blueprint(ops_blueprint)
    _register_contexts(app, platform)
    init_limits(app, exempt=[ops_blueprint], login_endpoint="auth.issue_token")
    _register_pages(app)
    init_openapi(app, tags=_openapi_tags())
    return app


def _register_contexts(app: Flask, platform: Platform) -> None:
    """Each bounded context wires its services, blueprints and commands."""
    from mosaic import contexts
    from mosaic.cli import register_commands

    for context in contexts.ALL:
        context.init_app(app, platform)
    register_commands(app, contexts.submodules("cli"))


def _register_pages(app: Flask) -> None:
    """The web pages for people, clients of the public API like any other (after the limiter:
    the pages are exempt, the API calls they make are not)."""
    from mosaic import web

    web.init_app(app)


def _openapi_tags() -> list[dict[str, str]]:
    from mosaic import contexts

    return [tag for context in contexts.ALL for tag in getattr(context, "OPENAPI_TAGS", [])]


def _version() -> str:
    try:
        return package_version("mosaic")
    except PackageNotFoundError:
        return "0+unknown"


def _git_commit() -> str | None:
    """The commit of a source checkout, read from .git without running git."""
    git = Path(__file__).resolve().parents[2] / ".git"
    try:
        head = (git / "HEAD").read_text().strip()
        if head.startswith("ref: "):
            ref = head[5:]
            ref_file = git / ref
            if ref_file.exists():
                return ref_file.read_text().strip()[:12]
            for line in (git / "packed-refs").read_text().splitlines():
                if line.endswith(" " + ref):
                    return line.split()[0][:12]
            return None
        return head[:12]
    except OSError:
        return None
