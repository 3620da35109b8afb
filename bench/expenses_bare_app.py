"""The baseline: a bare Flask app serving, from memory, the JSON body of an expenses list page.

gunicorn --config gunicorn.conf.py bench.expenses_bare_app:app   (BENCH_BODY names the file)
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, Response

BODY = Path(os.environ.get("BENCH_BODY", "bench/out/expenses_page.json")).read_bytes()
app = Flask(__name__)


@app.get("/api/v1/expenses")
def list_expenses() -> Response:
    return Response(BODY, mimetype="application/json")
