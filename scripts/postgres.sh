#!/usr/bin/env bash
# Sourced by scripts/test.sh: makes sure a PostgreSQL server is there for the tests' PostgreSQL runs and exports
# PARCOURS_TEST_POSTGRES_URL. It uses, in turn: the URL already set; a server answering on 127.0.0.1:5432 as
# the user postgres (trust auth, as machines made for services have); else Debian's postgresql package,
# installed and started here with pg_ctlcluster (the server refuses to run as root; the wrapper runs it as the
# postgres user), with a password for postgres on loopback.

answers() {
    .venv/bin/python - "$1" <<'PY' >/dev/null 2>&1
import sys
import psycopg
psycopg.connect(sys.argv[1].replace("postgresql+psycopg://", "postgresql://"), connect_timeout=3).close()
PY
}

as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

ensure_postgres() {
    local default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    local password="parcours-tests"
    local local_url="postgresql+psycopg://postgres:${password}@127.0.0.1:5432/postgres"
    if [ -n "${PARCOURS_TEST_POSTGRES_URL:-}" ]; then
        return 0
    fi
    for url in "$default" "$local_url"; do
        if answers "$url"; then
            export PARCOURS_TEST_POSTGRES_URL="$url"
            return 0
        fi
    done
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    if ! command -v pg_ctlcluster >/dev/null 2>&1; then
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
    fi
    local version
    version="$(ls /etc/postgresql | sort -V | tail -1)"
    $sudo pg_ctlcluster "$version" main start || true
    for _ in $(seq 1 30); do
        as_postgres psql -qAt -c "SELECT 1" >/dev/null 2>&1 && break
        sleep 1
    done
    as_postgres psql -q -c "ALTER USER postgres PASSWORD '${password}'" >/dev/null
    export PARCOURS_TEST_POSTGRES_URL="$local_url"
    answers "$PARCOURS_TEST_POSTGRES_URL" || { echo "PostgreSQL did not start" >&2; return 1; }
}
