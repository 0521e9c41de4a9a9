#!/usr/bin/env bash
# Makes sure what the tests need from the system is installed: Debian's chromium (driven by
# the e2e tests), and Pango with fonts that have Polish letters (WeasyPrint's PDFs).
# Idempotent: installs only what is missing. `playwright install` is not used because it
# downloads its own browser build, which this environment cannot.
set -euo pipefail

PACKAGES=(chromium libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)
missing=()
for package in "${PACKAGES[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ "${#missing[@]}" -eq 0 ] && [ -x /usr/bin/chromium ]; then
  echo "e2e/setup.sh: chromium, Pango and fonts-dejavu-core are installed"
  exit 0
fi

echo "e2e/setup.sh: installing ${missing[*]:-chromium}"
if [ "$(id -u)" -ne 0 ]; then
  echo "e2e/setup.sh: ${missing[*]:-chromium} missing and this needs root (apt-get)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]:-chromium}"
test -x /usr/bin/chromium
