#!/usr/bin/env bash
# Creates the project-local virtualenv .venv with the pinned Locust (scripts/locust/requirements.lock,
# generated from requirements.txt). Idempotent: does nothing when the venv already matches the lock.
set -euo pipefail
cd "$(dirname "$0")/.."
lock=scripts/locust/requirements.lock
venv=.venv
stamp="$venv/.lock.sha256"
want=$(sha256sum "$lock" | cut -d' ' -f1)
if [ -x "$venv/bin/locust" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  exit 0
fi
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check --require-virtualenv -r "$lock"
"$venv/bin/locust" --version >/dev/null
echo "$want" > "$stamp"
echo "Locust $("$venv/bin/locust" --version 2>&1 | head -1) installed in $venv"
