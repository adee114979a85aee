#!/bin/sh
# The lab's interval of a timing ratio (tests/e2e/ratio-interval.awk):
# constant samples give a point; the interval of real calls holds their
# ratio of medians and is the same when asked again; files not in pairs
# are refused.  Run with busybox's awk, as in the lab's dom0, when it is
# here, and with the machine's awk.
#   sh tests/unit/test_e2e_ratio_interval.sh BUILDDIR
. "$(dirname "$0")/../lib.sh"
suite_tmpdir tmp || exit 2
awks=awk
command -v busybox >/dev/null 2>&1 && awks="$awks busybox-awk"
interval() { # AWK FILE...
    a=$1
    shift
    if [ "$a" = busybox-awk ]; then
        busybox awk -f "$top/tests/e2e/ratio-interval.awk" "$@"
    else
        awk -f "$top/tests/e2e/ratio-interval.awk" "$@"
    fi
}
check() { # AWK WHAT CONDITION...
    a=$1 what=$2
    shift 2
    if "$@"; then
        passed=$((passed + 1))
    else
        echo "FAIL ratio-interval ($a): $what"
        failed=$((failed + 1))
    fi
}
# same FILE VALUE N: N lines of VALUE.
same() { i=0; : > "$tmp/$1"; while [ $i -lt "$3" ]; do
             echo "$2" >> "$tmp/$1"; i=$((i + 1)); done; }
same a100 100 20
same b200 200 20
same a300 300 19
# A plug and an unplug of each tool, 20 calls each, in microseconds
# (timing[pv] in the lab, 2026-12-06): medians 188.1 + 195.0 ms for
# xlvcpu, 191.0 + 200.9 for xl, ratio 0.98.  One line per file.
while read -r f values; do
    echo $values | tr ' ' '\n' > "$tmp/${f%:}"
done < "$top/tests/data/e2e/timing-pv-calls.txt"
real="$tmp/plug.xlvcpu $tmp/plug.xl $tmp/unplug.xlvcpu $tmp/unplug.xl"

for a in $awks; do
    out=$(interval $a "$tmp/a100" "$tmp/b200")
    check $a "constant 100 over 200: '$out'" [ "$out" = 0.50-0.50 ]
    out=$(interval $a "$tmp/a100" "$tmp/b200" "$tmp/a300" "$tmp/b200")
    check $a "sums (100 + 300) over (200 + 200): '$out'" [ "$out" = 1.00-1.00 ]
    # shellcheck disable=SC2086
    out=$(interval $a $real)
    lo=${out%-*} hi=${out#*-}
    check $a "real calls: '$out' holds their ratio 0.98" awk -v l="$lo" \
        -v h="$hi" 'BEGIN { exit !(l <= 0.98 && 0.98 <= h && l < h) }'
    # (1000 resamples of these give 0.90-1.04; their extremes 0.83-1.17,
    # their quartiles 0.94-0.99.)
    check $a "real calls: '$out' is 0.08 to 0.20 wide" awk -v l="$lo" \
        -v h="$hi" 'BEGIN { exit !(h - l >= 0.08 && h - l <= 0.20) }'
    # shellcheck disable=SC2086
    check $a "the same again" [ "$(interval $a $real)" = "$out" ]
    out=$(interval $a "$tmp/a100" "$tmp/b200" "$tmp/a300" 2>&1)
    rc=$?
    check $a "three files: exit 2, one line ('$out')" \
        [ "$rc:$(echo "$out" | wc -l)" = 2:1 ]
done
echo "e2e-ratio-interval: $passed passed, $failed failed"
[ "$failed" = 0 ]
