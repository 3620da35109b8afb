"""OpenAPI operations of both numbers versions, from one template (YAML read by apispec).

The versions share every operation, status and rule; only the tag, the schema names and the
examples differ, so each version's operations are `VersionDocs(...)` filled into the same text.
Examples are written as JSON, which YAML reads as flow mappings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _responses(*statuses: int) -> str:
    names = {
        400: "BadRequest",
        401: "Unauthorized",
        403: "Forbidden",
        404: "NotFound",
        409: "Conflict",
        412: "PreconditionFailed",
        415: "UnsupportedMediaType",
        422: "UnprocessableEntity",
        428: "PreconditionRequired",
    }
    return "\n".join(
        f'    {status}: {{$ref: "#/components/responses/{names[status]}"}}' for status in statuses
    )


ITEM_PARAMETER = (
    "  - {in: path, name: number_id, required: true, schema: {type: integer}, example: 42}"
)
IF_MATCH_PARAMETER = (
    "  - {in: header, name: If-Match, required: true, schema: {type: string}, "
    "example: '\"pn-42-v1\"'}"
)
PAGE_HEADERS = """\
      headers:
        X-Total-Count: {schema: {type: integer}, description: Numbers matching the filters}
        Link: {schema: {type: string}, description: "first, prev, next, last; or next"}"""
CHANGE_ERRORS = (401, 403, 404, 409, 412, 422, 428)


@dataclass(frozen=True)
class VersionDocs:
    """What tells one version's documentation from the other's."""

    version: str  # "v1"
    list_summary: str
    list_schema: str  # the 200 body of the list, as a YAML schema
    list_example: Any
    create_example: dict[str, Any]
    read_example: dict[str, Any]
    changed_example: dict[str, Any]  # read_example after patch_example
    patch_example: dict[str, Any]

    @property
    def suffix(self) -> str:
        return self.version.upper()

    def _operation(self, title: str, method: str, body: str) -> str:
        return f"{title}\n---\n{method}:\n  tags: [numbers {self.version}]\n{body}"

    def _json_content(self, schema: str, example: Any, indent: str) -> str:
        return (
            f"{indent}content:\n{indent}  application/json:\n"
            f"{indent}    schema: {schema}\n{indent}    example: {_json(example)}"
        )

    def _body(self, schema: str, example: Any) -> str:
        return "  requestBody:\n    required: true\n" + self._json_content(schema, example, "    ")

    @property
    def list(self) -> str:
        return self._operation(
            "List numbers.",
            "get",
            f"""  summary: {self.list_summary}
  description: The total is in X-Total-Count; pages (or the cursor) in Link (RFC 8288).
    Unknown parameters, a bad page or per_page > 100 get 400.
  parameters: [{{in: query, schema: NumberQuery{self.suffix}}}]
  responses:
    200:
      description: The page
{PAGE_HEADERS}
{self._json_content(self.list_schema, self.list_example, "      ")}
{_responses(400)}""",
        )

    @property
    def create(self) -> str:
        return self._operation(
            "Create a number.",
            "post",
            f"""  summary: Add a number (editor); the same number in another writing is a 409
  security: [{{bearerAuth: []}}]
{self._body(f"NumberCreate{self.suffix}", self.create_example)}
  responses:
    201:
      description: Created; Location names it
      headers: {{Location: {{schema: {{type: string}}}}, ETag: {{schema: {{type: string}}}}}}
{self._json_content(f"NumberRead{self.suffix}", self.read_example, "      ")}
{_responses(401, 403, 409, 415, 422)}""",
        )

    @property
    def batch(self) -> str:
        many = f"{{type: array, items: NumberRead{self.suffix}}}"
        many_new = (
            "{type: array, minItems: 1, maxItems: 1000, uniqueItems: true, "
            f"items: NumberCreate{self.suffix}}}"
        )
        return self._operation(
            "Create numbers in one go.",
            "post",
            f"""  summary: Add up to 1000 numbers from a JSON array, all or nothing (editor)
  security: [{{bearerAuth: []}}]
{self._body(many_new, [self.create_example])}
  responses:
    201:
      description: All created
{self._json_content(many, [self.read_example], "      ")}
{_responses(401, 403, 409, 422)}""",
        )

    @property
    def get(self) -> str:
        return self._operation(
            "Read a number.",
            "get",
            f"""  summary: One number, with its ETag (send it back in If-Match to change it)
  parameters:
  {ITEM_PARAMETER}
  responses:
    200:
      description: The number
      headers: {{ETag: {{schema: {{type: string}}, description: the number's version}}}}
{self._json_content(f"NumberRead{self.suffix}", self.read_example, "      ")}
{_responses(404)}""",
        )

    def _change(self, title: str, method: str, summary: str, schema: str, example: Any) -> str:
        return self._operation(
            title,
            method,
            f"""  summary: {summary}
  security: [{{bearerAuth: []}}]
  parameters:
  {ITEM_PARAMETER}
  {IF_MATCH_PARAMETER}
{self._body(schema, example)}
  responses:
    200:
      description: {"Replaced" if method == "put" else "Changed"}; the new ETag is in ETag
{self._json_content(f"NumberRead{self.suffix}", self.changed_example, "      ")}
{_responses(*CHANGE_ERRORS)}""",
        )

    @property
    def replace(self) -> str:
        summary = "Replace every field (editor); needs If-Match with the current ETag"
        whole = {**self.create_example, **self.patch_example}
        return self._change(
            "Replace a number.", "put", summary, f"NumberUpdate{self.suffix}", whole
        )

    @property
    def change(self) -> str:
        summary = "Change the fields sent (editor); needs If-Match with the current ETag"
        return self._change(
            "Change some fields of a number.",
            "patch",
            summary,
            f"{{allOf: [NumberPatch{self.suffix}], minProperties: 1}}",
            self.patch_example,
        )

    @property
    def delete(self) -> str:
        return self._operation(
            "Delete a number.",
            "delete",
            f"""  summary: Remove a number from the inventory (editor); needs If-Match
  security: [{{bearerAuth: []}}]
  parameters:
  {ITEM_PARAMETER}
  {IF_MATCH_PARAMETER}
  responses:
    204: {{description: Deleted}}
{_responses(401, 403, 404, 412, 428)}""",
        )
