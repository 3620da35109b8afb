"""flask --app mosaic seed numbers --count 800: deterministic DID numbers, idempotent.

The same count always yields the same numbers and prices (a seeded generator); numbers
already stored are left as they are.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import click
from flask.cli import with_appcontext

from mosaic.numbers.domain import Currency, InvalidPhoneValue, parse_value
from mosaic.numbers.services import PhoneNumberService
from mosaic.platform.wiring import service

SEED = 4  # issue 4
BRAZIL_AREA_CODES = (11, 21, 31, 41, 48, 51, 61, 71, 81, 84, 85, 91)
US_AREA_CODES = (212, 305, 415, 512, 617)
CURRENCIES = (Currency.USD,) * 6 + (Currency.BRL,) * 3 + (Currency.EUR,)


def _candidate(rng: random.Random) -> str:
    if rng.random() < 0.8:
        area = rng.choice(BRAZIL_AREA_CODES)
        return f"+55 {area} 9{rng.randint(6000, 9999)}-{rng.randint(0, 9999):04d}"
    return f"+1 {rng.choice(US_AREA_CODES)} {rng.randint(201, 989)}-{rng.randint(0, 9999):04d}"


def _price(rng: random.Random, low_cents: int, high_cents: int) -> Decimal:
    return Decimal(rng.randint(low_cents, high_cents)) / 100


def generate(count: int) -> list[dict[str, Any]]:
    """`count` distinct valid numbers with realistic prices, always the same for a count."""
    rng = random.Random(SEED)  # noqa: S311 (test data, not secrets)
    found: dict[str, dict[str, Any]] = {}
    while len(found) < count:
        text = _candidate(rng)
        try:
            value = parse_value(text)
        except InvalidPhoneValue:
            continue
        found.setdefault(
            value,
            {
                "value": value,
                "monthly_price": _price(rng, 1, 250),
                "setup_price": _price(rng, 50, 1500),
                "currency": rng.choice(CURRENCIES),
            },
        )
    return list(found.values())


@click.command("numbers")
@with_appcontext
@click.option("--count", default=800, show_default=True, type=click.IntRange(1, 100_000))
def seed(count: int) -> None:
    """Load COUNT generated DID numbers (idempotent)."""
    created = service(PhoneNumberService).create_missing(generate(count))
    click.echo(f"numbers: {len(created)} created, {count - len(created)} already there")
