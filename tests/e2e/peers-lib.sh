# What the peer checks (tests/e2e/peers/*.sh, issue 14) share: xl, virsh
# (libvirt's libxl driver) and xlvcpu asked the same things on the same
# Xen.  Each result is judged from Xen's own view (xl vcpu-list,
# xenstore), not from what the tool says, and printed as one line for the
# table (tests/e2e/peers-table):
#
#   E2E-PEER TYPE|SCENARIO|TOOL|RESULT
#
# RESULT: "done"; "refused: MESSAGE" (the tool's first two lines; nothing
# changed); "other: WHAT" (it said it did it and Xen shows something
# else, or it failed and changed something); "no form" (the tool has no
# way to ask it); "not measured: ..." when the emulator ended the guest
# (a triple fault, xen-lab.md) during the scenario: that says nothing of
# the tool.  A peer check fails only when a tool could not be run at all
# (libvirtd down, a guest that never booted).  The suite is three checks,
# each on guests of its own (boot, live, next boot), so that the lab runs
# again only the part the emulator spoilt.
#
#   . "$E2E_LIB"
#   . "$E2E_LIB_DIR/peers-lib.sh"
#   peers_start

TOOLS="xl virsh xlvcpu"

# libvirtd up, and the versions for the table's heading.
peers_start() {
    start_libvirtd
    run xlvcpu --version
    faults_seen
}

peer() { echo "E2E-PEER $E2E_GUEST_TYPE|$1|$2|$3"; }

# not_measurable NAME: whether the emulator ended guest NAME (its
# software SVM ends PVH guests so now and then): NAME is among the guests
# it ended in this check and not started again (ENDED), or Xen logged a
# triple fault since the last row that may be NAME's.  Each new fault
# names its domain (guest_of_fault): one of a domain another guest of the
# check had puts that guest in ENDED and leaves this row measured (the
# tools' guests run side by side); one of a domain no guest is known to
# have had leaves this row unmeasured, as it cannot be told whose it was.
ENDED=" "
RESTARTED_ENDED=
not_measurable() {
    local line who unknown=
    case $ENDED in *" $1 "*) return 0 ;; esac
    # Ended, then started again before this row's judgement: the request
    # was made of a guest that was not there.
    if [ "$RESTARTED_ENDED" = "$1" ]; then
        RESTARTED_ENDED=
        return 0
    fi
    new_faults > "$E2E_TMP/faults.new"
    [ -s "$E2E_TMP/faults.new" ] || return 1
    E2E_FAULTS_SEEN=$((E2E_FAULTS_SEEN + $(wc -l < "$E2E_TMP/faults.new")))
    while read -r line; do
        who=$(guest_of_fault "$line")
        say "the emulator ended ${who:-a guest}: $line"
        if [ -n "$who" ]; then
            ENDED="$ENDED$who "
        else
            unknown=1
        fi
    done < "$E2E_TMP/faults.new"
    case $ENDED in *" $1 "*) return 0 ;; esac
    [ -n "$unknown" ] || return 1
    guest_down "$1" && ENDED="$ENDED$1 "
    return 0
}
# spoilt_before NAME: with JUDGE_RETRY set and a remake left, whether the
# emulator ended guest NAME before its row was asked (while another
# tool's rows ran): in_turn then makes it anew first (return 3), instead
# of asking a guest that is not there.
spoilt_before() {
    [ -n "${JUDGE_RETRY:-}" ] && [ "$E2E_REMADE" -lt "$E2E_REMAKES" ] &&
        not_measurable "$1"
}

# judge SCENARIO TOOL RC OUTPUT BEFORE GOT WANT: the result line of one
# request on guest $name, from the tool's status and Xen's view before
# and after.  WANT "refuse" is a request no tool should carry out.  With
# JUDGE_RETRY set and a remake left (E2E_REMADE < E2E_REMAKES), a request
# the emulator spoilt prints nothing and returns 3: the caller makes the
# guest anew and asks it again (in_turn).
judge() {
    local msg
    if not_measurable "$name"; then
        [ -n "${JUDGE_RETRY:-}" ] && [ "$E2E_REMADE" -lt "$E2E_REMAKES" ] &&
            return 3
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

# in_turn N ROW REMAKE: ROW 1, ROW 2 ... ROW N.  A row that returns 3
# (judge: the emulator spoilt it) is one remake (E2E_REMADE): REMAKE I
# makes guest $name anew and brings it to where row I starts, and ROW I
# runs again (judged as any row: not_measurable forgets that it ended).
in_turn() {
    local i=1
    while [ $i -le "$1" ]; do
        "$2" $i
        if [ $? = 3 ]; then
            E2E_REMADE=$((E2E_REMADE + 1))
            "$3" $i
            ENDED=$(echo "$ENDED" | sed "s/ $name / /")
            RESTARTED_ENDED=
        else
            i=$((i + 1))
        fi
    done
}

# What xl vcpu-list says of every vCPU of NAME, one word each: the online
# ones (WHAT=online), hard or soft affinity.
xen_view() { # NAME WHAT
    case $2 in
    online) xl_online "$1" ;;
    hard) xl vcpu-list "$1" | awk 'NR > 1 { printf "%s%s", s, $7; s = " " }' ;;
    soft) xl vcpu-list "$1" | awk 'NR > 1 { printf "%s%s", s, $9; s = " " }' ;;
    esac
}
