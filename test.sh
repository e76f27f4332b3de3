#!/usr/bin/env bash
# Run the whole test suite headless: installs system and Python packages, then lint, types,
# layer contracts, translations and pytest (PostgreSQL is started by the central/ test fixture).
# ./test.sh --quick skips the tests marked slow.
set -euo pipefail
source "$(dirname "$0")/installer/bootstrap.sh"
if [ "${FIELDAUDIT_SKIP_APT:-0}" != 1 ]; then apt_install "${RUNTIME_APT[@]}" "${TEST_APT[@]}"; fi
python_env dev
cd "$ROOT"
export QT_QPA_PLATFORM=offscreen PYTHONDONTWRITEBYTECODE=1
say "ruff";            "$VENV/bin/ruff" check .
say "mypy";            "$VENV/bin/mypy" app sync central ui tests
say "layer contracts"; "$VENV/bin/lint-imports"
say "translations";    "$VENV/bin/python" -m app.i18n.extract --check
MARK=()
if [ "${1:-}" = "--quick" ]; then MARK=(-m "not slow"); shift; fi
say "pytest"
"$VENV/bin/python" -m pytest "${MARK[@]}" "$@"
