/*
 * Fuzz target: the cpuset parsers, libvirt's syntax (xlv__cpuset_parse)
 * and xl's cpus= syntax (xlv__xl_cpus_parse).
 *
 * The first byte picks the variant: bit 0 the syntax (xl when set), bits
 * 1-2 the limit (8, 64, 1000 or XLV_MAX_PCPUS), bit 3 whether the ctx
 * knows a NUMA layout (for xl's node items).  The rest is the cpuset.
 *
 * Invariants: a set that parses is not empty and below the limit; its
 * canonical form parses back, in both syntaxes, to the same set and
 * formats to the same text.  Every refusal carries a one-line message.
 */
#include <stdint.h>

#include <libxl.h>

#include "cpuset.h"
#include "fuzz.h"

static const unsigned int limits[] = { 8, 64, 1000, XLV_MAX_PCPUS };

/* A ctx with four NUMA nodes, one without any layout. */
static xlv_ctx *numa_ctx(void)
{
    static const char *const nodes[] = { "0-3", "4-7", "8-63", "64-4095" };
    static xlv_ctx *ctx;

    if (ctx)
        return ctx;
    if (xlv_ctx_new(&ctx, NULL, 0) ||
        xlv_ctx_set_numa_nodes(ctx, nodes, 4, 0))
        fuzz_fail("cannot set up the NUMA ctx", NULL);
    return ctx;
}

/* Parse TEXT in the syntax XL (or libvirt's); aborts on failure. */
static void reparse(xlv_ctx *ctx, libxl_bitmap *set, const char *text,
                    unsigned int limit, bool xl)
{
    int rc = xl ? xlv__xl_cpus_parse(ctx, set, text, limit, "'%s'")
                : xlv__cpuset_parse(ctx, set, text, limit, "'%s'");

    if (rc)
        fuzz_fail(xl ? "canonical form refused by the xl parser"
                     : "canonical form refused by the libvirt parser",
                  xlv_ctx_error(ctx));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    libxl_bitmap set, back;
    xlv_ctx *ctx;
    unsigned int limit, pass;
    char *text = NULL, *canon = NULL, *canon2 = NULL;
    bool xl;
    int rc, last;

    if (!size)
        return 0;
    xl = data[0] & 1;
    limit = limits[(data[0] >> 1) & 3];
    ctx = data[0] & 8 ? numa_ctx() : fuzz_ctx();
    text = malloc(size);
    if (!text)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';

    libxl_bitmap_init(&set);
    libxl_bitmap_init(&back);
    rc = xl ? xlv__xl_cpus_parse(ctx, &set, text, limit, "cpus='%s'")
            : xlv__cpuset_parse(ctx, &set, text, limit, "cpuset='%s'");
    if (rc) {
        fuzz_check_error(ctx, rc);
        goto out;
    }
    last = xlv__bitmap_last(&set);
    if (!xlv__bitmap_count(&set) || last < 0)
        fuzz_fail("parsed set is empty", text);
    if ((unsigned int)last >= limit)
        fuzz_fail("parsed set goes beyond the limit", text);

    canon = xlv__cpuset_format(&set);
    if (!canon || !canon[0])
        fuzz_fail("parsed set formats as nothing", text);
    for (pass = 0; pass < 2; pass++) {
        reparse(ctx, &back, canon, limit, pass == 1);
        if (!libxl_bitmap_equal(&set, &back, 0))
            fuzz_fail("canonical form parses to another set", canon);
        free(canon2);
        canon2 = xlv__cpuset_format(&back);
        if (!canon2 || strcmp(canon, canon2))
            fuzz_fail("canonical form is not a fixed point", canon);
    }
 out:
    libxl_bitmap_dispose(&back);
    libxl_bitmap_dispose(&set);
    free(canon2);
    free(canon);
    free(text);
    return 0;
}
