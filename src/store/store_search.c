/* eimza — what the staff's search and the admins' audit page read (store.h, "the staff's
 * search", store_audit_newest; issue 17): the applications of one holder, and every
 * application's name for a search by name, both scoped to a province as the queue is (the
 * matching of names, Turkish folding, is app's); and the audit log newest first, filtered. */
#include "store/store_int.h"

#include <string.h>

#include "core/tckn.h"

enum store_err store_app_ids_of(struct store *s, const char *tckn, int province,
                                int (*fn)(void *ctx, int64_t id), void *ctx)
{
    STORE__ENTRY(s, !fn || !tckn || strlen(tckn) != CORE_TCKN_LEN || !store__province_ok(province),
                 "app_ids_of: a callback, an 11-digit tckn and province 0..81");
    store__query(s, STORE__Q_SEARCH_TCKN, STORE__A(VT(tckn), V(province)));
    while (store__next(s) && fn(ctx, store__col_int(s, 0)) == 0)
        ;
    return store__finish(s, NULL);
}

enum store_err store_app_names(struct store *s, int province,
                               int (*fn)(void *ctx, int64_t id, const char *first_name,
                                         const char *last_name),
                               void *ctx)
{
    STORE__ENTRY(s, !fn || !store__province_ok(province),
                 "app_names: a callback and province 0..81");
    store__query(s, STORE__Q_SEARCH_NAMES, STORE__A(V(province)));
    while (store__next(s) &&
           fn(ctx, store__col_int(s, 0), store__col_str(s, 1), store__col_str(s, 2)) == 0)
        ;
    return store__finish(s, NULL);
}

enum store_err store_audit_newest(struct store *s, const struct store_audit_filter *f,
                                  int (*fn)(void *ctx, const struct store_audit_record *r),
                                  void *ctx)
{
    STORE__ENTRY(
        s, !f || !fn || f->limit < 1 || f->limit > 500 || f->from < 0 || f->to < 0 || f->before < 0,
        "audit_newest: a filter, a callback, limit 1..500, times >= 0");
    struct store_audit_record r;
    store__query(s, STORE__Q_SEARCH_AUDIT,
                 STORE__A(VT(f->actor && *f->actor ? f->actor : NULL),
                          VT(f->action_prefix && *f->action_prefix ? f->action_prefix : NULL),
                          VT(f->object && *f->object ? f->object : NULL), V(f->from), V(f->to),
                          V(f->before), V(f->limit)));
    while (store__fetch(s, &store__audit, 0, &r) > 0 && fn(ctx, &r) == 0)
        ;
    return store__finish(s, NULL);
}
