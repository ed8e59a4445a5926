/* eimza — checking the audit log's hash chain (see audit.h). Each entry is checked in
 * sequence order for three things, in this order, and the first failure is reported: its
 * sequence number follows the previous one (else entries were removed), its hash is the hash
 * of its own content (else it was changed), and its prev_hash is the previous entry's hash
 * (else it was moved, or its predecessor was rewritten with a fresh hash). */
#include "app/audit.h"

#include <stdio.h>
#include <string.h>

struct walk {
    struct app_audit_report *r;
    int64_t prev_seq;
    char prev_hash[STORE_AUDIT_HASH_LEN + 1];
    int oom;
};

const char *app_audit_problem_code(enum app_audit_problem p)
{
    switch (p) {
    case APP_AUDIT_INTACT:
        return "intact";
    case APP_AUDIT_CHANGED:
        return "changed";
    case APP_AUDIT_REMOVED:
        return "removed";
    case APP_AUDIT_REORDERED:
        return "reordered";
    }
    return "?";
}

static int found(struct walk *w, enum app_audit_problem p, int64_t seq,
                 const struct store_audit_record *rec)
{
    w->r->problem = p;
    w->r->seq = seq;
    if (rec) {
        w->r->at = rec->e.at;
        snprintf(w->r->action, sizeof w->r->action, "%s", rec->e.action ? rec->e.action : "");
    }
    return 1; /* stop */
}

static int check(void *ctx, const struct store_audit_record *rec)
{
    struct walk *w = ctx;
    char h[STORE_AUDIT_HASH_LEN + 1];
    w->r->entries++;
    if (rec->seq != w->prev_seq + 1)
        return found(w, APP_AUDIT_REMOVED, w->prev_seq + 1, NULL);
    if (store_audit_hash(rec->seq, rec->prev_hash, &rec->e, h) < 0) {
        w->oom = 1;
        return 1;
    }
    if (!rec->hash || strcmp(h, rec->hash) != 0)
        return found(w, APP_AUDIT_CHANGED, rec->seq, rec);
    if (!rec->prev_hash || strcmp(rec->prev_hash, w->prev_hash) != 0)
        return found(w, APP_AUDIT_REORDERED, rec->seq, rec);
    w->prev_seq = rec->seq;
    memcpy(w->prev_hash, rec->hash, sizeof w->prev_hash);
    memcpy(w->r->last_hash, rec->hash, sizeof w->r->last_hash);
    return 0;
}

enum store_err app_audit_verify(struct store *s, struct app_audit_report *r)
{
    struct walk w = {.r = r};
    memset(r, 0, sizeof *r);
    memcpy(w.prev_hash, STORE_AUDIT_GENESIS, sizeof w.prev_hash);
    enum store_err e = store_audit_each(s, 0, check, &w);
    if (e == STORE_OK && w.oom)
        e = STORE_ENOMEM;
    return e;
}
