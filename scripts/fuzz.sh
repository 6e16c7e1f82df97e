#!/usr/bin/env bash
# Runs every libFuzzer harness (tests/fuzz/) for SECONDS each, on a copy of its seed corpus.
#   scripts/fuzz.sh SECONDS [HARNESS...]      e.g. scripts/fuzz.sh 600; scripts/fuzz.sh 30 compute
# Builds the harnesses of the sanitize preset first (clang, ASan + UBSan + libFuzzer). Harnesses run two at a time (FUZZ_PARALLEL=N for N; the
# machine has two cores), under nice. Each run's log is build/sanitize/fuzz/HARNESS.log; its last lines
# (executions, coverage) are printed. A finding — a crash, a sanitizer report, a broken answer, a leak,
# an input slower than 10 s — fails the script, and libFuzzer leaves the input as
# build/sanitize/fuzz/crash-* (or leak-*, timeout-*) to replay: build/sanitize/fuzz_HARNESS FILE.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?usage: scripts/fuzz.sh SECONDS [HARNESS...]}
shift
harnesses=("$@")
parallel=${FUZZ_PARALLEL:-2}  # harnesses at once: two for long runs on two cores; the smoke runs all together
[ ${#harnesses[@]} -gt 0 ] || harnesses=(compute formula answers_file numpy_output training)

cmake --preset sanitize >/dev/null
cmake --build --preset sanitize --target "${harnesses[@]/#/fuzz_}"
out=build/sanitize/fuzz
mkdir -p "$out"

run() {  # run HARNESS: fuzzes it on a scratch copy of the committed corpus (which stays as committed)
  local name=$1 work="$out/corpus-$1"
  rm -rf "$work" && cp -r "tests/fuzz/corpus/$name" "$work"
  (cd "$out" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    nice -n 10 "../fuzz_$name" "corpus-$name" -dict="../../../tests/fuzz/dict/$name.dict" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
      -artifact_prefix="./" >"$name.log" 2>&1)
}

failed=()
pids=() names=()
for name in "${harnesses[@]}"; do
  run "$name" & pids+=($!) names+=("$name")
  if [ ${#pids[@]} -ge "$parallel" ]; then
    wait "${pids[0]}" || failed+=("${names[0]}")
    pids=("${pids[@]:1}") names=("${names[@]:1}")
  fi
done
for i in "${!pids[@]}"; do wait "${pids[$i]}" || failed+=("${names[$i]}"); done

for name in "${harnesses[@]}"; do
  echo "== fuzz_$name ($seconds s): $(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$out/$name.log" | tail -1)"
  grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "$out/$name.log" | tr '\n' ' '; echo
done
if [ ${#failed[@]} -gt 0 ]; then
  for name in "${failed[@]}"; do echo "FAIL: fuzz_$name found something; see $out/$name.log:"; tail -40 "$out/$name.log"; done
  exit 1
fi
echo "fuzz: every harness ran $seconds s with no finding"
