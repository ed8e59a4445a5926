/* eimza — the notification scan (scan.h): expiry warnings, reminders and digests queued in the
 * outbox, each exactly once.
 *
 * The milestones are bands of not_after: milestone i (warn_days[i] days before expiry, by UTC
 * days as core_warning_milestone counts them) is the latest one reached by a certificate whose
 * expiry day is at most today + warn_days[i] but later than today + warn_days[i+1], and the
 * expiry itself is not_after <= now. So each band is one range scan of the certificates'
 * not_after index, and a certificate is found in the band of the latest milestone it reached
 * only: a scan that missed days never sends an older milestone. Each row the store hands over
 * is checked again with core_warning_milestone, the rule's own definition.
 *
 * Each batch is one transaction: the rows due, their marks recorded, their messages queued.
 * The messages and marks of a batch commit together or not at all. A certificate's messages
 * are queued only by the scan whose mark changed (store_warn_mark_batch), and a reminder's or a
 * digest's dedupe key makes one that another scan queued meanwhile a no-op here. Messages are
 * queued as their template and values (notify/outbox.h), rendered when they are sent. Logs
 * never name a person: counts.
 */
#include "notify/scan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/date.h"
#include "core/personnel.h"
#include "core/validate.h"
#include "notify/outbox.h"
#include "util/log.h"

#define SCAN_KEY_MAX    96
#define SCAN_DAY        86400
#define SCAN_STATES_MAX 16

int notify_digest_parse(const char *spec, struct notify_digest_to *out, size_t *n, char *err,
                        size_t errlen)
{
    *n = 0;
    const char *p = spec ? spec : "";
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        if (!*p)
            break;
        size_t len = strcspn(p, ",");
        char item[320];
        if (len >= sizeof item) {
            snprintf(err, errlen, "digest_to: an entry is too long");
            return -1;
        }
        memcpy(item, p, len);
        item[len] = '\0';
        p += len;
        char *eq = strchr(item, '=');
        if (!eq) {
            snprintf(err, errlen, "digest_to: '%s' is not NN=address", item);
            return -1;
        }
        *eq = '\0';
        char *end;
        long plate = strtol(item, &end, 10);
        while (*end == ' ')
            end++;
        if (end == item || *end || plate < 1 || plate > 81) {
            snprintf(err, errlen, "digest_to: '%s' is not a plate code 1..81", item);
            return -1;
        }
        char *addr = eq + 1;
        while (*addr == ' ')
            addr++;
        size_t alen = strlen(addr);
        while (alen && addr[alen - 1] == ' ')
            addr[--alen] = '\0';
        if (!core_email_valid(addr, alen) || alen >= sizeof out[0].address) {
            snprintf(err, errlen, "digest_to: province %ld: not an e-mail address", plate);
            return -1;
        }
        for (size_t i = 0; i < *n; i++) {
            if (out[i].province == (int)plate) {
                snprintf(err, errlen, "digest_to: province %ld is given twice", plate);
                return -1;
            }
        }
        if (*n >= NOTIFY_DIGEST_MAX) {
            snprintf(err, errlen, "digest_to: too many entries");
            return -1;
        }
        out[*n].province = (int)plate;
        memcpy(out[*n].address, addr, alen + 1);
        (*n)++;
    }
    return 0;
}

/* ---- shared ------------------------------------------------------------------------------ */

/* The scan's working state for one pass. */
struct scan {
    struct store *s;
    const struct notify_scan_cfg *cfg;
    int64_t now;
    struct notify_scan_stats *st;
};

static void scan_date(const struct scan *sc, int32_t day, char out[CORE_DATE_STRLEN + 1])
{
    if (!strcmp(sc->cfg->lang, "en"))
        core_date_format(day, out);
    else
        core_date_format_tr(day, out);
}

/* The values of a message's placeholders, kept with it (notify/outbox.h): *out is malloc'ed. */
static enum store_err scan_params(const struct notify_var *vars, size_t nvars, char **out)
{
    *out = notify_params_json(vars, nvars);
    return *out ? STORE_OK : STORE_ENOMEM; /* values come from validated records: UTF-8 */
}

/* Queues one message, kept as its template and values; *queued counts it when it was new. */
static enum store_err scan_put(struct scan *sc, enum notify_tpl t, bool sms, const char *to,
                               const char *key, const char *params, long *queued)
{
    const struct store_outbox_msg m = {
        .channel = sms ? "sms" : "email",
        .recipient = to,
        .tpl = notify_tpl_name(t),
        .params = params,
        .dedupe_key = key,
    };
    bool ins = false;
    enum store_err e = store_outbox_put(sc->s, &m, sc->now, &ins);
    if (e == STORE_OK && ins)
        (*queued)++;
    return e;
}

/* ---- expiry warnings --------------------------------------------------------------------- */

/* A due certificate, copied out of the store's callback. */
struct due {
    int64_t cert_id, not_after;
    int milestone; /* core_warning_milestone now */
    bool send;     /* entitled, and neither left nor retired */
    char serial[CORE_SERIAL_MAX];
    char name[2 * CORE_NAME_MAX];
    char email[CORE_EMAIL_MAX];
    char mobile[CORE_PHONE_LEN + 1];
};

struct due_batch {
    struct due *rows;
    int64_t *ids; /* the rows to mark */
    bool *marked; /* whether each of ids was marked here */
    long n, cap;
    /* the batch's messages, queued with one call: two per row at most, each with its key;
     * params[i] is the values of row i's messages (malloc'ed, or NULL) */
    struct store_outbox_msg *msgs;
    char (*keys)[SCAN_KEY_MAX];
    char **params;
    long nmsg;
    const struct core_rules *rules;
    int64_t now;
    int64_t last_not_after, last_id; /* the keyset for the next batch */
    bool nomem;
};

static int collect_due(void *ctx, const struct store_warn_row *w)
{
    struct due_batch *b = ctx;
    if (b->n == b->cap) {
        b->nomem = true; /* cannot happen: the store hands over at most cap rows */
        return 1;
    }
    struct due *d = &b->rows[b->n++];
    d->cert_id = w->cert_id;
    d->not_after = w->c->not_after;
    d->milestone = core_warning_milestone(b->rules, b->now, w->c->not_after);
    d->send = w->p->entitled && w->p->duty != CORE_DUTY_LEFT && w->p->duty != CORE_DUTY_RETIRED;
    snprintf(d->serial, sizeof d->serial, "%s", w->c->serial);
    snprintf(d->name, sizeof d->name, "%s %s", w->p->first_name, w->p->last_name);
    snprintf(d->email, sizeof d->email, "%s", w->p->email);
    snprintf(d->mobile, sizeof d->mobile, "%s", w->p->mobile_phone);
    return 0;
}

/* Adds one message to the batch's. */
static void batch_msg(struct due_batch *b, enum notify_tpl t, bool sms, const char *to,
                      const char *params, int64_t cert_id, int days)
{
    char *key = b->keys[b->nmsg];
    snprintf(key, SCAN_KEY_MAX, "warn:%lld:%d:%s", (long long)cert_id, days, sms ? "sms" : "email");
    b->msgs[b->nmsg++] = (struct store_outbox_msg){
        .channel = sms ? "sms" : "email",
        .recipient = to,
        .tpl = notify_tpl_name(t),
        .params = params,
        .dedupe_key = key,
    };
}

/* Adds the messages of row i of the batch (queued with the batch, in its transaction). */
static enum store_err warn_one(struct scan *sc, struct due_batch *b, long i, int idx, int days)
{
    const struct due *d = &b->rows[i];
    const struct notify_scan_cfg *cfg = sc->cfg;
    const bool expired = idx == cfg->rules.warn_count;
    const enum notify_tpl t = expired ? NOTIFY_TPL_EXPIRED : NOTIFY_TPL_EXPIRY_WARNING;
    int32_t expiry_day = core_date_tr_from_unix(d->not_after);
    char expiry[CORE_DATE_STRLEN + 1], deadline[CORE_DATE_STRLEN + 1], left[16];
    scan_date(sc, expiry_day, expiry);
    scan_date(sc, expiry_day - cfg->rules.deadline_days, deadline);
    snprintf(left, sizeof left, "%ld", (long)(expiry_day - core_date_tr_from_unix(sc->now)));
    const struct notify_var vars[] = {
        {"name", d->name},      {"serial", d->serial}, {"expiry_date", expiry},
        {"deadline", deadline}, {"days", left},
    };
    enum store_err e = scan_params(vars, sizeof vars / sizeof vars[0], &b->params[i]);
    if (e == STORE_OK && d->email[0])
        batch_msg(b, t, false, d->email, b->params[i], d->cert_id, days);
    if (e == STORE_OK && d->mobile[0])
        batch_msg(b, t, true, d->mobile, b->params[i], d->cert_id, days);
    return e;
}

/* Frees the values of the batch's messages. */
static void batch_clear(struct due_batch *b)
{
    for (long i = 0; i < b->n; i++) {
        free(b->params[i]);
        b->params[i] = NULL;
    }
    b->nmsg = 0;
}

/* Every certificate of one band: milestone idx (warn_count: the expiry), not_after in
 * [from, to). */
static enum store_err warn_band(struct scan *sc, int idx, int64_t from, int64_t to,
                                struct due_batch *b)
{
    const struct notify_scan_cfg *cfg = sc->cfg;
    const int days = idx < cfg->rules.warn_count ? cfg->rules.warn_days[idx] : 0;
    long *count = idx < cfg->rules.warn_count ? &sc->st->warned[idx] : &sc->st->expired;
    enum store_err e = STORE_OK;
    b->last_not_after = INT64_MIN;
    b->last_id = 0;
    for (;;) {
        long queued = 0, holders = 0, unreachable = 0, skipped = 0;
        int64_t pos_na = b->last_not_after, pos_id = b->last_id;
        bool more = false;
        b->n = 0;
        if ((e = store_tx_begin(sc->s)) != STORE_OK)
            return e;
        e = store_warn_due(sc->s, from, to, days, &pos_na, &pos_id, b->cap, collect_due, b, &more);
        if (e == STORE_OK && b->nomem)
            e = STORE_ENOMEM;
        /* the marks first, in one statement: only the scan that made a mark queues the
         * certificate's messages */
        long nmark = 0;
        for (long i = 0; i < b->n; i++)
            if (b->rows[i].milestone == idx) /* else the rule's own band takes it */
                b->ids[nmark++] = b->rows[i].cert_id;
        if (e == STORE_OK && nmark > 0)
            e = store_warn_mark_batch(sc->s, b->ids, nmark, days, sc->now, b->marked);
        for (long i = 0, m = 0; e == STORE_OK && i < b->n; i++) {
            const struct due *d = &b->rows[i];
            if (d->milestone != idx || !b->marked[m++])
                continue;
            holders++;
            if (!d->send)
                skipped++;
            else if (!d->email[0] && !d->mobile[0])
                unreachable++;
            else
                e = warn_one(sc, b, i, idx, days);
        }
        /* the messages in one call: a round trip each would be most of the time on
         * PostgreSQL */
        if (e == STORE_OK && b->nmsg > 0)
            e = store_outbox_put_batch(sc->s, b->msgs, b->nmsg, sc->now, &queued);
        batch_clear(b);
        if (e != STORE_OK) {
            store_tx_rollback(sc->s);
            return e;
        }
        if ((e = store_tx_commit(sc->s)) != STORE_OK)
            return e;
        *count += queued;
        sc->st->holders += holders;
        sc->st->unreachable += unreachable;
        sc->st->skipped += skipped;
        b->last_not_after = pos_na; /* the position moves only with a committed batch */
        b->last_id = pos_id;
        if (!more)
            return STORE_OK;
    }
}

static enum store_err scan_warnings(struct scan *sc)
{
    const struct notify_scan_cfg *cfg = sc->cfg;
    const struct core_rules *r = &cfg->rules;
    struct due_batch b = {.cap = cfg->batch, .rules = r, .now = sc->now};
    enum store_err e = STORE_OK;
    b.rows = calloc((size_t)cfg->batch, sizeof *b.rows);
    b.ids = calloc((size_t)cfg->batch, sizeof *b.ids);
    b.marked = calloc((size_t)cfg->batch, sizeof *b.marked);
    b.msgs = calloc(2 * (size_t)cfg->batch, sizeof *b.msgs);
    b.keys = calloc(2 * (size_t)cfg->batch, sizeof *b.keys);
    b.params = calloc((size_t)cfg->batch, sizeof *b.params);
    if (!b.rows || !b.ids || !b.marked || !b.msgs || !b.keys || !b.params)
        e = STORE_ENOMEM;
    const int32_t today = core_date_tr_from_unix(sc->now);
    /* milestone i: the expiry day is at most today + warn_days[i] (not_after before the next
     * day starts) and later than today + warn_days[i+1]; the last one: not yet expired. Days
     * are Turkey's, as the holder reads them (core/date.h). */
    for (int i = 0; e == STORE_OK && i < r->warn_count; i++) {
        int64_t to = core_date_tr_to_unix(today + r->warn_days[i] + 1);
        int64_t from = i + 1 < r->warn_count ? core_date_tr_to_unix(today + r->warn_days[i + 1] + 1)
                                             : sc->now + 1;
        if (from < to)
            e = warn_band(sc, i, from, to, &b);
    }
    if (e == STORE_OK && cfg->expired_days > 0)
        e = warn_band(sc, r->warn_count, sc->now - (int64_t)cfg->expired_days * SCAN_DAY,
                      sc->now + 1, &b);
    free(b.rows);
    free(b.ids);
    free(b.marked);
    free(b.msgs);
    free(b.keys);
    free(b.params);
    return e;
}

/* ---- reminders --------------------------------------------------------------------------- */

struct stuck {
    int64_t id;
    char state[24];
    char number[STORE_APP_NUMBER_LEN + 1];
    char name[2 * CORE_NAME_MAX];
    char email[CORE_EMAIL_MAX];
    char mobile[CORE_PHONE_LEN + 1];
    char notify_by[8];
    int64_t approved_at;
};

struct stuck_batch {
    struct stuck *rows;
    long n, cap;
    int64_t last_id;
    bool nomem;
};

static int collect_stuck(void *ctx, const struct store_application *a,
                         const struct core_personnel *p)
{
    struct stuck_batch *b = ctx;
    if (b->n == b->cap) {
        b->nomem = true;
        return 1;
    }
    struct stuck *x = &b->rows[b->n++];
    x->id = a->id;
    snprintf(x->state, sizeof x->state, "%s", a->state);
    snprintf(x->number, sizeof x->number, "%s", a->number);
    /* the form's name and addresses; the personnel record's where the form has none yet */
    const char *first = a->first_name[0] || !p ? a->first_name : p->first_name;
    const char *last = a->last_name[0] || !p ? a->last_name : p->last_name;
    snprintf(x->name, sizeof x->name, "%s %s", first, last);
    snprintf(x->email, sizeof x->email, "%s", a->email[0] || !p ? a->email : p->email);
    snprintf(x->mobile, sizeof x->mobile, "%s",
             a->mobile_phone[0] || !p ? a->mobile_phone : p->mobile_phone);
    snprintf(x->notify_by, sizeof x->notify_by, "%s", a->notify_by);
    x->approved_at = a->approved_at;
    b->last_id = a->id;
    return 0;
}

/* Queues template t for x on the channels the form asked for (both when it has not said yet),
 * keyed "<key>:email" and "<key>:sms". */
static enum store_err stuck_send(struct scan *sc, const struct stuck *x, enum notify_tpl t,
                                 const struct notify_var *vars, size_t nvars, const char *key,
                                 long *queued)
{
    char *params;
    enum store_err e = scan_params(vars, nvars, &params);
    bool by_email = strcmp(x->notify_by, "sms") != 0;
    bool by_sms = strcmp(x->notify_by, "email") != 0;
    char k[SCAN_KEY_MAX];
    if (e == STORE_OK && by_email && x->email[0]) {
        snprintf(k, sizeof k, "%s:email", key);
        e = scan_put(sc, t, false, x->email, k, params, queued);
    }
    if (e == STORE_OK && by_sms && x->mobile[0]) {
        snprintf(k, sizeof k, "%s:sms", key);
        e = scan_put(sc, t, true, x->mobile, k, params, queued);
    }
    free(params);
    return e;
}

/* What lists the applications to tell: store_remind_due or store_overdue_due. */
typedef enum store_err (*stuck_due_fn)(struct store *s, int64_t before, int64_t after_id,
                                       long limit,
                                       int (*fn)(void *ctx, const struct store_application *a,
                                                 const struct core_personnel *p),
                                       void *ctx);

/* The applications that due lists (before, in batches of cfg->batch, each batch a transaction):
 * one(x) queues x's messages, then x gets the mark (NULL: its state) so it is not told again;
 * what was queued is added to *count. */
static enum store_err scan_stuck(struct scan *sc, int64_t before, stuck_due_fn due,
                                 enum store_err (*one)(struct scan *sc, const struct stuck *x,
                                                       long *queued),
                                 const char *mark, long *count)
{
    struct stuck_batch b = {.cap = sc->cfg->batch};
    enum store_err e = STORE_OK;
    if (!(b.rows = calloc((size_t)sc->cfg->batch, sizeof *b.rows)))
        return STORE_ENOMEM;
    for (;;) {
        long queued = 0;
        b.n = 0;
        if ((e = store_tx_begin(sc->s)) != STORE_OK)
            break;
        e = due(sc->s, before, b.last_id, b.cap, collect_stuck, &b);
        if (e == STORE_OK && b.nomem)
            e = STORE_ENOMEM;
        for (long i = 0; e == STORE_OK && i < b.n; i++) {
            e = one(sc, &b.rows[i], &queued);
            if (e == STORE_OK)
                e = store_remind_mark(sc->s, b.rows[i].id, mark ? mark : b.rows[i].state, sc->now,
                                      NULL);
        }
        if (e != STORE_OK) {
            store_tx_rollback(sc->s);
            break;
        }
        if ((e = store_tx_commit(sc->s)) != STORE_OK)
            break;
        *count += queued;
        if (b.n < b.cap)
            break;
    }
    free(b.rows);
    return e;
}

static enum store_err remind_one(struct scan *sc, const struct stuck *x, long *queued)
{
    enum notify_tpl t = !strcmp(x->state, "draft")           ? NOTIFY_TPL_REMIND_CODE
                        : !strcmp(x->state, "code_verified") ? NOTIFY_TPL_REMIND_SIGN
                                                             : NOTIFY_TPL_REMIND_PAPER;
    const struct notify_var vars[] = {{"name", x->name}, {"number", x->number}};
    char key[SCAN_KEY_MAX];
    snprintf(key, sizeof key, "remind:%lld:%s", (long long)x->id, x->state);
    return stuck_send(sc, x, t, vars, sizeof vars / sizeof vars[0], key, queued);
}

static enum store_err scan_reminders(struct scan *sc)
{
    const struct notify_scan_cfg *cfg = sc->cfg;
    if (cfg->reminder_days <= 0)
        return STORE_OK;
    const int64_t before = sc->now - (int64_t)cfg->reminder_days * SCAN_DAY;
    return scan_stuck(sc, before, store_remind_due, remind_one, NULL, &sc->st->reminders);
}

/* ---- cards that did not arrive in time (app/card_flow.h) --------------------------------- */

static enum store_err overdue_one(struct scan *sc, const struct stuck *x, long *queued)
{
    char days[24];
    snprintf(days, sizeof days, "%lld", (long long)((sc->now - x->approved_at) / SCAN_DAY));
    const struct notify_var vars[] = {{"name", x->name}, {"number", x->number}, {"days", days}};
    char key[SCAN_KEY_MAX];
    snprintf(key, sizeof key, "overdue:%lld", (long long)x->id);
    return stuck_send(sc, x, notify_tpl_deployed(NOTIFY_TPL_CARD_LATE, sc->cfg->inhouse), vars,
                      sizeof vars / sizeof vars[0], key, queued);
}

/* Applications approved more than delivery_expected_days ago whose card has not arrived: the
 * holder is told once whom to call (Kamu SM's call centre, or where the cards are made in house
 * the e-imza sorumlusu; the mark "overdue" among the reminders). */
static enum store_err scan_overdue(struct scan *sc)
{
    const struct notify_scan_cfg *cfg = sc->cfg;
    if (cfg->rules.delivery_expected_days <= 0)
        return STORE_OK;
    /* due from the moment approved_at + the days is reached */
    const int64_t before = sc->now - (int64_t)cfg->rules.delivery_expected_days * SCAN_DAY + 1;
    return scan_stuck(sc, before, store_overdue_due, overdue_one, "overdue", &sc->st->overdue);
}

/* ---- the approvers' digest --------------------------------------------------------------- */

/* An enabled approver with an address, where their province's digest goes. */
struct approver_to {
    int province;
    char username[STORE_USERNAME_MAX];
    char email[CORE_EMAIL_MAX];
};

struct approvers {
    bool province[82]; /* an enabled approver works there */
    struct approver_to *to;
    size_t n, cap;
    bool nomem;
};

static int note_approver(void *ctx, const struct store_user *u)
{
    struct approvers *a = ctx;
    if (strcmp(u->role, "approver") || u->disabled || u->province < 1 || u->province > 81)
        return 0;
    a->province[u->province] = true;
    if (!u->email[0])
        return 0;
    if (a->n == a->cap) {
        size_t cap = a->cap ? 2 * a->cap : 16;
        struct approver_to *to = realloc(a->to, cap * sizeof *to);
        if (!to) {
            a->nomem = true;
            return 1;
        }
        a->to = to;
        a->cap = cap;
    }
    struct approver_to *t = &a->to[a->n++];
    t->province = u->province;
    snprintf(t->username, sizeof t->username, "%s", u->username);
    snprintf(t->email, sizeof t->email, "%s", u->email);
    return 0;
}

struct waiting {
    long submitted, awaiting_original;
};

static int count_waiting(void *ctx, const char *state, long count)
{
    struct waiting *w = ctx;
    if (!strcmp(state, "submitted"))
        w->submitted += count;
    else if (!strcmp(state, "awaiting_original"))
        w->awaiting_original += count;
    return 0;
}

/* The digest_to address of a province, or NULL. */
static const char *digest_address(const struct notify_scan_cfg *cfg, int province)
{
    for (size_t i = 0; i < cfg->ndigest; i++)
        if (cfg->digest_to[i].province == province)
            return cfg->digest_to[i].address;
    return NULL;
}

/* Whether an approver's address is one this province's digest already goes to. */
static bool digest_sent_to(const struct approvers *ap, size_t upto, const char *office,
                           const struct approver_to *t)
{
    if (office && !strcasecmp(office, t->email))
        return true;
    for (size_t j = 0; j < upto; j++)
        if (ap->to[j].province == t->province && !strcasecmp(ap->to[j].email, t->email))
            return true;
    return false;
}

/* One province's digest: to its digest_to address (key digest:NN:DATE) and to each of its
 * enabled approvers with an address (digest:NN:DATE:USERNAME), each address once. */
static enum store_err digest_province(struct scan *sc, const struct approvers *ap, int province,
                                      const char *date, const char *iso)
{
    const char *office = digest_address(sc->cfg, province);
    bool anyone = office != NULL;
    for (size_t i = 0; !anyone && i < ap->n; i++)
        anyone = ap->to[i].province == province;
    if (!anyone)
        return STORE_OK;
    struct waiting w = {0};
    enum store_err e = store_app_state_counts(sc->s, province, count_waiting, &w);
    long total = w.submitted + w.awaiting_original;
    if (e != STORE_OK || total == 0)
        return e;
    char sub[24], paper[24], tot[24], key[SCAN_KEY_MAX];
    snprintf(sub, sizeof sub, "%ld", w.submitted);
    snprintf(paper, sizeof paper, "%ld", w.awaiting_original);
    snprintf(tot, sizeof tot, "%ld", total);
    const char *pname = core_province_name(province);
    const struct notify_var vars[] = {
        {"province", pname ? pname : ""}, {"date", date}, {"total", tot}, {"submitted", sub},
        {"awaiting_original", paper},
    };
    char *params;
    if ((e = scan_params(vars, sizeof vars / sizeof vars[0], &params)) != STORE_OK)
        return e;
    if (office) {
        snprintf(key, sizeof key, "digest:%02d:%s", province, iso);
        e = scan_put(sc, NOTIFY_TPL_DIGEST, false, office, key, params, &sc->st->digests);
    }
    for (size_t i = 0; e == STORE_OK && i < ap->n; i++) {
        const struct approver_to *t = &ap->to[i];
        if (t->province != province || digest_sent_to(ap, i, office, t))
            continue;
        snprintf(key, sizeof key, "digest:%02d:%s:%s", province, iso, t->username);
        e = scan_put(sc, NOTIFY_TPL_DIGEST, false, t->email, key, params, &sc->st->digests);
    }
    free(params);
    return e;
}

static enum store_err scan_digests(struct scan *sc)
{
    struct approvers ap = {0};
    enum store_err e = store_user_each(sc->s, note_approver, &ap);
    if (e == STORE_OK && ap.nomem)
        e = STORE_ENOMEM;
    char date[CORE_DATE_STRLEN + 1], iso[CORE_DATE_STRLEN + 1];
    scan_date(sc, core_date_tr_from_unix(sc->now), date);
    core_date_format(core_date_tr_from_unix(sc->now), iso);
    for (int p = 1; e == STORE_OK && p <= 81; p++)
        if (ap.province[p]) /* nobody approves there: nobody to tell */
            e = digest_province(sc, &ap, p, date, iso);
    free(ap.to);
    return e;
}

/* ---- the pass ---------------------------------------------------------------------------- */

enum store_err notify_scan(struct store *s, const struct notify_scan_cfg *cfg, int64_t now,
                           struct notify_scan_stats *stats)
{
    struct notify_scan_stats st = {0};
    enum store_err e = STORE_EINVAL;
    struct scan sc = {.s = s, .cfg = cfg, .now = now, .st = &st};
    if (!s || !cfg || !cfg->tpl || !cfg->portal_url || !cfg->lang || cfg->batch < 1 ||
        cfg->expired_days < 0 || core_rules_check(&cfg->rules) != NULL ||
        (cfg->ndigest && !cfg->digest_to))
        goto out;
    if ((e = scan_warnings(&sc)) != STORE_OK)
        goto out;
    if ((e = scan_reminders(&sc)) != STORE_OK)
        goto out;
    if ((e = scan_overdue(&sc)) != STORE_OK)
        goto out;
    e = scan_digests(&sc);
out:
    if (s && e != STORE_OK && e != STORE_EINVAL)
        ulog(ULOG_ERROR, "notify.scan_failed", "error=%s", store_strerror(e));
    long warned = st.expired;
    for (int i = 0; i < CORE_MAX_WARNINGS; i++)
        warned += st.warned[i];
    if (e == STORE_OK)
        ulog(ULOG_INFO, "notify.scan",
             "warnings=%ld reminders=%ld overdue=%ld digests=%ld holders=%ld unreachable=%ld "
             "skipped=%ld",
             warned, st.reminders, st.overdue, st.digests, st.holders, st.unreachable, st.skipped);
    if (stats)
        *stats = st;
    return e;
}
