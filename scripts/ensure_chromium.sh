#!/bin/sh
# Install Debian's chromium for the browser tests of the HTML report (tests/test_report.py).
# A no-op when chromium is already there. Installing needs root: as root it runs apt-get,
# otherwise it tries passwordless sudo; when neither works it says so and exits 0, and the
# browser tests skip, saying why (`make test` never needs root).
set -eu
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "ensure_chromium.sh: chromium is not installed and installing it needs root;" \
        "the browser tests of the report will be skipped (to run them: sudo $0)" >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium; }; then
    echo "ensure_chromium.sh: could not install chromium;" \
        "the browser tests of the report will be skipped" >&2
fi
exit 0
