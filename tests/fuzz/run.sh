#!/bin/sh
# Runs each fuzzer for SECONDS, JOBS of them at a time:
#   tests/fuzz/run.sh SECONDS JOBS BUILD/fuzz/fuzz_NAME...
# New inputs go to BUILD/fuzz/corpus/NAME (the seeds in tests/fuzz/corpus/NAME
# are only read); a crash is saved as BUILD/fuzz/NAME-crash-... and fails
# the run, with the end of its log. Prints one line of figures per fuzzer.
set -u
seconds=$1
jobs=$2
shift 2

run_one() {
    bin=$1
    name=${bin##*/fuzz_}
    dir=$(dirname "$bin")
    log="$dir/$name.log"
    mkdir -p "$dir/corpus/$name"
    if "$bin" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
            -artifact_prefix="$dir/$name-" \
            "$dir/corpus/$name" "tests/fuzz/corpus/$name" >"$log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        cov=$(sed -n 's/^#[0-9]*[[:space:]]*DONE[[:space:]]*cov: \([0-9]*\).*/\1/p' "$log")
        corpus=$(ls "$dir/corpus/$name" | wc -l)
        printf '  FUZZ   %-9s %9s runs in %s s, %s edges covered, %s inputs in its corpus\n' \
            "$name" "$runs" "$seconds" "${cov:-?}" "$corpus"
    else
        echo "fuzz: $name failed; the end of $log:" >&2
        tail -n 30 "$log" >&2
        return 1
    fi
}

status=0
while [ $# -gt 0 ]; do
    pids=""
    n=0
    while [ $# -gt 0 ] && [ $n -lt "$jobs" ]; do
        run_one "$1" &
        pids="$pids $!"
        n=$((n + 1))
        shift
    done
    for pid in $pids; do
        wait "$pid" || status=1
    done
done
exit $status
