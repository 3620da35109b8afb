"""expenses on 1,000,000 generated rows: cursor pages beside offset pages at several depths,
aggregates by department and by month (uncached), and one GraphQL query beside its REST twin.

    .venv/bin/python bench/expenses_bench.py generate 1000000   (after migrate + seed expenses)
    .venv/bin/python bench/expenses_bench.py measure            (prints the tables)

In process, through the services the views call (the REST and GraphQL comparison goes through
the Flask test client, with the response cache emptied before every REST request). Reads
DATABASE_URL. Medians of REPEAT runs after one warm-up.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import Date, Integer, Numeric, cast, func, insert, literal, select, text

from mosaic import create_app
from mosaic.expenses.models import DepartmentModel, ExpenseModel, MemberModel, ProjectModel
from mosaic.expenses.queries import AggregateQuery, ExpenseQuery
from mosaic.expenses.queries.columns import COLUMNS, JOINED
from mosaic.expenses.services import ExpenseReports
from mosaic.platform.cache import ResultCache
from mosaic.platform.db import Database
from mosaic.platform.pagination import PageRequest, SortKey, order_by
from mosaic.platform.querystring import Filter
from mosaic.platform.wiring import service

REPEAT = 7
FIRST_DAY = date(2019, 1, 1)
SORT = (SortKey("spent_on", descending=True),)
FILTERS = (Filter("department", "in", ("IT", "Sales")), Filter("amount", "gte", 100))
app = create_app({"RATELIMIT_ENABLED": False, "LOG_LEVEL": "WARNING"})


def _pick(model: Any) -> Any:
    """A random id among the model's rows (the seed made them contiguous)."""
    low = select(func.min(model.id)).scalar_subquery()
    count = select(func.count()).select_from(model).scalar_subquery()
    return low + cast(func.floor(func.random() * count), Integer)


def generate(rows: int) -> None:
    """`rows` random expenses over 2019-2022 on the seeded registers, in one INSERT ... SELECT."""
    numbers = func.generate_series(1, rows).table_valued("n")
    values = select(
        _pick(DepartmentModel),
        _pick(ProjectModel),
        _pick(MemberModel),
        func.round(cast(1 + func.random() * 9999, Numeric(12, 2)), 2),
        literal("EUR"),
        cast(literal(FIRST_DAY, Date) + cast(func.floor(func.random() * 1461), Integer), Date),
        literal(""),
    ).select_from(numbers)
    columns = [
        "department_id",
        "project_id",
        "member_id",
        "amount",
        "currency",
        "spent_on",
        "description",
    ]
    database = service(Database, app)
    with database.engine.begin() as connection:
        connection.execute(text("SET LOCAL statement_timeout = 0"))  # a long insert, once
        connection.execute(select(func.setseed(0.1)))
        connection.execute(insert(ExpenseModel).from_select(columns, values))
    with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE expense"))


def timed(run: Callable[[], object]) -> float:
    """Median milliseconds of REPEAT runs, after one warm-up."""
    run()
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def keys_at(position: int) -> tuple[Any, ...]:
    """The sort values of the row at `position` of the filtered, sorted list (a cursor's)."""
    keys = PageRequest(sort=SORT).keys
    statement = (
        select(*(COLUMNS[k.name] for k in keys))
        .select_from(JOINED)
        .where(*(f.condition(COLUMNS[f.name]) for f in FILTERS))
        .order_by(*order_by(COLUMNS, keys))
        .offset(position)
        .limit(1)
    )
    with service(Database, app).reading() as connection:
        return tuple(connection.execute(statement).one())


def pages() -> None:
    reports = service(ExpenseReports, app)
    with service(Database, app).reading() as connection:
        total = connection.scalar(
            select(func.count())
            .select_from(JOINED)
            .where(*(f.condition(COLUMNS[f.name]) for f in FILTERS))
        )
    print(
        f"| page of 50 (department in IT,Sales, amount >= 100, sort -date; {total:,} matches) "
        "| cursor ms | offset ms (with the count, as the API does) |"
    )
    print("|---|---|---|")
    for position in (0, 10_000, total // 2, total - 100):
        after = keys_at(position - 1) if position else None
        cursor = ExpenseQuery(FILTERS, PageRequest(sort=SORT, after=after, by_cursor=True))
        offset = ExpenseQuery(FILTERS, PageRequest(sort=SORT, offset=position))
        print(
            f"| at row {position:,} | {timed(lambda q=cursor: reports.list(q)):.1f} "
            f"| {timed(lambda q=offset: reports.list(q)):.1f} |"
        )


def aggregates() -> None:
    reports = service(ExpenseReports, app)
    print("| aggregate over every expense, uncached | ms |")
    print("|---|---|")
    for by in (("department",), ("month",), ("department", "month")):
        query = AggregateQuery(by=by, metrics=("sum", "count", "avg", "share"))
        spent = timed(lambda q=query: reports.aggregate(q))
        print(f"| by {','.join(by)}, sum count avg share | {spent:.1f} |")


GRAPHQL = (
    '{ expenses(filter: [{field: "department", op: "in", value: "IT,Sales"}, {field: "amount", '
    'op: "gte", value: "100"}], sort: "-date", limit: 50) { items { id amount currency date '
    "quarter description version department { id name } project { id name } member { id name } } "
    "nextCursor } }"
)
REST = "/api/v1/expenses?department[in]=IT,Sales&amount[gte]=100&sort=-date&limit=50&cursor="


def graphql_beside_rest() -> None:
    client = app.test_client()
    cache = service(ResultCache, app)

    def rest() -> None:
        cache.clear()
        assert client.get(REST).status_code == 200

    def graphql() -> None:
        response = client.post("/graphql", json={"query": GRAPHQL})
        assert response.status_code == 200
        assert "errors" not in response.get_json()

    print("| the same first page of 50, in process, uncached | ms |")
    print("|---|---|")
    print(f"| REST `{REST}` | {timed(rest):.1f} |")
    print(f"| GraphQL (the same filters, sort and fields) | {timed(graphql):.1f} |")


if __name__ == "__main__":
    with app.app_context():
        if sys.argv[1] == "generate":
            generate(int(sys.argv[2]))
        else:
            pages()
            print()
            aggregates()
            print()
            graphql_beside_rest()
