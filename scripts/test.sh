#!/usr/bin/env bash
# Every test, in order: native doctest (ctest), the WASM build under Node, the built page in headless
# Chromium. Installs what is missing first (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export NODE_PATH=/usr/share/nodejs  # Debian's em++ needs Node's acorn from here (docs/toolchain.md)

echo "== native build and doctest"
cmake --preset native >/dev/null
cmake --build --preset native
ctest --preset native

echo "== wasm build and site"
cmake --preset wasm >/dev/null
cmake --build --preset wasm
node scripts/build-site.mjs

echo "== node tests (WASM) and browser tests (Chromium; a pass in Firefox ESR)"
# A test file that hangs (a browser that stops answering Playwright) fails after 10 minutes, naming
# itself, instead of holding the run up for good; node's timeout applies to each file, and the longest
# file takes a few minutes on a slow machine.
node --test --test-concurrency=1 --test-timeout=600000 tests/node/ tests/browser/
