#!/bin/sh
# The lab's test for a guest whose vCPUs all loop on one instruction
# (tests/e2e/looping.awk): the samples of the guest that hung on
# 2026-12-05 are a loop; an idle guest, a busy one, one vCPU, too few
# samples and addresses far apart are not.  Run with busybox's awk, as in
# the lab's dom0, when it is here, and with the machine's awk.
#   sh tests/unit/test_e2e_looping.sh BUILDDIR
. "$(dirname "$0")/../lib.sh"
suite_tmpdir tmp || exit 2
awks=awk
command -v busybox >/dev/null 2>&1 && awks="$awks busybox-awk"
run_awk() {
    if [ "$1" = busybox-awk ]; then busybox awk -f "$top/tests/e2e/looping.awk"
    else awk -f "$top/tests/e2e/looping.awk"; fi
}
# expect NAME STATUS OUTPUT: looping.awk on stdin exits STATUS, prints OUTPUT.
expect() {
    cat > "$tmp/in"
    for a in $awks; do
        out=$(run_awk "$a" < "$tmp/in")
        rc=$?
        if [ "$rc" = "$2" ] && [ "$out" = "$3" ]; then
            passed=$((passed + 1))
        else
            echo "FAIL looping ($a): $1: exit $rc, '$out'; expected $2, '$3'"
            failed=$((failed + 1))
        fi
    done
}
sym=sched_clock_idle_wakeup_event
expect "the guest of 2026-12-05" 0 "$sym (ffffffff81108630)" <<EOF
state 0 r--
state 1 ---
state 2 ---
state 3 r--
rip 0 ffffffff81108631 $sym+0x1
rip 1 ffffffff81108631 $sym+0x1
rip 2 ffffffff81108631 $sym+0x1
rip 3 ffffffff81108631 $sym+0x1
state 0 ---
state 1 r--
state 2 ---
state 3 r--
rip 0 ffffffff81108631 $sym+0x1
rip 1 ffffffff81108630 $sym
rip 2 ffffffff81108631 $sym+0x1
rip 3 ffffffff81108631 $sym+0x1
EOF
tick=sched_clock_tick
expect "the guest of 2026-12-05, 19:55 (vCPUs in the int3 handler too)" 0 \
    "$tick (ffffffff811085f0)" <<EOF
state 0 ---
state 1 ---
state 2 ---
state 3 ---
rip 0 ffffffff811085f0 $tick
rip 1 ffffffff811085f0 $tick
rip 2 ffffffff81027db0 xen_asm_exc_int3
rip 3 ffffffff811085f1 $tick+0x1
state 0 r--
state 1 ---
state 2 ---
state 3 ---
rip 0 ffffffff81a44fba exc_int3+0xa
rip 1 ffffffff811085f0 $tick
rip 2 ffffffff811085f1 $tick+0x1
rip 3 ffffffff811085f0 $tick
EOF
expect "only one vCPU outside the int3 handler" 1 "" <<EOF
state 0 r--
state 1 r--
rip 0 ffffffff811085f0 $tick
rip 1 ffffffff81027db0 xen_asm_exc_int3
rip 0 ffffffff811085f1 $tick+0x1
rip 1 ffffffff81a44fba exc_int3+0xa
EOF
expect "a vCPU elsewhere than the address and the handler" 1 "" <<EOF
state 0 r--
state 1 r--
state 2 r--
rip 0 ffffffff811085f0 $tick
rip 1 ffffffff811085f0 $tick
rip 2 ffffffff81027db0 xen_asm_exc_int3
rip 0 ffffffff811085f0 $tick
rip 1 ffffffff811085f1 $tick+0x1
rip 2 ffffffff81300000 memcpy+0x20
EOF
expect "an idle guest (blocked vCPUs)" 1 "" <<EOF
state 0 -b-
state 1 -b-
rip 0 ffffffff810023aa xen_hypercall_sched_op+0xa
rip 1 ffffffff810023aa xen_hypercall_sched_op+0xa
rip 0 ffffffff810023aa xen_hypercall_sched_op+0xa
rip 1 ffffffff810023aa xen_hypercall_sched_op+0xa
EOF
expect "a busy guest (addresses apart)" 1 "" <<EOF
state 0 r--
state 1 r--
rip 0 ffffffff81108631 $sym+0x1
rip 1 ffffffff81108631 $sym+0x1
rip 0 ffffffff81108640 $sym+0x10
rip 1 ffffffff81108631 $sym+0x1
EOF
expect "one sample of a vCPU" 1 "" <<EOF
state 0 r--
state 1 r--
rip 0 ffffffff81108631 $sym+0x1
rip 1 ffffffff81108631 $sym+0x1
rip 0 ffffffff81108631 $sym+0x1
EOF
expect "one vCPU at one address (an HVM guest on 2026-12-05)" 1 "" <<EOF
state 0 ---
rip 0 ffffffffa35d32af
state 0 ---
rip 0 ffffffffa35d32af
EOF
expect "the same low 32 bits, another high half" 1 "" <<EOF
state 0 r--
state 1 r--
rip 0 ffffffff81108631 $sym+0x1
rip 1 ffffffff81108631 $sym+0x1
rip 0 ffffff0081108631 other+0x1
rip 1 ffffffff81108631 $sym+0x1
EOF
expect "no sample" 1 "" < /dev/null
echo "e2e-looping: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
