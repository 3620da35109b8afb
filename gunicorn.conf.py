"""gunicorn settings; every value can be overridden from the environment."""

import os

from mosaic.config import available_cores, server_layout

# One worker per core (a container's CPU quota counts) and 2 threads each, unless WEB_CONCURRENCY,
# GUNICORN_THREADS or GUNICORN_WORKER_CLASS say otherwise: see docs/performance.md, "gunicorn".
workers, threads, worker_class = server_layout(os.environ, cores=available_cores())


def on_starting(server):  # type: ignore[no-untyped-def]
    """Tell the app how many workers run (it refuses a random per-process key under several)."""
    os.environ["MOSAIC_WORKERS"] = str(server.cfg.workers)


timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# At nginx's large_client_header_buffers (8k): nginx refuses longer lines and headers first, as
# problem details; gunicorn's own 400/414/431 pages are HTML (only seen without nginx).
limit_request_line = 8190
limit_request_field_size = 8190
accesslog = None  # the app writes one JSON access line per request
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# No control socket: nothing here uses it, the container's root filesystem is read-only, and
# two gunicorns on one host (tests, benchmarks) would share its default path in $HOME.
control_socket_disable = True
# gunicorn's own lines (start, workers, timeouts) as JSON on stdout too, like the app's.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "mosaic.platform.observability.JsonFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stdout",
        }
    },
    "root": {"level": "WARNING", "handlers": ["stdout"]},
    "loggers": {
        "gunicorn.access": {"level": "WARNING", "handlers": ["stdout"], "propagate": False},
        "gunicorn.error": {
            "level": os.environ.get("LOG_LEVEL", "INFO").upper(),
            "handlers": ["stdout"],
            "propagate": False,
        },
    },
}
