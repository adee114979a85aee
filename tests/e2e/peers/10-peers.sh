# Peers side by side (issue 14): xl, virsh (libvirt's libxl driver) and
# xlvcpu asked the same things on the same Xen.  Each result is judged
# from Xen's own view (xl vcpu-list), not from what the tool says, and
# printed as one line for the table (tests/e2e/peers-table):
#
#   E2E-PEER TYPE|SCENARIO|TOOL|RESULT
#
# RESULT: "done"; "refused: MESSAGE" (the tool's first two lines; nothing
# changed); "other: WHAT" (it said it did it and Xen shows something
# else, or it failed and changed something); "no form" (the tool has no
# way to ask it); "not measured: ..." when the emulator ended the guest
# (a triple fault, xen-lab.md) during the scenario: that says nothing of
# the tool.  The check fails only when a tool could not be run at
# all (libvirtd down, a guest that never booted).
# e2e-types: pv pvh
. "$E2E_LIB"

TOOLS="xl virsh xlvcpu"
start_libvirtd
run xlvcpu --version

peer() { echo "E2E-PEER $E2E_GUEST_TYPE|$1|$2|$3"; }
# not_measurable NAME: whether the emulator ended guest NAME (its
# software SVM ends PVH guests so now and then): Xen logged a triple
# fault since the last row, or NAME is among those it ended before in
# this check and not started again (ENDED).  A fault that ended another
# guest leaves this row unmeasured too: it cannot be told which.
faults_seen
ENDED=" "
RESTARTED_ENDED=
not_measurable() {
    local n
    case $ENDED in *" $1 "*) return 0 ;; esac
    # Ended, then started again before this row's judgement: the request
    # was made of a guest that was not there.
    if [ "$RESTARTED_ENDED" = "$1" ]; then
        RESTARTED_ENDED=
        return 0
    fi
    n=$(xl dmesg 2>/dev/null | grep -a -c 'Triple fault')
    [ "$n" -gt "$E2E_FAULTS_SEEN" ] || return 1
    E2E_FAULTS_SEEN=$n
    say "the emulator ended a guest:" \
        "$(xl dmesg | grep -a 'Triple fault' | tail -n 1)"
    guest_down "$1" && ENDED="$ENDED$1 "
    return 0
}
# Where the check's time goes: the lab's uptime at each part.
part() { say "$1, at $(cut -d' ' -f1 /proc/uptime) s"; }

# judge SCENARIO TOOL RC OUTPUT BEFORE GOT WANT: the result line of one
# request on guest $name, from the tool's status and Xen's view before
# and after.  WANT "refuse" is a request no tool should carry out.
judge() {
    local msg
    if not_measurable "$name"; then
        peer "$1" "$2" "not measured: the emulator ended the guest (triple fault)"
        return
    fi
    msg=$(printf '%s\n' "$4" | grep -v '^Parsing config' | grep . |
          head -n 2 | tr '\n' ' ' | sed 's/ $//' | cut -c1-200)
    if [ "$7" = refuse ] && [ "$3" = 0 ]; then
        peer "$1" "$2" "other: exit 0, Xen shows '$6' (was '$5')"
    elif [ "$3" = 0 ] && [ "$6" = "$7" ]; then
        peer "$1" "$2" done
    elif [ "$3" != 0 ] && [ "$6" = "$5" ]; then
        peer "$1" "$2" "refused: ${msg:-exit status $3}"
    elif [ "$3" = 0 ]; then
        peer "$1" "$2" "other: exit 0, Xen shows '$6' (asked '$7')"
    else
        peer "$1" "$2" "other: failed (${msg:-exit $3}) yet Xen shows '$6'"
    fi
}

# What xl vcpu-list says of every vCPU of NAME, one word each: the online
# ones (WHAT=online), hard or soft affinity.
xen_view() {
    case $2 in
    online) xl_online "$1" ;;
    hard) xl vcpu-list "$1" | awk 'NR > 1 { printf "%s%s", s, $7; s = " " }' ;;
    soft) xl vcpu-list "$1" | awk 'NR > 1 { printf "%s%s", s, $9; s = " " }' ;;
    esac
}

# ------------------------------------------------------------ boot
part "boot"

# boot_input TOOL NAME SCENARIO: the tool's input for a guest of 4 vCPUs
# booted as SCENARIO asks; nothing when the tool has no form for it.
boot_input() {
    local tool=$1 name=$2
    if [ "$tool" = xl ]; then
        case $3 in
        current) guest_cfg $name 4 2 ;;
        cpuset) guest_cfg $name 4 4 'cpus = "1"' ;;
        pins) guest_cfg $name 4 4 'cpus = ["0", "1"]' ;;
        sparse) return 1 ;;
        soft) guest_cfg $name 4 4 'cpus_soft = "1"' ;;
        esac
        return 0
    fi
    case $3 in
    current) guest_xml $name "<vcpu placement='static' current='2'>4</vcpu>" ;;
    cpuset) guest_xml $name "<vcpu placement='static' cpuset='1'>4</vcpu>" ;;
    pins) guest_xml $name "<vcpu placement='static'>4</vcpu>" \
              "<cputune><vcpupin vcpu='0' cpuset='0'/>
               <vcpupin vcpu='1' cpuset='1'/></cputune>" ;;
    sparse) guest_xml $name "<vcpu placement='static' current='2'>4</vcpu>
        <vcpus><vcpu id='0' enabled='yes' hotpluggable='no'/>
          <vcpu id='1' enabled='no' hotpluggable='yes'/>
          <vcpu id='2' enabled='no' hotpluggable='yes'/>
          <vcpu id='3' enabled='yes' hotpluggable='yes'/></vcpus>" ;;
    soft)
        [ "$tool" = virsh ] && return 1
        guest_xml $name "<vcpu placement='static'>4</vcpu>" \
            "<metadata><xlvcpu:cputune
               xmlns:xlvcpu='http://xlvcpu.org/xmlns/cputune/1.0'>
             <xlvcpu:soft cpuset='1'/></xlvcpu:cputune></metadata>" ;;
    esac
}

# What Xen shows after each boot scenario, and what was asked.  Right
# after the create: the online map is Xen's once the guest brings its
# vCPUs up, so "current" and "sparse" are read from xenstore's
# availability, which is what the guest is told to bring up.
boot_view() { # NAME SCENARIO
    case $2 in
    current | sparse) xs_online "$1" ;;
    cpuset | pins) xen_view "$1" hard ;;
    soft) xen_view "$1" soft ;;
    esac
}
boot_want() {
    case $1 in
    current) echo 0-1 ;;
    sparse) echo 0,3 ;;
    cpuset) echo "1 1 1 1" ;;
    pins) echo "0 1 all all" ;;
    soft) echo "1 1 1 1" ;;
    esac
}

for scenario in current cpuset pins sparse soft; do
    for tool in $TOOLS; do
        name=$(guest_name p-$scenario-$tool)
        own $name
        if ! boot_input $tool $name $scenario > "$E2E_TMP/$name.in"; then
            peer "boot: $scenario" $tool "no form"
            continue
        fi
        out=$(peer_create $tool "$E2E_TMP/$name.in" 2>&1)
        rc=$?
        if running $name; then
            got=$(boot_view $name $scenario)
        else
            got="not running"
        fi
        judge "boot: $scenario" $tool $rc "$out" "not running" "$got" \
            "$(boot_want $scenario)"
        xl destroy $name > /dev/null 2>&1
    done
done

# ------------------------------------------------------------ live
part "live"

# One guest per tool, made by the tool (max 4, 1 online), for the live
# requests, which the guest must be up to take.
# (Made one after the other, then waited for: they boot side by side.)
marks=
for tool in $TOOLS; do
    name=$(guest_name p-live-$tool)
    own $name
    guest_xml $name "<vcpu placement='static' current='1'>4</vcpu>" \
        > "$E2E_TMP/$name.xml"
    guest_cfg $name 4 1 > "$E2E_TMP/$name.cfg"
    marks="$marks $(guest_mark $name)"
    if [ $tool = xl ]; then
        run xl create "$E2E_TMP/$name.cfg" || fail "xl create $name failed"
    else
        run peer_create $tool "$E2E_TMP/$name.xml" ||
            fail "$tool create $name failed"
    fi
done
set -- $marks
for tool in $TOOLS; do
    wait_guest "$(guest_name p-live-$tool)" "$1"
    shift
done

# shellcheck disable=SC2046
set_live() { $(peer_cmd set "$@"); } # TOOL NAME COUNT
# The same past the host's check (the lab has 2 pCPUs): what each tool
# says of a count above the domain's maximum (virsh has no such check).
set_live_any() { # TOOL NAME COUNT
    case $1 in
    xl) xl vcpu-set --ignore-host "$2" "$3" ;;
    virsh) $VIRSH setvcpus "$2" "$3" --live ;;
    xlvcpu) xlvcpu vcpu-set --live --ignore-host "$2" "$3" ;;
    esac
}
# shellcheck disable=SC2046
pin_live() { $(peer_cmd pin "$@"); } # TOOL NAME VCPU CPUS

for tool in $TOOLS; do
    name=$(guest_name p-live-$tool)
    # Judged from Xen's view and from the guest's (what it brought up).
    before="$(xen_view $name online), guest: $(guest_cpus $name)"
    out=$(set_live $tool $name 2 2>&1)
    rc=$?
    wait_for 30 xl_online_is $name 0-1
    wait_for 30 guest_cpus_are $name "online=0-1 present=0-1"
    judge "set the count live (1 to 2)" $tool $rc "$out" "$before" \
        "$(xen_view $name online), guest: $(guest_cpus $name)" \
        "0-1, guest: online=0-1 present=0-1"

    before=$(xen_view $name online)
    out=$(set_live_any $tool $name 5 2>&1)
    rc=$?
    nap 2
    judge "set the count above the maximum (5 of 4)" $tool $rc "$out" \
        "$before" "$(xen_view $name online)" refuse

    before=$(xen_view $name hard)
    out=$(pin_live $tool $name 0 1 2>&1)
    rc=$?
    judge "pin an online vCPU live (0 to pCPU 1)" $tool $rc "$out" \
        "$before" "$(xen_view $name hard)" "1 all all all"

    before=$(xen_view $name hard)
    out=$(pin_live $tool $name 3 0 2>&1)
    rc=$?
    judge "pin an offline vCPU live (3 to pCPU 0)" $tool $rc "$out" \
        "$before" "$(xen_view $name hard)" "1 all all 0"

    before=$(xen_view $name hard)
    out=$(pin_live $tool $name 1 7 2>&1)
    rc=$?
    judge "pin to a pCPU the host lacks (1 to 7)" $tool $rc "$out" \
        "$before" "$(xen_view $name hard)" refuse
done

# Pins after an unplug and a plug: vCPU 1 pinned to pCPU 1, taken away
# and given back (the guest let go of it and took it again): Xen keeps a
# vCPU's affinity while it is offline.
for tool in $TOOLS; do
    name=$(guest_name p-live-$tool)
    pin_live $tool $name 1 1 > /dev/null 2>&1
    set_live $tool $name 1 > /dev/null 2>&1
    wait_for 30 guest_cpus_are $name "online=0 present=0"
    set_live $tool $name 2 > /dev/null 2>&1
    wait_for 30 guest_cpus_are $name "online=0-1 present=0-1"
    wait_for 10 xl_online_is $name 0-1
    got=$(xl_hard $name 1)
    if not_measurable $name; then
        peer "pins after an unplug and a plug" $tool \
            "not measured: the emulator ended the guest (triple fault)"
    elif [ "$got" = 1 ]; then
        peer "pins after an unplug and a plug" $tool done
    else
        peer "pins after an unplug and a plug" $tool \
            "other: vCPU 1 pinned to '$got' (was 1)"
    fi
done
# Running on, the live guests would only slow the restarts below.
for tool in $TOOLS; do
    xl destroy "$(guest_name p-live-$tool)" > /dev/null 2>&1
done

# ------------------------------------------------------------ next boot
part "next boot"

# A defined guest per tool that keeps one (xl keeps no definitions: its
# xl.cfg is the user's file), booted with 1 of 4 vCPUs online; changes
# for the next boot are judged after it is destroyed and started again.
define_with() { # TOOL NAME FILE
    case $1 in
    virsh) $VIRSH define "$3" && $VIRSH start "$2" ;;
    xlvcpu) xlvcpu define "$3" && xlvcpu start "$2" ;;
    esac
}
# (A guest the emulator ended is not running: it is started all the same.)
restart_with() { # TOOL NAME
    case $ENDED in *" $2 "*) RESTARTED_ENDED=$2 ;; esac
    ENDED=$(echo "$ENDED" | sed "s/ $2 / /")
    case $1 in
    virsh) $VIRSH destroy "$2"; $VIRSH start "$2" ;;
    xlvcpu) xl destroy "$2"; xlvcpu start "$2" ;;
    esac
}
set_scope() { # TOOL NAME COUNT SCOPE-OPTIONS...
    local tool=$1 name=$2 count=$3
    shift 3
    case $tool in
    virsh) $VIRSH setvcpus "$name" "$count" "$@" ;;
    xlvcpu) xlvcpu vcpu-set "$@" "$name" "$count" ;;
    esac
}
pin_scope() { # TOOL NAME VCPU CPUS SCOPE-OPTIONS...
    local tool=$1 name=$2 vcpu=$3 cpus=$4
    shift 4
    case $tool in
    virsh) $VIRSH vcpupin "$name" "$vcpu" "$cpus" "$@" ;;
    xlvcpu) xlvcpu vcpu-pin "$@" "$name" "$vcpu" "$cpus" ;;
    esac
}
# next_boot SCENARIO BEFORE WANT VIEW... -- REQUEST...: $tool is asked
# REQUEST for guest $name, which is then destroyed and started again;
# VIEW (a command and its arguments) prints what Xen shows, read once
# right after the request ("live") and once after the restart ("next").
# xl has no form for any of them.
next_boot() {
    local scenario=$1 before=$2 want=$3 view= out rc live
    if [ $tool = xl ]; then
        peer "$scenario" xl "no form"
        return
    fi
    shift 3
    while [ "$1" != -- ]; do
        view="$view $1"
        shift
    done
    shift
    out=$("$@" 2>&1)
    rc=$?
    live=$($view)
    restart_with $tool $name > /dev/null 2>&1
    judge "$scenario" $tool $rc "$out" "$before" \
        "live $live, next $($view)" "$want"
}
vcpus_of() { xl vcpu-list "$1" | awk 'NR > 1' | wc -l; }
at_exit "$VIRSH undefine $(guest_name p-conf-virsh) > /dev/null 2>&1"
for tool in $TOOLS; do
    name=$(guest_name p-conf-$tool)
    if [ $tool != xl ]; then
        own $name
        guest_xml $name "<vcpu placement='static' current='1'>4</vcpu>" \
            > "$E2E_TMP/$name.xml"
        run define_with $tool $name "$E2E_TMP/$name.xml" ||
            fail "$tool define and start $name failed"
    fi

    # Each request, then what Xen shows now (live) and after a restart.
    # The counts stay within the lab's 2 pCPUs: libvirt refuses more
    # vCPUs than the host has CPUs (it says so below, at the maximum).
    next_boot "the count for the next boot (1 to 2)" \
        "live 0, next 0" "live 0, next 0-1" \
        xs_online $name -- set_scope $tool $name 2 --config
    next_boot "the count live and for the next boot (2 to 1)" \
        "live 0-1, next 0-1" "live 0, next 0" \
        xs_online $name -- set_scope $tool $name 1 --live --config
    next_boot "the count in the current scope, running (1 to 2)" \
        "live 0, next 0" "live 0-1, next 0" \
        xs_online $name -- set_scope $tool $name 2 --current
    next_boot "raise the maximum for the next boot (4 to 6)" \
        "live 4, next 4" "live 4, next 6" \
        vcpus_of $name -- set_scope $tool $name 6 --maximum --config
    next_boot "pin for the next boot (1 to pCPU 1)" \
        "live all, next all" "live all, next 1" \
        xl_hard $name 1 -- pin_scope $tool $name 1 1 --config
    next_boot "pin live and for the next boot (0 to pCPU 0)" \
        "live all, next all" "live 0, next 0" \
        xl_hard $name 0 -- pin_scope $tool $name 0 0 --live --config
    [ $tool = xl ] && continue
    # What the tool kept for the next boot, for the log: a pin judged
    # "other" was either not kept or kept and not applied at the start.
    say "$tool's definition of $name for the next boot:"
    case $tool in
    virsh) $VIRSH dumpxml --inactive $name ;;
    xlvcpu) xlvcpu dumpxml --inactive $name ;;
    esac 2>&1 | grep -E '<vcpu |vcpupin|emulatorpin'
done
part "done"
