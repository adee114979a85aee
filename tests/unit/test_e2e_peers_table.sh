#!/bin/sh
# The peer suite's table (tests/e2e/peers-table) from a console log: the
# versions, one row per guest type and scenario in the order first seen,
# a type's rows together (a row of the first type after the second's),
# a tool without a result left empty, a "|" in a message kept in its
# cell, the check's own source lines not taken for results; the
# latencies with xlvcpu's ratios to xl and virsh; no result line is an
# error.
#   sh tests/unit/test_e2e_peers_table.sh BUILDDIR
. "$(dirname "$0")/../lib.sh"
suite_tmpdir tmp || exit 2
table=$top/tests/e2e/peers-table

cat > "$tmp/log" <<'EOF'
  12.00 xen_version            : 4.17.7-pre
  30.10 peers-boot[pv]| Using library: libvirt 9.0.0
  30.20 peers-boot[pv]| xlvcpu 1.1.0 (built with libxenlight 4.17.0)
  40.10 peers-boot[pv]| E2E-PEER pv|boot: current|xl|done
  40.20 peers-boot[pv]| E2E-PEER pv|boot: current|virsh|refused: error: a|b
  40.30 peers-boot[pv]| E2E-PEER pv|boot: current|xlvcpu|done
  40.40 peers-boot[pv]| E2E-PEER pv|boot: sparse|xl|no form
  40.50 peers-boot[pvh]| E2E-PEER pvh|boot: current|xlvcpu|other: exit 0
  40.55 peers-live[pv]| E2E-PEER pv|set live|xl|done
  40.60 peers-boot[pv]| + peer() { echo "E2E-PEER $E2E_GUEST_TYPE|$1|$2|$3"; }
  50.10 timing[pv]| E2E-PEER-TIME pv|set the count live|400.0|800.0|380.0
  50.20 timing[pv]| + local line="E2E-PEER-TIME $E2E_GUEST_TYPE|$1"
  50.30 timing[pv]| E2E-PEER-TIME pv|list the vCPUs|150.0|0|120.0
EOF
out=$(sh "$table" "$tmp/log")
rc=$?
[ "$rc" = 0 ] && pass "exit 0 with results" || fail "exit $rc with results"
echo "$out" | grep -qx 'Measured [0-9-]* in the lab: Xen 4.17.7-pre, libvirt 9.0.0 (libxl driver), xlvcpu 1.1.0.' &&
    pass "versions" || fail "versions: $(echo "$out" | head -n 1)"
rows=$(echo "$out" | sed '/^| guest | command /,$d' | grep '^| p')
want='| pv | boot: current | done | refused: error: a\|b | done |
| pv | boot: sparse | no form |  |  |
| pv | set live | done |  |  |
| pvh | boot: current |  |  | other: exit 0 |'
[ "$rows" = "$want" ] && pass "rows" || fail "rows: $rows"

times=$(echo "$out" | sed -n '/^| guest | command /,$p' | grep '^| p')
want='| pv | set the count live | 400.0 | 800.0 | 380.0 | 0.95 | 0.47 |
| pv | list the vCPUs | 150.0 | 0 | 120.0 | 0.80 |  |'
[ "$times" = "$want" ] && pass "latencies and ratios" ||
    fail "latencies: $times"
grep -v 'E2E-PEER ' "$tmp/log" > "$tmp/times"
out=$(sh "$table" "$tmp/times")
rc=$?
[ "$rc" = 0 ] && ! echo "$out" | grep -q '| scenario |' &&
    echo "$out" | grep -q '^| pv | list the vCPUs |' &&
    pass "latencies alone: their table only" ||
    fail "latencies alone: exit $rc, $out"

grep -v E2E-PEER "$tmp/log" > "$tmp/none"
sh "$table" "$tmp/none" > /dev/null
rc=$?
[ "$rc" = 1 ] && pass "no result: exit 1" || fail "no result: exit $rc"
sh "$table" "$tmp/missing" 2> "$tmp/err" > /dev/null
rc=$?
[ "$rc" = 2 ] && grep -q "cannot read '$tmp/missing'" "$tmp/err" &&
    pass "unreadable log: one line, exit 2" ||
    fail "unreadable log: exit $rc, $(cat "$tmp/err")"
echo "e2e-peers-table: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
