"""Query-string vocabulary shared by every list: whitelisted sorts, `field[op]=value` filters with
one table of operators, comma lists, months, and unknown parameters refused with the allowed ones.

Every error names the parameter and what it accepts (webargs turns them into 400 problems).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import marshmallow as ma
from sqlalchemy import ColumnElement

from mosaic.platform.pagination import SortKey

MONTH = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")


def _contains(column: ColumnElement[Any], value: Any) -> ColumnElement[bool]:
    return column.icontains(value, autoescape=True)


def _in(column: ColumnElement[Any], values: Any) -> ColumnElement[bool]:
    return column.in_(values)


# The one table of filter operators: name -> the SQL condition it makes on a column.
OPERATORS: dict[str, Callable[[ColumnElement[Any], Any], ColumnElement[bool]]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
    "in": _in,
    "contains": _contains,
}
COMPARISONS = ("gte", "gt", "lte", "lt")


@dataclass(frozen=True)
class Filter:
    """`name[op]=value`, read: `name` is the column's name, `value` already typed."""

    name: str
    op: str
    value: Any

    def condition(self, column: ColumnElement[Any]) -> ColumnElement[bool]:
        return OPERATORS[self.op](column, self.value)


class QuerySchema(ma.Schema):
    """Base of a query string's schema. The platform's parser (platform.parsing) refuses any
    parameter the schema does not name, with a 400 that lists the ones it accepts."""


class CommaList(ma.fields.String):
    """A comma-separated list of allowed values (or of values matching a pattern)."""

    def __init__(
        self, allowed: tuple[str, ...] = (), pattern: str = "", noun: str = "", **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.allowed, self.pattern, self.noun = allowed, pattern, noun

    def _deserialize(  # type: ignore[override]  # documented as a string, loads a tuple
        self, value: Any, attr: Any, data: Any, **kwargs: Any
    ) -> tuple[str, ...]:
        # An empty item (e.g. "age=") means no constraint from it.
        items = tuple(dict.fromkeys(i.strip() for i in str(value).split(",") if i.strip()))
        for item in items:
            if self.allowed and item not in self.allowed:
                raise ma.ValidationError(
                    f"Unknown value {item!r}; allowed values: {', '.join(self.allowed)}."
                )
            if self.pattern and not re.fullmatch(self.pattern, item):
                raise ma.ValidationError(f"{item!r} is not {self.noun}.")
        return items


class Month(ma.fields.String):
    """YYYY-MM, deserialized to the first day of that month."""

    def _deserialize(  # type: ignore[override]  # documented as a string, loads a date
        self, value: Any, attr: Any, data: Any, **kwargs: Any
    ) -> date:
        found = MONTH.match(str(value))
        if not found or int(found.group(1)) < 1900:
            raise ma.ValidationError(f"{value!r} is not a month; expected YYYY-MM, e.g. 2015-03.")
        return date(int(found.group(1)), int(found.group(2)), 1)


def parse_sort(text: str, names: Mapping[str, str]) -> tuple[SortKey, ...]:
    """`value,-setupPrice` -> sort keys on columns; `names` maps each wire name to its column."""
    keys: list[SortKey] = []
    for token in text.split(","):
        name = names.get(token.strip().lstrip("-"))
        if name is None or any(name == key.name for key in keys):
            allowed = ", ".join(names)
            raise ma.ValidationError(f"Sort by a comma list of {allowed} (a - reverses one).")
        keys.append(SortKey(name, token.strip().startswith("-")))
    return tuple(keys)
