"""Business rules of the DID inventory, without a database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mosaic.numbers.domain import (
    Currency,
    MixedCurrencies,
    PhoneNumber,
    PhoneNumberRuleBroken,
    format_price,
    international,
    parse_price,
    parse_value,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0.03", "0.03"), ("3.4", "3.40"), ("3", "3.00"), ("0", "0.00"), ("999.99", "999.99")],
)
def test_a_price_is_read_from_text_to_two_decimals(text: str, expected: str) -> None:
    price = parse_price(text)
    assert isinstance(price, Decimal)
    assert format_price(price) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("-0.01", "negative"),
        ("-3", "negative"),
        ("3.401", "two decimals"),
        ("0.100", "two decimals"),
        ("1e400", "decimal string"),
        ("NaN", "decimal string"),
        ("Infinity", "decimal string"),
        ("1,00", "decimal string"),
        (" 1.00", "decimal string"),
        ("", "decimal string"),
        ("0x10", "decimal string"),
    ],
)
def test_a_price_refuses_garbage(text: str, reason: str) -> None:
    with pytest.raises(PhoneNumberRuleBroken, match=reason):
        parse_price(text, field="setup_price")


@pytest.mark.parametrize(
    ("text", "currency"),
    [("U$", Currency.USD), ("USD", Currency.USD), ("R$", Currency.BRL), ("€", Currency.EUR)],
)
def test_a_currency_is_a_code_or_a_symbol(text: str, currency: Currency) -> None:
    assert Currency.parse(text) is currency


def test_an_unknown_currency_names_the_accepted_ones() -> None:
    with pytest.raises(PhoneNumberRuleBroken, match="U\\$") as raised:
        Currency.parse("usd")
    assert raised.value.field == "currency"


@pytest.mark.parametrize(
    "text", ["+55 84 91234-4321", "+5584912344321", "+55 (84) 91234 4321", "+55.84.91234.4321"]
)
def test_every_writing_of_a_number_gives_one_e164_value(text: str) -> None:
    assert parse_value(text) == "+5584912344321"
    assert international(parse_value(text)) == "+55 84 91234-4321"


@pytest.mark.parametrize(
    "text", ["", "   ", "84 91234-4321", "+55 84 1234", "+999 1234567", "hello", "+" + "1" * 40]
)
def test_an_invalid_or_empty_number_is_refused(text: str) -> None:
    with pytest.raises(PhoneNumberRuleBroken) as raised:
        parse_value(text)
    assert raised.value.field == "value"


def _number(**changes: object) -> PhoneNumber:
    fields: dict[str, object] = {
        "id": 42,
        "value": "+5584912344321",
        "monthly_price": Decimal("0.03"),
        "setup_price": Decimal("3.40"),
        "currency": Currency.USD,
        "version": 3,
    }
    return PhoneNumber(**(fields | changes))  # type: ignore[arg-type]


def test_an_entity_refuses_a_negative_or_too_precise_price() -> None:
    with pytest.raises(PhoneNumberRuleBroken, match="negative"):
        _number(setup_price=Decimal("-1"))
    with pytest.raises(PhoneNumberRuleBroken, match="two decimals"):
        _number(monthly_price=Decimal("0.001"))


def test_the_ceiling_names_the_price_above_it() -> None:
    with pytest.raises(PhoneNumberRuleBroken) as raised:
        _number(setup_price=Decimal("1000.01")).check_ceiling(Decimal("1000.00"))
    assert raised.value.field == "setup_price"
    _number(setup_price=Decimal("1000.00")).check_ceiling(Decimal("1000.00"))


def test_the_etag_follows_the_version() -> None:
    assert _number().etag != _number(version=4).etag
    assert _number().etag != _number(id=43).etag


def test_a_lone_price_in_another_currency_is_refused() -> None:
    number = _number()
    with pytest.raises(MixedCurrencies, match="one currency"):
        number.check_prices_in(Currency.EUR, field="currency")
    number.check_prices_in(Currency.USD, field="currency")
    moved = number.with_changes({"currency": Currency.BRL})
    assert moved.currency is Currency.BRL
