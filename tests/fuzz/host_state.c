/*
 * Fuzz target: the test host's JSON state reader (host_test.c), through
 * xlv__test_host_parse().
 *
 * Invariants: a state that parses writes back as JSON that parses again
 * and writes the same text (a fixed point after one trip).  Every refusal
 * carries a one-line message.
 */
#include <stdint.h>

#include "host.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xlv_ctx *ctx = fuzz_ctx();
    char *json = NULL, *json2 = NULL;
    int rc;

    rc = xlv__test_host_parse(ctx, &json, (const char *)data, size);
    if (rc) {
        fuzz_check_error(ctx, rc);
        goto out;
    }
    rc = xlv__test_host_parse(ctx, &json2, json, strlen(json));
    if (rc)
        fuzz_fail("written state does not parse", xlv_ctx_error(ctx));
    if (strcmp(json, json2))
        fuzz_fail("written state is not a fixed point", NULL);
 out:
    free(json2);
    free(json);
    return 0;
}
