#!/usr/bin/env bash
# Install what is needed (Python test packages, the frontend build, Debian's chromium and PostgreSQL when no
# server answers), then run every test on both databases.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test

if ! command -v chromium >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

# Every test runs on SQLite and on PostgreSQL (tests/conftest.py); PARCOURS_TEST_DATABASES=sqlite runs one.
case "${PARCOURS_TEST_DATABASES:-sqlite,postgresql}" in
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
