# Helpers for the checks that run in the lab's dom0 (busybox sh).
#
#   . "$E2E_LIB"
#
# A check is one script and passes when it exits 0.  fail says why it did
# not, shows the state of Xen and of the check's guests, and exits;
# everything else a check prints goes to the run's log, so show what was
# run and what Xen said.  Domains named with own are destroyed (and
# undefined) when the check exits, however it exits.
#
# A check runs for the guest type in E2E_GUEST_TYPE (pv, pvh or hvm; see
# "e2e-types" in dom0-init): guest_xml and guest_cfg describe a guest of
# that type, and guest_name gives it a name of its own.

E2E_GUEST_KERNEL=${E2E_GUEST_KERNEL:-/e2e/guest/vmlinux}
E2E_GUEST_INITRD=${E2E_GUEST_INITRD:-/e2e/guest/initrd}
E2E_CONFIGS=${E2E_CONFIGS:-/e2e/domain-configs}
E2E_NOTES=${E2E_NOTES:-/dev/null}
E2E_XENSTORE_TRACE=${E2E_XENSTORE_TRACE:-/run/e2e/xenstore.trace}
E2E_GUEST_BZIMAGE=${E2E_GUEST_BZIMAGE:-/e2e/guest/vmlinuz}
E2E_GUEST_TYPE=${E2E_GUEST_TYPE:-pv}
# An HVM guest pays for its firmware and emulated devices in memory (MiB),
# and QEMU boots its kernel from the bzImage; PV and PVH guests are given
# the ELF vmlinux, which libxenguest loads without decompressing it.
if [ "$E2E_GUEST_TYPE" = hvm ]; then
    E2E_GUEST_MEMORY=${E2E_GUEST_MEMORY:-256}
    E2E_GUEST_KERNEL=$E2E_GUEST_BZIMAGE
else
    E2E_GUEST_MEMORY=${E2E_GUEST_MEMORY:-128}
fi
# A guest's kernel reaches its init in 10 to 30 s under TCG; once, on a
# slow machine, one said nothing for 60 s.
E2E_BOOT_TIMEOUT=${E2E_BOOT_TIMEOUT:-120}       # seconds
E2E_CPU_TIMEOUT=${E2E_CPU_TIMEOUT:-30}          # seconds, for a hot-plug
GUEST_LOG_DIR=/var/log/xen/console
E2E_LIB_DIR=$(dirname "$E2E_LIB")
E2E_TMP=/tmp/e2e-${E2E_CHECK:-check}
mkdir -p "$E2E_TMP"

# ---------------------------------------------------------------- reporting

fail() {
    echo "E2E-WHY: $*"
    failure_state
    E2E_FAILED=1
    exit 1
}

# What a failed check shows: the state of Xen and of its own guests.
failure_state() {
    local d
    echo "==== state at failure"
    echo "\$ xl list"
    xl list 2>&1
    echo "\$ xl vcpu-list"
    xl vcpu-list 2>&1
    echo "\$ xl dmesg | tail -n 15"
    xl dmesg 2>&1 | tail -n 15
    for d in $E2E_OWNED; do
        [ -f "$(guest_log "$d")" ] || continue
        echo "console of $d, last 40 lines:"
        tail -n 40 "$(guest_log "$d")" | tr -d '\r' | sed 's/^/    /'
    done
}
say() { echo "# $*"; }
# A line for the closing note of the run.
note() { echo "$*" >> "$E2E_NOTES"; say "note: $*"; }

# Show a command, its output (both streams), its status, how long it took
# and dom0's uptime when it ended (where a slow check spent its time: the
# check's lines reach the console only once it ended); keep its status.
run() {
    local t0 rc up
    echo "\$ $*"
    now_cs
    t0=$NOW_CS
    "$@" 2>&1
    rc=$?
    now_cs
    up=${NOW_CS%??}.${NOW_CS#"${NOW_CS%??}"}
    echo "[rc=$rc, $((NOW_CS - t0))0 ms, at $up s]"
    return $rc
}

# expect WHAT GOT WANT
expect() {
    [ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
    say "ok: $1: '$2'"
}

# ---------------------------------------------------------------- cleanup

E2E_OWNED=
E2E_AT_EXIT=:
own() { E2E_OWNED="$E2E_OWNED $*"; }
# at_exit CMD...: run CMD (a simple command) when the check exits.
at_exit() { E2E_AT_EXIT="$E2E_AT_EXIT; $*"; }
cleanup() {
    local d
    eval "$E2E_AT_EXIT"
    for d in $E2E_OWNED; do
        xl destroy "$d" >/dev/null 2>&1
        xlvcpu -q undefine "$d" >/dev/null 2>&1
        # A failure showed the consoles' tails already.
        [ -z "${E2E_FAILED:-}" ] && [ -f "$(guest_log "$d")" ] &&
            tr -d '\r' < "$(guest_log "$d")" | sed "s/^/console $d: /"
    done
    return 0
}
trap cleanup EXIT

# ---------------------------------------------------------------- waiting

# Hundredths of a second since dom0 booted (busybox date has no
# sub-second clock).  Builtins only: this runs in every wait loop.
now_cs() {
    local up rest
    read -r up rest < /proc/uptime
    NOW_CS=${up%.*}${up#*.}
}

# A sleep without a process: "read -t" on a FIFO nobody writes.
[ -p "$E2E_TMP/tick" ] || mkfifo "$E2E_TMP/tick"
exec 9<>"$E2E_TMP/tick"
nap() { read -r -t "$1" -u 9 _ || :; }

# wait_for SECONDS CMD...: until CMD succeeds, asking every E2E_POLL
# seconds (default 0.3); status 1 if it never did.
wait_for() {
    local end
    now_cs
    end=$((NOW_CS + $1 * 100))
    shift
    until "$@"; do
        now_cs
        [ "$NOW_CS" -lt "$end" ] || return 1
        nap "${E2E_POLL:-0.3}"
    done
    return 0
}

# ---------------------------------------------------------------- domains

# guest_name BASE: the name of a check's guest, by type (e2e-set-pvh).
guest_name() { echo "$1-$E2E_GUEST_TYPE"; }

# The guest kernel's command line.  Linux finds Xen's console as hvc0 in
# PV, PVH and HVM guests alike.  (Not also console=ttyS0 for HVM: without
# a serial device every character is an I/O exit to QEMU in dom0, which
# under TCG stalled a guest's boot for minutes.)  The kernel prints errors
# only: its messages share the console with the guest's own lines, and at
# loglevel 5 a CPU hot-plug message cut one in two (a soft lockup, an
# RCU stall, an oops or a panic prints at any loglevel, and wait_guest
# watches for them).  The lab's guests need no crypto self-tests: they
# are off.
E2E_GUEST_CMDLINE="console=hvc0 quiet loglevel=3 cryptomgr.notests"

# <os><type> of a guest of type $1, as libvirt's libxl driver writes it.
os_type_xml() {
    case $1 in
    pv)  echo "<type arch='x86_64' machine='xenpv'>linux</type>" ;;
    pvh) echo "<type arch='x86_64' machine='xenpvh'>xenpvh</type>" ;;
    hvm) echo "<type arch='x86_64' machine='xenfv'>hvm</type>" ;;
    esac
}

# <features> of a guest of type $1: in libvirt's XML a feature left out
# is off, and a 64-bit HVM guest without ACPI, APIC and PAE hangs early.
features_xml() {
    [ "$1" = hvm ] && echo "<features><acpi/><apic/><pae/></features>"
}

# guest_xml NAME VCPU-ELEMENT [MORE-XML]: domain XML of a lab guest of
# type E2E_GUEST_TYPE, booted from the lab's kernel directly (an HVM one
# by QEMU's option ROM, without a disk).
guest_xml() {
    cat <<EOF
<domain type='xen'>
  <name>$1</name>
  <memory unit='MiB'>$E2E_GUEST_MEMORY</memory>
  $2
  ${3:-}
  <os>
    $(os_type_xml "$E2E_GUEST_TYPE")
    <kernel>$E2E_GUEST_KERNEL</kernel>
    <initrd>$E2E_GUEST_INITRD</initrd>
    <cmdline>$E2E_GUEST_CMDLINE</cmdline>
  </os>
  $(features_xml "$E2E_GUEST_TYPE")
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>destroy</on_reboot>
  <on_crash>destroy</on_crash>
</domain>
EOF
}

# guest_cfg NAME MAXVCPUS VCPUS [LINE...]: xl.cfg of the same guest.
guest_cfg() {
    local name=$1 max=$2 cur=$3 line
    shift 3
    cat <<EOF
name = "$name"
type = "$E2E_GUEST_TYPE"
memory = $E2E_GUEST_MEMORY
maxvcpus = $max
vcpus = $cur
kernel = "$E2E_GUEST_KERNEL"
ramdisk = "$E2E_GUEST_INITRD"
cmdline = "$E2E_GUEST_CMDLINE"
on_poweroff = "destroy"
on_reboot = "destroy"
on_crash = "destroy"
EOF
    for line; do echo "$line"; done
}

domid() { xl domid "$1" 2>/dev/null; }
running() { xl domid "$1" >/dev/null 2>&1; }
not_running() { ! running "$1"; }

# ---------------------------------------------------------------- Xen's view

# A list of numbers (one a line) as a cpu list: 0-2,5; "none" if empty.
# Repeats count once (a xenstore transaction that libxl retries after a
# conflict shows its writes twice in the trace).
ranges() {
    sort -nu | awk '
        function flush() {
            if (first == "") return
            out = out (out == "" ? "" : ",") first
            if (last != first) out = out "-" last
        }
        { if (first != "" && $1 == last + 1) { last = $1; next }
          flush(); first = $1; last = $1 }
        END { flush(); print (out == "" ? "none" : out) }'
}

# "VCPU online|offline HARD SOFT" per vCPU, from xl vcpu-list.
xl_vcpus() {
    xl vcpu-list "$1" |
        awk 'NR > 1 { print $3, ($5 ~ /p/ ? "offline" : "online"), $7, $9 }'
}
xl_online() {
    xl vcpu-list "$1" | awk 'NR > 1 && $5 !~ /p/ { print $3 }' | ranges
}
xl_online_is() { [ "$(xl_online "$1")" = "$2" ]; }
xl_hard() { xl vcpu-list "$1" | awk -v v="$2" 'NR > 1 && $3 == v {print $7}'; }
xl_soft() { xl vcpu-list "$1" | awk -v v="$2" 'NR > 1 && $3 == v {print $9}'; }
# "HARD/SOFT" of vCPU $2 of domain $1, as xl vcpu-list shows them.
xl_affinity() {
    xl vcpu-list "$1" | awk -v v="$2" 'NR > 1 && $3 == v {print $7 "/" $9}'
}

# The vCPUs xenstore asks the guest to have online (cpu/N/availability).
xs_online() {
    xenstore-ls "/local/domain/$(domid "$1")/cpu" |
        awk '/^[0-9]+ =/ { n = $1 } /availability = "online"/ { print n }' |
        ranges
}

# Every write of cpu/N/availability for domain DOMID since xenstored
# started, in order, as "N=VALUE" (from xenstored's trace).
xs_availability_writes() {
    sed -n "s|^IN .* WRITE (/local/domain/$1/cpu/\([0-9]*\)/availability \([a-z]*\).*|\1=\2|p" \
        "$E2E_XENSTORE_TRACE" | tr '\n' ' ' | sed 's/ $//'
}

# What a refused command must not change: the vCPUs as xl sees them
# (without time, CPU and running state) and the xenstore requests.
xen_state() {
    xl_vcpus "$1"
    echo "xenstore online: $(xs_online "$1")"
}

# xl vcpu-list as text, with the Time(s) column of the vCPU lines
# blanked (it moves).
vcpu_list_text() {
    sed -E '2,$ s/^(.{56}).{9}/\1 (time) /'
}

# same_vcpu_list ARGS...: xl vcpu-list ARGS and xlvcpu vcpu-list ARGS
# print the same, Time(s) aside.  The CPU and State columns are live, so
# xlvcpu's listing is compared with xl's just before and just after it,
# and that up to 10 times, until one pair agrees; all run on dom0's
# vCPU 0.  Status 1 (with the last diff shown) if no pair did.
same_vcpu_list() {
    local i
    for i in 1 2 3 4 5 6 7 8 9 10; do
        taskset 1 xl vcpu-list "$@" 2>&1 | vcpu_list_text > "$E2E_TMP/vl.xl1"
        taskset 1 xlvcpu vcpu-list "$@" 2>&1 | vcpu_list_text \
            > "$E2E_TMP/vl.xlvcpu"
        taskset 1 xl vcpu-list "$@" 2>&1 | vcpu_list_text > "$E2E_TMP/vl.xl2"
        if cmp -s "$E2E_TMP/vl.xl1" "$E2E_TMP/vl.xlvcpu" ||
           cmp -s "$E2E_TMP/vl.xl2" "$E2E_TMP/vl.xlvcpu"; then
            say "ok: vcpu-list $*: same as xl's (attempt $i):"
            cat "$E2E_TMP/vl.xlvcpu"
            return 0
        fi
    done
    say "xl vcpu-list $* against xlvcpu vcpu-list $*:"
    diff "$E2E_TMP/vl.xl2" "$E2E_TMP/vl.xlvcpu"
    return 1
}

# ---------------------------------------------------------------- xlvcpu's store

# The persistent definition of NAME, as xlvcpu stores it.
definition() { echo "/var/lib/xlvcpu/$1.xml"; }

# keep_definition NAME, then definition_unchanged NAME WHAT
keep_definition() { cp "$(definition "$1")" "$E2E_TMP/$1.definition"; }
definition_unchanged() {
    cmp -s "$E2E_TMP/$1.definition" "$(definition "$1")" ||
        fail "$2 changed the persistent definition of $1:" \
             "$(diff "$E2E_TMP/$1.definition" "$(definition "$1")" |
                grep '^[-+] ')"
    say "ok: $2 left the persistent definition of $1 alone"
}
# definition_has NAME TEXT
definition_has() {
    grep -qF "$2" "$(definition "$1")" ||
        fail "the persistent definition of $1 lacks '$2'"
    say "ok: the persistent definition of $1 has '$2'"
}

# ---------------------------------------------------------------- the guest

guest_log() { echo "$GUEST_LOG_DIR/guest-$1.log"; }

# The number of lines in NAME's console log: a mark to wait from.
guest_mark() {
    local f
    f=$(guest_log "$1")
    if [ -f "$f" ]; then wc -l < "$f"; else echo 0; fi
}

# Console lines of NAME after line FROM.
guest_lines() {
    local f
    f=$(guest_log "$1")
    [ -f "$f" ] && tail -n +"$(($2 + 1))" "$f" | tr -d '\r'
}

# The guest's own lines are looked for anywhere in a console line: the
# kernel may have written part of a message just before one.
guest_is_ready() {
    awk -v from="$2" 'NR > from && /E2E-GUEST ready/ { f = 1; exit }
                      END { exit !f }' "$GUEST_LOG_DIR/guest-$1.log" 2>/dev/null
}

# guest_trouble NAME FROM: the first line after mark FROM where the
# guest's kernel reports trouble ($E2E_GUEST_TROUBLE, from dom0-init).
guest_trouble() {
    guest_lines "$1" "$2" | grep -aE -m 1 "$E2E_GUEST_TROUBLE"
}
# Whether Xen has shut NAME down or found it crashed, or it is gone: a
# boot that cannot end well (a triple fault ends a PVH guest so, with no
# word on its console).
guest_down() {
    local state
    state=$(xl list "$1" 2>/dev/null | awk 'NR == 2 { print $5 }')
    case $state in
    '' | *s* | *c*) return 0 ;;
    esac
    return 1
}
# Ready or troubled (one awk over the console: this runs every 0.3 s while
# the guest boots, and dom0's work then slows it), or down (asked every
# tenth time: xl costs more).
WAIT_POLLS=0
guest_ready_or_troubled() {
    awk -v from="$2" -v re="$E2E_GUEST_TROUBLE" \
        'NR > from && (/E2E-GUEST ready/ || $0 ~ re) { f = 1; exit }
         END { exit !f }' "$GUEST_LOG_DIR/guest-$1.log" 2>/dev/null &&
        return 0
    WAIT_POLLS=$((WAIT_POLLS + 1))
    [ $((WAIT_POLLS % 10)) = 0 ] && guest_down "$1"
}

# where_vcpus NAME: where each vCPU of NAME runs, as Xen sees it, three
# times a second apart: a vCPU stuck in a loop shows the same
# instruction each time and its time growing by a second, one that is
# slow shows other places.
where_vcpus() {
    local id n v list map=/run/e2e/guest.map
    id=$(domid "$1") || return 0
    # Dom0 runs the guests' kernel, at the same addresses (no KASLR in
    # PV; see "Kernel Offset" in a guest's panic): its code symbols name
    # the guest's too.
    [ -s $map ] || awk 'NF == 3 && $2 ~ /^[tT]$/' /proc/kallsyms > $map
    for n in 1 2 3; do
        say "Xen's view of $1, sample $n:"
        list=$(xl vcpu-list "$1" 2>&1)
        printf '%s\n' "$list" | awk 'NR > 1'
        # Online vCPUs only (state without p); error lines have no number.
        for v in $(printf '%s\n' "$list" |
                   awk 'NR > 1 && $3 ~ /^[0-9]+$/ && $5 !~ /p/ {
                            print $3 }'); do
            echo "vCPU $v: $("$XENCTX" -s $map "$id" \
                             "$v" 2>&1 | grep -a -m 1 'rip:')"
        done
        [ $n = 3 ] || sleep 1
    done
}
XENCTX=/usr/lib/xen-4.17/bin/xenctx

# guest_looping NAME: whether every vCPU of NAME that is up loops on one
# instruction, through the int3 handler (tests/e2e/looping.awk says
# when), in two samples a second apart; prints where.  Seen on 2026-12-05 (a series' run 4, check
# vcpu-list[pv]): a PV guest's four vCPUs at
# sched_clock_idle_wakeup_event+0x0/+0x1 for 120 s, nothing on its
# console.  That address is a jump its kernel patches at boot, through an
# int3 (sched_clock_init_late enables the __sched_clock_stable key); the
# emulated CPUs went on executing the int3, whose handler, finding none
# there, sends the vCPU back to it.  No tool chooses where a guest's
# kernel runs.
guest_looping() {
    local id n v list map=/run/e2e/guest.map
    id=$(domid "$1") || return 1
    [ -s $map ] || awk 'NF == 3 && $2 ~ /^[tT]$/' /proc/kallsyms > $map
    for n in 1 2; do
        list=$(xl vcpu-list "$1" 2>/dev/null | awk 'NR > 1 &&
                   $3 ~ /^[0-9]+$/ && $5 !~ /p/ { print $3, $5 }')
        printf '%s\n' "$list" | sed 's/^/state /'
        for v in $(printf '%s\n' "$list" | awk '{ print $1 }'); do
            "$XENCTX" -s $map "$id" "$v" 2>/dev/null |
                awk -v v="$v" '$1 == "rip:" { print "rip", v, $2, $3; exit }'
        done
        [ $n = 2 ] || sleep 1
    done | awk -f "$E2E_LIB_DIR/looping.awk"
}

# A guest not up after this many seconds is asked whether it loops.
E2E_LOOP_AFTER=${E2E_LOOP_AFTER:-45}

# wait_guest NAME FROM [may-end]: until the guest booted after mark
# FROM.  A guest whose kernel reports trouble fails at once, with the
# report from its first line (the tail of a long one lacks what it is
# about); one whose vCPUs all loop on one instruction (guest_looping)
# fails after E2E_LOOP_AFTER seconds, and says so in /run/e2e/emulator,
# which makes the lab run its check once more (dom0-init).  With may-end,
# a guest the emulator ended while it booted (new_fault) is status 3, for
# the caller to make it again (boot_or_remake), not a failure.
wait_guest() {
    local trouble loop
    if ! wait_for "$E2E_LOOP_AFTER" guest_ready_or_troubled "$1" "$2" &&
       loop=$(guest_looping "$1"); then
        where_vcpus "$1"
        echo "guest $1: every vCPU loops at $loop at boot" > /run/e2e/emulator
        fail "guest $1 did not boot: every vCPU loops at $loop" \
             "(an int3 its kernel had patched away, still executed)"
    fi
    wait_for "$((E2E_BOOT_TIMEOUT - E2E_LOOP_AFTER))" \
        guest_ready_or_troubled "$1" "$2" &&
        guest_is_ready "$1" "$2" && return 0
    trouble=$(guest_trouble "$1" "$2")
    if [ -n "$trouble" ]; then
        # Sampled first: the kernel is still writing its report.
        where_vcpus "$1"
        say "console of $1 from its first report of trouble:"
        guest_lines "$1" "$2" |
            awk -v re="$E2E_GUEST_TROUBLE" '$0 ~ re { f = 1 } f' |
            head -n 60
        fail "guest $1 in trouble at boot: $trouble"
    fi
    say "console of $1:"
    guest_lines "$1" "$2" | tail -n 20
    say "what Xen says of $1:"
    xl list "$1" 2>&1
    if guest_down "$1"; then
        [ "${3:-}" = may-end ] && new_fault > /dev/null && return 3
        fail "Xen ended guest $1 while it booted:" \
             "$(xl dmesg | grep -a 'Triple fault\|crash' | tail -n 1)"
    fi
    where_vcpus "$1"
    fail "guest $1 did not boot within ${E2E_BOOT_TIMEOUT}s"
}

# The CPUs the guest had when its init started, after mark FROM.
guest_boot_cpus() {
    guest_lines "$1" "$2" |
        sed -n 's/^.*E2E-GUEST boot \(online=[^ ]* present=[^ ]* possible=[0-9,-]*\).*$/\1/p' |
        tail -n 1
}

# The CPUs the guest has now: "online=... present=..." (without possible).
guest_cpus() {
    awk 'match($0, /E2E-GUEST cpus online=[0-9,-]+ present=[0-9,-]+/) {
             s = substr($0, RSTART + 15, RLENGTH - 15) }
         END { print s }' "$GUEST_LOG_DIR/guest-$1.log" 2>/dev/null
}
guest_cpus_are() { [ "$(guest_cpus "$1")" = "$2" ]; }

# wait_guest_cpus NAME "online=A present=B": until the guest says so.  A
# guest Xen ended meanwhile (the emulator's triple faults end a PVH or
# HVM guest so, often while it takes a vCPU) fails the check at once, not
# after E2E_CPU_TIMEOUT: the check then runs again (dom0-init), sooner.
wait_guest_cpus() {
    wait_for "$E2E_CPU_TIMEOUT" cpus_or_down "$1" "$2" &&
        guest_cpus_are "$1" "$2" && { say "ok: guest $1: $2"; return; }
    guest_down "$1" &&
        fail "guest $1 was ended by Xen before it had '$2' (it has" \
             "'$(guest_cpus "$1")')"
    fail "guest $1 has '$(guest_cpus "$1")', want '$2'" \
         "(after ${E2E_CPU_TIMEOUT}s)"
}

# wait_xl_online NAME SET: until xl vcpu-list shows exactly SET online;
# a guest Xen ended meanwhile fails the check at once, as above.
wait_xl_online() {
    XL_SETTLED=
    wait_for 15 xl_online_or_down "$1" "$2"
    if [ -n "$XL_SETTLED" ]; then
        say "ok: xl vcpu-list $1: online '$2'"
        return
    fi
    guest_down "$1" &&
        fail "guest $1 was ended by Xen before xl vcpu-list showed '$2'" \
             "online"
    fail "xl vcpu-list $1: online '$(xl_online "$1")', want '$2'"
}

# start_libvirtd: libvirt's daemon, with its libxl driver, answering
# virsh -c xen:///system (the image has it with E2E_LIBVIRT=1).
VIRSH="virsh -c xen:///system"
libvirt_answers() { $VIRSH version > /dev/null 2>&1; }
# virsh_let_go NAME: until libvirt has let go of domain NAME (destroyed
# under its feet), before it is made again.
virsh_forgot() { ! $VIRSH domid "$1" > /dev/null 2>&1; }
virsh_let_go() {
    wait_for 20 virsh_forgot "$1" ||
        fail "libvirt still has $1 after xl destroy"
}
start_libvirtd() {
    libvirt_answers && return 0
    command -v libvirtd > /dev/null ||
        fail "no libvirtd in dom0 (the image is built with E2E_LIBVIRT=1)"
    run libvirtd --daemon || fail "libvirtd did not start"
    if ! wait_for 60 libvirt_answers; then
        say "libvirtd's log:"
        grep -v ' : Object ' /var/log/libvirt/libvirtd.log | tail -n 80
        fail "virsh -c xen:///system never answered:" \
             "$(grep ' error : ' /var/log/libvirt/libvirtd.log | head -n 1)"
    fi
    run $VIRSH version
}

# What the peers (xl, virsh with libvirt's libxl driver, xlvcpu) are
# asked, the same words for the peer suite and the timings:
#   peer_cmd set TOOL NAME COUNT      the count of running guest NAME, live
#   peer_cmd pin TOOL NAME VCPU CPUS  a vCPU's hard affinity, live
#   peer_cmd list TOOL NAME           its vCPUs
# prints the command line (for e2e-time and timed; NAME has no blanks);
#   peer_create TOOL FILE             makes a guest from FILE (xl.cfg for
#                                     xl, domain XML for the others)
# runs it.
peer_cmd() {
    case $1-$2 in
    set-xl) echo xl vcpu-set "$3" "$4" ;;
    set-virsh) echo $VIRSH setvcpus "$3" "$4" --live ;;
    set-xlvcpu) echo xlvcpu vcpu-set --live "$3" "$4" ;;
    pin-xl) echo xl vcpu-pin "$3" "$4" "$5" ;;
    pin-virsh) echo $VIRSH vcpupin "$3" "$4" "$5" --live ;;
    pin-xlvcpu) echo xlvcpu vcpu-pin --live "$3" "$4" "$5" ;;
    list-xl) echo xl vcpu-list "$3" ;;
    list-virsh) echo $VIRSH vcpuinfo "$3" ;;
    list-xlvcpu) echo xlvcpu vcpu-list "$3" ;;
    *) fail "peer_cmd: nothing for '$1' of tool '$2'" ;;
    esac
}
peer_create() {
    case $1 in
    xl) xl create "$2" ;;
    virsh) $VIRSH create "$2" ;;
    xlvcpu) xlvcpu create "$2" ;;
    *) fail "peer_create: no tool '$1'" ;;
    esac
}

# create_and_wait NAME FILE: xlvcpu create FILE and wait for the guest.
create_and_wait() {
    local from
    from=$(guest_mark "$1")
    run xlvcpu create "$2" || fail "xlvcpu create $2 failed"
    wait_guest "$1" "$from"
}

# ---------------------------------------------------------------- timing

# timed FILE CMD...: run CMD, add its time in microseconds to FILE.
timed() {
    local file=$1 us
    shift
    us=$(e2e-time "$@") || fail "timed command failed: $*"
    echo "$us" >> "$file"
}

# median FILE [DIVISOR]: the median of FILE's figures, a line each (the
# mean of the middle two for an even count), over DIVISOR (1), to 0.1.
median() {
    sort -n "$1" | awk -v d="${2:-1}" '{ v[NR] = $1 }
        END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
              printf "%.1f", m / d }'
}
# median_ms FILE: the median of FILE's microsecond figures, in ms.
median_ms() { median "$1" 1000; }

# round_ratio A B [A2 B2]: the median over the rounds of A[K] / B[K], or
# (A[K] + A2[K]) / (B[K] + B2[K]), and its 95 % interval, from files of
# call times as timed writes them, a line per round
# (tests/e2e/ratio-interval.awk).  Prints "RATIO LOW-HIGH".
round_ratio() { awk -f "$E2E_LIB_DIR/ratio-interval.awk" "$@"; }

# The emulator's software SVM now and then ends a PVH guest with a
# triple fault while vCPUs are plugged (xen-lab.md).  A check that plugs
# many times counts Xen's "Triple fault" lines first (faults_seen), and
# remake_ended tells such an end from any other by a new one.
faults_seen() {
    E2E_FAULTS_SEEN=$(xl dmesg 2>/dev/null | grep -a -c 'Triple fault')
}
E2E_REMADE=0
E2E_REMAKES=${E2E_REMAKES:-3}
# new_faults: the triple faults Xen logged that nothing accounted for
# yet (E2E_FAULTS_SEEN counts those that were), a line each.
new_faults() {
    xl dmesg 2>/dev/null | grep -a 'Triple fault' |
        sed -n "$((${E2E_FAULTS_SEEN:?faults_seen first} + 1)),\$p"
}
# The first of them; status 1 when there is none.
new_fault() { new_faults | head -n 1 | grep .; }
# Xen names the domain a triple fault ended ("d5v0 Triple fault"), and
# gives no domid twice while the lab runs: a check with several guests up
# at once tells whose fault it was by the domids each guest had once it
# booted (boot_or_remake notes them).
# note_domid NAME: guest NAME's domid now, noted.
note_domid() {
    local d
    d=$(xl domid "$1" 2>/dev/null) && [ -n "$d" ] &&
        echo "$d" >> "$E2E_TMP/domids.$1"
}
# guest_of_fault LINE: the guest of this check that had the domain Xen's
# triple fault LINE names, if one had it.
guest_of_fault() {
    local d
    d=$(echo "$1" | sed -n 's/.* d\([0-9][0-9]*\)v[0-9]* Triple fault.*/\1/p')
    [ -n "$d" ] || return 0
    grep -lx "$d" "$E2E_TMP"/domids.* 2>/dev/null | sed 's|.*/domids\.||'
}
# remake_ended NAME MAKE...: when the emulator ended guest NAME (it is
# down, and Xen logged a new triple fault), destroy it and MAKE... makes
# it again and waits for it; at most E2E_REMAKES (3) times in a check
# (E2E_REMADE counts them).  Status 1, and nothing done, otherwise.
remake_ended() {
    local name=$1 crash
    shift
    guest_down "$name" && crash=$(new_fault) &&
        [ $E2E_REMADE -lt "$E2E_REMAKES" ] || return 1
    say "the emulator ended guest $name, it is made again: $crash"
    xl destroy "$name" > /dev/null 2>&1
    E2E_FAULTS_SEEN=$((E2E_FAULTS_SEEN + 1))
    E2E_REMADE=$((E2E_REMADE + 1))
    "$@"
}
# boot_or_remake NAME FROM MAKE...: wait_guest NAME FROM, but a guest the
# emulator ended while it booted is made again by MAKE... (remake_ended;
# MAKE may call boot_or_remake itself).  Its domid is noted (note_domid).
boot_or_remake() {
    local name=$1 from=$2
    shift 2
    wait_guest "$name" "$from" may-end && { note_domid "$name"; return 0; }
    remake_ended "$name" "$@" ||
        fail "Xen ended guest $name while it booted, too often:" \
             "$(xl dmesg | grep -a 'Triple fault' | tail -n 1)"
}
# make_and_boot NAME MAKE...: MAKE... makes guest NAME (it does not wait
# for it), and the guest is waited for; one the emulator ended while it
# booted is made again the same way (boot_or_remake).
make_and_boot() {
    local who=$1 from
    shift
    from=$(guest_mark "$who")
    "$@"
    boot_or_remake "$who" "$from" make_and_boot "$who" "$@"
}
SETTLE_POLLS=0
# down_at_tenth NAME: at every tenth poll, whether Xen has ended guest
# NAME (xl costs more than the console).
down_at_tenth() {
    SETTLE_POLLS=$((SETTLE_POLLS + 1))
    [ $((SETTLE_POLLS % 10)) = 0 ] && guest_down "$1"
}
# The guest shows WANT, or Xen has ended it.
cpus_or_down() { guest_cpus_are "$1" "$2" || down_at_tenth "$1"; }
# xl vcpu-list shows WANT online (then XL_SETTLED=1), or Xen has ended
# the guest.
xl_online_or_down() {
    xl_online_is "$1" "$2" && XL_SETTLED=1 && return 0
    down_at_tenth "$1"
}
# settle_or_remake NAME WANT MAKE...: 0 once guest NAME shows WANT online
# and present and xl vcpu-list shows WANT online.  When the emulator ended
# the guest instead, before or after it showed WANT, remake_ended makes it
# again: 2, so that the caller does its round again.  Anything else fails
# the check.
settle_or_remake() {
    local name=$1 want=$2
    shift 2
    local why="guest $name never reached $want"
    if wait_for 30 cpus_or_down "$name" "online=$want present=$want" &&
       guest_cpus_are "$name" "online=$want present=$want"; then
        XL_SETTLED=
        wait_for 10 xl_online_or_down "$name" "$want"
        [ -n "$XL_SETTLED" ] && return 0
        # (The emulator may end it just after the guest said so.)
        why="xl vcpu-list $name never showed $want online"
    fi
    remake_ended "$name" "$@" && return 2
    fail "$why"
}

# ---------------------------------------------------------------- vcpu-set rounds

# The timing's vcpu-set, in rounds (checks/85-timing.sh,
# bench/lab-timing-aa.sh): one label's command plugs vCPU 1 of a guest of
# 1 online, another label's unplugs it again, and the guest settles after
# each call, so that every call is a change and finds the guest at rest.
# A label is a tool, or a name for one; the caller says for each:
#   round_guest LABEL        the guest it works on
#   round_cmd LABEL GUEST N  its command that sets GUEST to N vCPUs online
#   round_remake LABEL       makes its guest again (make_and_boot)
# round_call LABEL N: LABEL's call, its time in US; 2 when it failed
# because the emulator ended the guest (made again).  (Not in a subshell:
# remake_ended counts what it did.)
# shellcheck disable=SC2046
round_call() {
    local guest
    guest=$(round_guest "$1")
    US=$(e2e-time $(round_cmd "$1" "$guest" "$2")) && return 0
    remake_ended "$guest" round_remake "$1" && return 2
    fail "$1: vcpu-set $2 failed"
}
# set_round FIRST SECOND PREFIX: FIRST plugs, SECOND unplugs, on FIRST's
# guest; once the guest took both, their times (us) are added to
# PREFIX.plug.FIRST and PREFIX.unplug.SECOND.  2 when the emulator ended
# the guest, before a call or while the guest took it, and it was made
# again: the round is to be done again, and nothing was added.
set_round() {
    local first=$1 second=$2 prefix=$3 guest plug
    guest=$(round_guest "$first")
    round_call "$first" 2 || return
    plug=$US
    settle_or_remake "$guest" 0-1 round_remake "$first" || return
    round_call "$second" 1 || return
    settle_or_remake "$guest" 0 round_remake "$first" || return
    echo "$plug" >> "$prefix.plug.$first"
    echo "$US" >> "$prefix.unplug.$second"
}
# sum_ms A B: A + B, in ms as median_ms prints them.
sum_ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a + b }'; }
# set_ms PREFIX LABEL: LABEL's vcpu-set figure, its median plug plus its
# median unplug, in ms.
set_ms() { sum_ms "$(median_ms "$1.plug.$2")" "$(median_ms "$1.unplug.$2")"; }
# set_ratio PREFIX X Y: X's vcpu-set time over Y's, "RATIO LOW-HIGH"
# (round_ratio): the K-th plug plus the K-th unplug of X over those of Y,
# all four from the same cycle of rounds (in the timing check, one
# set_round X Y then one set_round Y X).
set_ratio() {
    round_ratio "$1.plug.$2" "$1.plug.$3" "$1.unplug.$2" "$1.unplug.$3"
}
