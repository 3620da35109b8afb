"""The cost of a GraphQL query, refused before it runs when it exceeds MAX_COST.

Each field selected costs 1 per object it is asked on; a list multiplies what it selects by its
`limit` argument (or its default, or MAX_LIMIT when the limit is a variable). Depth is limited
separately (strawberry's QueryDepthLimiter).
"""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
)

MAX_COST = 10_000
MAX_DEPTH = 5
MAX_LIMIT = 500
# Lists and how many items they give when no limit is sent.
LIST_DEFAULTS = {
    "expenses": 50,
    "items": 1,
    "aggregates": 100,
    "departments": 20,
    "projects": 20,
    "members": 20,
}


def _limit(field: FieldNode) -> int:
    for argument in field.arguments or ():
        if argument.name.value == "limit":
            value = argument.value
            return int(value.value) if isinstance(value, IntValueNode) else MAX_LIMIT
    return LIST_DEFAULTS.get(field.name.value, 1)


def cost_of(
    selections: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    multiplier: int = 1,
    seen: frozenset[str] = frozenset(),
) -> int:
    """What a selection set costs when asked on `multiplier` objects."""
    if selections is None:
        return 0
    total = 0
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            total += multiplier
            total += cost_of(
                selection.selection_set, fragments, multiplier * _limit(selection), seen
            )
        elif isinstance(selection, InlineFragmentNode):
            total += cost_of(selection.selection_set, fragments, multiplier, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in fragments and name not in seen:
                total += cost_of(
                    fragments[name].selection_set, fragments, multiplier, seen | {name}
                )
    return total


class CostLimit(ValidationRule):
    """Refuses an operation whose cost (see the module) is above MAX_COST."""

    def enter_operation_definition(self, node: OperationDefinitionNode, *_args: Any) -> None:
        fragments = {
            d.name.value: d
            for d in self.context.document.definitions
            if isinstance(d, FragmentDefinitionNode)
        }
        cost = cost_of(node.selection_set, fragments)
        if cost > MAX_COST:
            self.report_error(
                GraphQLError(
                    f"The query would cost {cost} (the limit is {MAX_COST}): ask for fewer "
                    "items (limit) or fewer nested lists.",
                    node,
                )
            )
