/*
 * The online vCPUs of a running domain, and which new online maps Xen and
 * the host allow it: what vcpu-set and apply both ask before they plug
 * or unplug.
 */
#include "cpuset.h"
#include "scope.h"

int xlv__live_online_map(xlv_ctx *ctx, xlv__target *t, libxl_bitmap *map_r)
{
    xlv__vcpuinfo *vcpus = NULL;
    unsigned int n = 0, i;
    int rc;

    rc = xlv__bitmap_alloc(ctx, map_r, t->info.max_vcpus);
    if (rc) return rc;
    if (t->info.type != XLV_DOMAIN_TYPE_PV) {
        /* A PVH or HVM guest learns its CPUs from ACPI and numbers them
         * itself: its online map is a count from vCPU 0 up (xlvcpu
         * refuses sparse maps for these types; xl and libvirt set first-N
         * maps too), and Xen's count gives it without a call per vCPU. */
        xlv__online_resize(map_r, t->info.max_vcpus,
                           t->info.online_vcpus < t->info.max_vcpus
                           ? t->info.online_vcpus : t->info.max_vcpus);
        return 0;
    }
    /* A PV guest may run any set of its vCPUs: ask Xen which. */
    rc = t->host->ops->list_vcpus(ctx, t->host, t->info.domid, &vcpus, &n);
    if (rc) return rc;
    for (i = 0; i < n && i < t->info.max_vcpus; i++) {
        if (vcpus[i].online)
            libxl_bitmap_set(map_r, (int)i);
    }
    xlv__vcpuinfo_list_free(vcpus, n);
    return 0;
}

int xlv__live_online_check(xlv_ctx *ctx, xlv__target *t,
                           const libxl_bitmap *old, const libxl_bitmap *new,
                           unsigned int flags)
{
    unsigned int count = xlv__bitmap_count(new), nr_cpus;
    int rc;

    /* As xl: only adding vCPUs can overcommit; lowering an overcommitted
     * domain is always allowed. */
    if (count > xlv__bitmap_count(old) && !(flags & XLV_VCPU_IGNORE_HOST)) {
        rc = xlv__host_nr_cpus(ctx, t->host, &nr_cpus);
        if (rc) return rc;
        if (count > nr_cpus)
            return xlv__error(ctx, XLV_ERR_INVAL, "count '%u' is more than "
                              "the %u physical cpus of the host: use "
                              "--ignore-host to overcommit", count, nr_cpus);
    }
    /* Telling PVH from HVM costs a xenstore read: only where it matters. */
    if (count < xlv__bitmap_count(old))
        xlv__host_domain_type(t->host, &t->info);
    if (t->info.type == XLV_DOMAIN_TYPE_HVM &&
        count < xlv__bitmap_count(old))
        /* Measured on Xen 4.17: libxl returns 0, marks the vCPUs offline
         * in xenstore, sends QEMU no device_del, and the guest goes on
         * running them. */
        return xlv__error(ctx, XLV_ERR_UNSUPPORTED, "hvm domain '%s': vcpus "
                          "cannot be taken away from a running hvm guest "
                          "(libxl only marks them offline in xenstore and "
                          "the guest keeps running them); use --config and "
                          "reboot", t->name);
    if (t->info.type != XLV_DOMAIN_TYPE_PV &&
        !xlv__bitmap_is_first_n(new, count)) {
        xlv__host_domain_type(t->host, &t->info);
        return xlv__error(ctx, XLV_ERR_UNSUPPORTED, "%s domain '%s': its "
                          "online vcpus must be 0 to %u, not a sparse set: "
                          "the guest numbers the cpus it is given itself",
                          xlv__domain_type_name(t->info.type), t->name,
                          count - 1);
    }
    return 0;
}
