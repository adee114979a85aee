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
# make_live_again TOOL: after the emulator ended TOOL's guest at its boot
# (remake_ended destroyed it), TOOL makes it again, once libvirt saw its
# domain gone when it is virsh's.
make_live_again() {
    [ $1 != virsh ] || virsh_let_go "$(guest_name p-live-$1)"
    make_live $1
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
    name=$(guest_name p-live-$tool)
    boot_or_remake $name "$1" make_and_boot $name make_live_again $tool
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

# The requests, in turn on each tool's guest, each starting from where
# the ones before it left the guest.  live_what N: row N's scenario and
# what is wanted (WANT "refuse": no tool should carry it out), in
# ROW_SCENARIO and ROW_WANT.
live_what() {
    case $1 in
    1) ROW_SCENARIO="set the count live (1 to 2)"
       ROW_WANT="0-1, guest: online=0-1 present=0-1" ;;
    2) ROW_SCENARIO="set the count above the maximum (5 of 4)"
       ROW_WANT=refuse ;;
    3) ROW_SCENARIO="pin an online vCPU live (0 to pCPU 1)"
       ROW_WANT="1 all all all" ;;
    4) ROW_SCENARIO="pin an offline vCPU live (3 to pCPU 0)"
       ROW_WANT="1 all all 0" ;;
    5) ROW_SCENARIO="pin to a pCPU the host lacks (1 to 7)"
       ROW_WANT=refuse ;;
    # vCPU 1 pinned to pCPU 1, taken away and given back (the guest let go
    # of it and took it again): Xen keeps a vCPU's affinity while it is
    # offline.
    6) ROW_SCENARIO="pins after an unplug and a plug"
       ROW_WANT=1 ;;
    esac
}
nrows=6
# live_view N: what Xen shows of $name for row N (for the count, also
# what the guest brought up).
live_view() {
    case $1 in
    1) echo "$(xen_view $name online), guest: $(guest_cpus $name)" ;;
    2) xen_view $name online ;;
    3 | 4 | 5) xen_view $name hard ;;
    6) xl_hard $name 1 ;;
    esac
}
# live_ask N: $tool asked row N's request(s) for guest $name, and the
# guest given time to take them; the status and output in RC and OUT
# (of the first request that failed).
live_ask() {
    case $1 in
    1) OUT=$(set_live $tool $name 2 2>&1)
       RC=$?
       wait_for 30 xl_online_is $name 0-1
       wait_for 30 guest_cpus_are $name "online=0-1 present=0-1" ;;
    2) OUT=$(set_live_any $tool $name 5 2>&1)
       RC=$?
       nap 2 ;;
    3) OUT=$(pin_live $tool $name 0 1 2>&1); RC=$? ;;
    4) OUT=$(pin_live $tool $name 3 0 2>&1); RC=$? ;;
    5) OUT=$(pin_live $tool $name 1 7 2>&1); RC=$? ;;
    6) OUT=$(pin_live $tool $name 1 1 2>&1 && set_live $tool $name 1 2>&1 &&
             { wait_for 30 guest_cpus_are $name "online=0 present=0"
               set_live $tool $name 2 2>&1; })
       RC=$?
       wait_for 30 guest_cpus_are $name "online=0-1 present=0-1"
       wait_for 10 xl_online_is $name 0-1 ;;
    esac
}
# live_row N: row N asked and judged; 3 when the emulator spoilt it, or
# ended the guest before it, and it may be asked again (judge,
# spoilt_before, JUDGE_RETRY).
JUDGE_RETRY=1
live_row() {
    local before
    live_what $1
    spoilt_before $name && return 3
    before=$(live_view $1)
    live_ask $1
    judge "$ROW_SCENARIO" $tool $RC "$OUT" "$before" "$(live_view $1)" \
        "$ROW_WANT"
}
# remake_live N: the emulator ended $tool's guest during row N: it is
# made anew and asked rows 1 to N-1 again (not judged: they were), so
# that row N finds it as it expects.
remake_live() {
    local j=1
    say "the emulator ended guest $name in row $1 of $tool: made anew," \
        "the rows before it asked again"
    xl destroy $name > /dev/null 2>&1
    make_and_boot $name make_live_again $tool
    while [ $j -lt "$1" ]; do
        live_ask $j
        j=$((j + 1))
    done
}
for tool in $TOOLS; do
    name=$(guest_name p-live-$tool)
    in_turn $nrows live_row remake_live
    # Running on, it would only slow the next tool's rows (and the
    # emulator could end it meanwhile).
    xl destroy $name > /dev/null 2>&1
done
