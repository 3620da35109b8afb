"""What every expenses use case shares: domain errors as 422 problems, and its own errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError

from mosaic.expenses.domain import InvalidExpense
from mosaic.platform.errors import Conflict, FieldErrors, NotFound, RuleViolation

KINDS = ("department", "project", "member")


class RecordNotFound(NotFound):
    def __init__(self, kind: str, record_id: int) -> None:
        super().__init__(f"No {kind} has the id {record_id}.")


class DuplicateName(Conflict):
    def __init__(self, kind: str, name: str) -> None:
        super().__init__(f"A {kind} named {name!r} already exists.")


class StillReferenced(Conflict):
    def __init__(self, kind: str, record_id: int) -> None:
        super().__init__(
            f"The {kind} {record_id} is still named by expenses; move or delete them first."
        )


class Problems:
    """Field errors gathered over a whole batch, raised together as one 422."""

    def __init__(self) -> None:
        self.errors: FieldErrors = []

    def add(self, pointer: str, detail: str) -> None:
        self.errors.append({"pointer": pointer, "detail": detail})

    @contextmanager
    def collect(self, prefix: str) -> Iterator[None]:
        """Record a domain error raised inside as a field error under `prefix` (e.g. `#/3/`)."""
        try:
            yield
        except InvalidExpense as error:
            self.add(prefix + error.field, error.detail)

    def raise_any(self) -> None:
        if self.errors:
            shown = ", ".join(e["pointer"] for e in self.errors[:10])
            raise RuleViolation(f"The request has invalid fields: {shown}.", errors=self.errors)


def pointer_prefix(index: int, batch: bool) -> str:
    return f"#/{index}/" if batch else "#/"


@contextmanager
def unique_names(kind: str, name: str) -> Iterator[None]:
    """A unique violation that slipped past the check (a concurrent insert) is a 409 too."""
    try:
        yield
    except IntegrityError as error:
        if f"uq_{kind}_name" not in str(error.orig):
            raise
        raise DuplicateName(kind, name) from error
