#!/usr/bin/env bash
# Makes sure the load generator bench/load.py drives is installed: Debian's wrk (4.1, C,
# scriptable in Lua). Idempotent: does nothing when wrk is already on the PATH.
set -euo pipefail

if command -v wrk >/dev/null 2>&1; then
  echo "bench/setup.sh: wrk is installed"
  exit 0
fi

echo "bench/setup.sh: installing Debian's wrk"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "bench/setup.sh: wrk is missing and installing it needs root (apt-get)" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq wrk
command -v wrk >/dev/null
