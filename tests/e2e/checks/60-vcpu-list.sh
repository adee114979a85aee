# xlvcpu vcpu-list prints what xl vcpu-list prints, byte for byte, the
# Time(s) column aside: all domains (Domain-0 too), and named ones, with
# offline vCPUs and pins.  The CPU and State columns are live: every
# online vCPU is pinned to one pCPU here so that the CPU column holds
# still, and as a vCPU's state may still change between two listings,
# they are compared until one pair agrees.
# e2e-types: pv pvh
. "$E2E_LIB"

name=$(guest_name e2e-list)
own $name
guest_xml $name "<vcpu placement='static' current='2'>4</vcpu>" \
"<cputune>
    <vcpupin vcpu='0' cpuset='1'/>
    <vcpupin vcpu='1' cpuset='0'/>
    <vcpupin vcpu='3' cpuset='0'/>
  </cputune>
  <metadata>
    <xlvcpu:cputune xmlns:xlvcpu='http://xlvcpu.org/xmlns/cputune/1.0'>
      <xlvcpu:vcpusoft vcpu='1' cpuset='1'/>
      <xlvcpu:vcpusoft vcpu='2' cpuset='0'/>
    </xlvcpu:cputune>
  </metadata>" > "$E2E_TMP/$name.xml"
create_and_wait $name "$E2E_TMP/$name.xml"
wait_xl_online $name 0-1
at_exit xl vcpu-pin Domain-0 all all all
run xl vcpu-pin Domain-0 0 0
run xl vcpu-pin Domain-0 1 1

for args in "" "$name" "Domain-0 $name" "$(domid $name)"; do
    # shellcheck disable=SC2086
    same_vcpu_list $args ||
        fail "xlvcpu vcpu-list $args differs from xl vcpu-list (10 tries)"
done
# The header and every row, Time(s) too, have xl's widths.
xl vcpu-list | awk '{ print length($0) }' > "$E2E_TMP/xl.widths"
xlvcpu vcpu-list | awk '{ print length($0) }' > "$E2E_TMP/xlvcpu.widths"
cmp -s "$E2E_TMP/xl.widths" "$E2E_TMP/xlvcpu.widths" ||
    fail "line lengths differ: xl $(tr '\n' ' ' < "$E2E_TMP/xl.widths")," \
         "xlvcpu $(tr '\n' ' ' < "$E2E_TMP/xlvcpu.widths")"
