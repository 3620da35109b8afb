"""The API's rules an OpenAPI document cannot state: one parameter bounded by another, or a value
only the API itself issues. A request breaking one is not valid data, however well each parameter
matches its own schema, so positive cases never break them; negative cases still may (and must be
refused). Each rule names the code that enforces it. Loaded by schemathesis (SCHEMATHESIS_HOOKS).
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import phonenumbers
import schemathesis

from mosaic.config import from_environment
from mosaic.expenses.schemas.queries import ALIASES
from mosaic.sensors.domain.series import UNIT_SECONDS

Rule = Callable[[schemathesis.Case], bool]
# The running app's settings: tests/e2e/test_api_contract.py gives schemathesis its environment.
SETTINGS = from_environment()


def _query(case: schemathesis.Case) -> dict[str, Any]:
    return dict(case.query or {})


def _integer(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def no_issued_values(case: schemathesis.Case) -> bool:
    """A cursor is a signed token the API issues in its Link header (platform.pagination); one
    made up is refused, and so it is never valid data."""
    return "cursor" not in _query(case)


def ordered_ranges(case: schemathesis.Case) -> bool:
    """from <= to (geo FilterQuery, sensors), an OGC datetime interval's start <= end (geo
    Datetime), a bbox's min <= max (geo BoundingBox)."""
    query = _query(case)
    start, end = query.get("from"), query.get("to")
    if isinstance(start, str) and isinstance(end, str) and start[:7] > end[:7]:
        return False
    interval = str(query.get("datetime", "")).split("/")
    bounded = len(interval) == 2 and all(DAY.match(end) for end in interval)
    if bounded and interval[0][:10] > interval[1][:10]:
        return False
    box = query.get("bbox")
    try:
        numbers = [float(part) for part in str(box).split(",")]
    except ValueError:
        return True  # not a box the schema allows: the API's answer is checked as is
    if len(numbers) not in (4, 6):
        return True
    low, high = (numbers[:2], numbers[2:]) if len(numbers) == 4 else (numbers[:2], numbers[3:5])
    return all(a <= b for a, b in zip(low, high, strict=True))


def tiles_on_the_grid(case: schemathesis.Case) -> bool:
    """A tile's x and y are below 2^z (geo TilePath). A link schemathesis infers from TileJSON's
    URL template sends `{z}` itself, which no schema allows: it is not valid data either."""
    path = case.path_parameters or {}
    if not {"z", "x", "y"} <= set(path):
        return True
    z, x, y = (_integer(path[axis]) for axis in ("z", "x", "y"))
    if z is None or x is None or y is None:
        return False
    return z > 30 or (x < 2**z and y < 2**z)


DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def days_on_the_calendar(case: schemathesis.Case) -> bool:
    """A date matches its pattern and exists (no 2015-02-30)."""
    for value in _query(case).values():
        for day in DAY.findall(str(value)):
            try:
                date.fromisoformat(day)
            except ValueError:
                return False
    return True


def one_way_to_size_series(case: schemathesis.Case) -> bool:
    """A readings series is sized by bucket= or by points=, not both (sensors)."""
    return not {"bucket", "points"} <= set(_query(case))


def code_only_on_postal_codes(case: schemathesis.Case) -> bool:
    """OGC items: `code` picks a postal code, so only the postal-codes collection takes it."""
    path = case.path_parameters or {}
    return path.get("collection_id") != "madrid" or "code" not in _query(case)


@cache
def _seeded_postal_codes() -> frozenset[str]:
    """The codes the contract run's database was seeded with (`flask seed geo`)."""
    csv.field_size_limit(1 << 28)  # the rows carry their polygons
    path = Path(os.environ.get("SEED_DATA_DIR", "../shared/data")) / "postal_codes.csv"
    with path.open(newline="", encoding="utf-8") as rows:
        return frozenset(row["code"] for row in csv.DictReader(rows))


def known_postal_codes(case: schemathesis.Case) -> bool:
    """A postal_code filter names codes of the dataset; any other is a 400 naming it (geo
    TurnoverService), as a filter on a value that does not exist."""
    codes = _query(case).get("postal_code")
    if not isinstance(codes, str):
        return True
    named = {code.strip() for code in codes.split(",") if code.strip()}
    return named <= _seeded_postal_codes()


def each_sort_key_once(case: schemathesis.Case) -> bool:
    """A sort names a key once (platform.querystring.parse_sort); an aggregate's sort names a
    key it groups by, currency or a metric it asks for (expenses ExpenseAggregateQuery)."""
    query = _query(case)
    sort = query.get("sort")
    if not isinstance(sort, str):
        return True
    names = [token.strip().lstrip("-") for token in sort.split(",")]
    if len(names) != len(set(names)):
        return False
    if case.operation.path != "/api/v1/expenses/aggregates":
        return True
    grouped = {ALIASES.get(name, name) for name in _items(query.get("by"), "department")}
    grouped |= {alias for alias, name in ALIASES.items() if name in grouped}
    metrics = set(_items(query.get("metrics"))) or {"sum", "count"}
    return set(names) <= grouped | metrics | {"currency"}


def _items(text: Any, default: str = "") -> list[str]:
    items = [item.strip() for item in str(text or "").split(",") if item.strip()]
    return items or ([default] if default else [])


SENSORS_MAX_WINDOW = timedelta(days=SETTINGS["SENSORS_MAX_WINDOW_DAYS"])
SENSORS_MAX_POINTS = SETTINGS["SENSORS_MAX_POINTS"]


def series_within_limits(case: schemathesis.Case) -> bool:
    """A sensors window spans at most SENSORS_MAX_WINDOW_DAYS, and a series at most
    SENSORS_MAX_POINTS points or buckets (sensors.domain.series). Without `to` the window ends
    after the latest reading, which depends on the data, so a positive case gives both ends."""
    if not case.operation.path.startswith("/api/v1/sensors"):
        return True
    query = _query(case)
    if "from" in query and "to" not in query:
        return False
    start, end = _instant(query.get("from")), _instant(query.get("to"))
    if start is not None and end is not None and end - start > SENSORS_MAX_WINDOW:
        return False
    if _integer(query.get("points")) is not None and int(query["points"]) > SENSORS_MAX_POINTS:
        return False
    bucket = str(query.get("bucket", ""))
    if bucket[:-1].isdigit() and bucket[-1:] in UNIT_SECONDS:
        width = timedelta(seconds=int(bucket[:-1]) * UNIT_SECONDS[bucket[-1]])
        window = (end or _LATEST) - (start or (end or _LATEST) - timedelta(days=1))
        return window / width <= SENSORS_MAX_POINTS
    return True


_LATEST = datetime(2100, 1, 1, tzinfo=UTC)  # no bucketed series without `to` is judged


def _instant(value: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def operation_names_in_the_query(case: schemathesis.Case) -> bool:
    """GraphQL's operationName names an operation of the query document (GraphQL over HTTP);
    positive cases leave it out (or null)."""
    body = case.body if isinstance(case.body, dict) else {}
    return body.get("operationName") is None


PRICE_CEILING = Decimal(SETTINGS["NUMBERS_PRICE_CEILING"])


def numbers_as_sold(case: schemathesis.Case) -> bool:
    """A phone number body is a number libphonenumber calls valid, its prices under
    NUMBERS_PRICE_CEILING and, in v2, both prices in one currency (numbers.domain)."""
    if not case.operation.path.startswith(("/api/v1/numbers", "/api/v2/numbers")):
        return True
    bodies = case.body if isinstance(case.body, list) else [case.body]
    values = [_e164(body.get("value")) for body in bodies if isinstance(body, dict)]
    if len(values) != len(set(values)):
        return False  # one number twice in a batch, written two ways
    return all(_number_as_sold(body) for body in bodies if isinstance(body, dict))


def _e164(value: Any) -> str:
    try:
        number = phonenumbers.parse(str(value), None)
    except phonenumbers.NumberParseException:
        return str(value)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _number_as_sold(body: dict[str, Any]) -> bool:
    money = [body.get(name) for name in ("monthlyPrice", "setupPrice")]
    if len([price for price in money if isinstance(price, dict)]) == 1:
        return False  # a lone price must be in the stored currency: state, like If-Match
    value = body.get("value")
    if isinstance(value, str) and not _dialable(value):
        return False
    prices = [body.get(name) for name in ("monthyPrice", "monthlyPrice", "setupPrice")]
    money = [price for price in prices if isinstance(price, dict)]
    amounts = [price.get("amount") for price in money] + [p for p in prices if isinstance(p, str)]
    if any(_above_ceiling(amount) for amount in amounts):
        return False
    return len({str(price.get("currency")) for price in money}) <= 1


def _dialable(value: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(value, None))
    except phonenumbers.NumberParseException:
        return False


def _above_ceiling(amount: Any) -> bool:
    try:
        return Decimal(str(amount)) > PRICE_CEILING
    except ArithmeticError:
        return False


def amounts_above_zero(case: schemathesis.Case) -> bool:
    """An expense's amount is above 0 (expenses.domain.parse_amount)."""
    bodies = case.body if isinstance(case.body, list) else [case.body]
    for body in bodies:
        if isinstance(body, dict) and isinstance(body.get("amount"), str):
            try:
                if Decimal(body["amount"].strip()) <= 0:
                    return False
            except ArithmeticError:
                return True
    return True


RULES: tuple[Rule, ...] = (
    numbers_as_sold,
    amounts_above_zero,
    operation_names_in_the_query,
    series_within_limits,
    each_sort_key_once,
    known_postal_codes,
    no_issued_values,
    ordered_ranges,
    tiles_on_the_grid,
    days_on_the_calendar,
    one_way_to_size_series,
    code_only_on_postal_codes,
)


# An expense names a department, a project and a member that exist (else a 422 naming the one
# missing): positive cases name the first of each, which the seeded expenses keep in use.
REGISTER_REFERENCES = ("department_id", "project_id", "member_id")
SEEDED_REGISTER = 1
IMPORT_HEADER = "departments,project_name,amount,date,member_name\n"


@schemathesis.hook
def map_case(context: schemathesis.HookContext, case: schemathesis.Case) -> schemathesis.Case:
    """What a positive case needs beyond its schema: a CSV import's body is text whose first
    line names the source columns (the schema can only say `string`), so it gets the header and
    no rows; an expense's references name registers that exist."""
    del context
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return case
    if case.operation.path == "/api/v1/expenses/import":
        case.body = IMPORT_HEADER
    for body in case.body if isinstance(case.body, list) else [case.body]:
        if isinstance(body, dict):
            body.update({key: SEEDED_REGISTER for key in REGISTER_REFERENCES if key in body})
    return case


@schemathesis.hook
def filter_case(context: schemathesis.HookContext, case: schemathesis.Case) -> bool:
    del context
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return True
    return all(rule(case) for rule in RULES)
