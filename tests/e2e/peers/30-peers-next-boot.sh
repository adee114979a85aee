# Peers side by side (issue 14; tests/e2e/peers-lib.sh says how a result
# is judged and printed): the changes for the next boot (the count with
# --config, --live --config and --current, the maximum, pins with
# --config and --live --config), each judged right after the request and
# after the guest is destroyed and started again.
# e2e-types: pv pvh
. "$E2E_LIB"
. "$E2E_LIB_DIR/peers-lib.sh"
peers_start

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
# next_boot SCENARIO BEFORE WANT VIEW REQUEST: $tool is asked REQUEST
# ("FUNCTION ARGS...", run as FUNCTION $tool $name ARGS...) for guest
# $name, which is then destroyed and started again; VIEW ("FUNCTION
# ARGS...", run as FUNCTION $name ARGS...) prints what Xen shows, read
# once right after the request ("live") and once after the restart
# ("next").  xl has no form for any of them.  Status 3 when the emulator
# ended the guest and the row may be asked again (judge, JUDGE_RETRY).
JUDGE_RETRY=1
# shellcheck disable=SC2086
next_boot() {
    local scenario=$1 before=$2 want=$3 view=$4 out rc live
    if [ $tool = xl ]; then
        peer "$scenario" xl "no form"
        return
    fi
    out=$(ask $5 2>&1)
    rc=$?
    live=$(look $view)
    restart_with $tool $name > /dev/null 2>&1
    judge "$scenario" $tool $rc "$out" "$before" \
        "live $live, next $(look $view)" "$want"
}
ask() { local f=$1; shift; "$f" $tool $name "$@"; }  # FUNCTION ARGS...
look() { local f=$1; shift; "$f" $name "$@"; }       # FUNCTION ARGS...
vcpus_of() { xl vcpu-list "$1" | awk 'NR > 1' | wc -l; }

# Each request, then what Xen shows now (live) and after a restart:
# SCENARIO|BEFORE|WANT|VIEW|REQUEST, as next_boot takes them.  The counts
# stay within the lab's 2 pCPUs: libvirt refuses more vCPUs than the host
# has CPUs (it says so below, at the maximum).  Each row starts from
# where the rows before it left the guest.
ROWS=$(cat <<'EOF'
the count for the next boot (1 to 2)|live 0, next 0|live 0, next 0-1|xs_online|set_scope 2 --config
the count live and for the next boot (2 to 1)|live 0-1, next 0-1|live 0, next 0|xs_online|set_scope 1 --live --config
the count in the current scope, running (1 to 2)|live 0, next 0|live 0-1, next 0|xs_online|set_scope 2 --current
raise the maximum for the next boot (4 to 6)|live 4, next 4|live 4, next 6|vcpus_of|set_scope 6 --maximum --config
pin for the next boot (1 to pCPU 1)|live all, next all|live all, next 1|xl_hard 1|pin_scope 1 1 --config
pin live and for the next boot (0 to pCPU 0)|live all, next all|live 0, next 0|xl_hard 0|pin_scope 0 0 --live --config
EOF
)
nrows=$(printf '%s\n' "$ROWS" | wc -l)
# remake_conf N: the emulator ended $tool's guest during row N: it is
# destroyed, defined and started anew, and asked rows 1 to N-1 again (not
# judged: they were), so that row N finds the guest as it expects.
# shellcheck disable=SC2086
remake_conf() {
    local j=1
    say "the emulator ended guest $name in row $1 of $tool: made anew," \
        "the rows before it asked again"
    case $tool in
    virsh) $VIRSH destroy $name; $VIRSH undefine $name ;;
    xlvcpu) xl destroy $name; xlvcpu undefine $name ;;
    esac > /dev/null 2>&1
    run define_with $tool $name "$E2E_TMP/$name.xml" ||
        fail "$tool define and start $name failed"
    while [ $j -lt "$1" ]; do
        row $j
        ask $ROW_REQUEST > /dev/null 2>&1 < /dev/null
        restart_with $tool $name > /dev/null 2>&1
        j=$((j + 1))
    done
}
# next_boot_row N: next_boot of row N.
next_boot_row() {
    row "$1"
    next_boot "$ROW_SCENARIO" "$ROW_BEFORE" "$ROW_WANT" "$ROW_VIEW" \
        "$ROW_REQUEST" < /dev/null
}
# row N: row N's fields, in ROW_SCENARIO ... ROW_REQUEST.
row() {
    local line ifs=$IFS
    line=$(printf '%s\n' "$ROWS" | sed -n "$1p")
    IFS='|'
    # shellcheck disable=SC2086
    set -f; set -- $line; set +f
    IFS=$ifs
    ROW_SCENARIO=$1 ROW_BEFORE=$2 ROW_WANT=$3 ROW_VIEW=$4 ROW_REQUEST=$5
}
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

    # Each row in turn; one the emulator spoilt is asked again of the
    # guest made anew, after the rows before it (their state is its).
    in_turn "$nrows" next_boot_row remake_conf
    [ $tool = xl ] && continue
    # What the tool kept for the next boot, for the log: a pin judged
    # "other" was either not kept or kept and not applied at the start.
    say "$tool's definition of $name for the next boot:"
    case $tool in
    virsh) $VIRSH dumpxml --inactive $name ;;
    xlvcpu) xlvcpu dumpxml --inactive $name ;;
    esac 2>&1 | grep -E '<vcpu |vcpupin|emulatorpin'
    # Running on, it would only slow the next tool's restarts.
    xl destroy $name > /dev/null 2>&1
done
