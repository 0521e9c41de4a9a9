#!/usr/bin/env bash
# Makes sure the browser the e2e tests drive is installed: Debian's chromium.
# Idempotent: does nothing when /usr/bin/chromium is already there. `playwright install`
# is not used because it downloads its own browser build, which this environment cannot.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "e2e/setup.sh: /usr/bin/chromium is installed"
  exit 0
fi

echo "e2e/setup.sh: installing Debian's chromium"
if [ "$(id -u)" -ne 0 ]; then
  echo "e2e/setup.sh: chromium is missing and this needs root (apt-get)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium
test -x /usr/bin/chromium
