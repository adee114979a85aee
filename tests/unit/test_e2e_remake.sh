#!/bin/sh
# The lab's remaking of a guest the emulator ended (tests/e2e/lib.sh:
# remake_ended, boot_or_remake, make_and_boot, settle_or_remake), against
# a stand-in xl whose domains and Xen log are files: a guest is made
# again only when it is down and Xen logged a triple fault no remake
# accounted for, at most E2E_REMAKES times; a guest that is running, or
# down with no new fault, is not; a boot the emulator ended is made
# again and waited for, one that failed otherwise fails the check.  Run
# with busybox's sh, as in the lab's dom0, when it is here, and with the
# machine's sh.
#   sh tests/unit/test_e2e_remake.sh BUILDDIR
. "$(dirname "$0")/../lib.sh"
suite_tmpdir tmp || exit 2
shells=sh
command -v busybox >/dev/null 2>&1 && shells="$shells busybox-sh"

# The stand-in: "xl list NAME" from $XL_STATE/NAME (its state column),
# "xl dmesg" from $XL_STATE/dmesg, "xl destroy NAME" removes the domain
# and notes it in $XL_STATE/destroyed, "xl domid NAME" from
# $XL_STATE/NAME.domid (7 without it); anything else prints nothing.
mkdir -p "$tmp/bin" "$tmp/console"
cat > "$tmp/bin/xl" <<'EOF'
#!/bin/sh
case $1 in
list)
    [ -f "$XL_STATE/$2" ] || { echo "$2 is an invalid domain identifier" >&2; exit 1; }
    echo "Name ID Mem VCPUs State Time(s)"
    echo "$2 7 128 4 $(cat "$XL_STATE/$2") 1.0" ;;
dmesg) cat "$XL_STATE/dmesg" 2>/dev/null ;;
vcpu-list)
    [ -f "$XL_STATE/$2" ] || exit 1
    echo "Name ID VCPU CPU State Time(s) Affinity (Hard / Soft)"
    for v in 0 1 2 3; do
        case ",$(cat "$XL_STATE/$2.online" 2>/dev/null)," in
        *,$v,*) echo "$2 7 $v 0 -b- 1.0 all / all" ;;
        *) echo "$2 7 $v - --p 0.0 all / all" ;;
        esac
    done ;;
destroy) rm -f "$XL_STATE/$2"; echo "$2" >> "$XL_STATE/destroyed" ;;
domid)
    [ -f "$XL_STATE/$2" ] || exit 1
    cat "$XL_STATE/$2.domid" 2>/dev/null || echo 7 ;;
esac
exit 0
EOF
# A guest's vcpu-set, as the vcpu-set rounds time it: "vset NAME N" sets
# guest NAME to vCPUs 0..N-1 online (xl vcpu-list and its console say
# so), or with $XL_STATE/end-at-call the emulator ends the guest instead
# and the call fails, or with $XL_STATE/end-after-N it ends the guest
# just after the guest said it took a call that sets N (each end used up
# once).  e2e-time prints, for a command of W words whose third is N,
# 1000 W + 100 N.
cat > "$tmp/bin/vset" <<'EOF'
#!/bin/sh
end() { echo "---s--" > "$XL_STATE/$1"; echo "$fault" >> "$XL_STATE/dmesg"; }
if [ -f "$XL_STATE/end-at-call" ]; then
    rm "$XL_STATE/end-at-call"; end "$1"; exit 1
fi
if [ "$2" = 1 ]; then on=0; else on=0,1; fi
echo "$on" > "$XL_STATE/$1.online"
echo "E2E-GUEST cpus online=$(echo $on | tr , -) present=$(echo $on | tr , -)" \
    >> "$CONSOLES/guest-$1.log"
if [ -f "$XL_STATE/end-after-$2" ]; then
    rm "$XL_STATE/end-after-$2" "$XL_STATE/$1.online"; end "$1"
fi
exit 0
EOF
cat > "$tmp/bin/e2e-time" <<'EOF'
#!/bin/sh
"$@" > /dev/null || exit
echo $((1000 * $# + 100 * $3))
EOF
chmod +x "$tmp/bin/xl" "$tmp/bin/vset" "$tmp/bin/e2e-time"

# scenario NAME WANT SCRIPT: SCRIPT, run by each shell after the lab's
# helpers (with the stand-in xl, consoles in $tmp/console), prints
# WANT: its lines that are what MAKE said, a why, a peer's result, a
# round's times, numbers or a domain's name, joined by blanks (the rest of a failure's
# report left out).
scenario() {
    local what=$1 want=$2 script=$3
    for sh in $shells; do
        rm -f "$tmp/state/"* "$tmp/console/"*
        mkdir -p "$tmp/state"
        if [ "$sh" = busybox-sh ]; then set -- busybox sh; else set -- sh; fi
        out=$(PATH="$tmp/bin:$PATH" XL_STATE="$tmp/state" E2E_CHECK=unit-remake-$$ \
              E2E_LIB="$top/tests/e2e/lib.sh" E2E_POLL=0.01 \
              E2E_GUEST_TROUBLE='Kernel panic' "$@" -c '
            . "$E2E_LIB"
            GUEST_LOG_DIR=$CONSOLES
            # What MAKE does: says so, and makes the guest run again.
            make() { echo "made $1"; echo "-b----" > "$XL_STATE/$1"; }
            '"$script" 2>&1 |
              grep -E '^(made .|E2E-WHY: |E2E-PEER |(un)?plug\.|[0-9][0-9. -]*$|[a-z]$)' |
              tr '\n' ' ' | sed 's/ *$//')
        if [ "$out" = "$want" ]; then
            passed=$((passed + 1))
        else
            echo "FAIL remake ($sh): $what: '$out'; expected '$want'"
            failed=$((failed + 1))
        fi
    done
    rm -rf "/tmp/e2e-unit-remake-$$"
}
export CONSOLES="$tmp/console"
fault='(XEN) d7v0 Triple fault - invoking HVM shutdown action 1'
export fault

scenario "a running guest is not made again" "1 0" '
    echo "-b----" > "$XL_STATE/g"; echo "$fault" > "$XL_STATE/dmesg"
    E2E_FAULTS_SEEN=0
    remake_ended g make g; echo "$? $E2E_REMADE"'
scenario "a guest down with no new fault is not" "1 0" '
    echo "---s--" > "$XL_STATE/g"; echo "$fault" > "$XL_STATE/dmesg"
    faults_seen
    remake_ended g make g; echo "$? $E2E_REMADE"'
scenario "a guest the emulator ended is destroyed and made again" \
    "made g 0 1 1 g" '
    faults_seen
    echo "---s--" > "$XL_STATE/g"; echo "$fault" > "$XL_STATE/dmesg"
    remake_ended g make g; echo "$? $E2E_REMADE $E2E_FAULTS_SEEN"
    cat "$XL_STATE/destroyed"'
scenario "gone from xl list is down too" "made g 0" '
    faults_seen; echo "$fault" > "$XL_STATE/dmesg"
    remake_ended g make g; echo $?'
scenario "one fault makes one guest again, not two" "made a 0 1" '
    faults_seen; echo "$fault" > "$XL_STATE/dmesg"
    remake_ended a make a; echo $?; remake_ended b make b; echo $?'
scenario "at most E2E_REMAKES times" "made g made g 1 2" '
    E2E_REMAKES=2; faults_seen
    for i in 1 2 3; do
        echo "$fault" >> "$XL_STATE/dmesg"; rm -f "$XL_STATE/g"
        remake_ended g make g || echo 1
    done
    echo $E2E_REMADE'
scenario "a guest that booted is not made again" "0" '
    faults_seen; echo "-b----" > "$XL_STATE/g"
    echo "E2E-GUEST ready" > "$CONSOLES/guest-g.log"
    boot_or_remake g 0 make g; echo $?'
scenario "a boot the emulator ended is made again" "made g 0" '
    faults_seen; echo "---s--" > "$XL_STATE/g"
    echo "$fault" > "$XL_STATE/dmesg"; : > "$CONSOLES/guest-g.log"
    boot_or_remake g 0 make g; echo $?'
scenario "a boot that ended without a triple fault fails the check" \
    "E2E-WHY: Xen ended guest g while it booted: (XEN) domain_crash 1" '
    faults_seen; echo "---c--" > "$XL_STATE/g"; : > "$CONSOLES/guest-g.log"
    echo "(XEN) domain_crash" > "$XL_STATE/dmesg"
    (boot_or_remake g 0 make g; echo "went on")
    echo $?'
# make_and_boot's MAKE: guest g boots, or with $XL_STATE/end the emulator
# ends it at its boot (and the end is used up); with $XL_STATE/mute its
# console stays silent (a boot that never ends, cut short here).
boots='
    E2E_BOOT_TIMEOUT=2 E2E_LOOP_AFTER=1
    mk() {
        make $1
        if [ -f "$XL_STATE/end" ]; then
            rm "$XL_STATE/end"; echo "---s--" > "$XL_STATE/$1"
            echo "$fault" >> "$XL_STATE/dmesg"
        elif [ ! -f "$XL_STATE/mute" ]; then
            echo "E2E-GUEST ready" >> "$CONSOLES/guest-$1.log"
        fi
    }
    faults_seen'
scenario "make_and_boot: a guest that boots is made once" "made g 0 0" \
    "$boots"'
    make_and_boot g mk g; echo "$? $E2E_REMADE"'
scenario "make_and_boot: one the emulator ended at its boot is made again" \
    "made g made g 0 1 g" "$boots"'
    : > "$XL_STATE/end"
    make_and_boot g mk g; echo "$? $E2E_REMADE"; cat "$XL_STATE/destroyed"'
scenario "make_and_boot waits for the boot after its mark, not an older one" \
    "made g made g 0 1" "$boots"'
    echo "E2E-GUEST ready" > "$CONSOLES/guest-g.log"; : > "$XL_STATE/end"
    make_and_boot g mk g; echo "$? $E2E_REMADE"'
scenario "make_and_boot: a guest made again that does not boot fails" \
    "made g made g E2E-WHY: guest g did not boot within 2s" "$boots"'
    : > "$XL_STATE/end"; : > "$XL_STATE/mute"
    (make_and_boot g mk g; echo "went on")'
scenario "settle_or_remake: ended while it took a vCPU, 2 after the remake" \
    "made g 2" '
    faults_seen; echo "---s--" > "$XL_STATE/g"
    echo "$fault" > "$XL_STATE/dmesg"; : > "$CONSOLES/guest-g.log"
    settle_or_remake g 0-1 make g; echo $?'
scenario "settle_or_remake: ended after the guest said it took it, 2" \
    "made g 2" '
    faults_seen; echo "---s--" > "$XL_STATE/g"
    echo "$fault" > "$XL_STATE/dmesg"
    echo "E2E-GUEST cpus online=0-1 present=0-1" > "$CONSOLES/guest-g.log"
    settle_or_remake g 0-1 make g; echo $?'
scenario "settle_or_remake asks xl whether the guest is down every tenth poll" \
    "made g 2 10" '
    faults_seen; echo "---s--" > "$XL_STATE/g"
    echo "$fault" > "$XL_STATE/dmesg"; : > "$CONSOLES/guest-g.log"
    settle_or_remake g 0-1 make g; echo "$? $SETTLE_POLLS"'
# The checks' waits for a hot-plug (wait_guest_cpus, wait_xl_online): a
# guest Xen ended fails the check at once (the 1 after the why: well
# before E2E_CPU_TIMEOUT, 30 s here), one still running after the
# timeout as before.
waits='
    faults_seen; E2E_CPU_TIMEOUT=30; start=$(date +%s)
    soon() { echo $(($(date +%s) - start < 10)); }'
scenario "wait_guest_cpus: a guest that says so passes" "0 1" "$waits"'
    echo "-b----" > "$XL_STATE/g"
    echo "E2E-GUEST cpus online=0-1 present=0-1" > "$CONSOLES/guest-g.log"
    wait_guest_cpus g "online=0-1 present=0-1"; echo $?; soon'
scenario "wait_guest_cpus: a guest Xen ended fails at once" \
    "E2E-WHY: guest g was ended by Xen before it had 'online=0-1 present=0-1' (it has 'online=0 present=0') 1" \
    "$waits"'
    echo "---s--" > "$XL_STATE/g"; echo "$fault" > "$XL_STATE/dmesg"
    echo "E2E-GUEST cpus online=0 present=0" > "$CONSOLES/guest-g.log"
    (wait_guest_cpus g "online=0-1 present=0-1"; echo "went on"); soon'
scenario "wait_guest_cpus: a running guest that does not fails after the timeout" \
    "E2E-WHY: guest g has 'online=0 present=0', want 'online=0-1 present=0-1' (after 1s)" \
    "$waits"'
    E2E_CPU_TIMEOUT=1; echo "-b----" > "$XL_STATE/g"
    echo "E2E-GUEST cpus online=0 present=0" > "$CONSOLES/guest-g.log"
    (wait_guest_cpus g "online=0-1 present=0-1"; echo "went on")'
scenario "wait_xl_online: shown online passes" "0 1" "$waits"'
    echo "-b----" > "$XL_STATE/g"; echo 0,1 > "$XL_STATE/g.online"
    wait_xl_online g 0-1; echo $?; soon'
scenario "wait_xl_online: a guest Xen ended fails at once" \
    "E2E-WHY: guest g was ended by Xen before xl vcpu-list showed '0-1' online 1" \
    "$waits"'
    echo "---c--" > "$XL_STATE/g"; echo 0 > "$XL_STATE/g.online"
    (wait_xl_online g 0-1; echo "went on"); soon'
# The timing's vcpu-set rounds (set_round): labels a and b on guest g,
# a's command "vset" and b's "vset" with one word more (their times
# differ: a plug of a takes 3200 us, an unplug of b 4100), their guest
# made again by make.
rounds='
    faults_seen; echo "-b----" > "$XL_STATE/g"; echo 0 > "$XL_STATE/g.online"
    round_guest() { echo g; }
    round_cmd() { if [ $1 = a ]; then echo vset $2 $3; else echo vset $2 $3 b; fi; }
    round_remake() { make g; echo 0 > "$XL_STATE/g.online"; }
    p=$XL_STATE/r
    kept() { for f in plug.a plug.b unplug.a unplug.b; do
                  [ -f $p.$f ] && echo "$f" $(cat $p.$f); done; }'
scenario "a round keeps the plug of the first, the unplug of the second" \
    "0 plug.a 3200 unplug.b 4100" "$rounds"'
    set_round a b "$p"; echo $?; kept'
scenario "rounds add to the files; set_ms and set_ratio of them" \
    "0 plug.a 3200 3200 plug.b 4200 4200 unplug.a 3100 3100 unplug.b 4100 4100 6.3 8.3 0.76 0.76-0.76 1.32 1.32-1.32" \
    "$rounds"'
    set_round a b "$p"; set_round b a "$p"; set_round a b "$p"
    set_round b a "$p"; echo $?
    kept; echo "$(set_ms "$p" a) $(set_ms "$p" b) $(set_ratio "$p" a b)"
    set_ratio "$p" b a'
scenario "median of odd and even counts, over a divisor" "2000.0 2.5 2.0" '
    printf "3000\n1000\n2000\n" > "$XL_STATE/m3"
    printf "4\n1\n2\n3\n" > "$XL_STATE/m4"
    echo "$(median "$XL_STATE/m3") $(median "$XL_STATE/m4")" \
         "$(median "$XL_STATE/m3" 1000)"'
scenario "ended by the emulator at the plug: made again, 2, nothing kept" \
    "made g 2 1" "$rounds"'
    : > "$XL_STATE/end-at-call"
    set_round a b "$p"; echo "$? $E2E_REMADE"; kept'
scenario "ended just after taking the unplug: made again, 2, nothing kept" \
    "made g 2 1" "$rounds"'
    : > "$XL_STATE/end-after-1"
    set_round a b "$p"; echo "$? $E2E_REMADE"; kept'
scenario "the round after a remake is kept" \
    "made g 2 0 plug.a 3200 unplug.b 4100" "$rounds"'
    : > "$XL_STATE/end-at-call"
    set_round a b "$p"; echo $?; set_round a b "$p"; echo $?; kept'
scenario "a call that fails with its guest running fails the check" \
    "E2E-WHY: a: vcpu-set 2 failed" "$rounds"'
    round_cmd() { echo false; }
    (set_round a b "$p"; echo "went on")'
# The peers' next-boot rows (tests/e2e/peers-lib.sh: judge, in_turn):
# row 2 finds guest g ended by the emulator the first time it is asked.
rows='
    . "$E2E_LIB_DIR/peers-lib.sh"
    name=g; JUDGE_RETRY=1; faults_seen; echo "-b----" > "$XL_STATE/g"
    row() {
        if [ $1 = 2 ] && [ ! -f "$XL_STATE/spoilt" ]; then
            : > "$XL_STATE/spoilt"; echo "$fault" >> "$XL_STATE/dmesg"
            echo "---s--" > "$XL_STATE/g"
        fi
        judge "row $1" xlvcpu 0 "" before after after
    }
    again() { make g; }'
scenario "a row the emulator spoilt is asked again of a guest made anew" \
    "E2E-PEER pv|row 1|xlvcpu|done made g E2E-PEER pv|row 2|xlvcpu|done E2E-PEER pv|row 3|xlvcpu|done 1" "$rows"'
    in_turn 3 row again; echo $E2E_REMADE'
scenario "with no remake left, it and the rows after are not measured" \
    "E2E-PEER pv|row 1|xlvcpu|done E2E-PEER pv|row 2|xlvcpu|not measured: the emulator ended the guest (triple fault) E2E-PEER pv|row 3|xlvcpu|not measured: the emulator ended the guest (triple fault) 0" "$rows"'
    E2E_REMAKES=0; in_turn 3 row again; echo $E2E_REMADE'
# The peers' live rows run with every tool's guest up (peers-live): a
# fault is charged to the guest whose domid Xen names (note_domid at its
# boot), not to the guest whose row saw it.
side='
    . "$E2E_LIB_DIR/peers-lib.sh"
    JUDGE_RETRY=1; faults_seen
    for g in a b; do
        echo "-b----" > "$XL_STATE/$g"; echo "E2E-GUEST ready" > "$CONSOLES/guest-$g.log"
    done
    echo 5 > "$XL_STATE/a.domid"; echo 7 > "$XL_STATE/b.domid"
    boot_or_remake a 0 make a; boot_or_remake b 0 make b
    # b is ended while a'"'"'s row runs.
    echo "---s--" > "$XL_STATE/b"; echo "$fault" >> "$XL_STATE/dmesg"'
scenario "a fault of another guest leaves this row measured" \
    "E2E-PEER pv|row|xl|done" "$side"'
    name=a; judge row xl 0 "" before after after'
scenario "and that guest is made anew before its row is asked" \
    "3 made b E2E-PEER pv|row|xlvcpu|done 1" "$side"'
    name=a; judge row xl 0 "" before after after > /dev/null
    name=b; row() { spoilt_before b && return 3; judge row xlvcpu 0 "" before after after; }
    again() { make b; }
    row 1; echo $?
    in_turn 1 row again; echo $E2E_REMADE'
scenario "a fault of a domain no guest had leaves this row unmeasured" \
    "E2E-PEER pv|row|xl|not measured: the emulator ended the guest (triple fault)" "$side"'
    rm -f "$E2E_TMP"/domids.*; E2E_REMAKES=0
    name=a; judge row xl 0 "" before after after'
echo "e2e-remake: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
