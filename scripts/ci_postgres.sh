#!/usr/bin/env bash
# Install PostgreSQL 15 + PostGIS from Debian packages, start a server, create a
# test database with the postgis extension and print the URL to use as
# MARSAD_TEST_PG_URL.  Idempotent; meant for CI (root on Debian 12, no stdin).
#
#   eval "$(scripts/ci_postgres.sh)"    # exports MARSAD_TEST_PG_URL
#
# Only the final `export ...` line goes to stdout; progress goes to stderr.
set -euo pipefail

PG_VERSION=15
DB_NAME=${MARSAD_PG_DB:-marsad_test}
DB_USER=${MARSAD_PG_USER:-marsad}
DB_PASS=${MARSAD_PG_PASSWORD:-marsad}
PORT=${MARSAD_PG_PORT:-5432}

log() { echo "ci_postgres: $*" >&2; }

as_postgres() {
    if [ "$(id -u)" = 0 ]; then
        su postgres -s /bin/sh -c "$1"
    else
        sudo -u postgres sh -c "$1"
    fi
}

export DEBIAN_FRONTEND=noninteractive
if ! dpkg -s "postgresql-${PG_VERSION}-postgis-3" >/dev/null 2>&1 \
    || ! dpkg -s "postgresql-${PG_VERSION}" >/dev/null 2>&1; then
    log "installing postgresql-${PG_VERSION} and postgis"
    apt-get update -qq >&2
    apt-get install -y -qq "postgresql-${PG_VERSION}" "postgresql-${PG_VERSION}-postgis-3" >&2
fi

if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -qx "${PG_VERSION} main"; then
    log "creating cluster ${PG_VERSION}/main"
    pg_createcluster "${PG_VERSION}" main --port "${PORT}" >&2
fi

if ! pg_lsclusters -h | awk -v v="${PG_VERSION}" '$1==v && $2=="main" {print $4}' | grep -q online; then
    log "starting cluster ${PG_VERSION}/main"
    pg_ctlcluster "${PG_VERSION}" main start >&2
fi

# Wait for the server to accept connections.
for _ in $(seq 1 30); do
    if pg_isready -q -h localhost -p "${PORT}"; then break; fi
    sleep 1
done
pg_isready -h localhost -p "${PORT}" >&2

cd /tmp
as_postgres "psql -v ON_ERROR_STOP=1 -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='${DB_USER}'\" | grep -q 1 \
    || psql -v ON_ERROR_STOP=1 -qc \"CREATE ROLE ${DB_USER} LOGIN PASSWORD '${DB_PASS}'\"" >&2
as_postgres "psql -v ON_ERROR_STOP=1 -qtAc \"SELECT 1 FROM pg_database WHERE datname='${DB_NAME}'\" | grep -q 1 \
    || createdb -O ${DB_USER} ${DB_NAME}" >&2
as_postgres "psql -v ON_ERROR_STOP=1 -q -d ${DB_NAME} -c 'CREATE EXTENSION IF NOT EXISTS postgis'" >&2

URL="postgresql://${DB_USER}:${DB_PASS}@localhost:${PORT}/${DB_NAME}"
log "ready: ${URL}"
echo "export MARSAD_TEST_PG_URL=${URL}"
