#!/usr/bin/env bash
# Installs what Parcours needs: a virtualenv with the Python packages and the built frontend components.
# Sourced by scripts/run.sh and scripts/test.sh. Re-running is cheap: each step is skipped when up to date.
set -euo pipefail
cd "$(dirname "$0")/.."

EXTRAS="${1:-}"
PYTHON="${PYTHON:-python3}"

if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi

stamp=".venv/.parcours-installed${EXTRAS:+-$EXTRAS}"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".${EXTRAS:+[$EXTRAS]}"
    echo "$want" > "$stamp"
fi

# Frontend components (Vue Flow canvas, ...): pinned npm packages, built with vite at setup time.
for package in components/*/package.json; do
    [ -e "$package" ] || continue
    dir="$(dirname "$package")"
    lock_hash="$(cat "$dir/package-lock.json" "$dir"/src/* "$dir"/vite.config.* 2>/dev/null | sha256sum | cut -d' ' -f1)"
    if [ ! -f "$dir/dist/.built" ] || [ "$(cat "$dir/dist/.built")" != "$lock_hash" ]; then
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)
        echo "$lock_hash" > "$dir/dist/.built"
    fi
done

# The real @segment/analytics-node client that tests/test_sdk_clients.py drives: a pinned npm package, installed
# with the test extras only.
case ",$EXTRAS," in
    *,test,*)
        dir="tests/sdk_node"
        lock_hash="$(cat "$dir/package.json" "$dir/package-lock.json" | sha256sum | cut -d' ' -f1)"
        if [ ! -f "$dir/node_modules/.installed" ] || [ "$(cat "$dir/node_modules/.installed")" != "$lock_hash" ]; then
            (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
            echo "$lock_hash" > "$dir/node_modules/.installed"
        fi
        ;;
esac
