"""v2: the corrected schema: `monthlyPrice` and `setupPrice` as Money, `value` in E.164, links."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from mosaic.numbers.domain import PhoneNumber
from mosaic.numbers.schemas.fields import CeilingChecked, CurrencyField, PhoneValueField, PriceField
from mosaic.numbers.schemas.query import query_schema

PRICE_NAMES = {"monthly_price": "monthlyPrice", "setup_price": "setupPrice"}
BASE_PATH = "/api/v2/numbers"
EXAMPLE = {
    "id": 42,
    "value": "+5584912344321",
    "monthlyPrice": {"amount": "0.03", "currency": "USD"},
    "setupPrice": {"amount": "3.40", "currency": "USD"},
    "links": {"self": f"{BASE_PATH}/42"},
}


class MoneyV2(ma.Schema):
    amount = PriceField(required=True, metadata={"example": "3.40"})
    currency = CurrencyField(as_symbol=False, required=True, metadata={"example": "USD"})


class NumberLinksV2(ma.Schema):
    self = ma.fields.String(metadata={"example": f"{BASE_PATH}/42"})


class NumberReadV2(ma.Schema):
    id = ma.fields.Integer(metadata={"example": 42})
    value = PhoneValueField(as_international=False, metadata={"example": "+5584912344321"})
    monthlyPrice = ma.fields.Nested(MoneyV2)  # noqa: N815 (the wire name)
    setupPrice = ma.fields.Nested(MoneyV2)  # noqa: N815
    links = ma.fields.Nested(NumberLinksV2)

    @ma.pre_dump
    def as_view(self, number: PhoneNumber, **_kwargs: Any) -> dict[str, Any]:
        return {
            "id": number.id,
            "value": number.value,
            "monthlyPrice": {"amount": number.monthly_price, "currency": number.currency},
            "setupPrice": {"amount": number.setup_price, "currency": number.currency},
            "links": {"self": f"{BASE_PATH}/{number.id}"},
        }


class NumberListV2(ma.Schema):
    """The v2 list envelope (documentation only: the view builds it)."""

    items = ma.fields.List(ma.fields.Nested(NumberReadV2))
    total = ma.fields.Integer(metadata={"example": 800})
    links = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())


class NumberCreateV2(CeilingChecked):
    """Both prices share one currency."""

    value = PhoneValueField(as_international=False, required=True)
    monthly_price = ma.fields.Nested(MoneyV2, data_key="monthlyPrice", required=True)
    setup_price = ma.fields.Nested(MoneyV2, data_key="setupPrice", required=True)

    @ma.validates_schema
    def prices_agree(self, data: dict[str, Any], **_kwargs: Any) -> None:
        errors: dict[str, Any] = {
            public: {"amount": [message]}
            for name, public in PRICE_NAMES.items()
            if name in data and (message := self.check_ceiling(data[name]["amount"]))
        }
        currencies = {data[name]["currency"] for name in PRICE_NAMES if name in data}
        if len(currencies) > 1:
            errors.setdefault("setupPrice", {})["currency"] = ["Both prices share one currency."]
        if errors:
            raise ma.ValidationError(errors)

    @ma.post_load
    def to_fields(self, data: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
        """Money objects -> the entity's prices and its one currency."""
        prices = {name: data.pop(name) for name in PRICE_NAMES if name in data}
        data |= {name: money["amount"] for name, money in prices.items()}
        if len(prices) == 2:
            data["currency"] = prices["monthly_price"]["currency"]
        elif prices:
            data["prices_in"] = next(iter(prices.values()))["currency"]
        return data


class NumberUpdateV2(NumberCreateV2):
    """PUT: the whole number, every field required."""


class NumberPatchV2(NumberCreateV2):
    """PATCH: any subset of the fields, at least one; a lone price keeps the stored currency."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Only the top-level fields may be left out: a Money sent is whole (amount and currency).
        super().__init__(*args, partial=("value", *PRICE_NAMES), **kwargs)

    @ma.validates_schema
    def not_empty(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if not data:
            raise ma.ValidationError("Send at least one field to change.")


NumberQueryV2 = query_schema("NumberQueryV2", {v: k for k, v in PRICE_NAMES.items()})
