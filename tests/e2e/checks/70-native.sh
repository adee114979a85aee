# xlvcpu and xl agree on every example in domain-configs/: "xlvcpu -N
# create X.xml" and "xl -N create" of "xlvcpu domxml-to-native xen-xl
# X.xml" give the same vCPU fields (max_vcpus, avail_vcpus,
# vcpu_hard_affinity, vcpu_soft_affinity).  Then each one runs, PV, PVH
# and HVM alike: a lab variant of it (128 MiB, 256 for HVM; no disks or
# NICs; the lab's kernel, which an HVM guest boots through QEMU) is
# created by xlvcpu create and, under another name, by xl create of its
# xl.cfg, side by side; Xen must show the same pins for both, and the
# online vCPUs each one's -N output promised.  Both are paused (only the
# state libxl built matters here) and destroyed before the next example.
# An example whose lab variant cannot be made (vNUMA cells sized for the
# real guest) is said so, with the reason.
. "$E2E_LIB"

problems=
problem() { say "PROBLEM: $*"; problems="$problems; $*"; }

# The vCPU fields of a libxl JSON config on stdin, one a line.
vcpu_fields() {
    tr -d ' \n\t' |
        grep -oE '"(max_vcpus":[0-9]+|avail_vcpus":\[[0-9,]*\]|vcpu_(hard|soft)_affinity":\[(\[[0-9,]*\],?)*\])'
}
avail_of() { sed -n 's/^"avail_vcpus":\[\(.*\)\]$/\1/p' "$1" | tr ',' '\n'; }

# compare_dry WHAT XML CFG OUT: the -N outputs of both tools agree;
# xlvcpu's is left in OUT.json, the vCPU fields in OUT.xlvcpu and OUT.xl.
compare_dry() {
    local what=$1 xml=$2 cfg=$3 x=$4.xlvcpu y=$4.xl
    if ! xlvcpu -N create "$xml" > "$4.json"; then
        problem "$what: xlvcpu -N create failed"
        return 1
    fi
    vcpu_fields < "$4.json" > "$x"
    if grep -q '^vnuma' "$cfg"; then
        # xl checks vNUMA against this host (one node, two pCPUs) and
        # says how to override; vNUMA is not compared here.
        say "$what: for xl on this host: vnuma pnodes 0, maxvcpus = vcpus"
        sed -i 's/"pnode=[0-9]*"/"pnode=0"/g' "$cfg"
        if ! grep -q '^maxvcpus' "$cfg"; then
            n=$(sed -n 's/^vcpus = \([0-9]*\)$/\1/p' "$cfg")
            echo "maxvcpus = $n" >> "$cfg"
        fi
    fi
    xl -N create "$cfg" 2> "$E2E_TMP/xl.err" | vcpu_fields > "$y"
    if [ ! -s "$y" ]; then
        problem "$what: xl -N create failed: $(tail -n 1 "$E2E_TMP/xl.err")"
        return 1
    fi
    if grep -q '^vcpu_avail' "$cfg"; then
        # Documented: only xlvcpu reads vcpu_avail; xl boots vCPUs 0..N-1.
        say "$what: vcpu_avail in the xl.cfg: avail_vcpus compared by count"
        [ "$(avail_of "$x" | wc -l)" = "$(avail_of "$y" | wc -l)" ] ||
            problem "$what: avail_vcpus count differs"
        grep -v '^"avail_vcpus"' "$x" > "$x.rest"
        grep -v '^"avail_vcpus"' "$y" > "$y.rest"
        x=$x.rest y=$y.rest
    fi
    if ! cmp -s "$x" "$y"; then
        problem "$what: vCPU fields differ"
        diff "$y" "$x" | sed 's/^/    /'
        return 1
    fi
    say "ok: $what: same vCPU fields: $(tr '\n' ' ' < "$x")"
}

lab_variant() { # XML TYPE
    local mem=128 kernel=$E2E_GUEST_KERNEL
    [ "$2" = hvm ] && mem=256 kernel=$E2E_GUEST_BZIMAGE
    sed -e "s|<memory unit='[^']*'>[0-9]*</memory>|<memory unit='MiB'>$mem</memory>|" \
        -e "s|<currentMemory unit='[^']*'>[0-9]*</currentMemory>|<currentMemory unit='MiB'>$mem</currentMemory>|" \
        -e '/<disk /,/<\/disk>/d' -e '/<interface /,/<\/interface>/d' \
        -e '/<bootloader>/d' -e '/<kernel>/d' -e '/<initrd>/d' \
        -e '/<cmdline>/d' \
        -e "s|\(<type arch=[^>]*>[a-z]*</type>\)|\1<kernel>$kernel</kernel><initrd>$E2E_GUEST_INITRD</initrd><cmdline>$E2E_GUEST_CMDLINE</cmdline>|" \
        "$1"
}

# "VCPU:HARD/SOFT ..." of a running domain, from xl vcpu-list.
pins() { xl_vcpus "$1" | awk '{print $1 ":" $3 "/" $4}' | tr '\n' ' '; }
# The online vCPUs libxl wrote to xenstore at build time.
built_online() {
    xs_availability_writes "$(domid "$1")" | tr ' ' '\n' |
        sed -n 's/=online$//p' | ranges
}

# built NAME JSON: what Xen shows of domain NAME, just built from the
# config whose -N vCPU fields are in JSON: its pins, and whether the
# vCPUs libxl asked to be online are the ones JSON lists.
built() {
    local online want
    run xl vcpu-list "$1"
    online=$(built_online "$1")
    want=$(avail_of "$2" | ranges)
    [ "$online" = "$want" ] ||
        problem "$1: booted with '$online' online, its -N said '$want'"
    pins "$1" > "$E2E_TMP/$1.pins"
    xl destroy "$1"
}

# run_both BASE XML: boot the lab variant both ways and compare.  It
# differs from the example in memory, devices and kernel only, so each
# boot must show what the example's -N output (in $E2E_TMP/BASE.*)
# promised.
run_both() {
    local base=$1 xml=$2 type=$3 name lab=$E2E_TMP/$1.lab.xml
    local cfg=$E2E_TMP/$1.lab.cfg rx ry
    lab_variant "$xml" "$type" > "$lab"
    name=$(sed -n 's|.*<name>\(.*\)</name>.*|\1|p' "$lab")
    own "$name" "$name-xl"
    if ! xlvcpu domxml-to-native xen-xl "$lab" > "$cfg.tmp" 2> "$E2E_TMP/err"
    then
        say "$base: no lab variant: $(cat "$E2E_TMP/err")"
        UNFIT="$UNFIT $base"
        return
    fi
    sed "s/^name = .*/name = \"$name-xl\"/" "$cfg.tmp" > "$cfg"

    # Both at once: the lab has two CPUs and each create mostly waits.
    run xlvcpu create "$lab" > "$E2E_TMP/$base.xlvcpu.out" &
    run xl create -p "$cfg" > "$E2E_TMP/$base.xl.out"
    ry=$?
    wait $!
    rx=$?
    cat "$E2E_TMP/$base.xlvcpu.out" "$E2E_TMP/$base.xl.out"
    if [ $rx = 0 ]; then
        xl pause "$name"
        built "$name" "$E2E_TMP/$base.xlvcpu"
    fi
    [ $ry = 0 ] && built "$name-xl" "$E2E_TMP/$base.xl"

    if [ $rx != 0 ] && [ $ry != 0 ]; then
        running "$name" && problem "$base: $name left behind by xlvcpu"
        running "$name-xl" && problem "$base: $name-xl left behind by xl"
        say "$base: cannot run in this 2-pCPU, 1-node lab; xlvcpu and xl" \
            "both refuse"
        REFUSED="$REFUSED $base"
        return
    fi
    if [ $rx != 0 ] || [ $ry != 0 ]; then
        problem "$base: xlvcpu create exit $rx, xl create exit $ry"
        return
    fi
    cmp -s "$E2E_TMP/$name.pins" "$E2E_TMP/$name-xl.pins" ||
        problem "$base: pins differ: xlvcpu '$(cat "$E2E_TMP/$name.pins")'," \
                "xl '$(cat "$E2E_TMP/$name-xl.pins")'"
    say "ok: $base: built both ways, pins $(cat "$E2E_TMP/$name.pins")"
    BOOTED="$BOOTED $base"
}

SAME=0
BOOTED=
REFUSED=
UNFIT=
for xml in "$E2E_CONFIGS"/*.xml; do
    base=$(basename "$xml" .xml)
    say "==== $base"
    xlvcpu domxml-to-native xen-xl "$xml" > "$E2E_TMP/$base.cfg" ||
        { problem "$base: domxml-to-native failed"; continue; }
    compare_dry "$base" "$xml" "$E2E_TMP/$base.cfg" "$E2E_TMP/$base" &&
        SAME=$((SAME + 1))
    type=$(tr -d ' \n' < "$E2E_TMP/$base.json" |
           sed -n 's/^{"c_info":{"type":"\([a-z]*\)".*/\1/p')
    [ -s "$E2E_TMP/$base.xl" ] && run_both "$base" "$xml" "$type"
done
note "native: -N vCPU fields equal for $SAME of" \
     "$(ls "$E2E_CONFIGS"/*.xml | wc -l) examples; built by both tools:$BOOTED; refused by both (pins or" \
     "vNUMA nodes beyond this 2-pCPU, 1-node lab):${REFUSED:- none};" \
     "no lab variant:${UNFIT:- none}"
[ -z "$problems" ] || fail "${problems#; }"
