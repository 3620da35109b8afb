"""The repository and the read side on real PostgreSQL (one rolled-back transaction per test)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mosaic.numbers.domain import Currency, PhoneNumber, PhoneNumberTaken
from mosaic.numbers.queries import NumberFilter, NumberListing, PhoneNumberCatalog
from mosaic.numbers.repository import PhoneNumberRepository
from mosaic.platform.pagination import PageRequest, SortKey
from mosaic.platform.querystring import Filter


def draft(
    value: str, monthly: str = "0.03", setup: str = "3.40", currency: Currency = Currency.USD
) -> PhoneNumber:
    return PhoneNumber(
        value=value, monthly_price=Decimal(monthly), setup_price=Decimal(setup), currency=currency
    )


@pytest.fixture
def repository(session: Session) -> PhoneNumberRepository:
    return PhoneNumberRepository(session)


@pytest.fixture
def catalog(connection: Connection) -> PhoneNumberCatalog:
    @contextmanager
    def reading() -> Iterator[Connection]:
        yield connection

    return PhoneNumberCatalog(reading)


def test_add_and_get_keep_the_money_exact(repository: PhoneNumberRepository) -> None:
    stored = repository.add(draft("+5584912344321", monthly="0.10", setup="1000.00"))
    assert stored.id is not None
    found = repository.get(stored.id)
    assert found == stored
    assert found is not None
    assert found.monthly_price == Decimal("0.10")
    assert str(found.setup_price) == "1000.00"
    assert found.version == 1


def test_the_value_is_unique_and_a_repeat_is_the_domains_error(
    repository: PhoneNumberRepository,
) -> None:
    repository.add(draft("+5584912344321"))
    with pytest.raises(PhoneNumberTaken, match=r"\+5584912344321"):
        repository.add(draft("+5584912344321"))


def test_the_database_refuses_a_negative_price(session: Session) -> None:
    repository = PhoneNumberRepository(session)
    number = repository.add(draft("+5584912344321"))
    sneaky = replace(number, currency=Currency.USD)
    object.__setattr__(sneaky, "setup_price", Decimal("-1"))
    with pytest.raises(IntegrityError, match="setup_price_not_negative"):
        repository.update(sneaky)


def test_update_bumps_the_version_only_from_the_version_read(
    repository: PhoneNumberRepository,
) -> None:
    number = repository.add(draft("+5584912344321"))
    changed = repository.update(replace(number, setup_price=Decimal("9.99")))
    assert changed is not None
    assert changed.version == 2
    assert changed.setup_price == Decimal("9.99")
    assert repository.update(replace(number, setup_price=Decimal("1.00"))) is None
    assert repository.delete(number) is False
    assert repository.delete(changed) is True
    assert repository.get(number.id or 0) is None


@pytest.fixture
def stock(repository: PhoneNumberRepository) -> list[PhoneNumber]:
    return [
        repository.add(draft("+5584912344321", "0.03", "3.40", Currency.USD)),
        repository.add(draft("+5584987654321", "0.50", "1.00", Currency.BRL)),
        repository.add(draft("+5521987654321", "0.50", "2.00", Currency.EUR)),
        repository.add(draft("+14155550123", "1.20", "0.00", Currency.USD)),
        repository.add(draft("+5511912345678", "2.00", "5.00", Currency.USD)),
    ]


def test_filters_combine(catalog: PhoneNumberCatalog, stock: list[PhoneNumber]) -> None:
    page = catalog.list(
        NumberListing(
            NumberFilter(
                currency=Currency.USD, price_ranges=(Filter("monthly_price", "gte", Decimal("1")),)
            )
        )
    )
    assert {n.value for n in page.items} == {"+14155550123", "+5511912345678"}
    assert page.total == 2


def test_search_by_digits_or_prefix(catalog: PhoneNumberCatalog, stock: list[PhoneNumber]) -> None:
    anywhere = catalog.list(NumberListing(NumberFilter(digits="87654321")))
    assert {n.value for n in anywhere.items} == {"+5584987654321", "+5521987654321"}
    prefix = catalog.list(NumberListing(NumberFilter(digits="5584", prefix=True)))
    assert {n.value for n in prefix.items} == {"+5584912344321", "+5584987654321"}


def test_sort_then_id_breaks_ties(catalog: PhoneNumberCatalog, stock: list[PhoneNumber]) -> None:
    page = catalog.list(NumberListing(page=PageRequest(sort=(SortKey("monthly_price", True),))))
    prices = [n.monthly_price for n in page.items]
    assert prices == sorted(prices, reverse=True)
    tied = [n.id or 0 for n in page.items if n.monthly_price == Decimal("0.50")]
    assert tied == sorted(tied)


def test_pages_and_total(catalog: PhoneNumberCatalog, stock: list[PhoneNumber]) -> None:
    second = catalog.list(NumberListing(page=PageRequest(limit=2, offset=2)))
    assert [n.id for n in second.items] == [stock[2].id, stock[3].id]
    assert second.total == 5
    beyond = catalog.list(NumberListing(page=PageRequest(limit=2, offset=16)))
    assert beyond.items == []
    assert beyond.total == 5


def test_the_cursor_walks_every_row_once(
    catalog: PhoneNumberCatalog, stock: list[PhoneNumber]
) -> None:
    sort = (SortKey("setup_price", True),)
    seen: list[int] = []
    after = None
    for _ in range(10):
        request = PageRequest(sort=sort, limit=2, by_cursor=True, after=after)
        page = catalog.list(NumberListing(page=request))
        seen += [n.id or 0 for n in page.items]
        if len(page.items) < 2:
            break
        after = page.last_keys
    assert sorted(seen) == sorted(n.id or 0 for n in stock)
    setups = [next(n.setup_price for n in stock if n.id == i) for i in seen]
    assert setups == sorted(setups, reverse=True)
