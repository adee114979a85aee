/*
 * Sets of CPU ids as libxl_bitmap, which needs no libxl_ctx when we
 * allocate its map ourselves: parsing and formatting in libvirt's cpuset
 * syntax and in xl's cpus= syntax, and the few set operations the rest of
 * the library needs.  A bitmap with size 0 is "not set".
 */
#ifndef XLV_CPUSET_H
#define XLV_CPUSET_H

#include "private.h"

/*
 * Give BM room for NBITS bits, all clear.  BM must be initialised or
 * disposed; its old map is freed.  Errors: XLV_ERR_NOMEM.
 */
int xlv__bitmap_alloc(xlv_ctx *ctx, libxl_bitmap *bm, unsigned int nbits);

/* Make DST an independent copy of SRC (size 0 copies as size 0). */
int xlv__bitmap_copy(xlv_ctx *ctx, libxl_bitmap *dst,
                     const libxl_bitmap *src);

/* Number of bits BM can hold (size * 8). */
unsigned int xlv__bitmap_nbits(const libxl_bitmap *bm);

/* Number of set bits: libxl_bitmap_count_set(), unsigned, as every
 * count here is.  libxl's own libxl_bitmap_test(), libxl_bitmap_equal()
 * and libxl_bitmap_is_empty() serve for the rest.  All of them look at
 * every bit BM holds, to the end of its last byte: a bit set past the
 * vCPUs a map stands for (max_vcpus) would be counted, so every place
 * that sets one stays below that. */
unsigned int xlv__bitmap_count(const libxl_bitmap *bm);

/* Highest set bit, or -1 when none is set. */
int xlv__bitmap_last(const libxl_bitmap *bm);

/* Dispose of N bitmaps and free the array holding them (NULL is fine). */
void xlv__bitmap_array_free(libxl_bitmap *maps, unsigned int n);

/* Whether the set is exactly {0, ..., N-1}. */
bool xlv__bitmap_is_first_n(const libxl_bitmap *bm, unsigned int n);

/*
 * Parse a cpuset in libvirt's syntax: comma-separated items, each "N",
 * "N-M" or "^N" / "^N-M" (exclusions), applied from left to right,
 * blanks allowed around items.  Every id must be below LIMIT.
 * WHAT is how the value is named in errors, e.g. "<vcpu cpuset='%s'>",
 * with one %s for the value.  An empty result is an error.
 * SET is (re)allocated for LIMIT bits.
 * Errors: XLV_ERR_INVAL, XLV_ERR_NOMEM.
 */
int xlv__cpuset_parse(xlv_ctx *ctx, libxl_bitmap *set, const char *str,
                      unsigned int limit, const char *what);

/*
 * Parse xl's cpus= / cpus_soft= syntax (xl.cfg(5)): comma-separated items
 * "all", "N", "N-M", "node:N", "nodes:N-M", each optionally prefixed by "^"
 * to remove it; items apply from left to right to an empty set, as in xl
 * ("^1" alone is empty).  node items need the NUMA layout of the ctx
 * (xlv_ctx_set_numa_nodes()).  "all" (also "nodes:all") sets every id
 * below LIMIT; "^all" is refused, as xl does.
 * WHAT as for xlv__cpuset_parse().  An empty result is an error.
 * Errors: XLV_ERR_INVAL, XLV_ERR_UNSUPPORTED (node items, no layout),
 * XLV_ERR_NOMEM.
 */
int xlv__xl_cpus_parse(xlv_ctx *ctx, libxl_bitmap *set, const char *str,
                       unsigned int limit, const char *what);

/* As xlv__xl_cpus_parse(), with node items resolved in the layout NODES
 * (N_NODES of them: the pCPUs of each node) instead of the ctx's. */
int xlv__xl_cpus_parse_nodes(xlv_ctx *ctx, libxl_bitmap *set,
                             const char *str, unsigned int limit,
                             const char *what, const libxl_bitmap *nodes,
                             unsigned int n_nodes);

/* Whether STR, in xl's cpus= syntax, names NUMA nodes (node:, nodes:). */
bool xlv__xl_cpus_has_nodes(const char *str);

/*
 * Check STR as xlv__xl_cpus_parse() reads it, without a NUMA layout:
 * every item well formed, pCPU ids below XLV_MAX_PCPUS, ranges in order;
 * node items are not resolved (which nodes a host has is not known here).
 * Errors: XLV_ERR_INVAL, XLV_ERR_NOMEM.
 */
int xlv__xl_cpus_check(xlv_ctx *ctx, const char *str, const char *what);

/*
 * Format SET in canonical form: ascending, ranges of 2 or more collapsed
 * ("0-3,5,7-8"), "" for an empty set.  Returns a string the caller frees,
 * or NULL when out of memory.
 */
char *xlv__cpuset_format(const libxl_bitmap *set);

/* Free the NUMA layout of CTX (xlv_ctx_set_numa_nodes()), if any. */
void xlv__ctx_numa_dispose(xlv_ctx *ctx);

#endif /* XLV_CPUSET_H */
