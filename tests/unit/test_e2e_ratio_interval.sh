#!/bin/sh
# The lab's timing ratio of calls made in rounds and its interval
# (tests/e2e/ratio-interval.awk): constant samples give a point; real
# calls give the median of their rounds' ratios, inside an interval that
# is the same when asked again; a round counts only its own calls; files
# not in pairs, of different lengths, or with nothing below the line are
# refused.  Run with busybox's awk, as in the lab's dom0, when it is here,
# and with the machine's awk.
#   sh tests/unit/test_e2e_ratio_interval.sh BUILDDIR
. "$(dirname "$0")/../lib.sh"
suite_tmpdir tmp || exit 2
awks=awk
command -v busybox >/dev/null 2>&1 && awks="$awks busybox-awk"
ratio() { # AWK FILE...
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
# refused AWK WHAT FILE...: exit 2 and one line.
refused() {
    a=$1 what=$2
    shift 2
    out=$(ratio $a "$@" 2>&1)
    rc=$?
    check $a "$what: exit 2, one line ('$out')" \
        [ "$rc:$(echo "$out" | wc -l)" = 2:1 ]
}
# same FILE VALUE N: N lines of VALUE.
same() { i=0; : > "$tmp/$1"; while [ $i -lt "$3" ]; do
             echo "$2" >> "$tmp/$1"; i=$((i + 1)); done; }
same a100 100 20
same b200 200 20
same a300 300 20
same b0 0 20
same a300s 300 19
# Rounds where both tools slow down together: the ratio of the two
# medians is 0.17 (100 / 600, a fast round's against a slow one's); the
# rounds' ratios are 0.50 in four rounds of five.
printf '%s\n' 100 100 100 300 300 > "$tmp/up.a"
printf '%s\n' 200 200 600 600 600 > "$tmp/up.b"
# A plug and an unplug of each tool, 20 rounds, in microseconds
# (timing[pv] in the lab, 2026-12-06): the median of the rounds' ratios
# (plug plus unplug of xlvcpu over xl's) is 0.977.
while read -r f values; do
    echo $values | tr ' ' '\n' > "$tmp/${f%:}"
done < "$top/tests/data/e2e/timing-pv-calls.txt"
real="$tmp/plug.xlvcpu $tmp/plug.xl $tmp/unplug.xlvcpu $tmp/unplug.xl"

for a in $awks; do
    out=$(ratio $a "$tmp/a100" "$tmp/b200")
    check $a "constant 100 over 200: '$out'" [ "$out" = "0.50 0.50-0.50" ]
    out=$(ratio $a "$tmp/a100" "$tmp/b200" "$tmp/a300" "$tmp/b200")
    check $a "sums (100 + 300) over (200 + 200): '$out'" \
        [ "$out" = "1.00 1.00-1.00" ]
    out=$(ratio $a "$tmp/up.a" "$tmp/up.b")
    check $a "a round's calls against each other: '$out'" \
        [ "$out" = "0.50 0.17-0.50" ]
    # shellcheck disable=SC2086
    out=$(ratio $a $real)
    r=${out% *} lo=${out#* } hi=${out#*-}
    lo=${lo%-*}
    check $a "real calls: '$out' is their rounds' median 0.98" [ "$r" = 0.98 ]
    # (1000 resamples of the rounds give 0.93-1.02; the ratio of the
    # medians, resampled tool by tool, gave 0.90-1.04.)
    check $a "real calls: '$out' holds it, 0.05 to 0.15 wide" awk \
        -v r="$r" -v l="$lo" -v h="$hi" \
        'BEGIN { exit !(l <= r && r <= h && h - l >= 0.05 && h - l <= 0.15) }'
    # shellcheck disable=SC2086
    check $a "the same again" [ "$(ratio $a $real)" = "$out" ]
    refused $a "three files" "$tmp/a100" "$tmp/b200" "$tmp/a300"
    refused $a "19 rounds against 20" "$tmp/a300s" "$tmp/b200"
    refused $a "nothing below the line" "$tmp/a100" "$tmp/b0"
done
echo "e2e-ratio-interval: $passed passed, $failed failed"
[ "$failed" = 0 ]
