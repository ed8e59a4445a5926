/* demo-apps — development tool (tools/: never part of the eimza binary): puts applications into
 * the demo database so that the approvers' queue has something to show on `make run`.
 *
 *   demo-apps --db URL [--today YYYY-MM-DD] [--word WORD] TCKN:STATE[:METHOD]...
 *
 * For each person (who must be in the personnel table) an application is made from their
 * record as the portal would have made it — names, institution, contact details, the
 * certificate being renewed, `late` when it came after the renewal deadline — and moved
 * through the timeline to STATE: submitted (METHOD esign or wet: the paper received),
 * approved (submitted, then approved by the province's approver the day before today: the
 * card's way begins), awaiting_original (wet, paper not there yet) or code_verified. The
 * applications were made one to nine days before today, so the queue shows waiting times.
 * --word gives the applications a security word the holder can use (the PIN retrieval asks
 * it); without it the word is unusable. Everything goes through the store's API in one
 * transaction per person (a person who already has one is skipped). Prints one line per
 * application. Exit 0, 1 usage, 2 failure. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/appstate.h"
#include "core/date.h"
#include "core/rules.h"
#include "store/store.h"
#include "util/rand.h"

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

static int number(char out[STORE_APP_NUMBER_LEN + 1])
{
    static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; /* Crockford base32 */
    unsigned char r[STORE_APP_NUMBER_LEN];
    if (urand_bytes(r, sizeof r) < 0)
        return -1;
    for (size_t i = 0; i < sizeof r; i++)
        out[i] = alphabet[r[i] & 31];
    out[STORE_APP_NUMBER_LEN] = '\0';
    return 0;
}

/* Appends the event and moves the state; the timeline is written with each change. */
static enum store_err step(struct store *s, struct store_application *a, const char *to,
                           const char *event, const char *actor, int64_t at)
{
    char from[sizeof a->state];
    COPY(from, a->state);
    struct store_app_event ev = {at, from, to, event, actor};
    COPY(a->state, to);
    a->updated_at = at;
    return store_app_update(s, a, from, &ev);
}

/* The security word as the portal keeps it (app/portal_form.c: Argon2id, libsodium's string
 * form, the same cost), or an unusable one. */
static int word_hash(const char *word, char out[STORE_PWHASH_MAX])
{
    if (!word) {
        snprintf(out, STORE_PWHASH_MAX, "%s", "$argon2id$v=19$m=19456,t=2,p=1$ZGVtbw$ZGVtbw");
        return 0;
    }
    if (sodium_init() < 0)
        return -1;
    return crypto_pwhash_str_alg(out, word, strlen(word), 2, 19u << 20,
                                 crypto_pwhash_ALG_ARGON2ID13);
}

static int make_one(struct store *s, const char *spec, const char *word, int64_t today0, unsigned k)
{
    char tckn[CORE_TCKN_LEN + 1], state[24] = "", method[8] = "wet";
    if (sscanf(spec, "%11[0-9]:%23[a-z_]:%7[a-z]", tckn, state, method) < 2) {
        fprintf(stderr, "demo-apps: '%s' is not TCKN:STATE[:METHOD]\n", spec);
        return -1;
    }
    struct core_personnel p;
    if (store_personnel_get(s, tckn, &p) != STORE_OK) {
        fprintf(stderr, "demo-apps: %s is not in the personnel table\n", tckn);
        return -1;
    }
    struct core_rules rules;
    core_rules_default(&rules);
    int64_t created = today0 - (int64_t)(1 + k % 9) * 86400 + 9 * 3600;
    struct store_application a;
    memset(&a, 0, sizeof a);
    if (number(a.number) < 0)
        return -1;
    COPY(a.tckn, tckn);
    COPY(a.state, core_app_state_code(CORE_APP_DRAFT));
    COPY(a.first_name, p.first_name);
    COPY(a.last_name, p.last_name);
    COPY(a.birth_place, p.birth_place);
    core_date_format(p.birth_date, a.birth_date);
    COPY(a.institution_name, p.institution_name);
    COPY(a.reason, "renewal");
    COPY(a.card_reader, "none");
    a.validity_years = 3;
    if (word_hash(word, a.security_word_hash) != 0) {
        fprintf(stderr, "demo-apps: cannot hash the security word\n");
        return -1;
    }
    COPY(a.unit, p.unit[0] ? p.unit : "Müdürlük");
    COPY(a.title, p.title);
    snprintf(a.address, sizeof a.address, "%s, %s", p.institution_name,
             p.district[0] ? p.district : "Merkez");
    a.province = p.province;
    COPY(a.district, p.district);
    snprintf(a.postal_code, sizeof a.postal_code, "%02d100", p.province);
    COPY(a.email, p.email);
    COPY(a.mobile_phone, p.mobile_phone);
    COPY(a.mobile_operator, "turkcell");
    COPY(a.notify_by, p.email[0] ? "both" : "sms");
    struct core_certificate c;
    if (store_certificate_current(s, tckn, &c) == STORE_OK) {
        a.cert_not_after = c.not_after;
        a.late = core_renewal_phase(&rules, created, c.not_after) == CORE_PHASE_LATE;
    }
    a.confirmed = true;
    a.confirmed_at = created + 300;
    a.created_at = a.updated_at = created;

    char actor[32];
    snprintf(actor, sizeof actor, "applicant:%.3s******%.2s", tckn, tckn + 9);
    struct store_app_event ev0 = {created, "", a.state, "created", actor};
    bool wet = strcmp(method, "esign") != 0;
    COPY(a.method, "");
    enum store_err e = store_tx_begin(s);
    if (e == STORE_OK)
        e = store_app_create(s, &a, &ev0);
    if (e == STORE_OK)
        e = step(s, &a, "code_verified", "code_verified", actor, created + 600);
    if (e == STORE_OK && strcmp(state, "code_verified") != 0) {
        COPY(a.method, wet ? "wet" : "esign");
        if (wet)
            e = step(s, &a, "awaiting_original", "wet_chosen", actor, created + 700);
        bool approved = !strcmp(state, "approved");
        if (e == STORE_OK && (approved || !strcmp(state, "submitted")))
            e = wet ? step(s, &a, "submitted", "paper_received", "staff:operator", created + 86400)
                    : step(s, &a, "submitted", "signed", actor, created + 700);
        if (e == STORE_OK && approved) {
            char approver[32];
            snprintf(approver, sizeof approver, "staff:onay%02d", p.province);
            a.approved_at = today0 - 86400 + 10 * 3600;
            e = step(s, &a, "approved", "approve", approver, a.approved_at);
        }
    }
    if (e == STORE_OK && strcmp(a.state, state) != 0) {
        fprintf(stderr,
                "demo-apps: %s: state '%s' cannot be made (submitted, approved, "
                "awaiting_original or code_verified)\n",
                tckn, state);
        store_tx_rollback(s);
        return -1;
    }
    if (e == STORE_OK)
        e = store_tx_commit(s);
    else
        store_tx_rollback(s);
    if (e == STORE_ECONFLICT) {
        printf("%s: already has an application (skipped)\n", tckn);
        return 0;
    }
    if (e != STORE_OK) {
        fprintf(stderr, "demo-apps: %s: %s\n", tckn, store_last_error(s));
        return -1;
    }
    printf("%s %s %s %s%s\n", a.number, tckn, a.state, a.method, a.late ? " late" : "");
    return 0;
}

int main(int argc, char **argv)
{
    const char *db = NULL, *today = NULL, *word = NULL;
    int first = 1, rc = 0;
    for (; first < argc && !strncmp(argv[first], "--", 2); first++) {
        if (!strcmp(argv[first], "--db") && first + 1 < argc)
            db = argv[++first];
        else if (!strcmp(argv[first], "--today") && first + 1 < argc)
            today = argv[++first];
        else if (!strcmp(argv[first], "--word") && first + 1 < argc)
            word = argv[++first];
        else
            break;
    }
    if (!db || first >= argc) {
        fprintf(stderr, "usage: demo-apps --db URL [--today YYYY-MM-DD] [--word WORD] "
                        "TCKN:STATE[:METHOD]...\n");
        return 1;
    }
    int32_t day;
    if (today) {
        if (core_date_parse(today, strlen(today), &day) != 0) {
            fprintf(stderr, "demo-apps: bad date '%s'\n", today);
            return 1;
        }
    } else {
        day = core_date_from_unix((int64_t)time(NULL));
    }
    int64_t today0 = (int64_t)day * 86400;
    struct store *s = NULL;
    char err[256];
    if (store_open(db, &s, err, sizeof err) != STORE_OK) {
        fprintf(stderr, "demo-apps: %s\n", err);
        return 2;
    }
    for (int i = first; i < argc; i++)
        if (make_one(s, argv[i], word, today0, (unsigned)(i - first)) < 0)
            rc = 2;
    store_close(s);
    return rc;
}
