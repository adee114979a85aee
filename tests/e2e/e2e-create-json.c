/*
 * e2e-create-json: build and unpause a domain from a libxl JSON config,
 * as "xlvcpu -N create" prints it, straight through libxl.
 *
 *   e2e-create-json FILE.json
 *
 * For the lab only: it builds what xlvcpu refuses to build (a PVH guest
 * with a sparse online map), so that a check can show what Xen and the
 * guest make of it.  Prints the new domid; exits 0 on success.
 */
#include <stdio.h>
#include <stdlib.h>

#include <libxl.h>
#include <xentoollog.h>

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "re");
    char *buf = NULL;
    long len;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 &&
        fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)len + 1))) {
        if (fread(buf, 1, (size_t)len, f) != (size_t)len) {
            free(buf);
            buf = NULL;
        } else {
            buf[len] = '\0';
        }
    }
    fclose(f);
    return buf;
}

int main(int argc, char **argv)
{
    xentoollog_logger_stdiostream *lg;
    libxl_domain_config cfg;
    libxl_ctx *ctx = NULL;
    uint32_t domid = INVALID_DOMID;
    char *json;
    int rc = 1;

    if (argc != 2) {
        fprintf(stderr, "usage: e2e-create-json FILE.json\n");
        return 2;
    }
    json = read_file(argv[1]);
    if (!json) {
        perror(argv[1]);
        return 1;
    }
    libxl_domain_config_init(&cfg);
    lg = xtl_createlogger_stdiostream(stderr, XTL_ERROR, 0);
    if (!lg || libxl_ctx_alloc(&ctx, LIBXL_VERSION, 0,
                               (xentoollog_logger *)lg))
        goto out;
    if (libxl_domain_config_from_json(ctx, &cfg, json) ||
        libxl_domain_create_new(ctx, &cfg, &domid, NULL, NULL))
        goto out;
    if (libxl_domain_unpause(ctx, domid, NULL)) {
        libxl_domain_destroy(ctx, domid, NULL);
        goto out;
    }
    printf("%u\n", domid);
    rc = 0;
 out:
    libxl_domain_config_dispose(&cfg);
    libxl_ctx_free(ctx);
    if (lg)
        xtl_logger_destroy((xentoollog_logger *)lg);
    free(json);
    return rc;
}
