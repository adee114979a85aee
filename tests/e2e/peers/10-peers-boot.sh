# Peers side by side (issue 14; tests/e2e/peers-lib.sh says how a result
# is judged and printed): xl, virsh and xlvcpu each boot a guest of 4
# vCPUs with fewer online than the maximum, with a cpuset, with per-vCPU
# pins, with a sparse online map and with soft affinity; what Xen shows
# right after the create is the result.
# e2e-types: pv pvh
. "$E2E_LIB"
. "$E2E_LIB_DIR/peers-lib.sh"
peers_start

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

# boot_row: $tool boots guest $name as $scenario asks, from
# $E2E_TMP/$name.in, judged right after the create; the guest is then
# destroyed.  Status 3 when the emulator ended it at its boot and it may
# be booted again (judge, JUDGE_RETRY).
JUDGE_RETRY=1
boot_row() {
    local out rc got status
    out=$(peer_create $tool "$E2E_TMP/$name.in" 2>&1)
    rc=$?
    if running $name; then
        got=$(boot_view $name $scenario)
    else
        got="not running"
    fi
    judge "boot: $scenario" $tool $rc "$out" "not running" "$got" \
        "$(boot_want $scenario)"
    status=$?
    xl destroy $name > /dev/null 2>&1
    return $status
}
# boot_again: the emulator ended guest $name at its boot (boot_row
# destroyed it): boot_row makes it anew, once libvirt has let go of the
# name when it was virsh's.
boot_again() {
    say "the emulator ended guest $name of $tool at its boot: made anew"
    [ $tool != virsh ] || virsh_let_go $name
}

for scenario in current cpuset pins sparse soft; do
    for tool in $TOOLS; do
        name=$(guest_name p-$scenario-$tool)
        own $name
        if ! boot_input $tool $name $scenario > "$E2E_TMP/$name.in"; then
            peer "boot: $scenario" $tool "no form"
            continue
        fi
        in_turn 1 boot_row boot_again
    done
done
