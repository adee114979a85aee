# On a Xen that runs PV guests only (the lab booted without SVM, as a
# machine without VT-x or AMD-V), xlvcpu refuses a PVH or an HVM domain
# before libxl is asked, in one line naming the type and what the host
# offers, and builds nothing; libxl's own refusal (shown through xl) does
# not say why.  A PV domain still starts.
# e2e-host: pv-only
. "$E2E_LIB"

caps=$(xl info | sed -n 's/^virt_caps *: //p')
say "virt_caps: $caps"
case " $caps " in
*" hvm "*) fail "this lab's Xen has hvm in its virt_caps: '$caps'" ;;
esac
offers=$(echo "$caps" | tr ' ' '\n' | grep -xE 'pv|hvm|hap|shadow' |
         tr '\n' ' ' | sed 's/ $//')

for type in pvh hvm; do
    E2E_GUEST_TYPE=$type
    name=e2e-nohvm-$type
    own $name
    guest_xml $name "<vcpu placement='static' current='1'>2</vcpu>" \
        > "$E2E_TMP/$name.xml"
    guest_cfg $name 2 1 > "$E2E_TMP/$name.cfg"
    want="cannot create domain '$name': this host cannot run $type guests"
    want="$want (they need vt-x or amd-v; xen offers '$offers')"
    run xlvcpu define "$E2E_TMP/$name.xml" || fail "define $name failed"
    keep_definition $name
    for cmd in "create $E2E_TMP/$name.xml" "start $name"; do
        out=$(xlvcpu $cmd 2>&1)
        rc=$?
        echo "\$ xlvcpu $cmd"
        echo "$out"
        expect "xlvcpu ${cmd%% *} $type: exit status" "$rc" 1
        expect "xlvcpu ${cmd%% *} $type: message" "$out" \
            "xlvcpu: ${cmd%% *}: $want"
        running $name && fail "$name runs after the refusal"
    done
    definition_unchanged $name "the refused start"
    [ -e "/run/xlvcpu/$name.xml" ] && fail "a live definition of $name"
    # What libxl says of it, for comparison.
    run xl create "$E2E_TMP/$name.cfg" && fail "xl created $name"
    running $name && fail "$name runs after xl's refusal"
done

E2E_GUEST_TYPE=pv
name=e2e-nohvm-pv
own $name
guest_xml $name "<vcpu placement='static' current='1'>2</vcpu>" \
    > "$E2E_TMP/$name.xml"
run xlvcpu create "$E2E_TMP/$name.xml" || fail "a pv domain did not start"
running $name || fail "$name is not running"
