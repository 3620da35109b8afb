"""Use cases with a fake unit of work: what is committed, and what is refused."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from mosaic.numbers.domain import Currency
from mosaic.numbers.services import PhoneNumberService
from mosaic.platform.errors import Conflict, NotFound, PreconditionFailed, RuleViolation
from tests.fakes import FakePhoneNumbers, FakeUnitOfWork


@pytest.fixture
def store() -> FakePhoneNumbers:
    return FakePhoneNumbers()


@pytest.fixture
def uows(store: FakePhoneNumbers) -> list[FakeUnitOfWork]:
    return []


@pytest.fixture
def service(store: FakePhoneNumbers, uows: list[FakeUnitOfWork]) -> PhoneNumberService:
    def uow() -> FakeUnitOfWork:
        uows.append(FakeUnitOfWork(phone_numbers=store))
        return uows[-1]

    return PhoneNumberService(uow, ceiling=Decimal("100.00"))  # type: ignore[arg-type]


def fields(value: str = "+5584912344321", **changes: Any) -> dict[str, Any]:
    return {
        "value": value,
        "monthly_price": Decimal("0.03"),
        "setup_price": Decimal("3.40"),
        "currency": Currency.USD,
    } | changes


def test_create_commits_and_returns_the_stored_number(
    service: PhoneNumberService, uows: list[FakeUnitOfWork]
) -> None:
    number = service.create(fields())
    assert number.id is not None
    assert service.get_or_raise(number.id) == number
    assert uows[0].committed


def test_every_write_bumps_the_revision_and_a_refused_one_does_not(
    service: PhoneNumberService, store: FakePhoneNumbers
) -> None:
    number = service.create(fields())
    assert number.id is not None
    service.update(number.id, {"setup_price": Decimal("1")}, if_match={"*"})
    with pytest.raises(Conflict):
        service.create(fields())
    assert store.revision == 2
    service.delete(number.id, if_match={"*"})
    assert store.revision == 3


def test_a_duplicate_is_a_conflict_naming_the_stored_number(
    service: PhoneNumberService, uows: list[FakeUnitOfWork]
) -> None:
    first = service.create(fields())
    with pytest.raises(Conflict, match=f"id {first.id}"):
        service.create(fields())
    assert not uows[-1].committed


def test_a_batch_with_one_bad_item_stores_nothing(
    service: PhoneNumberService, store: FakePhoneNumbers, uows: list[FakeUnitOfWork]
) -> None:
    batch = [fields("+5584912344321"), fields("+5521987654321", setup_price=Decimal("100.01"))]
    with pytest.raises(RuleViolation) as raised:
        service.create_many(batch)
    assert raised.value.errors == [{"pointer": "#/1/setup_price", "detail": raised.value.detail}]
    assert store.rows == {}
    assert not any(u.committed for u in uows)


def test_a_batch_repeating_a_number_is_refused(service: PhoneNumberService) -> None:
    with pytest.raises(RuleViolation, match="Repeats item 0"):
        service.create_many([fields(), fields()])


def test_a_batch_meeting_a_stored_number_stores_nothing(
    service: PhoneNumberService, store: FakePhoneNumbers
) -> None:
    service.create(fields())
    with pytest.raises(Conflict):
        service.create_many([fields("+5521987654321"), fields()])
    assert len(store.rows) == 1


def test_create_missing_skips_the_stored_numbers(service: PhoneNumberService) -> None:
    service.create(fields())
    created = service.create_missing([fields(), fields("+5521987654321")])
    assert [n.value for n in created] == ["+5521987654321"]
    assert service.create_missing([fields(), fields("+5521987654321")]) == []


def test_update_needs_the_current_etag(
    service: PhoneNumberService, uows: list[FakeUnitOfWork]
) -> None:
    number = service.create(fields())
    assert number.id is not None
    with pytest.raises(PreconditionFailed, match=number.etag):
        service.update(number.id, {"setup_price": Decimal("1")}, if_match={"pn-x-v9"})
    assert not uows[-1].committed
    changed = service.update(number.id, {"setup_price": Decimal("1")}, if_match={number.etag})
    assert changed.setup_price == Decimal("1")
    assert changed.etag != number.etag
    assert uows[-1].committed
    star = service.update(number.id, {"setup_price": Decimal("2")}, if_match={"*"})
    assert star.version == changed.version + 1


def test_update_to_another_stored_value_is_a_conflict(service: PhoneNumberService) -> None:
    service.create(fields())
    other = service.create(fields("+5521987654321"))
    assert other.id is not None
    with pytest.raises(Conflict):
        service.update(other.id, {"value": "+5584912344321"}, if_match={"*"})


def test_update_above_the_ceiling_is_refused(service: PhoneNumberService) -> None:
    number = service.create(fields())
    assert number.id is not None
    with pytest.raises(RuleViolation, match=r"above 100\.00"):
        service.update(number.id, {"monthly_price": Decimal("100.01")}, if_match={"*"})


def test_an_unknown_id_is_not_found(service: PhoneNumberService) -> None:
    with pytest.raises(NotFound):
        service.get_or_raise(404)
    with pytest.raises(NotFound):
        service.delete(404, if_match={"*"})


def test_delete_with_a_stale_etag_keeps_the_number(
    service: PhoneNumberService, store: FakePhoneNumbers
) -> None:
    number = service.create(fields())
    assert number.id is not None
    with pytest.raises(PreconditionFailed):
        service.delete(number.id, if_match={"pn-1-v0"})
    assert number.id in store.rows
    service.delete(number.id, if_match={number.etag})
    assert store.rows == {}
