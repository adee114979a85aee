# What a vcpu-set costs besides its wall time, xlvcpu beside xl: an extra
# dom0 script for the Xen lab,
#
#   E2E_ONLY=none tests/e2e/run bench/lab-resources.sh
#
# On a guest of 4 vCPUs, 1 online, of each type (PV, then PVH), made by
# xlvcpu create, the two tools take turns in the timing check's vcpu-set
# rounds (set_round in tests/e2e/lib.sh: one tool plugs vCPU 1, the guest
# settles, the other unplugs it, the guest settles; the next round the
# other way round), E2E_RESOURCE_CALLS (20) plugs and as many unplugs
# each.  Every call is timed by e2e-time -r, which also gives what the
# kernel counted for the command: its CPU time, its minor page faults and
# the times it was made to give up its CPU; and the CPU time xenstored and
# syslogd spent while it ran is read from their /proc/PID/schedstat before
# and after.  For each type, tool and kind of call it notes the medians
# (E2E-NOTE resources[TYPE]), then xlvcpu over xl for a plug plus an
# unplug, of the wall time and of the command's CPU time, as the timing
# check takes its figure (the median of the rounds' ratios, with its 95 %
# interval).
. "$E2E_LIB"
calls=${E2E_RESOURCE_CALLS:-20}
E2E_POLL=0.1
E2E_REMAKES=6
xenstored=$(cat /run/xen/xenstored.pid)
syslogd=$(pidof syslogd) || fail "no syslogd runs in dom0"
for pid in $xenstored $syslogd; do
    [ -r "/proc/$pid/schedstat" ] ||
        fail "dom0's kernel keeps no /proc/$pid/schedstat"
done

# run_ns PID: the nanoseconds process PID has run.
run_ns() {
    local ns rest
    read -r ns rest < "/proc/$1/schedstat"
    echo "$ns"
}
make_guest() {
    run xlvcpu create "$E2E_TMP/$name.xml" ||
        fail "xlvcpu create $E2E_TMP/$name.xml failed"
}
round_guest() { echo "$name"; }
round_remake() { make_and_boot "$name" make_guest; }
round_cmd() { peer_cmd set "$@"; }
# round_call TOOL N: lib.sh's, timed with -r; the call's figures, "CPU
# FAULTS SWITCHES XENSTORED SYSLOGD", wait in PLUG (N 2) or UNPLUG (N 1)
# until its round is done (record).
# shellcheck disable=SC2046
round_call() {
    local guest xs sl line
    guest=$(round_guest "$1")
    xs=$(run_ns "$xenstored") sl=$(run_ns "$syslogd")
    if line=$(e2e-time -r $(round_cmd "$1" "$guest" "$2")); then
        US=${line%% *}
        line="${line#* } $(($(run_ns "$xenstored") - xs))"
        line="$line $(($(run_ns "$syslogd") - sl))"
        if [ "$2" = 2 ]; then PLUG=$line; else UNPLUG=$line; fi
        return 0
    fi
    remake_ended "$guest" round_remake "$1" && return 2
    fail "$1: vcpu-set $2 failed"
}
# record PREFIX FIRST SECOND: a done round's figures, FIRST's plug and
# SECOND's unplug, a line each in PREFIX.WHAT.plug.FIRST and
# PREFIX.WHAT.unplug.SECOND (the wall times are set_round's own files).
fields="cpu faults switches xenstored syslogd"
record() {
    local what i=1
    for what in $fields; do
        echo "$PLUG" | cut -d' ' -f$i >> "$1.$what.plug.$2"
        echo "$UNPLUG" | cut -d' ' -f$i >> "$1.$what.unplug.$3"
        i=$((i + 1))
    done
}
# ratio PREFIX: xlvcpu over xl, "RATIO (LOW-HIGH)".
ratio() {
    local r
    r=$(set_ratio "$1" xlvcpu xl)
    echo "${r% *} (${r#* })"
}

for E2E_GUEST_TYPE in pv pvh; do
    name=$(guest_name e2e-res)
    own $name
    guest_xml $name "<vcpu placement='static' current='1'>4</vcpu>" \
        > "$E2E_TMP/$name.xml"
    faults_seen
    make_and_boot $name make_guest
    at="$E2E_TMP/res-$E2E_GUEST_TYPE" i=0
    while [ $i -lt $((calls * 2)) ]; do
        if [ $((i % 2)) = 0 ]; then
            set_round xl xlvcpu "$at" || continue
            record "$at" xl xlvcpu
        else
            set_round xlvcpu xl "$at" || continue
            record "$at" xlvcpu xl
        fi
        i=$((i + 1))
    done
    for tool in xl xlvcpu; do
        for call in plug unplug; do
            f=$call.$tool
            note "resources[$E2E_GUEST_TYPE] $call by $tool, medians of" \
                 "$calls: wall $(median_ms "$at.$f") ms, cpu" \
                 "$(median_ms "$at.cpu.$f") ms, page faults" \
                 "$(median "$at.faults.$f"), cpu given up" \
                 "$(median "$at.switches.$f") times; meanwhile xenstored" \
                 "$(median "$at.xenstored.$f" 1000000) ms cpu, syslogd" \
                 "$(median "$at.syslogd.$f" 1000000) ms"
        done
    done
    note "resources[$E2E_GUEST_TYPE] vcpu-set, xlvcpu over xl (a plug" \
         "plus an unplug, the median of $calls rounds' ratios): wall" \
         "$(ratio "$at"), cpu $(ratio "$at.cpu")"
    xl destroy $name
done
note "resources: the emulator ended a guest $E2E_REMADE time(s); it was" \
     "made again and the round redone"
