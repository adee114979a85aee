#!/bin/bash
# Assemble what the Xen lab boots, from the installed Debian packages, the
# project's build and Debian's kernel package.
#
#   tests/e2e/build-image.sh OUT [EXTRA.sh...]
#
# Writes OUT/xen (the hypervisor, as a multiboot ELF QEMU can load),
# OUT/vmlinuz (the dom0 kernel) and OUT/dom0-initrd, dom0's initramfs:
# busybox, the Xen daemons and xl, xlvcpu and libxlvcpu.so with every
# library they need, the checks (and EXTRA scripts), the domain-configs
# and a guest kernel and initrd.  The kernel package linux-image-amd64
# points at is downloaded once into $E2E_CACHE and never installed.
#
# Environment: B (the build directory, default build), E2E_CACHE,
# E2E_TOOLS, programs of this machine to add to dom0 for a closer look
# (e.g. "strace"), each with its libraries, and E2E_LIBVIRT=1, which adds
# libvirt's daemon with its libxl driver and virsh (the peer suite,
# tests/e2e/peers, needs them).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
B=${B:-build}
E2E_CACHE=${E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/xlvcpu-e2e}
XENBIN=/usr/lib/xen-4.17/bin
DEVICE_MODEL=/usr/libexec/xen-qemu-system-i386
DOM0_MODULES="xen-evtchn xenfs xen-privcmd xen-gntdev xen-gntalloc"

die() { echo "build-image: $*" >&2; exit 1; }

[ $# -ge 1 ] || die "usage: build-image.sh OUT [EXTRA.sh...]"
OUT=$1
shift

# ---------------------------------------------------------------- helpers

# Copy FILE into the tree ROOTFS at DEST (default: the same path), with
# every shared library ldd says it needs, symlinks resolved.
install_elf() {
    local rootfs=$1 file=$2 dest=${3:-$2} lib
    mkdir -p "$rootfs$(dirname "$dest")"
    cp -L "$file" "$rootfs$dest"
    for lib in $(ldd "$file" | awk '$2 == "=>" && $3 ~ /^\// {print $3}
                                    $1 ~ /^\/.*ld-linux/ {print $1}'); do
        # The project's own library is installed by its own rule.
        case $lib in "$ROOT"/*) continue ;; esac
        [ -e "$rootfs$lib" ] && continue
        mkdir -p "$rootfs$(dirname "$lib")"
        cp -L "$lib" "$rootfs$lib"
    done
}

# A root with busybox and its applets, /dev/console and /dev/null.
busybox_tree() {
    local rootfs=$1 applet
    mkdir -p "$rootfs"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,run,tmp,etc,root}
    cp /bin/busybox "$rootfs/bin/busybox"
    for applet in $(/bin/busybox --list-full); do
        [ -e "$rootfs/$applet" ] || ln -s /bin/busybox "$rootfs/$applet"
    done
    mknod -m 600 "$rootfs/dev/console" c 5 1
    mknod -m 666 "$rootfs/dev/null" c 1 3
}

# An initramfs, lz4-compressed (the kernel wants lz4's legacy format):
# under TCG it unpacks in a tenth of the time gzip takes.
initramfs() { # DIR OUT
    (cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc --quiet |
         lz4 -l -1 -q) > "$2"
}

# The Debian kernel linux-image-amd64 depends on, unpacked in the cache.
# Sets KVER and KTREE.
fetch_kernel() {
    local pkg deb
    pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
          awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
    if [ -z "$pkg" ]; then
        apt-get update >/dev/null 2>&1 || true
        pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
              awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
    fi
    [ -n "$pkg" ] || die "cannot tell which kernel linux-image-amd64 wants"
    KVER=${pkg#linux-image-}
    KTREE=$E2E_CACHE/$pkg
    [ -f "$KTREE/boot/vmlinuz-$KVER" ] && return 0

    echo "build-image: downloading $pkg into $E2E_CACHE"
    mkdir -p "$E2E_CACHE"
    rm -f "$E2E_CACHE/${pkg}"_*.deb
    if ! (cd "$E2E_CACHE" && apt-get download "$pkg" >/dev/null 2>&1); then
        apt-get update >/dev/null 2>&1 || true
        (cd "$E2E_CACHE" && apt-get download "$pkg" >/dev/null 2>&1) ||
            die "apt-get download $pkg failed"
    fi
    deb=$(ls "$E2E_CACHE/${pkg}"_*.deb)
    rm -rf "$KTREE.tmp"
    dpkg-deb -x "$deb" "$KTREE.tmp" || die "cannot unpack $deb"
    mv "$KTREE.tmp" "$KTREE"
    rm -f "$deb"
}

# The ELF vmlinux inside a bzImage (an xz payload).  libxenguest would
# otherwise decompress the bzImage in dom0 at every domain build, which
# under TCG costs seconds per guest.
extract_vmlinux() { # BZIMAGE OUT
    local off
    off=$(LC_ALL=C grep -abo -m1 $'\xfd7zXZ' "$1" | head -n1 | cut -d: -f1) ||
        die "no xz payload in $1"
    tail -c +$((off + 1)) "$1" | xz -dc 2>/dev/null > "$2" || true
    [ "$(head -c 4 "$2" | od -An -c | tr -d ' ')" = '177ELF' ] ||
        die "cannot extract the ELF kernel from $1"
}

# ---------------------------------------------------------------- pieces

# The guest's initramfs: busybox, /init, the CPU onlining handler.
build_guest() {
    local g=$OUT/guest-root
    rm -rf "$g"
    busybox_tree "$g"
    install -m 755 "$HERE/guest-init" "$g/init"
    install -m 755 "$HERE/cpu-uevent" "$g/sbin/cpu-uevent"
    initramfs "$g" "$OUT/guest-initrd"
    rm -rf "$g"
}

# Dom0's kernel modules (with what they depend on) and their load order.
install_modules() {
    local d=$1 stage=$OUT/modstage mod ko rel
    rm -rf "$stage"
    mkdir -p "$stage/lib/modules/$KVER" "$d/etc/e2e"
    cp "$KTREE/lib/modules/$KVER"/modules.order \
        "$KTREE/lib/modules/$KVER"/modules.builtin* \
        "$stage/lib/modules/$KVER/"
    cp -al "$KTREE/lib/modules/$KVER/kernel" "$stage/lib/modules/$KVER/"
    depmod -b "$stage" "$KVER"
    : > "$d/etc/e2e/modules"
    for mod in $DOM0_MODULES; do
        modprobe -d "$stage" -S "$KVER" --show-depends "$mod" |
            awk '$1 == "insmod" {print $2}'
    done | awk '!seen[$0]++' | while read -r ko; do
        rel=${ko#"$stage"}
        mkdir -p "$d$(dirname "$rel")"
        cp "$ko" "$d$rel"
        echo "$rel" >> "$d/etc/e2e/modules"
    done
    rm -rf "$stage"
}

# What an HVM guest needs in dom0, where libxl looks for it: QEMU as
# Xen's device model, hvmloader, SeaBIOS, and the option ROM QEMU uses to
# boot a kernel directly.
install_device_model() {
    local d=$1 f
    install_elf "$d" "$DEVICE_MODEL"
    mkdir -p "$d/usr/lib/xen-4.17/boot" "$d/usr/share/seabios" \
             "$d/usr/share/qemu"
    cp /usr/lib/xen-4.17/boot/hvmloader "$d/usr/lib/xen-4.17/boot/"
    # A guest defined without <video> or <graphics> gets libxl's
    # defaults: a Cirrus VGA and a VNC server on 127.0.0.1.
    for f in bios-256k.bin vgabios-cirrus.bin vgabios-stdvga.bin; do
        cp "/usr/share/seabios/$f" "$d/usr/share/seabios/"
        ln -s "/usr/share/seabios/$f" "$d/usr/share/qemu/$f"
    done
    for f in linuxboot.bin linuxboot_dma.bin kvmvapic.bin; do
        cp -L "/usr/share/qemu/$f" "$d/usr/share/qemu/"
    done
    mkdir -p "$d/usr/share/qemu/keymaps"
    cp -L /usr/share/qemu/keymaps/en-us "$d/usr/share/qemu/keymaps/"
}

# libvirtd with only its libxl driver, virsh, and a configuration that
# lets root in through the UNIX socket without polkit (dom0 runs no D-Bus)
# and leaves dom0's memory alone (the lab gives dom0 a fixed size).
#
# The libxl driver will not start unless libvirt can name the host's CPU
# from the features Xen reports, and for the emulated CPU it cannot
# ("Cannot find suitable CPU model for given data": no model of its
# cpu_map allowed for a host has only features that CPU has; QEMU's TCG
# qemu64 lacks abm, popcnt and sse4a, which libvirt's qemu64 lists).  The
# lab's libvirt gets one more model, e2e-tcg, with no features, which
# fits any CPU: the host's CPU is then named e2e-tcg with its features
# listed one by one.  Nothing else of libvirt changes.
LIBVIRT_DRIVER=/usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_libxl.so
install_libvirt() {
    local d=$1 map=$1/usr/share/libvirt/cpu_map
    install_elf "$d" /usr/sbin/libvirtd
    install_elf "$d" /usr/bin/virsh
    install_elf "$d" "$LIBVIRT_DRIVER"
    install_elf "$d" /usr/sbin/dmidecode
    cp -r /usr/share/libvirt "$d/usr/share/"
    printf '%s\n' "<cpus>" "  <model name='e2e-tcg'>" \
        "    <decode host='on' guest='off'/>" "  </model>" "</cpus>" \
        > "$map/x86_e2e-tcg.xml"
    sed -i "s|<include filename='x86_cpu64-rhel6.xml'/>|&\\n    <include filename='x86_e2e-tcg.xml'/>|" \
        "$map/index.xml"
    grep -q x86_e2e-tcg.xml "$map/index.xml" ||
        die "cannot add the e2e-tcg model to libvirt's cpu_map"
    mkdir -p "$d/etc/libvirt" "$d/var/lib/libvirt" "$d/var/log/libvirt" \
             "$d/var/cache/libvirt"
    printf '%s\n' 'auth_unix_ro = "none"' 'auth_unix_rw = "none"' \
        'log_filters = "1:conf.capabilities 1:cpu"' \
        'log_outputs = "1:file:/var/log/libvirt/libvirtd.log"' \
        > "$d/etc/libvirt/libvirtd.conf"
    echo 'autoballoon = 0' > "$d/etc/libvirt/libxl.conf"
}

build_dom0() {
    local d=$OUT/dom0-root f name n=0 libgcc
    rm -rf "$d"
    busybox_tree "$d"
    install_modules "$d"

    # Xen's own tools.  Debian's /usr/sbin/xl is a wrapper script that
    # picks a version: use the binaries behind it.
    for f in xl xenstored xenconsoled xen-init-dom0 libxl-save-helper \
             xenctx; do
        install_elf "$d" "$XENBIN/$f"
    done
    for f in xl xenstored xenconsoled; do
        ln -sf "$XENBIN/$f" "$d/usr/sbin/$f"
    done
    # xenstore-read and friends are one program that looks at argv[0].
    install_elf "$d" "$XENBIN/xenstore-control" /usr/sbin/xenstore-control
    install_elf "$d" /usr/bin/xenstore-read
    for f in xenstore-write xenstore-ls xenstore-list xenstore-rm \
             xenstore-exists; do
        ln -sf xenstore-read "$d/usr/bin/$f"
    done
    install_device_model "$d"
    if [ "${E2E_LIBVIRT:-0}" = 1 ]; then install_libvirt "$d"; fi
    # glibc dlopen()s libgcc_s for pthread_cancel, which libxl uses; ldd
    # cannot see that.
    libgcc=$(readlink -f /lib/x86_64-linux-gnu/libgcc_s.so.1)
    mkdir -p "$d/lib/x86_64-linux-gnu"
    cp "$libgcc" "$d/lib/x86_64-linux-gnu/libgcc_s.so.1"

    # The project, as make install puts it in /usr/local: xlvcpu finds
    # libxlvcpu.so through the loader's cache (below), as on a dom0.  The
    # libraries they need are those of the build tree's twins.
    rm -rf "$OUT/stage"
    make -s -C "$ROOT" B="$B" PREFIX=/usr/local DESTDIR="$OUT/stage" \
        install >/dev/null || die "make install failed"
    install_elf "$d" "$ROOT/$B/bin/xlvcpu" /usr/local/bin/xlvcpu
    install_elf "$d" "$ROOT/$B/lib/libxlvcpu.so.1" \
        /usr/local/lib/libxlvcpu.so.1
    # Its XML module, loaded when XML is first needed, brings libxml2.
    install_elf "$d" "$ROOT/$B/lib/libxlvcpu/libxlvcpu-xml.so.1" \
        /usr/local/lib/libxlvcpu/libxlvcpu-xml.so.1
    rm -f "$d/usr/local/bin/xlvcpu" "$d/usr/local/lib"/libxlvcpu.so* \
        "$d/usr/local/lib/libxlvcpu/libxlvcpu-xml.so.1"
    cp "$OUT/stage/usr/local/bin/xlvcpu" "$d/usr/local/bin/xlvcpu"
    cp -P "$OUT/stage/usr/local/lib"/libxlvcpu.so* "$d/usr/local/lib/"
    cp "$OUT/stage/usr/local/lib/libxlvcpu/libxlvcpu-xml.so.1" \
        "$d/usr/local/lib/libxlvcpu/"
    gcc -O2 -Wall -Wextra -Werror -o "$OUT/e2e-time" "$HERE/e2e-time.c"
    install_elf "$d" "$OUT/e2e-time" /usr/local/bin/e2e-time
    # shellcheck disable=SC2046
    gcc -O2 -Wall -Wextra -Werror -o "$OUT/e2e-create-json" \
        "$HERE/e2e-create-json.c" $(pkg-config --cflags --libs xenlight xentoollog)
    install_elf "$d" "$OUT/e2e-create-json" /usr/local/bin/e2e-create-json
    for f in ${E2E_TOOLS:-}; do
        f=$(command -v "$f") || die "E2E_TOOLS: no program '$f' here"
        install_elf "$d" "$f"
    done

    # What the tools expect to find.
    mkdir -p "$d/etc/xen" "$d/var/lib/xen/dump" "$d/var/log/xen/console" \
             "$d/var/lib" "$d/var/log"
    : > "$d/etc/xen/xl.conf"
    ln -s /run "$d/var/run"
    ln -s /run/lock "$d/var/lock"
    echo "root:x:0:0:root:/root:/bin/sh" > "$d/etc/passwd"
    echo "root:x:0:" > "$d/etc/group"

    # The lab itself.
    install -m 755 "$HERE/dom0-init" "$d/init"
    install -m 755 "$HERE/cpu-uevent" "$d/sbin/cpu-uevent"
    mkdir -p "$d/e2e/checks" "$d/e2e/peers" "$d/e2e/extra" "$d/e2e/guest"
    install -m 644 "$HERE/lib.sh" "$HERE/peers-lib.sh" "$HERE/looping.awk" \
        "$HERE/ratio-interval.awk" "$d/e2e/"
    install -m 755 "$HERE"/checks/*.sh "$d/e2e/checks/"
    install -m 755 "$HERE"/peers/*.sh "$d/e2e/peers/"
    for f in "$@"; do
        n=$((n + 1))
        name=$(basename "$f")
        install -m 755 "$f" "$d/e2e/extra/$(printf '%02d' $n)-$name"
    done
    cp -r "$ROOT/domain-configs" "$d/e2e/domain-configs"

    # The loader's cache, as every Debian system has one: without it each
    # program probes a dozen directories for each of its libraries.
    mkdir -p "$d/etc/ld.so.conf.d"
    printf '%s\n' /usr/local/lib /lib/x86_64-linux-gnu \
        /usr/lib/x86_64-linux-gnu > "$d/etc/ld.so.conf.d/e2e.conf"
    echo 'include /etc/ld.so.conf.d/*.conf' > "$d/etc/ld.so.conf"
    ldconfig -r "$d" || die "ldconfig failed for the dom0 image"
    extract_vmlinux "$KTREE/boot/vmlinuz-$KVER" "$d/e2e/guest/vmlinux"
    # QEMU boots an HVM guest's kernel from the bzImage only.
    cp "$KTREE/boot/vmlinuz-$KVER" "$d/e2e/guest/vmlinuz"
    cp "$OUT/guest-initrd" "$d/e2e/guest/initrd"

    initramfs "$d" "$OUT/dom0-initrd"
    rm -rf "$d"
}

# ---------------------------------------------------------------- main

for f in /bin/busybox /boot/xen-4.17-amd64.gz "$XENBIN/xl" \
         "$XENBIN/xenstored" "$XENBIN/xenconsoled" "$XENBIN/xen-init-dom0" \
         /usr/bin/xenstore-read "$DEVICE_MODEL" \
         /usr/lib/xen-4.17/boot/hvmloader /usr/share/seabios/bios-256k.bin \
         /usr/share/qemu/linuxboot_dma.bin "$ROOT/$B/bin/xlvcpu" \
         "$ROOT/$B/lib/libxlvcpu.so.1" \
         "$ROOT/$B/lib/libxlvcpu/libxlvcpu-xml.so.1"; do
    [ -e "$f" ] || die "missing $f"
done
if [ "${E2E_LIBVIRT:-0}" = 1 ]; then
    for f in /usr/sbin/libvirtd /usr/bin/virsh "$LIBVIRT_DRIVER"; do
        [ -e "$f" ] || die "missing $f (E2E_LIBVIRT=1)"
    done
fi
for f in "$@"; do
    [ -f "$f" ] || die "no such extra script '$f'"
done

mkdir -p "$OUT"
fetch_kernel
gzip -dc /boot/xen-4.17-amd64.gz > "$OUT/xen"
cp "$KTREE/boot/vmlinuz-$KVER" "$OUT/vmlinuz"
build_guest
build_dom0 "$@"
echo "build-image: kernel $KVER, dom0 image $(du -h "$OUT/dom0-initrd" | cut -f1)"
