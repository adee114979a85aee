# cpuset=, <vcpupin> and soft affinity from the XML are in effect from the
# start, as xl vcpu-list shows right after create: default hard affinity
# pCPU 1, vCPU 0 pinned to pCPU 0; soft affinity pCPU 1, vCPU 3 (offline
# at boot) pCPU 0.
# e2e-types: pv pvh
. "$E2E_LIB"

name=$(guest_name e2e-affinity)
own $name
guest_xml $name "<vcpu placement='static' cpuset='1' current='3'>4</vcpu>" \
"<cputune>
    <vcpupin vcpu='0' cpuset='0'/>
  </cputune>
  <metadata>
    <xlvcpu:cputune xmlns:xlvcpu='http://xlvcpu.org/xmlns/cputune/1.0'>
      <xlvcpu:soft cpuset='1'/>
      <xlvcpu:vcpusoft vcpu='3' cpuset='0'/>
    </xlvcpu:cputune>
  </metadata>" > "$E2E_TMP/$name.xml"
run xlvcpu create "$E2E_TMP/$name.xml" || fail "xlvcpu create failed"
run xl vcpu-list $name
got=$(xl_vcpus $name | awk '{print $1 ":" $3 "/" $4}' | tr '\n' ' ')
expect "vCPU:hard/soft in xl vcpu-list" "$got" "0:0/1 1:1/1 2:1/1 3:1/0 "
expect "xenstore online vCPUs" "$(xs_online $name)" "0-2"
