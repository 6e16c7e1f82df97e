#!/usr/bin/env bash
# The `bnkata` CLI as a newcomer uses it: the seed's example, a bad request, --help.
# Usage: tests/cli_core_test.sh path/to/bnkata   (ctest passes it; see cpp/api.cmake)
set -uo pipefail
bnkata=$1
failures=0
expect() {  # expect NAME WANT_EXIT WANT_SUBSTRING ACTUAL_EXIT ACTUAL_OUTPUT
    if [ "$4" -ne "$2" ] || [[ "$5" != *"$3"* ]]; then
        echo "FAIL: $1: want exit $2 and output containing '$3'; got exit $4: $5"
        failures=$((failures + 1))
    else
        echo "ok: $1"
    fi
}

out=$(echo '{"op":"forward_train","x":[1,2,3,4]}' | "$bnkata" compute); rc=$?
expect "seed example: x-hat[1] = -0.447212" 0 '"y":[-1.3416354199689269,-0.447211806656309,0.447211806656309,1.3416354199689269]' $rc "$out"
expect "seed example: mean 2.5, variance 1.25" 0 '"batch_mean":[2.5],"batch_var":[1.25]' $rc "$out"

out=$(echo '{"op":"update_running","x":[1,2,3,4],"running_mean":[0],"running_var":[1],"convention":"pytorch"}' | "$bnkata" compute); rc=$?
expect "pytorch running stats: mean 0.25, var 1.0666..." 0 '"running_mean":[0.25],"running_var":[1.0666666666666667]' $rc "$out"

out=$(echo '{"op":"forward_train","x":[[1,2],[3,4]],"gamma":[1,2,3]}' | "$bnkata" compute); rc=$?
expect "bad input: error JSON on stdout, exit 1" 1 '{"error":{"field":"gamma","message":"expected 2 values (one per channel), got 3"}}' $rc "$out"

out=$(printf 'not json' | "$bnkata" compute); rc=$?
expect "not JSON: exit 1" 1 '"field":"request"' $rc "$out"

# A request larger than the limit is refused after reading at most the limit + 1 bytes, not read to its
# end: stdin is a 1 GiB sparse file, and the shared file offset says how far bnkata read.
big=$(mktemp); trap 'rm -f "$big"' EXIT
truncate -s 1G "$big"
exec 3<"$big"
out=$("$bnkata" compute <&3); rc=$?
read_bytes=$(awk '/^pos:/ {print $2}' /proc/self/fdinfo/3 2>/dev/null || echo 0)
exec 3<&-
expect "1 GiB on stdin: too large, exit 1" 1 '"field":"request","message":"too large' $rc "$out"
# (stdio reads ahead in blocks: allow one 64 KiB buffer past the limit.)
if [ "$read_bytes" -gt 0 ] && [ "$read_bytes" -le $((33554433 + 65536)) ]; then
    echo "ok: 1 GiB on stdin: read $read_bytes bytes, not all of it"
else
    echo "FAIL: 1 GiB on stdin: read $read_bytes bytes; want at most the limit + 1 (and a buffer)"
    failures=$((failures + 1))
fi
out=$("$bnkata" train "$big" 2>&1); rc=$?
expect "bnkata train: a 1 GiB config file is refused" 2 'larger than 33554432 bytes' $rc "$out"

out=$("$bnkata" --help); rc=$?
expect "--help lists compute" 0 'compute' $rc "$out"

out=$("$bnkata" no-such-command 2>&1); rc=$?
expect "unknown subcommand: exit 2" 2 'unknown subcommand' $rc "$out"

[ "$failures" -eq 0 ]
