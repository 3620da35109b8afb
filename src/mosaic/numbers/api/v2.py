"""/api/v2/numbers: the corrected schema (Money prices, E.164 values, links).

The list is an envelope {"items", "total", "links"}; the same Link and X-Total-Count headers
as v1 are sent too.
"""

from __future__ import annotations

from typing import Any

from mosaic.numbers.api import ApiVersion, blueprint_for
from mosaic.numbers.openapi_docs import VersionDocs
from mosaic.numbers.schemas.v2 import (
    NumberCreateV2,
    NumberPatchV2,
    NumberQueryV2,
    NumberReadV2,
    NumberUpdateV2,
)

_V2_NUMBER = {
    "value": "+5584912344321",
    "monthlyPrice": {"amount": "0.03", "currency": "USD"},
    "setupPrice": {"amount": "3.40", "currency": "USD"},
}
_V2_CHANGE = {"monthlyPrice": {"amount": "0.05", "currency": "USD"}}
_V2_READ = {"id": 42, **_V2_NUMBER, "links": {"self": "/api/v2/numbers/42"}}


def _envelope(items: list[Any], total: int, links: dict[str, str]) -> Any:
    return {"items": items, "total": total, "links": links}


V2 = ApiVersion(
    name="v2",
    docs=VersionDocs(
        version="v2",
        list_summary="A page of numbers in an envelope with the total and the page links",
        list_schema="NumberListV2",
        list_example=_envelope(
            [_V2_READ],
            800,
            {
                "first": "/api/v2/numbers?page=1",
                "next": "/api/v2/numbers?page=2",
                "last": "/api/v2/numbers?page=16",
            },
        ),
        create_example=_V2_NUMBER,
        read_example=_V2_READ,
        changed_example={**_V2_READ, **_V2_CHANGE},
        patch_example=_V2_CHANGE,
    ),
    read=NumberReadV2,
    create=NumberCreateV2,
    update=NumberUpdateV2,
    patch=NumberPatchV2,
    query=NumberQueryV2,
    list_body=_envelope,
    wire_names={
        "monthly_price": "monthlyPrice/amount",
        "setup_price": "setupPrice/amount",
        "monthly_price.currency": "monthlyPrice/currency",
        "setup_price.currency": "setupPrice/currency",
    },
)
blueprint = blueprint_for(V2)
