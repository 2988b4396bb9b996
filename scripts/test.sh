#!/usr/bin/env bash
# Install what is needed (Python test packages, the frontend build, Debian's chromium and PostgreSQL when no
# server answers and PostgreSQL runs are asked for), then run the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test

if ! command -v chromium >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

# Every test runs on SQLite and on PostgreSQL, finding or installing a server first (tests/conftest.py,
# scripts/postgres.sh); PARCOURS_TEST_DATABASES=sqlite (or postgresql) runs one half.
export PARCOURS_TEST_DATABASES="${PARCOURS_TEST_DATABASES:-sqlite,postgresql}"
case "$PARCOURS_TEST_DATABASES" in
    *postgresql*)
        # shellcheck source=scripts/postgres.sh
        source scripts/postgres.sh
        ensure_postgres
        ;;
esac

.venv/bin/ruff check .
# Independent tests run in parallel, one worker per core (each test has its own database, port and browser);
# PARCOURS_TEST_WORKERS=0 runs them in this process.
exec .venv/bin/python -m pytest -n "${PARCOURS_TEST_WORKERS:-auto}" "$@"
