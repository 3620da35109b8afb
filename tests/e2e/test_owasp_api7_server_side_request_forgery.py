"""OWASP API7:2023 Server Side Request Forgery.

Mosaic fetches no URL that a request names: no operation takes a URL (no parameter or body
property is a uri/url or is named like one, read from the OpenAPI document), and no module the
API serves from imports an HTTP client. A fetch of a fixed, configured address (the sensors
push's key set, once that context is wired) is listed in FIXED_FETCHES with its reason.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.conftest import ROOT

pytestmark = pytest.mark.e2e
URL_FORMATS = {"uri", "url", "iri", "uri-reference", "iri-reference", "uri-template"}
URL_NAMES = re.compile(r"url|uri|href|link|callback|webhook|endpoint|host|redirect", re.I)
HTTP_CLIENTS = {"urllib.request", "http.client", "requests", "httpx", "urllib3", "aiohttp",
                "pycurl", "socket", "ftplib", "smtplib", "google.auth.transport"}  # fmt: skip
FIXED_FETCHES = {  # module -> what it fetches, from configuration only, and why
    "mosaic.sensors.services.push_auth": "Google's OIDC certificates from PUBSUB_OIDC_CERTS_URL, "
    "to verify push tokens; at most once a minute whatever key id a token names",
}
COMMAND_LINE_ONLY = re.compile(r"(^|\.)cli(\.|$)")  # operators' commands, never an API route


def _properties(schema: Any, spec: dict[str, Any], seen: set[str]) -> Iterator[tuple[str, Any]]:
    """Every (name, schema) reachable from `schema`, following $refs once."""
    if not isinstance(schema, dict):
        return
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name not in seen:
            seen.add(name)
            yield from _properties(spec["components"]["schemas"][name], spec, seen)
        return
    for name, child in schema.get("properties", {}).items():
        yield name, child
        yield from _properties(child, spec, seen)
    for key in ("items", "additionalProperties"):
        yield from _properties(schema.get(key), spec, seen)
    for key in ("allOf", "anyOf", "oneOf"):
        for child in schema.get(key, []):
            yield from _properties(child, spec, seen)


def _inputs(spec: dict[str, Any]) -> Iterator[tuple[str, str, Any]]:
    """(operation, input name, schema) of every parameter and request body property."""
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            where = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                yield where, parameter["name"], parameter.get("schema", {})
            for media in operation.get("requestBody", {}).get("content", {}).values():
                for name, schema in _properties(media.get("schema", {}), spec, set()):
                    yield where, name, schema


def test_api7_no_operation_takes_a_url(client: FlaskClient) -> None:
    spec = client.get("/openapi.json").get_json()
    inputs = list(_inputs(spec))
    assert len(inputs) > 20, "the sweep should see the API's parameters and body properties"
    for where, name, schema in inputs:
        assert not URL_NAMES.search(name), f"{where} takes {name!r}: does the server fetch it?"
        assert schema.get("format") not in URL_FORMATS, f"{where} takes a URL in {name!r}"


def _imports(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def _is_http_client(module: str) -> bool:
    parts = module.split(".")
    return any(".".join(parts[:n]) in HTTP_CLIENTS for n in range(1, len(parts) + 1))


def test_api7_no_module_the_api_serves_from_imports_an_http_client() -> None:
    source = ROOT / "src"
    modules = {
        ".".join(path.relative_to(source).with_suffix("").parts): path
        for path in source.rglob("*.py")
    }
    assert "mosaic.platform.http" in modules
    for module, path in modules.items():
        if COMMAND_LINE_ONLY.search(module) or module in FIXED_FETCHES:
            continue
        clients = {name for name in _imports(path) if _is_http_client(name)}
        assert not clients, f"{module} imports {clients}: what URL does it fetch, from whom?"
