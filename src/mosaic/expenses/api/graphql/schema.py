"""The GraphQL schema of expenses: the same filters, sorts, cursors and aggregates as REST.

Arguments are read by the REST query schemas (a filter `{field, op, value}` is the query
parameter `field[op]=value`), so both APIs accept and refuse the same things; resolvers call
the same service (ExpenseReports).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import marshmallow as ma
import strawberry
from graphql import GraphQLError
from strawberry.scalars import JSON

from mosaic.expenses.domain import ExpenseView, format_amount
from mosaic.expenses.queries import ExpenseQuery
from mosaic.expenses.schemas import ExpenseAggregateQuery, ExpenseListQuery
from mosaic.expenses.services import ExpenseReports, RegisterService
from mosaic.expenses.services.registers import DepartmentService, MemberService, ProjectService
from mosaic.platform.errors import NotFound
from mosaic.platform.pagination import PageRequest, encode_cursor
from mosaic.platform.querystring import Filter
from mosaic.platform.wiring import service


@strawberry.input
class FilterInput:
    """`{field: "amount", op: "gte", value: "1400"}` is the REST parameter amount[gte]=1400."""

    field: str
    value: str
    op: str = "eq"


def _read(schema: ma.Schema, params: dict[str, Any]) -> Any:
    try:
        return schema.load(params)
    except ma.ValidationError as error:
        raise GraphQLError(f"Invalid arguments: {error.messages}") from error


def _params(filters: list[FilterInput], prefix: str = "") -> dict[str, str]:
    return {
        (f"{prefix}[{f.field}][{f.op}]" if prefix else f"{f.field}[{f.op}]"): f.value
        for f in filters
    }


def _expenses_of(column: str, register_id: int, limit: int) -> list[Expense]:
    query = ExpenseQuery(
        filters=(Filter(column, "eq", register_id),),
        page=PageRequest(limit=min(limit, 500), by_cursor=True),
    )
    return [Expense.of(view) for view in service(ExpenseReports).list(query).items]


@strawberry.type
class Department:
    id: int
    name: str

    @strawberry.field
    def expenses(self, limit: int = 10) -> list[Expense]:
        return _expenses_of("department_id", self.id, limit)


@strawberry.type
class Project:
    id: int
    name: str

    @strawberry.field
    def expenses(self, limit: int = 10) -> list[Expense]:
        return _expenses_of("project_id", self.id, limit)


@strawberry.type
class Member:
    id: int
    name: str

    @strawberry.field
    def expenses(self, limit: int = 10) -> list[Expense]:
        return _expenses_of("member_id", self.id, limit)


@strawberry.type
class Expense:
    id: int
    department: Department
    project: Project
    member: Member
    amount: str  # an exact decimal, like "1200.00"
    currency: str
    date: date
    quarter: str
    description: str
    version: int

    @classmethod
    def of(cls, view: ExpenseView) -> Expense:
        return cls(
            id=view.id,
            department=Department(id=view.department_id, name=view.department),
            project=Project(id=view.project_id, name=view.project),
            member=Member(id=view.member_id, name=view.member),
            amount=format_amount(view.amount),
            currency=view.currency,
            date=view.spent_on,
            quarter=view.quarter,
            description=view.description,
            version=view.version,
        )


@strawberry.type
class ExpensePage:
    items: list[Expense]
    total: int | None  # null for cursor pages (they skip the count)
    next_cursor: str | None


def _registers(kind: type[RegisterService]) -> list[Any]:
    return list(service(kind).list())


@strawberry.type
class Query:
    @strawberry.field
    def expenses(
        self,
        filters: Annotated[list[FilterInput] | None, strawberry.argument(name="filter")] = None,
        sort: str = "id",
        limit: int = 50,
        after: str | None = None,
    ) -> ExpensePage:
        params = {
            **_params(filters or []),
            "sort": sort,
            "limit": str(limit),
            "cursor": after or "",
        }
        asked = _read(ExpenseListQuery(), params)
        page = service(ExpenseReports).list(asked.query)
        keys = asked.query.page.keys
        more = page.has_more and page.last_keys is not None
        return ExpensePage(
            items=[Expense.of(view) for view in page.items],
            total=None,
            next_cursor=encode_cursor(keys, page.last_keys) if more and page.last_keys else None,
        )

    @strawberry.field
    def expense(self, expense_id: Annotated[int, strawberry.argument(name="id")]) -> Expense | None:
        try:
            return Expense.of(service(ExpenseReports).get_or_raise(expense_id))
        except NotFound:
            return None

    @strawberry.field
    def aggregates(
        self,
        by: list[str],
        metrics: list[str] | None = None,
        filters: Annotated[list[FilterInput] | None, strawberry.argument(name="filter")] = None,
        having: list[FilterInput] | None = None,
        sort: str | None = None,
    ) -> list[JSON]:
        """Groups with exact metrics, as in /api/v1/expenses/aggregates."""
        params = {
            "by": ",".join(by),
            "metrics": ",".join(metrics or ["sum", "count"]),
            **_params(filters or []),
            **_params(having or [], prefix="having"),
            **({"sort": sort} if sort else {}),
        }
        asked = _read(ExpenseAggregateQuery(), params)
        groups = service(ExpenseReports).aggregate(asked.query)
        return [
            JSON({k: v if isinstance(v, int | str) or v is None else str(v) for k, v in g.items()})
            for g in groups
        ]

    @strawberry.field
    def departments(self) -> list[Department]:
        return [Department(id=r.id, name=r.name) for r in _registers(DepartmentService)]

    @strawberry.field
    def projects(self) -> list[Project]:
        return [Project(id=r.id, name=r.name) for r in _registers(ProjectService)]

    @strawberry.field
    def members(self) -> list[Member]:
        return [Member(id=r.id, name=r.name) for r in _registers(MemberService)]
