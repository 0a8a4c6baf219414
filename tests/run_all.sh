#!/bin/sh
# Run test programs and examples, then print the total as "N passed, N failed".
# usage: run_all.sh TESTDIR test... -- [EXAMPLEDIR example...]
dir=$1; shift
tests=""
while [ $# -gt 0 ] && [ "$1" != "--" ]; do tests="$tests $1"; shift; done
[ "$1" = "--" ] && shift
exdir=$1; [ $# -gt 0 ] && shift
pass=0; fail=0
for t in $tests; do
    case "$t" in */*) prog=$t ;; *) prog=$dir/$t ;; esac
    out=$("$prog" 2>&1); rc=$?
    printf '%s\n' "$out"
    line=$(printf '%s\n' "$out" | grep -E '^[A-Za-z_0-9]+: [0-9]+ passed, [0-9]+ failed' | tail -n 1)
    if [ -z "$line" ]; then
        echo "$t: crashed or printed no summary (exit $rc)"; fail=$((fail + 1)); continue
    fi
    p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\1/')
    f=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\2/')
    pass=$((pass + p)); fail=$((fail + f))
    [ $rc -ne 0 ] && [ "$f" -eq 0 ] && { echo "$t: exit $rc"; fail=$((fail + 1)); }
done
# Examples check their own printed values and exit non-zero on a mismatch.
for e in "$@"; do
    if out=$("$exdir/$e" 2>&1); then pass=$((pass + 1)); echo "example $e: ok"
    else fail=$((fail + 1)); printf '%s\n' "$out" | tail -n 5; echo "example $e: FAILED"; fi
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
