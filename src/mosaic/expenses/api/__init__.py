"""The blueprints of expenses: queries (reads), commands (writes) and the registers."""

from mosaic.expenses.api import commands, graphql, queries, registers

BLUEPRINTS = (queries.blueprint, commands.blueprint, registers.blueprint, graphql.blueprint)

__all__ = ["BLUEPRINTS"]
