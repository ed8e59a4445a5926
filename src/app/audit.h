/* eimza — checking the audit log (app/): `eimza audit verify` walks the whole hash chain of
 * store_audit_append (store/store.h) and names the first entry that breaks it; the entries the
 * retention anonymised are checked through the entry that vouches for them (audit.c). */
#ifndef EIMZA_APP_AUDIT_H
#define EIMZA_APP_AUDIT_H

#include <stdint.h>

#include "store/store.h"

enum app_audit_problem {
    APP_AUDIT_INTACT = 0,
    APP_AUDIT_CHANGED,   /* an entry's content no longer gives its hash */
    APP_AUDIT_REMOVED,   /* a sequence number is missing */
    APP_AUDIT_REORDERED, /* an entry does not follow the one before it (moved, or the one
                            before was rewritten together with its hash) */
};
const char *app_audit_problem_code(enum app_audit_problem p); /* "intact", "changed", ... */

struct app_audit_report {
    long entries;    /* entries read */
    long anonymised; /* of them, anonymised by the retention (checked through their voucher) */
    enum app_audit_problem problem;
    int64_t seq;                              /* the first entry found wrong (0 when intact) */
    int64_t at;                               /* its time (UTC seconds), 0 when it is missing */
    char action[64];                          /* its action, "" when it is missing */
    char last_hash[STORE_AUDIT_HASH_LEN + 1]; /* the newest entry's hash ("" when empty): keep
                                                 it elsewhere to notice entries cut off the end */
};

/* Walks the chain from the first entry. Returns STORE_OK with the report filled (problem set
 * when the chain is broken), or the store's error. */
enum store_err app_audit_verify(struct store *s, struct app_audit_report *r);

#endif
