# Mosaic API image. Build:
#   docker build --build-arg GIT_COMMIT="$(git rev-parse --short=12 HEAD)" \
#     --build-arg BUILD_TIME="$(date -u +%Y-%m-%dT%H:%M:%SZ)" -t mosaic-api .
# The seed data is not in the image: mount it read-only at /data (SEED_DATA_DIR).
ARG PYTHON_IMAGE=python:3.11-slim-bookworm
ARG NODE_IMAGE=node:20-bookworm-slim

# --- assets: the web pages' bundle from the pinned npm packages (package-lock.json) --------------
FROM ${NODE_IMAGE} AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY scripts/build-web.mjs ./scripts/
COPY src/mosaic/web/assets ./src/mosaic/web/assets
RUN node scripts/build-web.mjs

# --- builder: pinned dependencies, then the project itself, into /opt/venv -----------------------
FROM ${PYTHON_IMAGE} AS builder
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH
RUN python -m venv /opt/venv
WORKDIR /src
# Dependencies first: this layer is rebuilt only when requirements.txt changes.
COPY requirements.txt ./
RUN pip install --requirement requirements.txt
# A regular (not editable) install: mosaic lands in site-packages, byte-compiled here.
COPY pyproject.toml ./
COPY src ./src
COPY --from=assets /src/src/mosaic/web/static/dist ./src/mosaic/web/static/dist
RUN pip install --no-deps . && pip check

# --- runtime: the venv, the migrations and the entrypoint; no compiler, no source tree ------------
FROM ${PYTHON_IMAGE} AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    MOSAIC_ENV=production \
    SEED_DATA_DIR=/data \
    PORT=8000
RUN groupadd --system --gid 10001 mosaic \
    && useradd --system --uid 10001 --gid mosaic --no-create-home \
       --home-dir /nonexistent --shell /usr/sbin/nologin mosaic
WORKDIR /app
# Owned by root and read-only for the app user: the process cannot rewrite its own code.
COPY --from=builder /opt/venv /opt/venv
COPY alembic.ini gunicorn.conf.py ./
COPY alembic ./alembic
COPY --chmod=0755 boot.sh ./boot.sh

# Last, so that a new commit does not invalidate the layers above.
ARG GIT_COMMIT=""
ARG BUILD_TIME=""
ENV GIT_COMMIT=${GIT_COMMIT} \
    BUILD_TIME=${BUILD_TIME}
LABEL org.opencontainers.image.title="mosaic-api" \
      org.opencontainers.image.revision="${GIT_COMMIT}" \
      org.opencontainers.image.created="${BUILD_TIME}"

USER 10001:10001
EXPOSE 8000
# 200 only while the database answers (GET /health returns 503 otherwise).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('PORT', '8000'), timeout=4)"]
ENTRYPOINT ["/app/boot.sh"]
