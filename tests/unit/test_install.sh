#!/bin/sh
# "make install" into a staging DESTDIR gives a library a program can be
# built against with pkg-config alone, a working xlvcpu and its bash
# completion; "make uninstall" takes every file away again.
#   sh tests/unit/test_install.sh BUILDDIR
. "$(dirname "$0")/../lib.sh"
# make's B= names the build directory as the runner does.
build=$(basename "$build")
case $build in
*asan*) echo "install: 0 passed, 0 failed (skipped in the sanitizer build)"; exit 0 ;;
esac
suite_tmpdir tmp || exit 2
check() {
    what=$1
    shift
    if "$@" >"$tmp/log" 2>&1; then
        passed=$((passed + 1))
    else
        echo "FAIL install: $what"
        tail -n 20 "$tmp/log"
        failed=$((failed + 1))
    fi
}
stage=$tmp/stage
check "make install" make -s -C "$top" B="$build" PREFIX=/usr DESTDIR="$stage" install
for f in usr/bin/xlvcpu usr/include/libxlvcpu.h usr/lib/libxlvcpu.so.1 \
         usr/lib/libxlvcpu/libxlvcpu-xml.so.1 \
         usr/lib/libxlvcpu.so usr/lib/libxlvcpu.a usr/lib/pkgconfig/libxlvcpu.pc \
         usr/share/man/man1/xlvcpu.1 usr/share/man/man3/libxlvcpu.3; do
    check "installs $f" test -e "$stage/$f"
done
unit=$stage/usr/lib/systemd/system/xlvcpu-autostart.service
check "installs the autostart unit" test -f "$unit"
check "the unit starts the marked domains with the installed xlvcpu" \
    grep -qx 'ExecStart=/usr/bin/xlvcpu start --autostart' "$unit"
# systemd's own check of the unit, pointed at the staged command.
if command -v systemd-analyze >/dev/null 2>&1; then
    sed "s|/usr/bin/xlvcpu|$stage/usr/bin/xlvcpu|" "$unit" \
        > "$tmp/xlvcpu-autostart.service"
    check "systemd-analyze verify xlvcpu-autostart.service" \
        systemd-analyze verify --man=no "$tmp/xlvcpu-autostart.service"
fi
comp=$stage/usr/share/bash-completion/completions/xlvcpu
check "installs the bash completion" \
    cmp "$top/xlvcpu/xlvcpu.bash-completion" "$comp"
check "the installed completion is bash's for xlvcpu" \
    bash --norc --noprofile -c ". \"$comp\" && complete -p xlvcpu"
check "pc file names /usr" grep -q '^libdir=/usr/lib$' "$stage/usr/lib/pkgconfig/libxlvcpu.pc"
cat > "$tmp/prog.c" <<'PROG'
#include <stdio.h>
#include <libxlvcpu.h>
int main(int argc, char **argv)
{
    xlv_ctx *ctx;
    xlv_domain *dom;

    if (argc != 2 || xlv_ctx_new(&ctx, NULL, 0))
        return 2;
    if (xlv_domain_from_xml_file(ctx, &dom, argv[1], 0)) {
        fprintf(stderr, "%s\n", xlv_ctx_error(ctx));
        return 1;
    }
    printf("%s %u/%u\n", xlv_domain_get_name(dom),
           xlv_domain_get_current_vcpus(dom), xlv_domain_get_max_vcpus(dom));
    xlv_domain_free(dom);
    xlv_ctx_free(ctx);
    return 0;
}
PROG
export PKG_CONFIG_SYSROOT_DIR="$stage" PKG_CONFIG_PATH="$stage/usr/lib/pkgconfig"
check "build with pkg-config" sh -c "cc -std=c99 -Wall -Werror \"$tmp/prog.c\" \$(pkg-config --cflags --libs libxlvcpu) -o \"$tmp/prog\""
check "run against the installed library" sh -c "LD_LIBRARY_PATH=\"$stage/usr/lib\" \"$tmp/prog\" \"$top/domain-configs/pv-current-lt-max.xml\" | grep -qx 'build-runner03 2/8'"
# libxml2 is the XML module's dependency, where ldd and dpkg-shlibdeps
# see it; the library itself loads it only through the module, which its
# .note.dlopen names.
lib=$stage/usr/lib/libxlvcpu.so.1
module=$stage/usr/lib/libxlvcpu/libxlvcpu-xml.so.1
check "the xml module needs libxml2" sh -c "readelf -d \"$module\" | grep -q 'NEEDED.*\[libxml2.so.2\]'"
check "the library does not" sh -c "! readelf -d \"$lib\" | grep -q 'NEEDED.*libxml2'"
check "the library's .note.dlopen names the module" sh -c "readelf -x .note.dlopen \"$lib\" | tr -d ' \n' | grep -q 'FDO' && readelf -p .note.dlopen \"$lib\" | tr -d '\n ' | grep -q 'libxlvcpu-xml.so.1'"
check "the module exports its entry only" sh -c "test \"\$(nm -D --defined-only \"$module\" | awk '\$2 == \"T\" { print \$3 }')\" = 'xlv__xml_module_1@@LIBXLVCPU_XML_PRIVATE'"
check "link the static library with pkg-config --static" sh -c "cc -std=c99 -Wall -Werror \"$tmp/prog.c\" \$(pkg-config --cflags libxlvcpu) \"$stage/usr/lib/libxlvcpu.a\" \$(pkg-config --static --libs-only-l --libs-only-other libxlvcpu | sed 's/-lxlvcpu//') -o \"$tmp/prog-static\""
check "the static program parses xml without the module" sh -c "\"$tmp/prog-static\" \"$top/domain-configs/pv-current-lt-max.xml\" | grep -qx 'build-runner03 2/8'"
mv "$module" "$tmp/module"
check "without its module, one line that names it" sh -c "LD_LIBRARY_PATH=\"$stage/usr/lib\" \"$tmp/prog\" \"$top/domain-configs/pv-current-lt-max.xml\" 2>&1 | grep -qx 'cannot load the xml module, which xml needs: .*/libxlvcpu/libxlvcpu-xml.so.1: cannot open shared object file: No such file or directory'"
mv "$tmp/module" "$module"
# Installed in /usr, it finds its library as every program does: no rpath.
check "installed xlvcpu runs" sh -c "LD_LIBRARY_PATH=\"$stage/usr/lib\" \"$stage/usr/bin/xlvcpu\" --version | grep -q '^xlvcpu '"
check "no rpath into /usr/lib" sh -c "! readelf -d \"$stage/usr/bin/xlvcpu\" | grep -Eq 'RPATH|RUNPATH'"
check "make uninstall" make -s -C "$top" B="$build" PREFIX=/usr DESTDIR="$stage" uninstall
check "make uninstall removes the bash completion" test ! -e "$comp"
check "make uninstall leaves no file behind" \
    sh -c "test -z \"\$(find \"$stage\" ! -type d)\""
# Elsewhere, the library directory is its runpath.
check "make install PREFIX=/opt/xlvcpu" make -s -C "$top" B="$build" PREFIX=/opt/xlvcpu DESTDIR="$tmp/opt" install
check "rpath /opt/xlvcpu/lib" sh -c "readelf -d \"$tmp/opt/opt/xlvcpu/bin/xlvcpu\" | grep -q 'RUNPATH.*\[/opt/xlvcpu/lib\]'"
echo "install: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
