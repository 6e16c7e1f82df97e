#!/usr/bin/env bash
# Installs what the build and tests need, once: Debian packages (as root) and npm packages.
# Safe to run again: it only installs what is missing. Not root and something missing? It stops with the
# one command to run.
set -euo pipefail
cd "$(dirname "$0")/.."

# Each Debian package with a file that proves it is installed.
declare -A NEED=(
  [emscripten]=/usr/bin/em++
  [chromium]=/usr/bin/chromium
  [firefox-esr]=/usr/bin/firefox-esr  # tests/browser/firefox.test.mjs
  [doctest-dev]=/usr/include/doctest/doctest.h
  [nlohmann-json3-dev]=/usr/include/nlohmann/json.hpp
  [python3-numpy]=/usr/lib/python3/dist-packages/numpy/__init__.py
  [python3-fonttools]=/usr/lib/python3/dist-packages/fontTools/__init__.py [python3-brotli]=/usr/lib/python3/dist-packages/brotli.py  # KaTeX font subsets
  [cmake]=/usr/bin/cmake
  [ninja-build]=/usr/bin/ninja
  [g++]=/usr/bin/g++
)
missing=()
for pkg in "${!NEED[@]}"; do
  [ -e "${NEED[$pkg]}" ] || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing Debian packages; run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

command -v node >/dev/null || { echo "setup: Node.js 20 is missing; run: sudo apt-get install -y nodejs npm" >&2; exit 1; }

# npm packages: reinstall only when package-lock.json is newer than the installed tree.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi
