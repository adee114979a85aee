# Peers side by side (issue 14; tests/e2e/peers-lib.sh says how a result
# is judged and printed): on a running guest each tool made (4 vCPUs, 1
# online), xl, virsh and xlvcpu set the count live and above the maximum,
# pin an online and an offline vCPU, pin to a pCPU the host lacks, and
# pin a vCPU they then take away and give back.
# e2e-types: pv pvh
. "$E2E_LIB"
. "$E2E_LIB_DIR/peers-lib.sh"
peers_start

# One guest per tool, made by the tool (max 4, 1 online), for the live
# requests, which the guest must be up to take.
# make_live TOOL: TOOL makes its guest, which is not waited for.
make_live() {
    local name
    name=$(guest_name p-live-$1)
    if [ $1 = xl ]; then
        run xl create "$E2E_TMP/$name.cfg" || fail "xl create $name failed"
    else
        run peer_create $1 "$E2E_TMP/$name.xml" ||
            fail "$1 create $name failed"
    fi
}
# remake_live TOOL: after the emulator ended TOOL's guest at its boot
# (remake_ended destroyed it), TOOL makes it again and it is waited for.
remake_live() {
    local name from
    name=$(guest_name p-live-$1)
    [ $1 != virsh ] || virsh_let_go $name
    from=$(guest_mark $name)
    make_live $1
    boot_or_remake $name "$from" remake_live $1
}
# (Made one after the other, then waited for: they boot side by side.)
marks=
for tool in $TOOLS; do
    name=$(guest_name p-live-$tool)
    own $name
    guest_xml $name "<vcpu placement='static' current='1'>4</vcpu>" \
        > "$E2E_TMP/$name.xml"
    guest_cfg $name 4 1 > "$E2E_TMP/$name.cfg"
    marks="$marks $(guest_mark $name)"
    make_live $tool
done
set -- $marks
for tool in $TOOLS; do
    boot_or_remake "$(guest_name p-live-$tool)" "$1" remake_live $tool
    shift
done

# shellcheck disable=SC2046,SC2091
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
# shellcheck disable=SC2046,SC2091
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
# vCPU's affinity while it is offline.  RC and OUTPUT are the first
# request's that failed.
for tool in $TOOLS; do
    name=$(guest_name p-live-$tool)
    before=$(xl_hard $name 1)
    out=$(pin_live $tool $name 1 1 2>&1 && set_live $tool $name 1 2>&1 &&
          { wait_for 30 guest_cpus_are $name "online=0 present=0"
            set_live $tool $name 2 2>&1; })
    rc=$?
    wait_for 30 guest_cpus_are $name "online=0-1 present=0-1"
    wait_for 10 xl_online_is $name 0-1
    judge "pins after an unplug and a plug" $tool $rc "$out" "$before" \
        "$(xl_hard $name 1)" 1
done
