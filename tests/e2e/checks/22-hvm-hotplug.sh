# vCPUs of an HVM guest (booted by QEMU from the lab's kernel, without a
# disk): libxl plugs them through QEMU (QMP device_add, ACPI hot-plug),
# and the guest and xl vcpu-list see them.  Unplugging does not work:
# libxl returns 0, marks the vCPUs offline in xenstore, sends QEMU
# nothing, and the guest keeps running them.  xl does exactly that here,
# and the check shows it; xlvcpu refuses, with one line, and writes
# nothing.  Pins work, offline vCPUs included.
#
# QEMU's software SVM under TCG has crashed HVM guests some time after a
# hot-plug (a triple fault in the guest, Xen's own code in its state): the
# check makes sure the guest still runs after each step, and dom0-init
# runs a check that failed that way once more.
# e2e-types: hvm
. "$E2E_LIB"

name=$(guest_name e2e-hotplug)
own $name
guest_xml $name "<vcpu placement='static' current='1'>4</vcpu>" \
    > "$E2E_TMP/$name.xml"

# The guest must still be running after each step.
alive() {
    running $name || fail "$name died after: $1"
}

from=$(guest_mark $name)
run xlvcpu create "$E2E_TMP/$name.xml" || fail "xlvcpu create failed"
id=$(domid $name)
wait_guest $name "$from"
expect "xenstore writes of cpu/N/availability" \
    "$(xs_availability_writes "$id")" \
    "0=online 1=offline 2=offline 3=offline"
expect "guest cpus when its init started" \
    "$(guest_boot_cpus $name "$from")" \
    "online=0 present=0 possible=0-3"
wait_xl_online $name 0
alive "boot"

say "plug: 1 -> 3, through QEMU"
run xlvcpu vcpu-set --live -i $name 3 || fail "vcpu-set --live -i 3 failed"
wait_guest_cpus $name "online=0-2 present=0-2"
wait_xl_online $name 0-2
expect "xenstore online vCPUs" "$(xs_online $name)" "0-2"
alive "plug"

say "unplug by xlvcpu: refused, nothing written"
: > "$E2E_XENSTORE_TRACE"
want="xlvcpu: vcpu-set: hvm domain '$name': vcpus cannot be taken away"
want="$want from a running hvm guest (libxl only marks them offline in"
want="$want xenstore and the guest keeps running them); use --config and"
want="$want reboot"
out=$(xlvcpu vcpu-set $name 1 2>&1)
rc=$?
echo "$out"
expect "vcpu-set 1: exit status" "$rc" 1
expect "vcpu-set 1: message" "$out" "$want"
expect "xenstore writes by the refusal" \
    "$(xs_availability_writes "$id")" ""
expect "xenstore online vCPUs" "$(xs_online $name)" "0-2"

say "unplug by xl, to show what the refusal spares: a no-op that"
say "still tells xenstore the vCPUs are offline"
run xl vcpu-set $name 1 || fail "xl vcpu-set 1 failed"
expect "xenstore writes by xl" "$(xs_availability_writes "$id")" \
    "0=online 1=offline 2=offline 3=offline"
nap 10
expect "guest cpus 10 s after xl's unplug" "$(guest_cpus $name)" \
    "online=0-2 present=0-2"
expect "xl online vCPUs 10 s after xl's unplug" "$(xl_online $name)" "0-2"
note "hvm unplug: xl vcpu-set 3 -> 1 exits 0 and writes" \
     "'$(xs_availability_writes "$id")' to xenstore; 10 s later the guest" \
     "has '$(guest_cpus $name)' and xl vcpu-list shows $(xl_online $name)" \
     "online; xlvcpu refuses and writes nothing"
alive "unplug"

say "pins, online and offline vCPUs"
run xlvcpu vcpu-pin $name 1 0 || fail "vcpu-pin 1 0 failed"
run xlvcpu vcpu-pin $name 3 1 0 || fail "vcpu-pin 3 1 0 failed"
run xl vcpu-list $name
expect "vCPU:hard/soft" \
    "$(xl_vcpus $name | awk '{print $1 ":" $3 "/" $4}' | tr '\n' ' ')" \
    "0:all/all 1:0/all 2:all/all 3:1/0 "
alive "pins"
