# How far apart the lab's timing ratio lands when nothing differs: an A/A
# run of the timing check's vcpu-set rounds (tests/e2e/checks/85-timing.sh)
# in the lab, as an extra dom0 script:
#
#   E2E_ONLY=none tests/e2e/run bench/lab-timing-aa.sh
#
# On one PVH guest of 4 vCPUs, three labels take turns plugging vCPU 1 and
# unplugging it, the guest settled after each call: A and B are both
# `xl vcpu-set` (the same command twice), C is `xlvcpu vcpu-set --live`.
# Every label plugs after and unplugs after each other label alike.  Three
# repetitions, each of 20 plugs and 20 unplugs per label, the check's
# sample; each prints the medians (a plug plus an unplug), the ratios A/B,
# C/A and C/B and their 95 % intervals (tests/e2e/ratio-interval.awk).
# A/B is what a ratio of medians of 20 does for two tools that are one.
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
# (A guest the emulator ended is made again where the run stands, and the
# round that saw it done again, as in the timing check.)
remake_aa() { make_and_boot $name make_aa; }
make_and_boot $name make_aa
cmd_of() {
    case $1 in
    A | B) echo xl vcpu-set ;;
    C) echo xlvcpu vcpu-set --live ;;
    esac
}
# set_by LABEL COUNT: its time in US; 2 when the emulator ended the guest.
# shellcheck disable=SC2046
set_by() {
    US=$(e2e-time $(cmd_of $1) $name $2) && return 0
    remake_ended $name remake_aa && return 2
    fail "$1: vcpu-set $2 failed"
}
# round FIRST SECOND: FIRST plugs, SECOND unplugs; kept once the guest
# took both.
round() {
    local plug unplug
    set_by $1 2 || return
    plug=$US
    settle_or_remake $name 0-1 remake_aa || return
    set_by $2 1 || return
    unplug=$US
    settle_or_remake $name 0 remake_aa || return
    echo "$plug" >> "$E2E_TMP/$rep.plug.$1"
    echo "$unplug" >> "$E2E_TMP/$rep.unplug.$2"
}
sum() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a + b }'; }
set_ms() {
    sum "$(median_ms "$E2E_TMP/$rep.plug.$1")" \
        "$(median_ms "$E2E_TMP/$rep.unplug.$1")"
}
ratio() { # X Y: X's vcpu-set over Y's, and its interval
    echo "$(awk -v a="$(set_ms $1)" -v b="$(set_ms $2)" \
            'BEGIN { printf "%.2f", a / b }')" \
         "($(ratio_interval "$E2E_TMP/$rep.plug.$1" "$E2E_TMP/$rep.plug.$2" \
              "$E2E_TMP/$rep.unplug.$1" "$E2E_TMP/$rep.unplug.$2"))"
}
rep=1
while [ $rep -le $reps ]; do
    # Six rounds give every label two plugs and two unplugs, each after
    # and before each other label once.
    i=0
    while [ $i -lt $((calls * 3)) ]; do
        case $((i % 6)) in
        0) round A B ;; 1) round B C ;; 2) round C A ;;
        3) round B A ;; 4) round C B ;; 5) round A C ;;
        esac
        [ $? = 2 ] && continue
        i=$((i + 1))
    done
    note "timing-aa[$rep] vcpu-set, a plug plus an unplug (medians of" \
         "$calls calls each): A (xl) $(set_ms A) ms, B (xl) $(set_ms B)," \
         "C (xlvcpu) $(set_ms C); A/B $(ratio A B), C/A $(ratio C A)," \
         "C/B $(ratio C B)"
    rep=$((rep + 1))
done
note "timing-aa: the emulator ended the guest $E2E_REMADE time(s); it" \
     "was made again and the round redone"
