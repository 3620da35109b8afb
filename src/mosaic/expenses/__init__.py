"""expenses (issue 10): who spent what, where and when; queries, commands and aggregates."""

from __future__ import annotations

from flask import Flask

from mosaic.platform.wiring import Platform, provide

OPENAPI_TAGS = [
    {"name": "expenses", "description": "Expenses: the query API, aggregates, commands, import."},
    {"name": "departments", "description": "The departments expenses are spent for."},
    {"name": "projects", "description": "The projects expenses are spent on."},
    {"name": "members", "description": "The members who spend."},
    {"name": "graphql", "description": "Expenses in GraphQL, and GraphiQL's files."},
]


def init_app(app: Flask, platform: Platform) -> None:
    """Wire the read model, the command services and the import, then the blueprints."""
    from mosaic.expenses import services
    from mosaic.expenses.api import BLUEPRINTS
    from mosaic.expenses.queries import ExpenseReadModel
    from mosaic.expenses.repository import ExpensesUnitOfWork

    database = platform.database
    # How long a worker may trust the data revision it read when it is not pushed (0: read it
    # on every request).
    staleness_s = int(app.config.get("EXPENSES_READ_STALENESS_MS") or 0) / 1000
    read_model = ExpenseReadModel(
        database.reading, read_scalar=database.read_scalar, staleness_s=staleness_s
    )
    platform.revisions.follow(read_model.REVISION_COUNTER, read_model.revision)

    def uow() -> ExpensesUnitOfWork:
        return ExpensesUnitOfWork(database.sessions)  # read at call time: tests pin sessions

    commands = (
        services.ExpenseService,
        services.ExpenseImport,
        services.DepartmentService,
        services.ProjectService,
        services.MemberService,
    )
    # Each write forgets the revision this worker read, so its own change shows at once.
    changed = read_model.revision.forget
    provide(
        app,
        services.ExpenseReports(read_model),
        *(command(uow, on_change=changed) for command in commands),
    )
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
