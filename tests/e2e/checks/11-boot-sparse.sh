# A sparse online map from <vcpus>, vCPUs 0 and 3 of 4.  A PV guest boots
# with exactly those.  A PVH guest learns its CPUs from the ACPI tables
# libxl builds and numbers them itself, so xlvcpu refuses a sparse map for
# PVH (and HVM) guests, in one line, and builds and stores nothing.  Then
# the check builds that guest through libxl directly and shows why: Xen
# does not run the vCPUs the map asked for (seen here: vCPUs 0 and 2, which
# the guest calls CPUs 0 and 3).  Should that ever change, the check fails
# and the refusal can go.
# e2e-types: pv pvh
. "$E2E_LIB"

name=$(guest_name e2e-sparse)
own $name
guest_xml $name "<vcpu placement='static' current='2'>4</vcpu>" "<vcpus>
    <vcpu id='0' enabled='yes' hotpluggable='no'/>
    <vcpu id='1' enabled='no' hotpluggable='yes'/>
    <vcpu id='2' enabled='no' hotpluggable='yes'/>
    <vcpu id='3' enabled='yes' hotpluggable='yes'/>
  </vcpus>" > "$E2E_TMP/$name.xml"

if [ "$E2E_GUEST_TYPE" != pv ]; then
    want="vcpus '0,3' online at boot of $E2E_GUEST_TYPE domain '$name':"
    want="$want $E2E_GUEST_TYPE guests number their cpus from acpi, not by"
    want="$want vcpu id, and cannot keep a sparse online map; use vcpus 0-1"
    want="$want (only pv guests can boot a sparse set)"
    for cmd in create define; do
        out=$(xlvcpu $cmd "$E2E_TMP/$name.xml" 2>&1)
        rc=$?
        echo "\$ xlvcpu $cmd $name.xml"
        echo "$out"
        expect "xlvcpu $cmd: exit status" "$rc" 1
        expect "xlvcpu $cmd: message" "$out" "xlvcpu: $cmd: $want"
    done
    running $name && fail "$name runs after the refusal"
    [ -e "$(definition $name)" ] && fail "$name was defined after the refusal"
    say "ok: nothing built, nothing stored"

    say "the same guest, built by libxl without xlvcpu"
    guest_xml $name "<vcpu placement='static' current='2'>4</vcpu>" \
        > "$E2E_TMP/$name.2.xml"
    xlvcpu -N create "$E2E_TMP/$name.2.xml" |
        tr -d ' \n' | sed 's/"avail_vcpus":\[0,1\]/"avail_vcpus":[0,3]/' \
        > "$E2E_TMP/$name.json"
    grep -q '"avail_vcpus":\[0,3\]' "$E2E_TMP/$name.json" ||
        fail "no avail_vcpus [0,1] to edit in: $(cat "$E2E_TMP/$name.json")"
    run e2e-create-json "$E2E_TMP/$name.json" || fail "libxl cannot build it"
    wait_guest $name 0
    expect "xenstore online vCPUs" "$(xs_online $name)" "0,3"
    # Let the guest's hot-plug watcher and its CPU onlining settle.
    nap 5
    run xl vcpu-list $name
    xl_on=$(xl_online $name)
    guest=$(guest_cpus $name)
    note "boot-sparse[$E2E_GUEST_TYPE]: asked for vCPUs 0,3 online; Xen" \
         "runs vCPUs $xl_on, the guest says $guest"
    [ "$xl_on" != "0,3" ] ||
        fail "Xen now runs exactly vCPUs 0,3 of a sparse $E2E_GUEST_TYPE" \
             "guest (the guest says $guest): xlvcpu's refusal may go"
    say "ok: Xen runs vCPUs $xl_on, not the 0,3 asked for: the refusal is right"
    exit 0
fi

create_and_wait $name "$E2E_TMP/$name.xml"
id=$(domid $name)

expect "xenstore writes of cpu/N/availability" \
    "$(xs_availability_writes "$id")" "0=online 1=offline 2=offline 3=online"
expect "xenstore online vCPUs" "$(xs_online $name)" "0,3"
expect "guest cpus when its init started" "$(guest_boot_cpus $name 0)" \
    "online=0,3 present=0,3 possible=0-3"
wait_xl_online $name 0,3
run xl vcpu-list $name
