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


# --- `field[op]=value` filters, for any list -------------------------------------------------

FILTER_KEY = re.compile(r"^(?P<name>[A-Za-z_]\w*)(?:\[(?P<op>[^\]]*)\])?$")
GROUPED_KEY = re.compile(r"^(?P<group>[a-z]+)\[(?P<name>[A-Za-z_]\w*)\](?:\[(?P<op>[^\]]*)\])?$")
MAX_IN_VALUES = 100
TEXT_OPS = tuple(OPERATORS)
ORDERED_OPS = ("eq", "ne", "gt", "gte", "lt", "lte", "in")


@dataclass(frozen=True)
class Filterable:
    """A filterable field: the column it reads, how a value is typed, and the operators allowed.

    `parse` raises ValueError (its message shown to the client) for a bad value.
    """

    column: str
    parse: Callable[[str], Any] = str
    ops: tuple[str, ...] = TEXT_OPS


def parse_filter(field: Filterable, op: str, raw: str) -> Filter:
    """One `name[op]=raw` read into a Filter, or ValueError naming what is allowed."""
    if op not in field.ops:
        raise ValueError(f"Unknown operator {op!r}; allowed here: {', '.join(field.ops)}.")
    if op == "contains":
        return Filter(field.column, op, raw)
    if op == "in":
        items = [item.strip() for item in raw.split(",") if item.strip()]
        if not items or len(items) > MAX_IN_VALUES:
            raise ValueError(f"Send 1 to {MAX_IN_VALUES} comma-separated values.")
        return Filter(field.column, op, tuple(field.parse(item) for item in items))
    return Filter(field.column, op, field.parse(raw))


class FilteredQuerySchema(QuerySchema):
    """A query string with `field[op]=value` filters beside its declared parameters.

    `filterable` maps each public name (aliases included) to its Filterable; `groups` maps a
    prefix to more of them (e.g. `having[sum][gte]=100` with groups={"having": ...}).
    `load` returns the declared parameters with `filters` (and each group's list) added.
    """

    filterable: Mapping[str, Filterable] = {}
    groups: Mapping[str, Mapping[str, Filterable]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = ", ".join(f.data_key or n for n, f in self.load_fields.items())
        self.error_messages = {
            **self.error_messages,
            "unknown": f"Unknown parameter; the list accepts {names}, and filters "
            f"field[op]=value on {', '.join(self.filterable) or 'nothing'}.",
        }

    def load(self, data: Any, **kwargs: Any) -> Any:
        declared = {f.data_key or n for n, f in self.load_fields.items()}
        rest: dict[str, Any] = {}
        found: dict[str, list[Filter]] = {"filters": [], **{g: [] for g in self.groups}}
        errors: dict[str, Any] = {}
        for key, value in list(data.items()):
            match = None if key in declared else self._match(key)
            if match is None:
                rest[key] = value
                continue
            try:
                group = match.groupdict().get("group") or "filters"
                found[group].append(self._filter(match, str(value)))
            except ValueError as error:
                errors[key] = [str(error)]
        try:
            loaded = super().load(rest, **kwargs)
        except ma.ValidationError as error:
            errors |= error.messages if isinstance(error.messages, dict) else {"_": error.messages}
            loaded = None
        if errors:
            raise ma.ValidationError(errors)
        return self.build({**loaded, **{k: tuple(v) for k, v in found.items()}})

    def build(self, loaded: dict[str, Any]) -> Any:
        """Hook: turn the loaded parameters and filters into what the view receives."""
        return loaded

    def _match(self, key: str) -> re.Match[str] | None:
        """A filter's key (`name[op]`, `name` of a filterable, `group[name][op]`), or None."""
        grouped = GROUPED_KEY.match(key)
        if grouped is not None and grouped["group"] in self.groups:
            return grouped
        match = FILTER_KEY.match(key)
        if match is None or (match["op"] is None and match["name"] not in self.filterable):
            return None
        return match

    def _filter(self, match: re.Match[str], raw: str) -> Filter:
        group = match.groupdict().get("group")
        fields = self.groups[group] if group else self.filterable
        if match["name"] not in fields:
            kind = f"{group} field" if group else "filter field"
            raise ValueError(f"Unknown {kind} {match['name']!r}; allowed: {', '.join(fields)}.")
        return parse_filter(fields[match["name"]], match["op"] or "eq", raw)


def parse_sort_order(text: str, names: Mapping[str, str], order: str) -> tuple[SortKey, ...]:
    """`sort` read by parse_sort; `order=desc` reverses every key (`sort=name&order=desc`)."""
    keys = parse_sort(text, names)
    if order == "desc":
        keys = tuple(SortKey(key.name, not key.descending) for key in keys)
    return keys
