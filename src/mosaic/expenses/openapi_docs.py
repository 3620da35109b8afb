"""OpenAPI operations of expenses (YAML that apispec reads from the views' docstrings)."""

from __future__ import annotations

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


def _errors(codes: tuple[int, ...]) -> str:
    return "".join(
        f'    {code}: {{$ref: "#/components/responses/{ERRORS[code]}"}}\n' for code in codes
    )


def _op(
    method: str, *, tag: str, summary: str, ok: str, errors: tuple[int, ...], extra: str = ""
) -> str:
    secured = "  security: [{bearerAuth: []}]\n" if method not in {"get"} else ""
    return (
        f"{summary}\n---\n{method}:\n  tags: [{tag}]\n  summary: {summary}\n{secured}{extra}"
        f"  responses:\n{ok}{_errors(errors)}"
    )


def _json(code: int, description: str, schema: str = "{type: object}") -> str:
    return (
        f"    {code}:\n      description: {description}\n      content:\n"
        f"        application/json:\n          schema: {schema}\n"
    )


def _body(schema: str) -> str:
    return (
        "  requestBody:\n    required: true\n    content:\n      application/json:\n"
        f"        schema: {schema}\n"
    )


LIST_PARAMS = """  parameters:
  - {in: query, name: sort, schema: {type: string}, example: "-amount,date"}
  - {in: query, name: order, schema: {type: string, enum: [asc, desc]}}
  - {in: query, name: fields, schema: {type: string}, example: "department,member,amount"}
  - {in: query, name: limit, schema: {type: integer, minimum: 1, maximum: 500}}
  - {in: query, name: offset, schema: {type: integer, minimum: 0}}
  - {in: query, name: cursor, schema: {type: string}}
  - {in: query, name: format, schema: {type: string, enum: [json, csv]}}
  - {in: query, name: "amount[gte]", schema: {type: string}, example: "1400",
     description: "Any filter field[op]=value: fields id, department(s), project(_name),
       member(_name), amount, date, currency, description; ops eq ne gt gte lt lte in contains"}
  - {in: query, name: member_name, schema: {type: string}, example: Sam}
"""
AGGREGATE_PARAMS = """  parameters:
  - {in: query, name: by, schema: {type: string}, example: "department,month"}
  - {in: query, name: metrics, schema: {type: string}, example: "sum,count,avg,min,max,share"}
  - {in: query, name: "having[sum][gte]", schema: {type: string}, example: "1000"}
  - {in: query, name: sort, schema: {type: string}, example: "-sum"}
  - {in: query, name: order, schema: {type: string, enum: [asc, desc]}}
  - {in: query, name: format, schema: {type: string, enum: [json, csv]}}
"""
CSV_OK = (
    "    200:\n      description: The page (JSON envelope) or every match (text/csv)\n"
    "      content:\n        application/json:\n          schema: {type: object}\n"
    "        text/csv:\n          schema: {type: string}\n"
)
TAG = "expenses"
LIST = _op(
    "get",
    tag=TAG,
    summary="Expenses, filtered, sorted and paged",
    ok=CSV_OK,
    errors=READ_ERRORS,
    extra=LIST_PARAMS,
)
GET = _op(
    "get",
    tag=TAG,
    summary="One expense, denormalized",
    ok=_json(200, "The expense", "ExpenseRead"),
    errors=(401, 404, 429, 503),
)
AGGREGATES = _op(
    "get",
    tag=TAG,
    summary="Totals per group (exact decimals)",
    ok=CSV_OK,
    errors=READ_ERRORS,
    extra=AGGREGATE_PARAMS,
)
CREATE = _op(
    "post",
    tag=TAG,
    summary="Create an expense, or a batch (a JSON array)",
    ok=_json(201, "Created"),
    errors=WRITE_ERRORS,
    extra=_body("ExpenseCreate"),
)
PATCH_MANY = _op(
    "patch",
    tag=TAG,
    summary="Change many expenses (all or nothing)",
    ok=_json(200, "Changed"),
    errors=(*WRITE_ERRORS, 404, 412),
    extra=_body("{type: array, items: ExpenseBatchPatch}"),
)
DELETE_MANY = _op(
    "delete",
    tag=TAG,
    summary="Delete many expenses by id and version",
    ok="    204: {description: Deleted}\n",
    errors=(*WRITE_ERRORS, 404, 412),
    extra=_body("{type: array, items: Versioned}"),
)
_ITEM_ERRORS = (*WRITE_ERRORS, 404, 412, 428)
REPLACE = _op(
    "put",
    tag=TAG,
    summary="Replace an expense (If-Match)",
    ok=_json(200, "Replaced", "ExpenseRead"),
    errors=_ITEM_ERRORS,
    extra=_body("ExpenseUpdate"),
)
CHANGE = _op(
    "patch",
    tag=TAG,
    summary="Change an expense (If-Match)",
    ok=_json(200, "Changed", "ExpenseRead"),
    errors=_ITEM_ERRORS,
    extra=_body("ExpensePatch"),
)
DELETE = _op(
    "delete",
    tag=TAG,
    summary="Delete an expense (If-Match)",
    ok="    204: {description: Deleted}\n",
    errors=(400, 401, 403, 404, 412, 428, 429, 503),
)
IMPORT = _op(
    "post",
    tag=TAG,
    summary="Import a CSV in the source format (one transaction)",
    ok=_json(201, "Imported") + _json(200, "Dry run"),
    errors=(400, 401, 403, 415, 422, 429, 503),
    extra="  requestBody:\n    content:\n      text/csv:\n        schema: {type: string}\n",
)


def register_create(collection: str) -> str:
    return _op(
        "post",
        tag=collection,
        summary=f"Create one of the {collection}",
        ok=_json(201, "Created", "RegisterRead"),
        errors=(*WRITE_ERRORS, 409),
        extra=_body("RegisterCreate"),
    )


def register_list(collection: str) -> str:
    return _op(
        "get",
        tag=collection,
        summary=f"Every one of the {collection}",
        ok=_json(200, "The list"),
        errors=(401, 429, 503),
    )


def register_get(collection: str) -> str:
    return _op(
        "get",
        tag=collection,
        summary=f"One of the {collection}",
        ok=_json(200, "Found", "RegisterRead"),
        errors=(401, 404, 429, 503),
    )


def register_update(collection: str) -> str:
    put = _op(
        "put",
        tag=collection,
        summary=f"Rename one of the {collection} (If-Match)",
        ok=_json(200, "Renamed", "RegisterRead"),
        errors=(*_ITEM_ERRORS, 409),
        extra=_body("RegisterUpdate"),
    )
    patch = put.split("---\n", 1)[1].replace("put:", "patch:", 1)
    return f"{put}\n{patch}"


def register_delete(collection: str) -> str:
    return _op(
        "delete",
        tag=collection,
        summary=f"Delete one of the {collection} (If-Match)",
        ok="    204: {description: Deleted}\n",
        errors=(400, 401, 403, 404, 409, 412, 428, 429, 503),
    )
