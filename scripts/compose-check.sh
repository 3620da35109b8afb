#!/usr/bin/env bash
# `make compose-check`: the Dockerfile and both compose files run for real on this machine.
#   1. scripts/stand-in-images.sh: a Docker engine, Compose v2 and the base images (stand-ins
#      built from Debian's registry when Docker Hub cannot be reached; cached in Docker's store).
#   2. pytest tests/compose: the dev stack, the prod stack with two API replicas behind nginx.
# Every port is published on 127.0.0.1 only, picked free; the projects are torn down afterwards.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
started=$(date +%s)
scripts/stand-in-images.sh
images_done=$(date +%s)
MOSAIC_COMPOSE_CHECK=1 .venv/bin/pytest -p no:cacheprovider -o addopts="" -ra tests/compose "$@"
finished=$(date +%s)
echo "compose-check: images $((images_done - started)) s, stacks $((finished - images_done)) s," \
    "total $((finished - started)) s"
