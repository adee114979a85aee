#!/bin/sh
# make check-deb: the Debian packages as an administrator meets them.
# Builds libxlvcpu1, libxlvcpu-dev and xlvcpu with dpkg-buildpackage from
# a copy of the tree (in BUILDDIR/deb), runs lintian on them (any error or
# warning fails), installs them with dpkg -i, runs the installed xlvcpu
# and the libxlvcpu(3) example built through pkg-config, then removes
# (dpkg -r: the user's definitions stay) and purges them (dpkg -P: they
# go), and checks that nothing the packages installed is left behind.
#
#   sh tests/deb/run.sh BUILDDIR
#
# As root only (it installs packages), and only on a machine where none of
# the three packages is installed and /var/lib/xlvcpu is missing or empty:
# it never touches an administrator's installation or state.
. "$(dirname "$0")/../lib.sh"
packages="xlvcpu libxlvcpu-dev libxlvcpu1"
example=$top/domain-configs/pv-current-lt-max.xml
name=build-runner03

die() { echo "deb: $*" >&2; echo "deb: $passed passed, $((failed + 1)) failed"; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (it installs the packages with dpkg -i)"
for p in $packages; do
    if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q installed; then
        die "package $p is installed on this machine: remove it first"
    fi
done
# An empty /var/lib/xlvcpu holds no state: xlvcpu run from a build (even
# "xlvcpu list") makes it.  It is set aside and made again, with its mode
# and owner, when the test ends; one with anything in it is refused.
state=/var/lib/xlvcpu
state_kept=
if [ -e $state ] || [ -L $state ]; then
    [ -d $state ] && [ ! -L $state ] && [ -z "$(ls -A $state)" ] ||
        die "$state is not an empty directory: this test would install over its state"
    state_kept=$(stat -c '%a %u:%g' $state) &&
        rmdir $state || die "cannot set the empty $state aside"
fi
put_state_back() {
    suite_cleanup
    if [ -n "$state_kept" ] && [ ! -e $state ]; then
        mkdir $state && chmod "${state_kept% *}" $state &&
            chown "${state_kept#* }" $state ||
            echo "deb: could not make the empty $state again" >&2
    fi
}
trap put_state_back EXIT
"$top/.ci/deps" lintian fakeroot || die "cannot install the packaging tools"

suite_tmpdir tmp || exit 2
check() {
    what=$1
    shift
    if "$@" >"$tmp/log" 2>&1; then
        echo "ok $what"
        passed=$((passed + 1))
    else
        echo "FAIL $what"
        tail -n 20 "$tmp/log" | sed 's/^/    /'
        failed=$((failed + 1))
    fi
}
# same WHAT EXPECTED CMD...: CMD's output is EXPECTED.
same() {
    what=$1 want=$2
    shift 2
    check "$what" sh -c '[ "$("$@" 2>&1)" = "$0" ]' "$want" "$@"
}

# ---- build, from the tree as it is (tracked and new files) ----
# What make deps installs is all the build needs.
check "make deps installs the Build-Depends" sh -c \
    'cd "$0" && dpkg-checkbuilddeps' "$top"
version=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
out=$build/deb
src=$out/xlvcpu-$version
rm -rf "$out"
mkdir -p "$src" || die "cannot make $src"
(cd "$top" && git ls-files -co --exclude-standard -z |
    xargs -0 cp --parents -t "$src") || die "cannot copy the tree to $src"
echo "deb: dpkg-buildpackage -us -uc -b in $src (log: $out/build.log)"
if ! (cd "$src" && DEB_BUILD_OPTIONS="nocheck parallel=2" \
      dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1; then
    tail -n 30 "$out/build.log" >&2
    die "dpkg-buildpackage failed"
fi
passed=$((passed + 1))
echo "ok dpkg-buildpackage"
debs=
for p in $packages; do
    f=$(ls "$out/${p}_${version}_"*.deb 2>/dev/null) || die "no $p package"
    debs="$debs $f"
    printf 'deb: %-14s %7s bytes  Depends: %s\n' "$p" "$(stat -c %s "$f")" \
        "$(dpkg-deb -f "$f" Depends)"
done

# The library loads libxml2 only through its XML module: dpkg-shlibdeps
# must still have found it there, with a minimum version.
lib_deb=$(ls "$out"/libxlvcpu1_"$version"_*.deb)
check "libxlvcpu1 depends on libxml2 (>= version)" sh -c \
    'dpkg-deb -f "$0" Depends | grep -q "libxml2 (>= [0-9]"' "$lib_deb"

# ---- lintian: no error, no warning ----
lintian --tag-display-limit 0 "$out"/*.changes 2>&1 |
    grep -v "^running with root privileges" > "$out/lintian.log"
sed 's/^/deb: lintian: /' "$out/lintian.log"
check "lintian: 0 errors, 0 warnings" sh -c '! grep -q "^[EW]: " "$0"' \
    "$out/lintian.log"

# ---- install ----
# Paths the packages hold that were here before (/usr, /etc, ...) are not
# theirs to take away.
for f in $debs; do
    dpkg-deb --fsys-tarfile "$f" | tar -t | sed -e 's|^\./|/|' -e 's|/$||'
done | grep -v '^\.\?$' | sort -u > "$tmp/paths"
while read -r p; do
    [ -e "$p" ] || [ -L "$p" ] || echo "$p"
done < "$tmp/paths" > "$tmp/new-paths"
check "dpkg -i" dpkg -i $debs

x=/usr/bin/xlvcpu
check "xlvcpu --version" sh -c '"$0" --version | grep -q "^xlvcpu "' "$x"
same "xlvcpu -N create of an example gives its libxl JSON" \
    "$(cat "${example%.xml}.json")" "$x" -N create "$example"
same "state directory /var/lib/xlvcpu, mode 0700" 700 \
    stat -c %a /var/lib/xlvcpu
check "the hook directories are root's" sh -c \
    'for d in before after; do
         test "$(stat -c %U:%a /etc/xlvcpu/hooks/$d-vcpu-set.d)" = root:755 ||
             exit 1
     done'
check "the bash completion is installed" \
    test -f /usr/share/bash-completion/completions/xlvcpu
check "the autostart unit is installed and enabled" sh -c \
    'test -f /lib/systemd/system/xlvcpu-autostart.service &&
     test -L /etc/systemd/system/multi-user.target.wants/xlvcpu-autostart.service'

# libxlvcpu(3)'s example, typed in as the page gives it, built against the
# -dev package alone (a /usr/local installation must not stand in).
export PKG_CONFIG_LIBDIR=/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/pkgconfig:/usr/share/pkgconfig
"$top/tests/man-example.sh" "$top/man/libxlvcpu.3" > "$tmp/xml2cfg.c" ||
    die "libxlvcpu(3) has no example program"
check "libxlvcpu(3)'s example builds with pkg-config" sh -c \
    'cc -Wall -Werror -o "$0" "$0.c" $(pkg-config --cflags --libs libxlvcpu)' \
    "$tmp/xml2cfg"
same "it converts the example as xlvcpu does" \
    "$(printf '# %s: 2 of 8 vCPUs online at boot\n%s' "$name" \
       "$("$x" domxml-to-native xen-xl "$example")")" \
    "$tmp/xml2cfg" "$example"

# ---- remove keeps the user's state, purge takes it ----
check "define and mark a domain" sh -c \
    '"$0" define "$1" && "$0" autostart "$2"' "$x" "$example" "$name"
cp /var/lib/xlvcpu/$name.xml "$tmp/definition"
check "dpkg -r" dpkg -r $packages
check "after dpkg -r the definition is kept" \
    cmp /var/lib/xlvcpu/$name.xml "$tmp/definition"
check "and its autostart mark" test -e /var/lib/xlvcpu/$name.autostart
check "xlvcpu is gone" test ! -e $x
check "dpkg -P" dpkg -P $packages
check "after dpkg -P the state is gone" test ! -e /var/lib/xlvcpu
left=$(while read -r p; do
           if [ -e "$p" ] || [ -L "$p" ]; then echo "$p"; fi
       done < "$tmp/new-paths")
check "nothing the packages installed is left${left:+: $left}" \
    test -z "$left"
check "no trace of the unit's enabling is left" sh -c \
    'test -z "$(find /etc/systemd /var/lib/systemd -name "*xlvcpu*" \
                2>/dev/null)"'
check "no package is left installed" sh -c \
    '! dpkg-query -W -f="\${Status}\n" $0 2>/dev/null | grep -q installed' \
    "$packages"
echo "deb: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
