#!/usr/bin/env bash
# Install what is needed, then run Parcours (web app + engine) on a SQLite file under ./data/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python main.py "$@"
