/* eimza — the signing tickets of the relay path (store.h, schema 7): issuing one (the session's
 * open ones superseded and old ones purged in the same transaction), reading one by its hash
 * or a session's newest, and moving one between states only from the state it was read in.
 * Each function checks its arguments, then runs catalogue statements (store_queries.h). */
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

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
    return store__get_id(s, q, &key, 1, &store__ticket, out, &out->id);
}

enum store_err store_ticket_issue(struct store *s, const struct store_ticket *t,
                                  int64_t purge_before, long *superseded)
{
    struct store__val a[STORE__MAXARGS];
    bool own;
    long n = 0;
    STORE__ENTRY(s,
                 !t || !ticket_ok(t) || strcmp(t->state, "issued") != 0 ||
                     store__row_bind(&store__ticket, t, a) < 0,
                 "ticket_issue: bad argument");
    enum store_err e = store__own_begin(s, &own);
    if (e != STORE_OK)
        return e;
    e = store__exec(s, STORE__Q_TK_SUPERSEDE, STORE__A(VT(t->session_hash), V(t->created_at)), &n);
    if (e == STORE_OK)
        e = store__exec(s, STORE__Q_TK_PURGE, STORE__A(V(purge_before)), NULL);
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
    struct store__val v[STORE__MAXARGS];
    bool did = false;
    STORE__ENTRY(s,
                 !t || !expected_state || t->id <= 0 || !ticket_ok(t) ||
                     !ticket_state_ok(expected_state) ||
                     store__row_bind(&store__ticket, t, v + 2) < 0,
                 "ticket_move: bad argument");
    v[0] = V(t->id);
    v[1] = VT(expected_state);
    enum store_err e = store__did(s, STORE__Q_TK_MOVE, v, 2 + (int)store__ticket.ncols, &did);
    if (e == STORE_OK && !did)
        e = store__missed(s, STORE__Q_TK_EXISTS, v, 1, &store__ticket,
                          "the signing ticket changed meanwhile");
    return e;
}
