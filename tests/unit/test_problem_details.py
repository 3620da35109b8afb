"""Validation messages become RFC 9457 field errors; the status depends on where they were."""

from __future__ import annotations

from mosaic.platform.errors import InvalidInput


def test_body_errors_are_422_with_json_pointers() -> None:
    error = InvalidInput(
        {"json": {"price": ["Must be at least 0."], "items": {0: {"code": ["Bad"]}}}}
    )

    assert error.status == 422
    assert error.errors == [
        {"pointer": "#/price", "detail": "Must be at least 0."},
        {"pointer": "#/items/0/code", "detail": "Bad"},
    ]


def test_query_errors_are_400_naming_the_parameter() -> None:
    error = InvalidInput({"query": {"bbox": ["Four numbers: minLon,minLat,maxLon,maxLat."]}})

    assert error.status == 400
    assert error.errors == [
        {"parameter": "bbox", "detail": "Four numbers: minLon,minLat,maxLon,maxLat."}
    ]
    assert "bbox" in error.detail


def test_schema_level_errors_point_at_the_whole_body() -> None:
    error = InvalidInput({"json": {"_schema": ["Invalid input type."]}})

    assert error.errors == [{"pointer": "#", "detail": "Invalid input type."}]
