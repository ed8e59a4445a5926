/* eimza — the signing tickets of the relay path (store.h, schema 7): issuing one (the session's
 * open ones superseded and old ones purged in the same transaction), reading one by its hash
 * or a session's newest, and moving one between states only from the state it was read in.
 * Each function checks its arguments, then runs catalogue statements (store_queries.h). */
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

#define V(x)  store__vi(x)
#define VT(x) store__vt(x)

static bool ticket_state_ok(const char *st)
{
    static const char *const states[] = {"issued",  "claimed",   "checking",  "submitted",
                                         "refused", "cancelled", "superseded"};
    for (size_t i = 0; i < sizeof states / sizeof states[0]; i++)
        if (!strcmp(st, states[i]))
            return true;
    return false;
}

static bool ticket_ok(const struct store_ticket *t)
{
    return store__is_hash(t->ticket_hash) && store__is_hash(t->session_hash) &&
           (!t->claim_hash[0] || store__is_hash(t->claim_hash)) && t->application_id > 0 &&
           ticket_state_ok(t->state) && STORE__TEXT_OK(t->error_code, false) &&
           STORE__TEXT_OK(t->agent_version, false);
}

/* One ticket from statement q with one key. */
static enum store_err ticket_fetch(struct store *s, enum store__q q, struct store__val key,
                                   struct store_ticket *out)
{
    struct store_ticket t;
    enum store_err e = store__query(s, q, &key, 1);
    if (e != STORE_OK)
        return e;
    int got = store__next(s) && store__read(s, &store__ticket, 1, &t) == 0;
    t.id = got ? store__col_int(s, 0) : 0;
    if ((e = store__finish(s, NULL)) == STORE_OK && !got)
        e = store__fail(s, STORE_ENOTFOUND, "no such signing ticket");
    if (e == STORE_OK)
        *out = t;
    return e;
}

enum store_err store_ticket_issue(struct store *s, const struct store_ticket *t,
                                  int64_t purge_before, long *superseded)
{
    enum store_err e = store__ready(s);
    struct store__val a[STORE__MAXARGS];
    bool own;
    long n = 0;
    if (e)
        return e;
    STORE__REFUSE(s,
                  !t || !ticket_ok(t) || strcmp(t->state, "issued") != 0 ||
                      store__row_bind(&store__ticket, t, a) < 0,
                  "ticket_issue: bad argument");
    const struct store__val sup[] = {VT(t->session_hash), V(t->created_at)};
    const struct store__val purge[] = {V(purge_before)};
    if ((e = store__own_begin(s, &own)) != STORE_OK)
        return e;
    e = store__exec(s, STORE__Q_TK_SUPERSEDE, sup, 2, &n);
    if (e == STORE_OK)
        e = store__exec(s, STORE__Q_TK_PURGE, purge, 1, NULL);
    if (e == STORE_OK)
        e = store__exec(s, STORE__Q_TK_INSERT, a, (int)store__ticket.ncols, NULL);
    e = store__own_end(s, own, e);
    if (superseded)
        *superseded = e == STORE_OK ? n : 0;
    return e;
}

enum store_err store_ticket_get(struct store *s, const char *ticket_hash, struct store_ticket *out)
{
    STORE__ENTRY(s, !ticket_hash || !out || !store__is_hash(ticket_hash),
                 "ticket_get: the hash is not SHA-256 hex");
    return ticket_fetch(s, s->in_tx ? STORE__Q_TK_GET_LOCK : STORE__Q_TK_GET, VT(ticket_hash), out);
}

enum store_err store_ticket_latest(struct store *s, const char *session_hash,
                                   struct store_ticket *out)
{
    STORE__ENTRY(s, !session_hash || !out || !store__is_hash(session_hash),
                 "ticket_latest: the hash is not SHA-256 hex");
    return ticket_fetch(s, STORE__Q_TK_LATEST, VT(session_hash), out);
}

enum store_err store_ticket_move(struct store *s, const struct store_ticket *t,
                                 const char *expected_state)
{
    enum store_err e = store__ready(s);
    struct store__val v[STORE__MAXARGS];
    long n = 0;
    int64_t exists = 0;
    if (e)
        return e;
    STORE__REFUSE(s,
                  !t || !expected_state || t->id <= 0 || !ticket_ok(t) ||
                      !ticket_state_ok(expected_state) ||
                      store__row_bind(&store__ticket, t, v + 2) < 0,
                  "ticket_move: bad argument");
    v[0] = V(t->id);
    v[1] = VT(expected_state);
    e = store__exec(s, STORE__Q_TK_MOVE, v, 2 + (int)store__ticket.ncols, &n);
    if (e == STORE_OK && n == 0 &&
        (e = store__one(s, STORE__Q_TK_EXISTS, v, 1, &exists, NULL)) == STORE_OK)
        e = exists ? store__fail(s, STORE_ECONFLICT, "the signing ticket changed meanwhile")
                   : store__fail(s, STORE_ENOTFOUND, "no such signing ticket");
    return e;
}
