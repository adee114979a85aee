# A sparse online map from <vcpus> boots sparse: vCPUs 0 and 3 of 4.
. "$E2E_LIB"

name=e2e-sparse
own $name
guest_xml $name "<vcpu placement='static' current='2'>4</vcpu>" "<vcpus>
    <vcpu id='0' enabled='yes' hotpluggable='no'/>
    <vcpu id='1' enabled='no' hotpluggable='yes'/>
    <vcpu id='2' enabled='no' hotpluggable='yes'/>
    <vcpu id='3' enabled='yes' hotpluggable='yes'/>
  </vcpus>" > "$E2E_TMP/$name.xml"
create_and_wait $name "$E2E_TMP/$name.xml"
id=$(domid $name)

expect "xenstore writes of cpu/N/availability" \
    "$(xs_availability_writes "$id")" "0=online 1=offline 2=offline 3=online"
expect "xenstore online vCPUs" "$(xs_online $name)" "0,3"
expect "guest cpus when its init started" "$(guest_boot_cpus $name 0)" \
    "online=0,3 present=0,3 possible=0-3"
wait_xl_online $name 0,3
run xl vcpu-list $name
