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

# Meanwhile, in the background (the browser tests leave a core idle much of the time): the clang build
# under ASan + UBSan, every doctest suite under it, and each fuzz harness for 10 s on its seed corpus
# (docs/reliability.md). Its output is printed once the Node and browser tests are done. The build and the
# suites run at the lowest priority, the Node tests at a lower one than the browser tests: a browser test that checks how
# long the page's main thread is busy should see the page compete with other work as little as a
# learner's would, and the background work loses nothing it would not get back once the browser is done.
sanitize_log=$(mktemp)
node_log=$(mktemp)
(
  set -e
  echo "== sanitizer build, doctest under ASan + UBSan, fuzz smoke (10 s per harness)"
  cmake --preset sanitize >/dev/null
  nice -n 19 cmake --build --preset sanitize
  nice -n 19 ctest --preset sanitize
  # Every harness at once (10 s of wall time each, whatever share of a core it gets), under fuzz.sh's
  # nice 10: at 19 a starved harness could pass its 10 s per-input limit.
  FUZZ_PARALLEL=5 bash scripts/fuzz.sh 10
) >"$sanitize_log" 2>&1 &
sanitize_pid=$!

echo "== node tests (WASM) and browser tests (Chromium; a pass in Firefox ESR)"
# A test file that hangs (a browser that stops answering Playwright) fails after 10 minutes, naming
# itself, instead of holding the run up for good; node's timeout applies to each file, and the longest
# file takes a few minutes on a slow machine.
# The Node tests of the modules and the browser tests run side by side, each file after file: they share
# no port, browser or file, and one after the other they took longer than the whole run's budget.
node_status=0
nice -n 10 node --test --test-concurrency=1 --test-timeout=600000 tests/node/ > "$node_log" 2>&1 &
node_pid=$!
node --test --test-concurrency=1 --test-timeout=600000 tests/browser/ || node_status=$?
wait "$node_pid" || node_status=$?
echo "== node tests of the WebAssembly modules"
cat "$node_log"
rm -f "$node_log"

sanitize_status=0
wait "$sanitize_pid" || sanitize_status=$?
cat "$sanitize_log"
rm -f "$sanitize_log"
[ "$sanitize_status" -eq 0 ] || echo "FAIL: the sanitizer suites or the fuzz smoke (exit $sanitize_status)"
[ "$node_status" -eq 0 ] && [ "$sanitize_status" -eq 0 ]
