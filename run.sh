#!/usr/bin/env bash
# Run FieldAudit: installs what it needs, starts the local reference platform with demo data,
# and opens the desktop app on the default local profile.
set -euo pipefail
source "$(dirname "$0")/installer/bootstrap.sh"
if [ "${FIELDAUDIT_SKIP_APT:-0}" != 1 ]; then apt_install "${RUNTIME_APT[@]}"; fi
python_env runtime
exec "$VENV/bin/python" -m ui.demo "$@"
