#!/usr/bin/env bash
# Container entrypoint: migrate, optionally seed, then hand PID 1 to gunicorn.
# With arguments, run them instead (one-off tasks), e.g.
#   docker compose run --rm api flask --app mosaic seed all
set -euo pipefail

if [ "$#" -gt 0 ]; then
    exec "$@"
fi

alembic upgrade head
# The coming months' partitions of the sensor readings, and their retention (idempotent).
flask --app mosaic sensors partitions

# Same truthy values as mosaic.config (1, true, yes, on).
case "${SEED_ON_START:-false}" in
    1 | [Tt][Rr][Uu][Ee] | [Yy][Ee][Ss] | [Oo][Nn])
        flask --app mosaic seed all
        ;;
esac

# Compose passes a variable left out of .env as an empty string; gunicorn itself reads
# WEB_CONCURRENCY and fails on "". Empty means unset: the layout follows the cores.
for name in WEB_CONCURRENCY GUNICORN_THREADS GUNICORN_WORKER_CLASS; do
    [ -n "${!name-}" ] || unset "$name"
done
exec gunicorn --config gunicorn.conf.py --bind "0.0.0.0:${PORT:-8000}" mosaic.wsgi:app
