#!/usr/bin/env bash
# Provision a local PostgreSQL + PostGIS (and Redis when it can) for Mosaic.
#
#   eval "$(scripts/provision.sh DBNAME)"
#
# Prints `export DATABASE_URL=...` (and `export REDIS_URL=...` when Redis answers) on stdout;
# everything else goes to stderr. Safe to run again: every step checks before it acts.
#   1. Debian as root: apt-get installs what is missing, starts the local cluster as `postgres`.
#   2. Otherwise, a Docker engine that answers: `docker compose up -d db redis`.
#   3. Otherwise: stop and say what to install.
set -euo pipefail

db_name=${1:?usage: provision.sh DBNAME}
db_user=${MOSAIC_DB_USER:-mosaic}
db_password=${MOSAIC_DB_PASSWORD:-mosaic}
pg_version=${PG_VERSION:-15}
redis_port=${REDIS_PORT:-6379}

log() { echo "provision: $*" >&2; }

is_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

apt_install_missing() {
    local missing=()
    for pkg in "$@"; do is_installed "$pkg" || missing+=("$pkg"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

as_postgres() { runuser -u postgres -- "$@"; }

psql_admin() {  # psql_admin DB SQL
    as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$pg_port" -d "$1" -tAc "$2"
}

start_local_cluster() {
    if ! pg_lsclusters -h | awk -v v="$pg_version" '$1 == v && $2 == "main"' | grep -q .; then
        log "creating cluster $pg_version/main"
        pg_createcluster "$pg_version" main >&2
    fi
    pg_port=$(pg_lsclusters -h | awk -v v="$pg_version" '$1 == v && $2 == "main" {print $3}')
    if ! pg_lsclusters -h | awk -v v="$pg_version" '$1 == v && $2 == "main" {print $4}' | grep -q online; then
        log "starting cluster $pg_version/main on port $pg_port"
        pg_ctlcluster "$pg_version" main start >&2
    fi
    for _ in $(seq 1 30); do
        as_postgres pg_isready -q -p "$pg_port" && return 0
        sleep 1
    done
    log "PostgreSQL did not become ready"; exit 1
}

create_role_and_database() {
    psql_admin postgres "DO \$\$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$db_user') THEN
            CREATE ROLE $db_user LOGIN CREATEDB PASSWORD '$db_password';
        END IF; END \$\$;"
    # PostGIS in template1 as well: databases created later (tests' scratch databases) inherit it.
    psql_admin template1 "CREATE EXTENSION IF NOT EXISTS postgis;"
    if [ -z "$(psql_admin postgres "SELECT 1 FROM pg_database WHERE datname = '$db_name'")" ]; then
        log "creating database $db_name"
        as_postgres createdb -p "$pg_port" -O "$db_user" "$db_name"
    fi
    psql_admin "$db_name" "CREATE EXTENSION IF NOT EXISTS postgis;"
}

start_local_redis() {
    command -v redis-server >/dev/null || return 0
    if ! redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
        log "starting redis on 127.0.0.1:$redis_port"
        redis-server --port "$redis_port" --bind 127.0.0.1 --daemonize yes \
            --save '' --appendonly no --logfile /tmp/mosaic-redis.log >&2
        for _ in $(seq 1 20); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.25; done
    fi
}

emit_urls() {
    echo "export DATABASE_URL=postgresql+psycopg2://$db_user:$db_password@127.0.0.1:$1/$db_name"
    if redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
        echo "export REDIS_URL=redis://127.0.0.1:$redis_port/0"
    fi
}

provision_debian() {
    apt_install_missing "postgresql-$pg_version" "postgresql-$pg_version-postgis-3"
    apt_install_missing redis-server || log "redis-server could not be installed; continuing without it"
    start_local_cluster
    create_role_and_database
    start_local_redis
    emit_urls "$pg_port"
}

provision_docker() {
    log "using docker compose (db, redis)"
    docker compose up -d db redis >&2
    for _ in $(seq 1 60); do
        docker compose exec -T db pg_isready -q -U "$db_user" && break
        sleep 1
    done
    if [ -z "$(docker compose exec -T db psql -U "$db_user" -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$db_name'")" ]; then
        docker compose exec -T db createdb -U "$db_user" "$db_name" >&2
    fi
    docker compose exec -T db psql -U "$db_user" -d "$db_name" -qc "CREATE EXTENSION IF NOT EXISTS postgis;" >&2
    echo "export DATABASE_URL=postgresql+psycopg2://$db_user:$db_password@127.0.0.1:5432/$db_name"
    echo "export REDIS_URL=redis://127.0.0.1:6379/0"
}

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    provision_debian
elif command -v docker >/dev/null && docker info >/dev/null 2>&1; then
    provision_docker
else
    cat >&2 <<MSG
provision: cannot provision a database on this machine.
  Either run as root on Debian/Ubuntu (apt-get installs postgresql-$pg_version-postgis-3),
  or start a Docker engine (docker compose up -d db),
  or set DATABASE_URL to a PostgreSQL $pg_version database with the postgis extension available.
MSG
    exit 1
fi
