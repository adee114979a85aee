# Latency side by side (issue 14): how long xl, virsh (libvirt's libxl
# driver) and xlvcpu take to set the count live (a plug plus an unplug),
# pin a vCPU live and list the vCPUs, E2E_PEER_CALLS (default 20) calls
# of each, interleaved, every call a real change.  Each tool works on a
# guest it made (libvirt acts only on its own domains), all three alike:
# 4 vCPUs, 1 online.  A call's time is its wall time in dom0, libvirtd's
# share of virsh's included.  One line per figure for the table
# (tests/e2e/peers-table), medians in ms:
#
#   E2E-PEER-TIME TYPE|WHAT|XL|VIRSH|XLVCPU
# e2e-types: pv pvh
. "$E2E_LIB"

TOOLS="xl virsh xlvcpu"
calls=${E2E_PEER_CALLS:-20}
E2E_POLL=0.1
start_libvirtd

# make_guest TOOL NAME: TOOL makes the guest, which is not waited for.
make_guest() {
    if [ "$1" = xl ]; then
        guest_cfg "$2" 4 1 > "$E2E_TMP/$2.in"
    else
        guest_xml "$2" "<vcpu placement='static' current='1'>4</vcpu>" \
            > "$E2E_TMP/$2.in"
    fi
    case $1 in
    xl) run xl create "$E2E_TMP/$2.in" ;;
    virsh) run $VIRSH create "$E2E_TMP/$2.in" ;;
    xlvcpu) run xlvcpu create "$E2E_TMP/$2.in" ;;
    esac || fail "$1 could not make guest $2"
}
# remake TOOL NAME: after the emulator ended the guest (settle_or_remake
# destroyed it), make it again and wait for it; libvirt first has to see
# its domain gone.
virsh_forgot() { ! $VIRSH domid "$1" > /dev/null 2>&1; }
remake() {
    local from
    [ "$1" = virsh ] && { wait_for 20 virsh_forgot "$2" ||
                          fail "libvirt still has $2 after xl destroy"; }
    from=$(guest_mark "$2")
    make_guest "$1" "$2"
    wait_guest "$2" "$from"
}

marks=
for tool in $TOOLS; do
    name=$(guest_name t-$tool)
    own $name
    marks="$marks $(guest_mark $name)"
    make_guest $tool $name
done
set -- $marks
for tool in $TOOLS; do
    wait_guest "$(guest_name t-$tool)" "$1"
    shift
done
faults_seen

set_cmd() { # TOOL NAME COUNT
    case $1 in
    xl) echo xl vcpu-set "$2" "$3" ;;
    virsh) echo $VIRSH setvcpus "$2" "$3" --live ;;
    xlvcpu) echo xlvcpu vcpu-set --live "$2" "$3" ;;
    esac
}
pin_cmd() { # TOOL NAME VCPU CPUS
    case $1 in
    xl) echo xl vcpu-pin "$2" "$3" "$4" ;;
    virsh) echo $VIRSH vcpupin "$2" "$3" "$4" --live ;;
    xlvcpu) echo xlvcpu vcpu-pin --live "$2" "$3" "$4" ;;
    esac
}
list_cmd() { # TOOL NAME
    case $1 in
    xl) echo xl vcpu-list "$2" ;;
    virsh) echo $VIRSH vcpuinfo "$2" ;;
    xlvcpu) echo xlvcpu vcpu-list "$2" ;;
    esac
}

# set_round TOOL: TOOL plugs vCPU 1 of its guest and unplugs it; both
# times are kept once the guest took both (2: the guest was made again,
# do the round again).
set_round() {
    local name plug unplug
    name=$(guest_name t-$1)
    # shellcheck disable=SC2046
    plug=$(e2e-time $(set_cmd $1 $name 2)) || fail "$1: set 2 failed"
    settle_or_remake $name 0-1 remake $1 $name || return
    # shellcheck disable=SC2046
    unplug=$(e2e-time $(set_cmd $1 $name 1)) || fail "$1: set 1 failed"
    settle_or_remake $name 0 remake $1 $name || return
    echo "$plug" >> "$E2E_TMP/plug.$1"
    echo "$unplug" >> "$E2E_TMP/unplug.$1"
}

# Each round asks every tool once, the first tool of a round last in
# the next, so that no tool always follows the same one.
order=$TOOLS
rotate() { order="${order#* } ${order%% *}"; }
i=0
while [ $i -lt "$calls" ]; do
    for tool in $order; do
        until set_round $tool; do :; done
    done
    rotate
    i=$((i + 1))
done
i=0
while [ $i -lt "$calls" ]; do
    for tool in $order; do
        # shellcheck disable=SC2046
        timed "$E2E_TMP/pin.$tool" \
            $(pin_cmd $tool "$(guest_name t-$tool)" 0 $((i % 2)))
        # shellcheck disable=SC2046
        timed "$E2E_TMP/list.$tool" $(list_cmd $tool "$(guest_name t-$tool)")
    done
    rotate
    i=$((i + 1))
done
for tool in $TOOLS; do
    expect "$tool: vCPU 0's hard affinity after the last pin" \
        "$(xl_hard "$(guest_name t-$tool)" 0)" $(((calls - 1) % 2))
done

sum() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a + b }'; }
figures() { # WHAT FILE-PREFIX...: the line of one figure
    local what=$1 tool line="E2E-PEER-TIME $E2E_GUEST_TYPE|$1"
    shift
    for tool in $TOOLS; do
        if [ $# = 2 ]; then
            line="$line|$(sum "$(median_ms "$E2E_TMP/$1.$tool")" \
                              "$(median_ms "$E2E_TMP/$2.$tool")")"
        else
            line="$line|$(median_ms "$E2E_TMP/$1.$tool")"
        fi
    done
    echo "$line"
    note "peers[$E2E_GUEST_TYPE] $what (xl|virsh|xlvcpu, ms):" \
         "${line#*|*|}"
}
figures "set the count live (a plug plus an unplug)" plug unplug
figures "pin a vCPU live" pin
figures "list the vCPUs" list
[ $E2E_REMADE = 0 ] ||
    note "peers[$E2E_GUEST_TYPE]: the emulator ended a guest $E2E_REMADE" \
         "time(s) during the plugs; it was made again and its round redone"
for f in "$E2E_TMP"/plug.* "$E2E_TMP"/unplug.* "$E2E_TMP"/pin.* \
         "$E2E_TMP"/list.*; do
    echo "$(basename "$f"): $(tr '\n' ' ' < "$f")"
done
