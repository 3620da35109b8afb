"""v1: exactly the frontend's mock: {"id", "value", "monthyPrice", "setupPrice", "currency"}.

`monthyPrice` keeps the mock's spelling; prices are strings with two decimals; `currency` is
shown as a symbol (U$) and accepted as a symbol or an ISO code.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from mosaic.numbers.schemas.fields import CeilingChecked, CurrencyField, PhoneValueField, PriceField
from mosaic.numbers.schemas.query import query_schema

PRICE_NAMES = {"monthly_price": "monthyPrice", "setup_price": "setupPrice"}
EXAMPLE = {
    "id": 42,
    "value": "+55 84 91234-4321",
    "monthyPrice": "0.03",
    "setupPrice": "3.40",
    "currency": "U$",
}


class NumberReadV1(ma.Schema):
    id = ma.fields.Integer(metadata={"example": 42})
    value = PhoneValueField(as_international=True, metadata={"example": "+55 84 91234-4321"})
    monthly_price = PriceField(data_key="monthyPrice", metadata={"example": "0.03"})
    setup_price = PriceField(data_key="setupPrice", metadata={"example": "3.40"})
    currency = CurrencyField(as_symbol=True, metadata={"example": "U$"})


class NumberCreateV1(CeilingChecked):
    """Every field is required; prices are strings ("0.03"), never JSON numbers."""

    value = PhoneValueField(as_international=False, required=True)
    monthly_price = PriceField(data_key="monthyPrice", required=True)
    setup_price = PriceField(data_key="setupPrice", required=True)
    currency = CurrencyField(as_symbol=False, required=True)

    @ma.validates_schema
    def prices_under_ceiling(self, data: dict[str, Any], **_kwargs: Any) -> None:
        errors = {
            public: [message]
            for name, public in PRICE_NAMES.items()
            if (message := self.check_ceiling(data.get(name)))
        }
        if errors:
            raise ma.ValidationError(errors)


class NumberUpdateV1(NumberCreateV1):
    """PUT: the whole number, every field required."""


class NumberPatchV1(NumberCreateV1):
    """PATCH: any subset of the fields, at least one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, partial=True, **kwargs)

    @ma.validates_schema
    def not_empty(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if not data:
            raise ma.ValidationError("Send at least one field to change.")


NumberQueryV1 = query_schema("NumberQueryV1", {v: k for k, v in PRICE_NAMES.items()})
