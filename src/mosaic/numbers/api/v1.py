"""/api/v1/numbers: the frontend's mock schema (a bare array per list, `monthyPrice`, `U$`)."""

from __future__ import annotations

from typing import Any

from mosaic.numbers.api import ApiVersion, blueprint_for
from mosaic.numbers.openapi_docs import VersionDocs
from mosaic.numbers.schemas.v1 import (
    NumberCreateV1,
    NumberPatchV1,
    NumberQueryV1,
    NumberReadV1,
    NumberUpdateV1,
)

_V1_NUMBER = {
    "value": "+55 84 91234-4321",
    "monthyPrice": "0.03",
    "setupPrice": "3.40",
    "currency": "U$",
}


def _bare_array(items: list[Any], _total: int, _links: dict[str, str]) -> Any:
    return items  # the total and the links travel in X-Total-Count and Link only


V1 = ApiVersion(
    name="v1",
    docs=VersionDocs(
        version="v1",
        list_summary="A page of numbers, as a bare JSON array (the mock's shape)",
        list_schema="{type: array, items: NumberReadV1}",
        list_example=[{"id": 42, **_V1_NUMBER}],
        create_example=_V1_NUMBER,
        read_example={"id": 42, **_V1_NUMBER},
        changed_example={"id": 42, **_V1_NUMBER, "monthyPrice": "0.05"},
        patch_example={"monthyPrice": "0.05"},
    ),
    read=NumberReadV1,
    create=NumberCreateV1,
    update=NumberUpdateV1,
    patch=NumberPatchV1,
    query=NumberQueryV1,
    list_body=_bare_array,
    wire_names={
        "monthly_price": "monthyPrice",
        "setup_price": "setupPrice",
        "monthly_price.currency": "currency",
        "setup_price.currency": "currency",
    },
)
blueprint = blueprint_for(V1)
