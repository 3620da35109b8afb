"""OpenAPI operations of expenses (YAML that apispec reads from the views' docstrings)."""

from __future__ import annotations

import json

from mosaic.expenses.schemas.queries import AMOUNT_PATTERN

ERRORS = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    409: "Conflict",
    412: "PreconditionFailed",
    415: "UnsupportedMediaType",
    422: "UnprocessableEntity",
    428: "PreconditionRequired",
    429: "TooManyRequests",
    503: "ServiceUnavailable",
}
READ_ERRORS = (400, 401, 429, 503)
WRITE_ERRORS = (400, 401, 403, 415, 422, 429, 503)
ITEM_ERRORS = (*WRITE_ERRORS, 404, 412, 428)
EXPENSE = {
    "id": 1,
    "department": "IT",
    "project": "Gaama",
    "member": "Sam",
    "amount": "1200.00",
    "currency": "EUR",
    "date": "2021-10-02",
    "quarter": "2021-Q4",
    "description": "",
    "version": 1,
    "links": {
        "self": "/api/v1/expenses/1",
        "collection": "/api/v1/expenses",
        "department": "/api/v1/departments/1",
        "project": "/api/v1/projects/1",
        "member": "/api/v1/members/1",
    },
}
WRITE = {
    "department_id": 1,
    "project_id": 1,
    "member_id": 1,
    "amount": "12.34",
    "date": "2021-05-01",
}
CSV_EXAMPLE = (
    '        example: "departments,project_name,amount,date,member_name\\n'
    'IT,Gaama,\\"1,200.00€\\",10/2/2021,Sam\\n"\n'
)
IF_MATCH = (
    '{in: header, name: If-Match, required: true, schema: {type: string}, example: "\\"e-1-v1\\""}'
)


def _errors(codes: tuple[int, ...]) -> str:
    return "".join(f'    {c}: {{$ref: "#/components/responses/{ERRORS[c]}"}}\n' for c in codes)


def _params(*lines: str) -> str:
    return "  parameters:\n" + "".join(f"  - {line}\n" for line in lines) if lines else ""


def _path(name: str) -> str:
    return f"{{in: path, name: {name}, required: true, schema: {{type: integer}}, example: 1}}"


def _op(
    method: str,
    *,
    tag: str,
    summary: str,
    ok: str,
    errors: tuple[int, ...],
    params: str = "",
    body: str = "",
) -> str:
    secured = "  security: [{bearerAuth: []}]\n" if method != "get" else ""
    return (
        f"{summary}\n---\n{method}:\n  tags: [{tag}]\n  summary: {summary}\n{secured}{params}{body}"
        f"  responses:\n{ok}{_errors(errors)}"
    )


def _json(code: int, description: str, example: object, schema: str = "{type: object}") -> str:
    return (
        f"    {code}:\n      description: {description}\n      content:\n"
        f"        application/json:\n          schema: {schema}\n"
        f"          example: {json.dumps(example)}\n"
    )


def _body(schema: str, example: object) -> str:
    return (
        "  requestBody:\n    required: true\n    content:\n      application/json:\n"
        f"        schema: {schema}\n        example: {json.dumps(example)}\n"
    )


NO_CONTENT = "    204: {description: Done}\n"
_AMOUNT = json.dumps(AMOUNT_PATTERN)
LIST_PARAMS = _params(
    "{in: query, schema: ExpenseListQuery}",
    f'{{in: query, name: "amount[gte]", schema: {{type: string, pattern: {_AMOUNT}}}, '
    'example: "1400", description: '
    '"Any field[op]=value: fields id, department(s), project(_name), member(_name), amount, '
    'date, currency, description; ops eq ne gt gte lt lte in contains"}',
    "{in: query, name: member_name, schema: {type: string}, example: Sam}",
)
AGGREGATE_PARAMS = _params(
    "{in: query, schema: ExpenseAggregateQuery}",
    f'{{in: query, name: "having[sum][gte]", schema: {{type: string, pattern: {_AMOUNT}}}, '
    'example: "1000", description: "having[metric][op]=value on sum, count, avg, min, max"}',
)


def _listed(description: str, example: object) -> str:
    return (
        f"    200:\n      description: {description}\n      content:\n"
        "        application/json:\n          schema: {type: object}\n"
        f"          example: {json.dumps(example)}\n"
        "        text/csv:\n          schema: {type: string}\n"
    )


TAG = "expenses"
PAGE = {
    "data": [EXPENSE],
    "meta": {"total": 149, "limit": 50, "offset": 0, "sort": "id"},
    "links": {
        "self": "/api/v1/expenses",
        "first": "/api/v1/expenses",
        "next": "/api/v1/expenses?offset=50",
    },
}
GROUPS = {
    "data": [{"department": "IT", "currency": "EUR", "sum": "92222.00", "count": 23}],
    "meta": {"by": ["department"], "metrics": ["sum", "count"]},
    "links": {},
}
LIST = _op(
    "get",
    tag=TAG,
    summary="Expenses, filtered, sorted and paged (or CSV)",
    ok=_listed("A page in an envelope, or every match as CSV", PAGE),
    errors=READ_ERRORS,
    params=LIST_PARAMS,
)
GET = _op(
    "get",
    tag=TAG,
    summary="One expense, denormalized",
    ok=_json(200, "The expense", EXPENSE, "ExpenseRead"),
    errors=(401, 404, 429, 503),
    params=_params(_path("expense_id")),
)
AGGREGATES = _op(
    "get",
    tag=TAG,
    summary="Totals per group, exact decimals (or CSV)",
    ok=_listed("The groups", GROUPS),
    errors=READ_ERRORS,
    params=AGGREGATE_PARAMS,
)
CREATE = _op(
    "post",
    tag=TAG,
    summary="Create an expense, or a batch (a JSON array)",
    ok=_json(201, "Created", EXPENSE),
    errors=WRITE_ERRORS,
    body=_body(
        "{oneOf: [ExpenseCreate, "
        "{type: array, minItems: 1, maxItems: 1000, items: ExpenseCreate}]}",
        WRITE,
    ),
)
PATCH_MANY = _op(
    "patch",
    tag=TAG,
    summary="Change many expenses (all or nothing)",
    ok=_json(200, "Changed", {"data": [EXPENSE]}),
    errors=(*WRITE_ERRORS, 404, 412),
    body=_body(
        "{type: array, minItems: 1, maxItems: 1000, "
        "items: {allOf: [ExpenseBatchPatch], minProperties: 3}}",
        [{"id": 1, "version": 1, "description": "audited"}],
    ),
)
DELETE_MANY = _op(
    "delete",
    tag=TAG,
    summary="Delete many expenses by id and version",
    ok=NO_CONTENT,
    errors=(*WRITE_ERRORS, 404, 412),
    body=_body(
        "{type: array, minItems: 1, maxItems: 1000, items: Versioned}", [{"id": 1, "version": 1}]
    ),
)
_ITEM = _params(_path("expense_id"), IF_MATCH)
REPLACE = _op(
    "put",
    tag=TAG,
    summary="Replace an expense (If-Match)",
    params=_ITEM,
    ok=_json(200, "Replaced", EXPENSE, "ExpenseRead"),
    errors=ITEM_ERRORS,
    body=_body("ExpenseUpdate", WRITE),
)
CHANGE = _op(
    "patch",
    tag=TAG,
    summary="Change an expense (If-Match)",
    params=_ITEM,
    ok=_json(200, "Changed", EXPENSE, "ExpenseRead"),
    errors=ITEM_ERRORS,
    body=_body("{allOf: [ExpensePatch], minProperties: 1}", {"amount": "13.00"}),
)
DELETE = _op(
    "delete",
    tag=TAG,
    summary="Delete an expense (If-Match)",
    params=_ITEM,
    ok=NO_CONTENT,
    errors=(400, 401, 403, 404, 412, 428, 429, 503),
)
IMPORT = _op(
    "post",
    tag=TAG,
    summary="Import a CSV in the source format (one transaction)",
    params=_params("{in: query, name: dry_run, schema: {type: boolean}, example: true}"),
    ok=_json(
        201,
        "Imported",
        {"rows": 2, "inserted": 1, "duplicates": 1, "registers_created": 0, "dry_run": False},
    )
    + _json(
        200,
        "Dry run (nothing written)",
        {"rows": 2, "inserted": 1, "duplicates": 1, "registers_created": 0, "dry_run": True},
    ),
    errors=(400, 401, 403, 415, 422, 429, 503),
    body="  requestBody:\n    required: true\n    content:\n      text/csv:\n"
    "        schema: {type: string}\n" + CSV_EXAMPLE,
)


def _register(register_id: int = 1) -> dict[str, object]:
    return {"id": register_id, "name": "IT", "version": 1}


def register_create(collection: str) -> str:
    return _op(
        "post",
        tag=collection,
        summary=f"Create one of the {collection}",
        ok=_json(201, "Created", _register(), "RegisterRead"),
        errors=(*WRITE_ERRORS, 409),
        body=_body("RegisterCreate", {"name": "Legal"}),
    )


def register_list(collection: str) -> str:
    return _op(
        "get",
        tag=collection,
        summary=f"Every one of the {collection}",
        ok=_json(200, "The list", {"data": [_register()]}),
        errors=(401, 429, 503),
    )


def register_get(collection: str) -> str:
    return _op(
        "get",
        tag=collection,
        summary=f"One of the {collection}",
        ok=_json(200, "Found", _register(), "RegisterRead"),
        errors=(401, 404, 429, 503),
        params=_params(_path("register_id")),
    )


def register_update(collection: str) -> str:
    put = _op(
        "put",
        tag=collection,
        summary=f"Rename one of the {collection} (If-Match)",
        ok=_json(200, "Renamed", _register(), "RegisterRead"),
        errors=(*ITEM_ERRORS, 409),
        params=_params(_path("register_id"), IF_MATCH.replace("e-1-v1", "r-1-v1")),
        body=_body("RegisterUpdate", {"name": "Legal"}),
    )
    patch = put.split("---\n", 1)[1].replace("put:", "patch:", 1)
    return f"{put}\n{patch}"


def register_delete(collection: str) -> str:
    return _op(
        "delete",
        tag=collection,
        summary=f"Delete one of the {collection} (If-Match)",
        ok=NO_CONTENT,
        errors=(400, 401, 403, 404, 409, 412, 428, 429, 503),
        params=_params(_path("register_id"), IF_MATCH.replace("e-1-v1", "r-1-v1")),
    )


_QUERY = '{ aggregates(by: ["department"], metrics: ["sum", "share"]) }'
_ANSWER = {
    "data": {
        "aggregates": [{"department": "IT", "currency": "EUR", "sum": "92222.00", "share": "13.81"}]
    }
}
_GRAPHQL_OK = (
    "    200:\n      description: The result (errors in `errors`), or GraphiQL for a browser\n"
    "      content:\n        application/json:\n          schema: {type: object}\n"
    f"          example: {json.dumps(_ANSWER)}\n"
    "        text/html:\n          schema: {type: string}\n"
)
_GRAPHQL_ERRORS = (400, 401, 415, 429, 503)
GRAPHQL = (
    _op(
        "get",
        tag="graphql",
        summary="GraphQL query in the URL (or GraphiQL for a browser)",
        ok=_GRAPHQL_OK,
        errors=_GRAPHQL_ERRORS,
        params=_params(
            f"{{in: query, name: query, schema: {{type: string, minLength: 1}}, "
            f"example: '{_QUERY}'}}"
        ),
    )
    + "\n"
    + _op(
        "post",
        tag="graphql",
        summary="GraphQL query (expenses, aggregates, registers)",
        ok=_GRAPHQL_OK,
        errors=_GRAPHQL_ERRORS,
        body=_body(
            "{type: object, required: [query], properties: {query: {type: string, minLength: 1}, "
            "variables: {type: [object, 'null']}, operationName: {type: [string, 'null']}}}",
            {"query": _QUERY},
        ),
    ).split("---\n", 1)[1]
).replace("  security: [{bearerAuth: []}]\n", "")
GRAPHIQL_ASSET = _op(
    "get",
    tag="graphql",
    summary="A file of GraphiQL (react.js, react-dom.js, graphiql.js, .css)",
    ok="    200:\n      description: The file\n      content:\n"
    "        text/javascript:\n          schema: {type: string}\n"
    "        text/css:\n          schema: {type: string}\n",
    errors=(404,),
    params=_params(
        "{in: path, name: name, required: true, schema: {type: string}, example: graphiql.js}"
    ),
)
