#!/usr/bin/env bash
# Shared set-up for ./run.sh and ./test.sh: system packages (when root on Debian/Ubuntu),
# a virtual environment with the package, and the compiled translation catalogues.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${FIELDAUDIT_VENV:-$ROOT/.venv}"
PY="${PYTHON:-python3}"

# Runtime: Qt's xcb/offscreen dependencies, a CJK font (text must never show as boxes).
RUNTIME_APT=(libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
             libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0
             libxcb-render-util0 libxcb-image0 libpulse0 fonts-wqy-microhei python3-venv)
# Tests: PostgreSQL for central/, poppler for PDF text, LibreOffice to open the .docx we write.
TEST_APT=(postgresql poppler-utils libreoffice-writer-nogui)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

apt_install() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            say "Installing system packages with sudo: ${missing[*]}"
            sudo apt-get update -q && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
        else
            say "Please install these system packages first: ${missing[*]}"
        fi
        return 0
    fi
    say "Installing system packages: ${missing[*]}"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

python_env() {
    local extras="$1"
    if [ ! -x "$VENV/bin/python" ]; then
        say "Creating the virtual environment in $VENV"
        "$PY" -m venv "$VENV"
    fi
    local stamp="$VENV/.installed-$extras"
    if [ ! -f "$stamp" ] || [ "$ROOT/pyproject.toml" -nt "$stamp" ]; then
        say "Installing Python packages ($extras)"
        "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
        if [ "$extras" = "runtime" ]; then
            "$VENV/bin/python" -m pip install -q -e "$ROOT"
        else
            "$VENV/bin/python" -m pip install -q -e "$ROOT[$extras]"
        fi
        touch "$stamp"
    fi
    "$VENV/bin/python" -c "from app.i18n.catalog import compile_all; compile_all()"
}
