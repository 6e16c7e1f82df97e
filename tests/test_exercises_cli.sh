#!/bin/sh
# `bnkata check` as a learner or instructor runs it: exit 0 when every attempted answer is right, 1 when
# one is wrong, 2 when the file is refused — with a message, never a crash or an out-of-memory, for a
# future version, hostile strings, a file that is not JSON, and a 50 MB file.
# Usage: test_exercises_cli.sh BNKATA FIXTURES_DIR   (run by ctest from its working directory)
set -u
bnkata=$1
fixtures=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

# expect STATUS DESCRIPTION COMMAND... — runs COMMAND (stdout → out.txt, stderr → err.txt), checks the status.
expect() {
  want=$1; what=$2; shift 2
  "$@" > "$work/out.txt" 2> "$work/err.txt"
  got=$?
  if [ "$got" -eq "$want" ]; then
    echo "ok   - $what (exit $got)"
  else
    echo "FAIL - $what: exit $got, expected $want"; sed 's/^/       /' "$work/out.txt" "$work/err.txt"
    failures=$((failures + 1))
  fi
}
# contains FILE TEXT DESCRIPTION
contains() {
  if grep -q -- "$2" "$work/$1"; then echo "ok   - $3"; else echo "FAIL - $3: no '$2' in $1"; failures=$((failures + 1)); fi
}

expect 0 "a file of right answers passes" "$bnkata" check "$fixtures/answers-seed7-correct.json"
contains out.txt "summary: 12 correct, 0 incorrect, 11 not attempted, 0 invalid" "the summary line counts every verdict"
contains out.txt "^correct        s1-mean-var" "one line per exercise"

expect 1 "a wrong answer fails the check" "$bnkata" check "$fixtures/answers-seed7-one-wrong.json"
contains out.txt "Unbiased variance in the forward pass" "the mistake is named"

expect 0 "--json prints the check_answers response" "$bnkata" check --json "$fixtures/answers-seed7-correct.json"
contains out.txt '"summary"' "the JSON has the summary"

expect 2 "a file from a future version is refused" "$bnkata" check "$fixtures/answers-future-version.json"
contains err.txt "newer BatchNorm Kata" "and says why"

expect 1 "hostile strings are graded as invalid" "$bnkata" check "$fixtures/answers-hostile-strings.json"
if grep -q "$(printf '\033')" "$work/out.txt"; then echo "FAIL - an escape character reached the terminal"; failures=$((failures + 1));
else echo "ok   - no control character reaches the terminal"; fi

truncate -s 50M "$work/big.json"
expect 2 "a 50 MB file is refused before it is read" "$bnkata" check "$work/big.json"
contains err.txt "larger than 2 MiB" "with the limit in the message"

expect 2 "50 MB on stdin is refused after 2 MiB" sh -c "head -c 52428800 /dev/zero | \"$bnkata\" check -"

printf '{"format": ' > "$work/broken.json"
expect 2 "a file that is not JSON is refused" "$bnkata" check "$work/broken.json"
contains err.txt "not valid JSON" "and says so"

awk 'BEGIN { for (i = 0; i < 100000; i++) printf "["; }' > "$work/deep.json"
expect 2 "100,000 nested brackets are refused without parsing" "$bnkata" check "$work/deep.json"

expect 2 "a missing file is refused" "$bnkata" check "$work/does-not-exist.json"
expect 2 "no file at all prints the usage" "$bnkata" check

echo "$failures failure(s)"
[ "$failures" -eq 0 ]
