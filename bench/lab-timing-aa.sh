# How far apart the lab's timing ratio lands when nothing differs: an A/A
# run of the timing check's vcpu-set rounds (set_round in tests/e2e/lib.sh,
# as tests/e2e/checks/85-timing.sh times them) in the lab, as an extra
# dom0 script:
#
#   E2E_ONLY=none tests/e2e/run bench/lab-timing-aa.sh
#
# On one PVH guest of 4 vCPUs, three labels take turns plugging vCPU 1 and
# unplugging it, the guest settled after each call: A and B are both
# `xl vcpu-set` (the same command twice), C is `xlvcpu vcpu-set --live`.
# Every label plugs after and unplugs after each other label alike.  Three
# repetitions, each of 20 plugs and 20 unplugs per label, the check's
# sample; each prints the medians (a plug plus an unplug), the ratios A/B,
# C/A and C/B and their 95 % intervals (set_ratio: the median of 20
# ratios, the K-th plug plus unplug of one label over the other's, both
# from the same six rounds).  A/B is what that figure does for two tools
# that are one.
. "$E2E_LIB"
E2E_GUEST_TYPE=pvh
E2E_POLL=0.1
E2E_REMAKES=6
reps=3 calls=20
name=$(guest_name e2e-aa)
own $name
guest_xml $name "<vcpu placement='static' current='1'>4</vcpu>" \
    > "$E2E_TMP/$name.xml"
faults_seen
make_aa() {
    run xlvcpu create "$E2E_TMP/$name.xml" ||
        fail "xlvcpu create $E2E_TMP/$name.xml failed"
}
# The lab's vcpu-set rounds (set_round, tests/e2e/lib.sh), with one guest
# for every label; a guest the emulator ended is made again where the run
# stands, and the round that saw it done again, as in the timing check.
round_guest() { echo $name; }
round_remake() { make_and_boot $name make_aa; }
round_cmd() {
    case $1 in
    A | B) echo xl vcpu-set "$2" "$3" ;;
    C) echo xlvcpu vcpu-set --live "$2" "$3" ;;
    esac
}
make_and_boot $name make_aa
# ratio X Y: X's vcpu-set over Y's in this repetition, and its interval.
ratio() {
    local r
    r=$(set_ratio "$at" "$1" "$2")
    echo "${r% *} (${r#* })"
}
rep=1
while [ $rep -le $reps ]; do
    # Six rounds give every label two plugs and two unplugs, each after
    # and before each other label once.
    at="$E2E_TMP/$rep" i=0
    while [ $i -lt $((calls * 3)) ]; do
        case $((i % 6)) in
        0) set_round A B "$at" ;; 1) set_round B C "$at" ;;
        2) set_round C A "$at" ;; 3) set_round B A "$at" ;;
        4) set_round C B "$at" ;; 5) set_round A C "$at" ;;
        esac
        [ $? = 2 ] && continue
        i=$((i + 1))
    done
    note "timing-aa[$rep] vcpu-set, a plug plus an unplug (medians of" \
         "$calls calls each): A (xl) $(set_ms "$at" A) ms, B (xl)" \
         "$(set_ms "$at" B), C (xlvcpu) $(set_ms "$at" C); A/B $(ratio A B)," \
         "C/A $(ratio C A), C/B $(ratio C B)"
    rep=$((rep + 1))
done
note "timing-aa: the emulator ended the guest $E2E_REMADE time(s); it" \
     "was made again and the round redone"
