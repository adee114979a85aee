/*
 * xlv_domain_list: the running domains, and the defined ones.
 */
#include <stdlib.h>
#include <string.h>

#include "cpuset.h"
#include "scope.h"

struct xlv_domain_entry {
    char *name;
    int domid;                   /* -1 when not running */
    bool persistent;             /* has a persistent definition */
    bool autostart;              /* and is marked to start at boot */
    unsigned int vcpus;          /* online now, or configured current */
    unsigned int max_vcpus;
};

struct xlv_domain_entry_list {
    xlv_domain_entry *entries;
    unsigned int n;
};

static void entries_free(xlv_domain_entry *entries, unsigned int n)
{
    unsigned int i;

    if (!entries)
        return;
    for (i = 0; i < n; i++)
        free(entries[i].name);
    free(entries);
}

void xlv_domain_entry_list_free(xlv_domain_entry_list *list)
{
    if (!list)
        return;
    entries_free(list->entries, list->n);
    free(list);
}

unsigned int xlv_domain_entry_list_length(const xlv_domain_entry_list *list)
{
    return list->n;
}

const xlv_domain_entry *xlv_domain_entry_list_get(
    const xlv_domain_entry_list *list, unsigned int i)
{
    return i < list->n ? &list->entries[i] : NULL;
}

const char *xlv_domain_entry_get_name(const xlv_domain_entry *entry)
{
    return entry->name;
}

int xlv_domain_entry_get_domid(const xlv_domain_entry *entry)
{
    return entry->domid;
}

int xlv_domain_entry_is_persistent(const xlv_domain_entry *entry)
{
    return entry->persistent;
}

int xlv_domain_entry_is_autostart(const xlv_domain_entry *entry)
{
    return entry->autostart;
}

unsigned int xlv_domain_entry_get_vcpus(const xlv_domain_entry *entry)
{
    return entry->vcpus;
}

unsigned int xlv_domain_entry_get_max_vcpus(const xlv_domain_entry *entry)
{
    return entry->max_vcpus;
}

int xlv_domain_list(xlv_ctx *ctx, xlv_conn *conn,
                    xlv_domain_entry_list **list_r, unsigned int flags)
{
    xlv__dominfo *running = NULL;
    xlv_domain_entry *list = NULL;
    xlv_domain_entry_list *result;
    char **names = NULL;
    unsigned int n_running = 0, n_names = 0, n = 0, i, j;
    xlv__host *host;
    int rc;

    rc = xlv__check_flags(ctx, "domain_list", flags, XLV_LIST_ALL);
    if (rc) goto out;
    rc = xlv__conn_host(ctx, conn, &host);
    if (rc) goto out;
    rc = host->ops->list_domains(ctx, host, &running, &n_running);
    if (rc) goto out;
    rc = xlv__store_list(ctx, conn->store, &names, &n_names);
    if (rc) goto out;
    list = calloc(n_running + n_names + 1, sizeof(*list));
    if (!list) {
        rc = xlv__nomem(ctx, "the domain list");
        goto out;
    }
    for (i = 0; i < n_running; i++, n++) {
        list[n].domid = (int)running[i].domid;
        list[n].vcpus = running[i].online_vcpus;
        list[n].max_vcpus = running[i].max_vcpus;
        list[n].name = running[i].name;
        running[i].name = NULL;
        for (j = 0; j < n_names; j++)
            list[n].persistent |= !strcmp(names[j], list[n].name);
    }
    for (j = 0; (flags & XLV_LIST_ALL) && j < n_names; j++) {
        xlv_domain *def = NULL;
        bool up = false;

        for (i = 0; i < n_running; i++)
            up |= !strcmp(names[j], list[i].name);
        if (up)
            continue;
        /* An unreadable definition is listed with what is known. */
        if (!xlv__definition_load(ctx, conn->store, names[j], &def)) {
            list[n].vcpus = xlv__bitmap_count(&def->online);
            list[n].max_vcpus = def->max_vcpus;
            xlv_domain_free(def);
        }
        list[n].domid = -1;
        list[n].persistent = true;
        list[n].name = names[j];
        names[j] = NULL;
        n++;
    }
    for (i = 0; i < n; i++) {
        if (!list[i].persistent)
            continue;
        rc = xlv__store_get_autostart(ctx, conn->store, list[i].name,
                                      &list[i].autostart);
        if (rc) goto out;
    }
    result = malloc(sizeof(*result));
    if (!result) {
        rc = xlv__nomem(ctx, "the domain list");
        goto out;
    }
    result->entries = list;
    result->n = n;
    *list_r = result;
    list = NULL;
    rc = 0;
 out:
    entries_free(list, n);
    xlv__store_names_free(names, n_names);
    xlv__dominfo_list_free(running, n_running);
    return rc;
}
