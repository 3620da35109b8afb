"""Persistence of phone numbers: maps PhoneNumberModel <-> PhoneNumber, and turns the unique
constraint on the E.164 value into the domain's PhoneNumberTaken."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mosaic.numbers.domain import PhoneNumber, PhoneNumberTaken
from mosaic.numbers.models import PhoneNumberModel, PhoneNumberRevisionModel, to_entity
from mosaic.platform.db import UnitOfWork

UNIQUE_VALUE = "uq_phone_number_value"


@contextmanager
def _unique_value(number: PhoneNumber) -> Iterator[None]:
    """A concurrent insert of the same number slipped past the service's check: say so."""
    try:
        yield
    except IntegrityError as error:
        if UNIQUE_VALUE not in str(error.orig):
            raise
        raise PhoneNumberTaken(number.value) from error


def _by_value(pair: tuple[int, PhoneNumber]) -> str:
    return pair[1].value


def _columns(number: PhoneNumber) -> dict[str, object]:
    return {
        "value": number.value,
        "monthly_price": number.monthly_price,
        "setup_price": number.setup_price,
        "currency": number.currency.value,
    }


class PhoneNumberRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, number_id: int, *, fresh: bool = False) -> PhoneNumber | None:
        """The stored number; `fresh` reads the row again even if this session holds it."""
        model = self.session.get(PhoneNumberModel, number_id, populate_existing=fresh)
        return to_entity(model) if model else None

    def get_by_values(self, values: Iterable[str]) -> list[PhoneNumber]:
        """The stored numbers among `values` (E.164)."""
        statement = select(PhoneNumberModel).where(PhoneNumberModel.value.in_(list(values)))
        return [to_entity(model) for model in self.session.scalars(statement)]

    def add(self, number: PhoneNumber) -> PhoneNumber:
        return self._insert(PhoneNumberModel(**_columns(number), version=1), number)

    def add_all(self, numbers: Sequence[PhoneNumber]) -> list[PhoneNumber]:
        """Store `numbers`, ids in the order given, rows written in value order: every batch
        takes the unique index's locks in one order, so two batches sharing numbers wait for
        each other instead of deadlocking (one number alone takes its id as it is inserted)."""
        if len(numbers) == 1:
            return [self.add(numbers[0])]
        sequence = func.pg_get_serial_sequence(PhoneNumberModel.__tablename__, "id")
        ids = self.session.scalars(
            select(func.nextval(sequence)).select_from(func.generate_series(1, len(numbers)))
        ).all()
        stored = {}
        for number_id, number in sorted(zip(ids, numbers, strict=True), key=_by_value):
            stored[number.value] = self._insert(
                PhoneNumberModel(id=number_id, **_columns(number), version=1), number
            )
        return [stored[number.value] for number in numbers]

    def _insert(self, model: PhoneNumberModel, number: PhoneNumber) -> PhoneNumber:
        self.session.add(model)
        with _unique_value(number):
            self.session.flush()
        return to_entity(model)

    def update(self, number: PhoneNumber) -> PhoneNumber | None:
        """Store `number` if the row is still at `number.version`; None if it changed since."""
        statement = (
            update(PhoneNumberModel)
            .where(PhoneNumberModel.id == number.id, PhoneNumberModel.version == number.version)
            .values(**_columns(number), version=PhoneNumberModel.version + 1)
            .returning(PhoneNumberModel)
            .execution_options(synchronize_session=False, populate_existing=True)
        )
        with _unique_value(number):
            model = self.session.scalars(statement).one_or_none()
        return to_entity(model) if model else None

    def delete(self, number: PhoneNumber) -> bool:
        """Delete `number` if the row is still at `number.version`."""
        statement = delete(PhoneNumberModel).where(
            PhoneNumberModel.id == number.id, PhoneNumberModel.version == number.version
        )
        return self.session.execute(statement).rowcount == 1  # type: ignore[attr-defined,no-any-return]

    def bump_revision(self) -> None:
        """Count a change, in the change's transaction: cached list pages of before expire."""
        revision = PhoneNumberRevisionModel.revision
        self.session.execute(update(PhoneNumberRevisionModel).values(revision=revision + 1))


class NumbersUnitOfWork(UnitOfWork):
    phone_numbers: PhoneNumberRepository

    def _start(self, session: Session) -> None:
        self.phone_numbers = PhoneNumberRepository(session)
