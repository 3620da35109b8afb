"""marshmallow fields for the numbers' value objects, shared by the v1 and v2 schemas.

Prices are JSON strings only: Flask parses JSON numbers as floats, and no float touches money.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import marshmallow as ma

from mosaic.numbers.domain import (
    Currency,
    PhoneNumberRuleBroken,
    format_price,
    international,
    parse_price,
    parse_value,
)


def _documented(kwargs: dict[str, Any], **openapi: Any) -> dict[str, Any]:
    """Field options with OpenAPI properties (apispec copies them from the metadata)."""
    return {**kwargs, "metadata": {**openapi, **kwargs.get("metadata", {})}}


class PriceField(ma.fields.Field[Decimal]):
    """ "3.40" <-> Decimal("3.40"); a JSON number is refused, never rounded."""

    def __init__(self, **kwargs: Any) -> None:
        openapi = {"type": "string", "pattern": r"^\d{1,10}(\.\d{1,2})?$", "example": "3.40"}
        super().__init__(**_documented(kwargs, **openapi))

    default_error_messages = {
        "invalid": 'Send the price as a JSON string with up to two decimals, like "3.40".'
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Decimal:
        if not isinstance(value, str):
            raise self.make_error("invalid")
        try:
            return parse_price(value)
        except PhoneNumberRuleBroken as error:
            raise ma.ValidationError(error.detail) from error

    def _serialize(self, value: Decimal | None, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return None if value is None else format_price(value)


class CurrencyField(ma.fields.Field[Currency]):
    """Accepts an ISO code or a symbol; shows the symbol (v1) or the code (v2)."""

    default_error_messages = {"invalid": "Send the currency as a string, like USD or U$."}

    def __init__(self, *, as_symbol: bool, **kwargs: Any) -> None:
        shown = [f"{c.value}|{c.symbol}" for c in Currency]
        openapi = {
            "type": "string",
            "enum": [name for c in Currency for name in (c.value, c.symbol)],
            "description": "ISO code or symbol: " + ", ".join(shown),
        }
        super().__init__(**_documented(kwargs, **openapi))
        self.as_symbol = as_symbol

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Currency:
        if not isinstance(value, str):
            raise self.make_error("invalid")
        try:
            return Currency.parse(value)
        except PhoneNumberRuleBroken as error:
            raise ma.ValidationError(error.detail) from error

    def _serialize(self, value: Currency | None, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if value is None:
            return None
        return value.symbol if self.as_symbol else value.value


class PhoneValueField(ma.fields.Field[str]):
    """Any international writing of a valid number -> E.164; shown international (v1) or E.164."""

    default_error_messages = {
        "invalid": "Send the phone number as a string, like +55 84 91234-4321."
    }

    def __init__(self, *, as_international: bool, **kwargs: Any) -> None:
        super().__init__(**_documented(kwargs, type="string", example="+55 84 91234-4321"))
        self.as_international = as_international

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if not isinstance(value, str):
            raise self.make_error("invalid")
        try:
            return parse_value(value)
        except PhoneNumberRuleBroken as error:
            raise ma.ValidationError(error.detail) from error

    def _serialize(self, value: str | None, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if value is None:
            return None
        return international(value) if self.as_international else value


class CeilingChecked(ma.Schema):
    """A body schema that refuses prices above the configured ceiling (NUMBERS_PRICE_CEILING)."""

    def __init__(self, *args: Any, ceiling: Decimal | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ceiling = ceiling

    def check_ceiling(self, price: Decimal | None) -> str | None:
        """The error message for a price above the ceiling, or None."""
        if price is None or self.ceiling is None or price <= self.ceiling:
            return None
        return f"A price cannot be above {format_price(self.ceiling)}."
