/* eimza — checking the audit log's hash chain (see audit.h). Each entry is checked in
 * sequence order for three things, in this order, and the first failure is reported: its
 * sequence number follows the previous one (else entries were removed), its hash is the hash
 * of its own content (else it was changed), and its prev_hash is the previous entry's hash
 * (else it was moved, or its predecessor was rewritten with a fresh hash).
 *
 * An entry the retention anonymised (redacted_by > 0; store.h) can no longer be hashed: it is
 * instead added to the digest of the later "audit.anonymised" entry it names, and when the
 * walk reaches that entry (itself checked like any other) the count and the digest it states
 * must be what the walk found: else the anonymising entry is reported changed. An anonymised
 * entry that names no such later entry, or one never reached, is reported changed itself. The
 * walk reads one snapshot of the log, so a run of the retention meanwhile is not a break. */
#include "app/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The digest being gathered for one anonymising entry (seq by), sorted by by. */
struct pending {
    int64_t by, first;
    long n;
    char d[STORE_AUDIT_HASH_LEN + 1];
};

struct walk {
    struct app_audit_report *r;
    int64_t prev_seq;
    char prev_hash[STORE_AUDIT_HASH_LEN + 1];
    int oom;
    struct pending *p;
    size_t np, cap;
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

/* The index of by in w->p, or where it would go (*hit says which). */
static size_t pending_at(const struct walk *w, int64_t by, bool *hit)
{
    size_t lo = 0, hi = w->np;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (w->p[mid].by < by)
            lo = mid + 1;
        else
            hi = mid;
    }
    *hit = lo < w->np && w->p[lo].by == by;
    return lo;
}

/* The digest for by, made when it is new; NULL when out of memory. */
static struct pending *pending_get(struct walk *w, int64_t by, int64_t seq)
{
    bool hit;
    size_t i = pending_at(w, by, &hit);
    if (hit)
        return &w->p[i];
    if (w->np == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 16;
        struct pending *p = realloc(w->p, cap * sizeof *p);
        if (!p)
            return NULL;
        w->p = p;
        w->cap = cap;
    }
    memmove(&w->p[i + 1], &w->p[i], (w->np - i) * sizeof *w->p);
    w->np++;
    w->p[i] = (struct pending){.by = by, .first = seq};
    return &w->p[i];
}

/* An anonymised entry: into the digest of the entry that vouches for it. */
static int anonymised(struct walk *w, const struct store_audit_record *rec)
{
    if (rec->redacted_by <= rec->seq || !rec->hash || strlen(rec->hash) != STORE_AUDIT_HASH_LEN)
        return found(w, APP_AUDIT_CHANGED, rec->seq, rec);
    struct pending *p = pending_get(w, rec->redacted_by, rec->seq);
    if (!p || store_audit_digest_add(p->d, rec) != 0) {
        w->oom = 1;
        return 1;
    }
    p->n++;
    w->r->anonymised++;
    return 0;
}

/* An entry checked by its own hash: when it is an anonymising entry, what it states must be
 * what the walk gathered for it; when anonymised entries name it and it is not one, or what
 * they give differs from what it states, they were changed (the first of them is named). */
static int vouching(struct walk *w, const struct store_audit_record *rec)
{
    bool hit;
    size_t i = pending_at(w, rec->seq, &hit);
    long n = -1;
    char d[STORE_AUDIT_HASH_LEN + 1] = "";
    int end = 0;
    if (!rec->e.action || strcmp(rec->e.action, STORE_AUDIT_ANONYMISED) != 0)
        return hit ? found(w, APP_AUDIT_CHANGED, w->p[i].first, NULL) : 0;
    if (!rec->e.detail ||
        sscanf(rec->e.detail, "{\"entries\":%ld,\"digest\":\"%64[0-9a-f]\"}%n", &n, d, &end) != 2 ||
        !end || rec->e.detail[end] != '\0' || n < 1 || strlen(d) != STORE_AUDIT_HASH_LEN)
        return found(w, APP_AUDIT_CHANGED, hit ? w->p[i].first : rec->seq, hit ? NULL : rec);
    if (!hit) /* the entries it vouches for are not anonymised ones any more */
        return found(w, APP_AUDIT_CHANGED, rec->seq, rec);
    if (w->p[i].n != n || strcmp(w->p[i].d, d) != 0)
        return found(w, APP_AUDIT_CHANGED, w->p[i].first, NULL);
    memmove(&w->p[i], &w->p[i + 1], (w->np - i - 1) * sizeof *w->p);
    w->np--;
    return 0;
}

static int check(void *ctx, const struct store_audit_record *rec)
{
    struct walk *w = ctx;
    char h[STORE_AUDIT_HASH_LEN + 1];
    w->r->entries++;
    if (rec->seq != w->prev_seq + 1)
        return found(w, APP_AUDIT_REMOVED, w->prev_seq + 1, NULL);
    if (rec->redacted_by) {
        if (anonymised(w, rec))
            return 1;
    } else {
        if (store_audit_hash(rec->seq, rec->prev_hash, &rec->e, h) < 0) {
            w->oom = 1;
            return 1;
        }
        if (!rec->hash || strcmp(h, rec->hash) != 0)
            return found(w, APP_AUDIT_CHANGED, rec->seq, rec);
    }
    if (!rec->prev_hash || strcmp(rec->prev_hash, w->prev_hash) != 0)
        return found(w, APP_AUDIT_REORDERED, rec->seq, rec);
    if (!rec->redacted_by && vouching(w, rec))
        return 1;
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
    bool snapshot = store_read_begin(s) == STORE_OK;
    enum store_err e = store_audit_each(s, 0, check, &w);
    if (snapshot)
        store_read_end(s);
    if (e == STORE_OK && w.oom)
        e = STORE_ENOMEM;
    /* an anonymised entry whose voucher never came: the first such is named */
    if (e == STORE_OK && r->problem == APP_AUDIT_INTACT && w.np) {
        int64_t first = w.p[0].first;
        for (size_t i = 1; i < w.np; i++)
            if (w.p[i].first < first)
                first = w.p[i].first;
        r->problem = APP_AUDIT_CHANGED;
        r->seq = first;
    }
    free(w.p);
    return e;
}
