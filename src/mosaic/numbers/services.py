"""Use cases of the DID inventory; each owns its transaction through the unit of work."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from mosaic.numbers.domain import (
    Currency,
    InvalidPhoneValue,
    PhoneNumber,
    PhoneNumberRuleBroken,
    PhoneNumberTaken,
    international,
)
from mosaic.numbers.repository import NumbersUnitOfWork
from mosaic.platform.db import retry_conflicts
from mosaic.platform.errors import Conflict, NotFound, PreconditionFailed, RuleViolation
from mosaic.platform.http import ensure_current, stale

WHAT = "phone number"


class PhoneNumberNotFound(NotFound):
    def __init__(self, number_id: int) -> None:
        super().__init__(f"No phone number has the id {number_id}.")


class DuplicatePhoneNumber(Conflict):
    def __init__(self, existing: Sequence[PhoneNumber]) -> None:
        shown = ", ".join(f"{international(n.value)} (id {n.id})" for n in existing)
        super().__init__(f"Already in the inventory: {shown or 'a number sent'}.")


@contextmanager
def _rules(pointer_prefix: str = "") -> Iterator[None]:
    """Domain rule errors become 422 problems pointing at the entity's field; a number taken
    by a concurrent write becomes the same 409 as one found taken."""
    try:
        yield
    except PhoneNumberRuleBroken as error:
        pointer = f"#/{pointer_prefix}{error.field}"
        raise RuleViolation(
            error.detail, errors=[{"pointer": pointer, "detail": error.detail}]
        ) from error
    except PhoneNumberTaken as error:
        raise DuplicatePhoneNumber([]) from error


class PhoneNumberService:
    def __init__(
        self,
        uow: Callable[[], NumbersUnitOfWork],
        *,
        ceiling: Decimal,
        on_change: Callable[[], None] = lambda: None,
    ) -> None:
        self.uow = uow
        self.ceiling = ceiling
        self.on_change = on_change  # told after each committed write (the list cache listens)

    def get_or_raise(self, number_id: int) -> PhoneNumber:
        with self.uow() as uow:
            number = uow.phone_numbers.get(number_id)
        if number is None:
            raise PhoneNumberNotFound(number_id)
        return number

    def create(self, fields: Mapping[str, Any]) -> PhoneNumber:
        return self.create_many([fields])[0]

    @retry_conflicts
    def create_many(self, items: Sequence[Mapping[str, Any]]) -> list[PhoneNumber]:
        """All or nothing: one duplicate or broken rule and nothing is stored.

        Two batches sharing numbers in any order do not deadlock (see `add_all`): the one
        that waits gets 409.
        """
        drafts = self._drafts(items)
        with self.uow() as uow, _rules():
            existing = uow.phone_numbers.get_by_values(d.value for d in drafts)
            if existing:
                raise DuplicatePhoneNumber(existing)
            created = uow.phone_numbers.add_all(drafts)
            uow.phone_numbers.bump_revision()
            uow.commit()
        self.on_change()
        return created

    def create_missing(self, items: Sequence[Mapping[str, Any]]) -> list[PhoneNumber]:
        """The items whose value is not stored yet, created in one transaction (seeds)."""
        with self.uow() as uow:
            stored = {n.value for n in uow.phone_numbers.get_by_values(i["value"] for i in items)}
        missing = [item for item in items if item["value"] not in stored]
        return self.create_many(missing) if missing else []

    def _drafts(self, items: Sequence[Mapping[str, Any]]) -> list[PhoneNumber]:
        drafts: list[PhoneNumber] = []
        seen: dict[str, int] = {}
        for index, item in enumerate(items):
            with _rules(f"{index}/" if len(items) > 1 else ""):
                draft = PhoneNumber(**item)
                draft.check_ceiling(self.ceiling)
                if draft.value in seen:
                    raise InvalidPhoneValue(f"Repeats item {seen[draft.value]} of the batch.")
            seen[draft.value] = index
            drafts.append(draft)
        return drafts

    @retry_conflicts
    def update(
        self,
        number_id: int,
        changes: Mapping[str, Any],
        *,
        if_match: Collection[str],
        prices_in: Currency | None = None,
    ) -> PhoneNumber:
        """Apply `changes` to the number if `if_match` names its current ETag (or `*`).

        `prices_in` is the currency of a price sent alone (a PATCH of one Money): both prices
        share one currency, so it must be the number's unless `changes` moves the currency.
        """
        with self.uow() as uow, _rules():
            current = self._current(uow, number_id, if_match=if_match)
            if prices_in is not None and "currency" not in changes:
                lone = next(name for name in ("monthly_price", "setup_price") if name in changes)
                current.check_prices_in(prices_in, field=f"{lone}.currency")
            changed = current.with_changes(changes)
            changed.check_ceiling(self.ceiling)
            if changed.value != current.value and uow.phone_numbers.get_by_values([changed.value]):
                raise DuplicatePhoneNumber(uow.phone_numbers.get_by_values([changed.value]))
            stored = uow.phone_numbers.update(changed)
            if stored is None:
                raise self._overtaken(uow, number_id)
            uow.phone_numbers.bump_revision()
            uow.commit()
        self.on_change()
        return stored

    @retry_conflicts
    def delete(self, number_id: int, *, if_match: Collection[str]) -> None:
        with self.uow() as uow:
            current = self._current(uow, number_id, if_match=if_match)
            if not uow.phone_numbers.delete(current):
                raise self._overtaken(uow, number_id)
            uow.phone_numbers.bump_revision()
            uow.commit()
        self.on_change()

    @staticmethod
    def _overtaken(uow: NumbersUnitOfWork, number_id: int) -> NotFound | PreconditionFailed:
        """A concurrent write committed between our read and our write: the 412 names the ETag
        it left (or the delete's 404), not the one the client sent."""
        now = uow.phone_numbers.get(number_id, fresh=True)
        return stale(now.etag, what=WHAT) if now else PhoneNumberNotFound(number_id)

    @staticmethod
    def _current(
        uow: NumbersUnitOfWork, number_id: int, *, if_match: Collection[str]
    ) -> PhoneNumber:
        current = uow.phone_numbers.get(number_id)
        if current is None:
            raise PhoneNumberNotFound(number_id)
        ensure_current(current.etag, if_match, what=WHAT)
        return current
