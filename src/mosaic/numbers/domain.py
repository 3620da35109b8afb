"""DID phone numbers for sale: the entity and its value objects (Price, Currency, E.164 value).

Plain Python plus libphonenumber; no SQLAlchemy, Flask or marshmallow here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Any

import phonenumbers

# ASCII digits only: `\d` also takes full-width and other digits, which Decimal reads too.
PRICE_TEXT = re.compile(r"[0-9]{1,10}(\.[0-9]{1,2})?")
TOO_PRECISE = re.compile(r"[0-9]{1,10}\.[0-9]{3,}")
CENTS = Decimal("0.01")
MAX_VALUE_LENGTH = 32


class PhoneNumberRuleBroken(ValueError):
    """A business rule refused a field; `field` is the entity's attribute name."""

    def __init__(self, field: str, detail: str) -> None:
        super().__init__(detail)
        self.field = field
        self.detail = detail


class InvalidPrice(PhoneNumberRuleBroken):
    """A price that is negative, too precise, not a decimal, or above the ceiling."""


class UnknownCurrency(PhoneNumberRuleBroken):
    """A currency we do not sell in."""

    def __init__(self, detail: str) -> None:
        super().__init__("currency", detail)


class InvalidPhoneValue(PhoneNumberRuleBroken):
    """Text that is not a valid phone number in international form."""

    def __init__(self, detail: str) -> None:
        super().__init__("value", detail)


class MixedCurrencies(PhoneNumberRuleBroken):
    """Both prices of a number share one currency."""


class PhoneNumberTaken(Exception):
    """Another number in the inventory has the same E.164 value (it is unique)."""

    def __init__(self, value: str | None = None) -> None:
        super().__init__(value or "a number sent")
        self.value = value


class Currency(StrEnum):
    """ISO 4217 codes we sell in; the symbols are what the frontend shows."""

    USD = "USD"
    BRL = "BRL"
    EUR = "EUR"

    @property
    def symbol(self) -> str:
        return SYMBOLS[self]

    @classmethod
    def parse(cls, text: str) -> Currency:
        """An ISO code (`USD`) or a symbol (`U$`)."""
        for currency, symbol in SYMBOLS.items():
            if text in {currency.value, symbol}:
                return currency
        accepted = ", ".join(f"{c.value} ({s})" for c, s in SYMBOLS.items())
        raise UnknownCurrency(f"Unknown currency {text!r}; accepted: {accepted}.")


SYMBOLS = {Currency.USD: "U$", Currency.BRL: "R$", Currency.EUR: "€"}


def parse_price(text: str, *, field: str = "price") -> Decimal:
    """A price written as text ("3.40"): non-negative, at most two decimals, never a float."""
    if text.startswith("-") and PRICE_TEXT.fullmatch(text[1:]):
        raise InvalidPrice(field, "A price cannot be negative.")
    if TOO_PRECISE.fullmatch(text.lstrip("-")):
        raise InvalidPrice(field, "A price has at most two decimals.")
    if not PRICE_TEXT.fullmatch(text):
        raise InvalidPrice(
            field, 'Write the price as a decimal string with up to two decimals, like "3.40".'
        )
    return Decimal(text).quantize(CENTS)


def format_price(price: Decimal) -> str:
    """Always two decimals: "0.03", "3.40"."""
    return str(price.quantize(CENTS))


def parse_value(text: str) -> str:
    """A phone number in international form (with +country code) -> E.164 ("+5584912344321")."""
    if not text.strip():
        raise InvalidPhoneValue("The phone number is empty.")
    if len(text) > MAX_VALUE_LENGTH:
        raise InvalidPhoneValue(f"A phone number has at most {MAX_VALUE_LENGTH} characters.")
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException as error:
        raise InvalidPhoneValue(
            f"Not a phone number in international form (+country code): {error}."
        ) from error
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneValue(f"{text!r} is not a valid phone number.")
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


@lru_cache(maxsize=8192)  # pure and hot: every v1 read formats each number it shows
def international(e164: str) -> str:
    """E.164 -> the international format the frontend shows ("+55 84 91234-4321")."""
    number = phonenumbers.parse(e164, None)
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


@dataclass(frozen=True)
class PhoneNumber:
    """A DID number for sale. `value` is E.164; `version` grows with every change."""

    value: str
    monthly_price: Decimal
    setup_price: Decimal
    currency: Currency
    id: int | None = None
    version: int = 1

    def __post_init__(self) -> None:
        for field in ("monthly_price", "setup_price"):
            price = getattr(self, field)
            if price < 0:
                raise InvalidPrice(field, "A price cannot be negative.")
            if price != price.quantize(CENTS):
                raise InvalidPrice(field, "A price has at most two decimals.")

    @property
    def etag(self) -> str:
        """The entity tag of every representation (v1 and v2) of this state."""
        return f"pn-{self.id}-v{self.version}"

    def check_ceiling(self, ceiling: Decimal) -> None:
        for field in ("monthly_price", "setup_price"):
            if getattr(self, field) > ceiling:
                raise InvalidPrice(field, f"A price cannot be above {format_price(ceiling)}.")

    def with_changes(self, changes: Mapping[str, Any]) -> PhoneNumber:
        """A copy with `changes` (entity fields) applied: PUT sends every field, PATCH some."""
        return replace(self, **changes)

    def check_prices_in(self, currency: Currency, *, field: str) -> None:
        """A price sent alone is in the number's one currency (both prices share it).

        `field` names the lone price's currency, e.g. "monthly_price.currency".
        """
        if currency != self.currency:
            raise MixedCurrencies(
                field, "Both prices share one currency: send both prices to change it."
            )
