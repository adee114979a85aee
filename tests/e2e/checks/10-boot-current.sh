# xlvcpu create of <vcpu current='2'>4</vcpu> boots with exactly vCPUs 0-1
# online: libxl writes cpu/N/availability once per vCPU, at build time,
# with its final value (never all online, then unplugged), and xl
# vcpu-list, xenstore and the guest's own sysfs agree.
# (An HVM guest's boot is checked the same way by hvm-hotplug, which
# boots one anyway: the lab's slowest boot is not paid twice.)
# e2e-types: pv pvh
. "$E2E_LIB"

name=$(guest_name e2e-current)
own $name
guest_xml $name "<vcpu placement='static' current='2'>4</vcpu>" \
    > "$E2E_TMP/$name.xml"
create_and_wait $name "$E2E_TMP/$name.xml"
id=$(domid $name)

expect "xenstore writes of cpu/N/availability" \
    "$(xs_availability_writes "$id")" "0=online 1=online 2=offline 3=offline"
expect "xenstore online vCPUs" "$(xs_online $name)" "0-1"
expect "guest cpus when its init started" "$(guest_boot_cpus $name 0)" \
    "online=0-1 present=0-1 possible=0-3"
wait_xl_online $name 0-1
run xl vcpu-list $name
