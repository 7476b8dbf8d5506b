#!/bin/sh
# Install Debian's chromium for the browser tests of the HTML report (tests/test_report.py).
# A no-op when /usr/bin/chromium is already there. Needs root (apt-get).
set -eu
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "ensure_chromium.sh: chromium missing and not root; run: sudo $0" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium
