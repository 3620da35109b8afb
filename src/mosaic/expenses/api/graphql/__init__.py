"""POST/GET /graphql: expenses in GraphQL (strawberry), with depth and cost limits, and GraphiQL
served from installed assets (npm's graphiql, react, react-dom: no CDN)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import cast

import strawberry
from cross_web import HTTPException as TransportError
from flask import (
    Blueprint,
    Request,
    Response,
    abort,
    current_app,
    request,
    send_from_directory,
)
from flask.typing import ResponseReturnValue
from graphql import GraphQLError
from strawberry.extensions import AddValidationRules, QueryDepthLimiter
from strawberry.flask.views import GraphQLView
from strawberry.types import ExecutionContext

from mosaic.expenses import openapi_docs as docs
from mosaic.expenses.api.graphql.limits import MAX_DEPTH, CostLimit
from mosaic.expenses.api.graphql.schema import Query
from mosaic.platform.auth.tokens import read_access
from mosaic.platform.errors import problem
from mosaic.platform.openapi import operation
from mosaic.platform.parsing import load_json_body

log = logging.getLogger("mosaic.graphql")


class ExpensesSchema(strawberry.Schema):
    """Client errors (a bad argument, a query too deep or too costly) are logged without a
    traceback: they are answered in `errors`, never as a 500."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            log.info("graphql error: %s", error.message)


SCHEMA = ExpensesSchema(
    query=Query,
    extensions=[
        lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),  # a fresh one per request
        lambda: AddValidationRules([CostLimit]),
    ],
)
# The files GraphiQL needs, by the name the page asks for -> their path under node_modules.
ASSETS = {
    "react.js": "react/umd/react.production.min.js",
    "react-dom.js": "react-dom/umd/react-dom.production.min.js",
    "graphiql.js": "graphiql/graphiql.min.js",
    "graphiql.css": "graphiql/graphiql.min.css",
}
IDE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Mosaic GraphiQL</title>
<link rel="stylesheet" href="/graphiql/assets/graphiql.css">
<style>body{margin:0;height:100vh}#graphiql{height:100vh}</style></head>
<body><div id="graphiql">Loading GraphiQL...</div>
<script src="/graphiql/assets/react.js"></script>
<script src="/graphiql/assets/react-dom.js"></script>
<script src="/graphiql/assets/graphiql.js"></script>
<script>
const fetcher = GraphiQL.createFetcher({url: "/graphql"});
ReactDOM.createRoot(document.getElementById("graphiql")).render(
  React.createElement(GraphiQL, {fetcher, defaultEditorToolsVisibility: true,
    defaultQuery: "{ aggregates(by: [\\"department\\"], metrics: [\\"sum\\", \\"share\\"]) }"}));
</script></body></html>"""

blueprint = Blueprint("expenses_graphql", __name__)


class ExpensesGraphQLView(GraphQLView):
    """GraphQL over HTTP; a malformed request is a problem+json like every error here."""

    def dispatch_request(self) -> ResponseReturnValue:
        # The platform's one reader decides what a JSON body may be (depth, digits, UTF-8)
        # before strawberry decodes it again.
        if (
            request.method == "POST"
            and request.is_json
            and not isinstance(load_json_body(request.get_data(cache=True)), dict)
        ):
            return problem(400, 'Send a JSON object: {"query": "...", "variables": {...}}.')
        try:
            return self.run(request=request)
        except TransportError as error:
            return problem(error.status_code, error.reason)

    def render_graphql_ide(self, _request: Request) -> Response:
        return Response(IDE, mimetype="text/html")


_view = ExpensesGraphQLView.as_view("graphql", schema=SCHEMA, graphql_ide="graphiql")
blueprint.add_url_rule(
    "/graphql",
    view_func=operation(docs.GRAPHQL)(read_access(cast(Callable[..., ResponseReturnValue], _view))),
    methods=["GET", "POST"],
)


@blueprint.get("/graphiql/assets/<string:name>")
@operation(docs.GRAPHIQL_ASSET)
def graphiql_asset(name: str) -> ResponseReturnValue:
    if name not in ASSETS:
        abort(404, description=f"No GraphiQL asset is named {name!r}.")
    folder = Path(current_app.config["GRAPHIQL_ASSETS_DIR"])
    path = folder / ASSETS[name]
    if not path.is_file():
        abort(404, description=f"GraphiQL's assets are not installed in {folder} (npm ci).")
    return send_from_directory(path.parent, path.name, max_age=86400)
