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
from typing import Any, ClassVar

import marshmallow as ma
from sqlalchemy import ColumnElement

from mosaic.platform.pagination import SortKey

MONTH = re.compile(r"^(19[0-9]{2}|[2-9][0-9]{3})-(0[1-9]|1[0-2])$")
REGEX_SYNTAX = set("\\^$.|?*+()[]{}")


def _literal(text: str) -> str:
    """`text` as a regular expression that means itself, in the syntax JSON Schema and Python
    share (re.escape also escapes `-`, `<`, `=`, which ECMA-262's unicode mode refuses)."""
    return "".join("\\" + c if c in REGEX_SYNTAX else c for c in text)


def comma_list_pattern(item: str, *, at_least_one: bool = False) -> str:
    """The documented form of a comma list of `item`s (a regular expression, one alternative
    without anchors): blanks around items are ignored and, unless `at_least_one`, items may be
    empty."""
    if at_least_one:
        return rf"^\s*(?:,\s*)*(?:{item})\s*(?:,\s*(?:(?:{item})\s*)?)*$"
    return rf"^\s*(?:(?:{item})\s*)?(?:,\s*(?:(?:{item})\s*)?)*$"


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


class Patterned(ma.fields.String):
    """A string documented by the regular expression its parser checks first (`pattern`), so
    the OpenAPI document and the API cannot disagree on what is well formed."""

    pattern: ClassVar[re.Pattern[str]]

    def __init__(self, **kwargs: Any) -> None:
        kwargs["metadata"] = {"pattern": self.pattern.pattern, **kwargs.get("metadata", {})}
        super().__init__(**kwargs)


class CommaList(ma.fields.String):
    """A comma-separated list of allowed values (or of values matching a pattern), documented
    with the pattern it is checked against. `at_least_one`: an empty list is refused."""

    def __init__(
        self,
        allowed: tuple[str, ...] = (),
        pattern: str = "",
        noun: str = "",
        *,
        at_least_one: bool = False,
        **kwargs: Any,
    ) -> None:
        item = "|".join(_literal(value) for value in allowed) or pattern
        documented = comma_list_pattern(item, at_least_one=at_least_one)
        kwargs["metadata"] = {"pattern": documented, **kwargs.get("metadata", {})}
        if isinstance(kwargs.get("load_default"), tuple):  # documented as the text it reads from
            kwargs["metadata"].setdefault("default", ",".join(kwargs["load_default"]))
        super().__init__(**kwargs)
        self.allowed, self.pattern, self.noun = allowed, pattern, noun
        self.at_least_one = at_least_one

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
        if self.at_least_one and not items:
            raise ma.ValidationError(f"Send one or more of {', '.join(self.allowed)}.")
        return items


class Month(Patterned):
    """YYYY-MM (from 1900), deserialized to the first day of that month."""

    pattern = MONTH

    def _deserialize(  # type: ignore[override]  # documented as a string, loads a date
        self, value: Any, attr: Any, data: Any, **kwargs: Any
    ) -> date:
        found = MONTH.match(str(value))
        if not found:
            raise ma.ValidationError(
                f"{value!r} is not a month; expected YYYY-MM from 1900, e.g. 2015-03."
            )
        return date(int(found.group(1)), int(found.group(2)), 1)


def sort_pattern(names: Mapping[str, str], *, optional: bool = False) -> str:
    """The documented form of a sort: a comma list of the names, each maybe after a -;
    `optional`: empty means the default order."""
    key = rf"\s*-?(?:{'|'.join(_literal(name) for name in names)})\s*"
    return rf"^{'$|^' if optional else ''}{key}(?:,{key})*$"


SORT_TOKEN = re.compile(r"^\s*(-?)([^\s-][^,]*?)\s*$")


def parse_sort(text: str, names: Mapping[str, str]) -> tuple[SortKey, ...]:
    """`value,-setupPrice` -> sort keys on columns; `names` maps each wire name to its column.
    A name comes once (the first key decides)."""
    keys: list[SortKey] = []
    for token in text.split(","):
        found = SORT_TOKEN.match(token)
        name = names.get(found.group(2)) if found else None
        if found is None or name is None or any(name == key.name for key in keys):
            allowed = ", ".join(names)
            raise ma.ValidationError(
                f"Sort by a comma list of {allowed}, each once (a - reverses one)."
            )
        keys.append(SortKey(name, found.group(1) == "-"))
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
