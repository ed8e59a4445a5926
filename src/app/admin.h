/* eimza — the provincial administrator's work (app/): the queue of applications with the
 * eligibility verdict computed from the personnel records now, decisions (approve / reject),
 * bulk approval, recording the signed paper of the wet-signature path, the dashboard's
 * figures and the CSV exports. No HTTP here: the JSON API (web/api/admin.c) and the staff
 * pages (web/pages/) call these. Each takes a context (app/context.h) whose actor is the staff
 * member app_authenticate() let in (a context without one is a 401 session_required); the
 * files are admin_queue.c (the queue and one application), admin_decide.c (decisions, bulk
 * approval, the signed paper), admin_dashboard.c (the figures and the expiring list),
 * admin_messages.c (the operator's messages) and admin_csv.c (the exports), over admin_core.c.
 *
 * Scope: an approver works in one province (the plate code of their account): every list is
 * limited to it whatever filter is asked for, and an application of another province is a 403
 * (forbidden_province) for a decision or a look. Operators and admins see every province;
 * decisions are for approvers and admins (403 forbidden_role otherwise); recording paper is
 * for operators and admins. An application's province is its applicant's personnel province,
 * or the form's when the applicant has no personnel record any more.
 *
 * The verdict (core/eligibility.h) is made when asked, from the personnel record as it is now,
 * so a new personnel import re-evaluates every waiting application by itself. A decision
 * saves the record and the verdict it relied on (store_decision_put), changes the state, tells
 * the applicant through the outbox (e-mail and/or SMS as they chose: notify_by) and appends an
 * audit entry, all in one transaction. Approving an application that is not eligible is a 409
 * not_eligible; a rejection needs a reason (a ready text's code from core_rejections, or free
 * text). An approved e-signed renewal lengthens the holder's chain of signature-only renewals
 * by one; an approved wet-signature application (identity checked in person when the paper
 * was handed in) ends the chain (store_remote_chain_set 0). Every function takes the request's
 * context (app/context.h): the connection, the settings, "now" and who is acting. */
#ifndef EIMZA_APP_ADMIN_H
#define EIMZA_APP_ADMIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/context.h"
#include "app/portal.h"
#include "app/staff_auth.h"
#include "core/certificate.h"
#include "core/eligibility.h"
#include "core/personnel.h"
#include "core/tckn.h"
#include "util/buf.h"

/* The latest decision on an application. */
struct app_decision {
    const char *decision; /* "approve" | "reject" */
    const char *reason;   /* the rejection's reason in words; "" for an approval */
    const char *staff;    /* the approver's user name */
    const char *verdict;  /* JSON: {"eligible":bool,"reasons":[codes],"wet_required":bool} */
    int64_t at;
    /* the verdict the decision relied on, read from that JSON (reasons it cannot name are left
     * out); has_verdict false when it could not be read */
    bool has_verdict;
    struct core_verdict verdict_then;
};

/* One row of an application's timeline, as the staff read it. */
struct app_timeline_event {
    int64_t at;
    char event[24];               /* the event's code ("created", "approve", ...) */
    const char *label;            /* its label in the context's language (app_event_label) */
    char staff[APP_USERNAME_MAX]; /* the staff member who did it; "" for the applicant or the system
                                   */
};
#define APP_TIMELINE_MAX 64

/* One application of the queue as the approver sees it. The pointers live during the call. */
struct app_queue_item {
    const struct app_application *app;
    const struct core_personnel *person; /* now; NULL when the applicant has no record */
    int province;                        /* person's il_kodu, else the form's */
    struct core_verdict verdict;         /* eligible, reasons (incl. late), wet_required */
    int remote_chain;                    /* signature-only renewals in a row so far */
    int64_t waiting_since;               /* the application's last change (updated_at) */
    /* app_admin_get only: the latest decision (store_decision_get), NULL when none (and
     * always NULL in lists), and the timeline, oldest first (none in lists) */
    const struct app_decision *decision;
    const struct app_timeline_event *timeline;
    size_t ntimeline;
};

/* The queue's filter (the JSON API's query parameters). Strings NULL or "" for any. */
struct app_queue_filter {
    const char *state;       /* a state code; NULL: every state but draft */
    int province;            /* 0: any (an approver gets theirs whatever is asked) */
    const char *institution; /* part of the institution name */
    const char *district;    /* the personnel district */
    int late;                /* -1 any, 0, 1 */
    int min_waiting_days;    /* 0: any; else only those unchanged for at least this many days */
    long limit;              /* 1..500; 0: 100 */
    long offset;
    const char *order; /* NULL, "" or "urgent": the renewed certificate's end first (none, then the
                          soonest), then the oldest change; "waiting": the oldest change first */
};

/* Lists the queue in the filter's order (the most urgent first unless asked otherwise; issue
 * 17), calling fn for each item (fn returns 0 to go on). *total (may be NULL) gets how many
 * match without limit/offset. 400 invalid_fields for a bad filter (an unknown state or order, a
 * province outside 0..81, limit outside 0..500, negative offset or days). */
enum app_status app_admin_list(const struct app_ctx *c, const struct app_queue_filter *f,
                               int (*fn)(void *ctx, const struct app_queue_item *it), void *ctx,
                               long *total, struct app_err *err);

/* One application by id with its verdict (the decision page). 404 not_found; 403
 * forbidden_province for an approver of another province. fn is called once. */
enum app_status app_admin_get(const struct app_ctx *c, int64_t id,
                              int (*fn)(void *ctx, const struct app_queue_item *it), void *ctx,
                              struct app_err *err);

/* Approve ("approve") or reject ("reject", with reason: a core_rejections code, whose Turkish
 * text is used, or free text of 1..500 characters). In order: 400 invalid_fields (decision:
 * "required" / "decision_unknown"; reason: "reason_required" when missing, blank, or the code
 * "other" alone, whose text points at words of the approver's own; "too_long"; "not_utf8" for
 * control characters); 403 forbidden_role; 404 not_found; 403 forbidden_province (the
 * province is known only once the application is read); 409 wrong_state (only submitted
 * applications are decided); 409 not_eligible (approve with a blocking reason: the verdict's
 * blocking reasons are in err->fields, one entry each with field "reasons" and the reason's
 * code). out (may be NULL) gets the saved application.
 * The applicant's messages carry the application number, never the T.C. Kimlik No, with
 * dedupe keys "decision:<id>:email" and "decision:<id>:sms"; the audit entry
 * (application.approve / application.reject) holds the ready reason's code or "free_text",
 * never the approver's own words. */
enum app_status app_admin_decide(const struct app_ctx *c, int64_t id, const char *decision,
                                 const char *reason, struct app_application *out,
                                 struct app_err *err);

/* Approves every eligible submitted application the filter selects (at most 500), each in its
 * own transaction as app_admin_decide would; *approved and *skipped (not eligible, or changed
 * meanwhile) get the counts. The filter's state, limit and offset are ignored (only submitted
 * applications can be approved); the rest is checked as for a list. Approvers and admins (403
 * forbidden_role). Audited as "application.bulk_approve" with the counts. */
enum app_status app_admin_bulk_approve(const struct app_ctx *c, const struct app_queue_filter *f,
                                       long *approved, long *skipped, struct app_err *err);

/* Approves exactly the applications named (the ones a confirmation page listed; issue 17), at
 * most APP_BULK_IDS_MAX, each in its own transaction as app_admin_decide would: one that is not
 * (or no longer) submitted and eligible, of another province for an approver, or gone, is
 * skipped, never approved. A name given twice counts once. Approvers and admins (403
 * forbidden_role); 400 invalid_fields ("ids": bulk_ids_range) for none or too many. Audited as
 * "application.bulk_approve" with the counts, besides each approval's own entry. */
#define APP_BULK_IDS_MAX 500
enum app_status app_admin_bulk_approve_ids(const struct app_ctx *c, const int64_t *ids, size_t n,
                                           long *approved, long *skipped, struct app_err *err);

/* The signed paper of a wet-signature application arrived and the holder's identity was
 * checked in person: awaiting_original -> submitted (event paper_received). Operators and
 * admins (403 forbidden_role), 404, 409 wrong_state. */
enum app_status app_admin_paper_received(const struct app_ctx *c, int64_t id,
                                         struct app_application *out, struct app_err *err);

/* ---- search, and the full T.C. Kimlik No (admin_search.c; issue 17) ------------------------
 * What a staff member types into the search box: an application number (10 characters of its
 * alphabet, any case; O, I and L read as 0, 1 and 1), a T.C. Kimlik No (11 digits; spaces and
 * dashes are left out), the address the printed form's QR code holds (".../yonetim/ara?q=
 * NUMBER": a hand-held scanner types it into the box), or a name (each word, at least two
 * letters in all, found in "first last" whatever the case; Turkish letters and their plain
 * look-alikes match each other, so "gunes" finds "Güneş"). A number that is all letters and
 * finds nothing is tried as a name too. Drafts are never found; an approver finds only their
 * own province's applications, and another province's are simply not found (a search never
 * tells that an application exists elsewhere). 400 invalid_fields (field "q": search_empty,
 * search_too_short, too_long, not_utf8, control_character, bidi_character; tckn_checksum for
 * 11 digits that are no T.C. Kimlik No); 403 as the queue. fn gets each result (as the queue
 * gives them, newest first), at most APP_SEARCH_MAX; out says what was searched and how many
 * matched. Not audited: the result shows what the queue shows. */
enum app_search_kind { APP_SEARCH_NUMBER = 1, APP_SEARCH_TCKN, APP_SEARCH_NAME };
#define APP_SEARCH_MAX   50
#define APP_SEARCH_Q_MAX 200 /* bytes of a query */
struct app_search_result {
    enum app_search_kind kind;
    long found; /* how many matched (more than were given when > APP_SEARCH_MAX) */
};
enum app_status app_admin_search(const struct app_ctx *c, const char *q,
                                 int (*fn)(void *ctx, const struct app_queue_item *it), void *ctx,
                                 struct app_search_result *out, struct app_err *err);

/* The full T.C. Kimlik No of one application's holder, for the staff whose role may see it on
 * request (app/privacy.h: approvers, who enter it in MEBBİS), one application at a time: 403
 * forbidden_role for the others, 404 not_found, 403 forbidden_province for an approver of
 * another province. Each look is audited ("pii.tckn_view", the application's number) in the
 * same transaction as it is read: no audit entry, no number. */
enum app_status app_admin_tckn(const struct app_ctx *c, int64_t id, char out[CORE_TCKN_LEN + 1],
                               struct app_err *err);

/* ---- staff accounts, for admins (admin_users.c; issue 17) -----------------------------------
 * What `eimza user add` and `eimza user set` do, on the admins' pages: every call needs an admin
 * (403 forbidden_role otherwise) and is audited by app_user_add / app_user_set with the admin as
 * the actor ("staff:NAME"). No password hash or TOTP secret ever leaves here. */
struct app_staff_account {
    char username[APP_USERNAME_MAX];
    char role[16]; /* approver | operator | admin */
    int province;  /* approvers: 1..81 */
    char email[CORE_EMAIL_MAX];
    bool disabled;
    bool totp_enabled;    /* the second factor is set up */
    bool locked;          /* locked out by wrong codes now (until locked_until) */
    int failed_count;     /* wrong codes in a row */
    int64_t locked_until; /* 0: not locked */
    int64_t last_login_at, created_at, updated_at;
};
/* Every account, by user name. */
enum app_status app_admin_accounts(const struct app_ctx *c,
                                   int (*fn)(void *ctx, const struct app_staff_account *a),
                                   void *ctx, struct app_err *err);
/* One account; 404 user_not_found. */
enum app_status app_admin_account(const struct app_ctx *c, const char *username,
                                  struct app_staff_account *out, struct app_err *err);
/* A new account, as app_user_add (its field codes, 409 username_taken); the password is the
 * first one, which the person is given by a safe way; the second factor is set up at the first
 * login. */
enum app_status app_admin_account_add(const struct app_ctx *c, const char *username,
                                      const char *role, int province, const char *email,
                                      const char *password, struct app_err *err);
/* A change, as app_user_set (its field codes, 404 user_not_found); an admin cannot disable their
 * own account (409 own_account: nobody would be left to enable it). */
enum app_status app_admin_account_set(const struct app_ctx *c, const char *username,
                                      const struct app_user_change *ch, struct app_err *err);

/* ---- the audit log, for admins (admin_audit.c; issue 17) -----------------------------------
 * The entries newest first with filters, and the verification of the whole hash chain (what
 * `eimza audit verify` does), each for admins only (403 forbidden_role). */
struct app_audit_filter {
    const char *actor;  /* exactly, or a staff member's user name ("ayse" reads "staff:ayse";
                           "cli", the command line, stays itself) */
    const char *action; /* the action or its beginning ("application.", "staff.user") */
    const char *object; /* exactly: an application's number, a user name, ... */
    int64_t from, to;   /* Unix seconds: at in [from, to); 0: open */
    int64_t before;     /* entries before this sequence number (the next page); 0: the newest */
};
#define APP_AUDIT_PAGE 50
struct app_audit_row {
    int64_t seq, at;
    const char *actor, *action, *object, *detail; /* live during the call */
};
/* At most APP_AUDIT_PAGE entries, newest first; *more says whether older ones match. 400
 * invalid_fields for text that is too long (200 bytes) or not UTF-8, or from after to. */
enum app_status app_admin_audit(const struct app_ctx *c, const struct app_audit_filter *f,
                                int (*fn)(void *ctx, const struct app_audit_row *r), void *ctx,
                                bool *more, struct app_err *err);
/* The chain checked from its first entry. The check itself is audited ("audit.verify", with its
 * result), after it ran. */
struct app_audit_check {
    long entries;
    bool intact;
    const char *problem; /* "changed" | "removed" | "reordered"; "" when intact */
    int64_t seq, at;     /* the first entry found wrong */
    char action[64];
    char last_hash[65]; /* the newest entry's hash: kept elsewhere, it shows a cut-off end */
};
enum app_status app_admin_audit_verify(const struct app_ctx *c, struct app_audit_check *out,
                                       struct app_err *err);
/* An action's name in words ("application.approve": "Başvuru onaylandı"), or NULL when the
 * catalogue has none ("audit.<action with _ for .>"). */
const char *app_audit_action_text(const char *action, enum core_lang lang);

/* ---- the personnel import, for admins (admin_import.c; issue 17) -------------------------
 * What `eimza import personnel` does, with the file's bytes as the admins' page received them
 * (at most APP_IMPORT_WEB_MAX; larger files go through the command line): held in memory only
 * (a memfd; the file holds personal data, so nothing is written to disk), imported the same
 * way, audited as the admin ("personnel.import", the name given). reject (may be NULL) is told
 * each refused row's line, column (NULL for the whole row) and reason code, never a value. 403
 * forbidden_role for others; 400 invalid_fields ("file": file_empty, file_too_large) before
 * anything is read; otherwise APP_OK with *out filled, whatever the file held (a file that is
 * no personnel file is out->failed with its code). */
#define APP_IMPORT_WEB_MAX (32u << 20)
struct app_import_summary {
    long rows, rejected, inserted, updated, unchanged;
    bool failed;      /* nothing was imported: the file is not a personnel file, or the database */
    const char *code; /* failed: the reason code when there is one ("missing_column", ...) */
};
enum app_status app_admin_import_personnel(
    const struct app_ctx *c, const char *data, size_t len, const char *name,
    void (*reject)(void *ctx, long line, const char *field, const char *code), void *ctx,
    struct app_import_summary *out, struct app_err *err);

/* The report of an import's refused rows as CSV (the exports' form: BOM, ';', CRLF; columns
 * line, column, reason code, reason in lang), from report's lines "LINE;COLUMN;CODE" (what the
 * page listed); a line of another shape is left out. Appends to out; 0 or -1. */
int app_import_report_csv(const char *report, enum core_lang lang, struct ubuf *out);

/* ---- the dashboard ------------------------------------------------------------------------ */
#define APP_WAIT_BUCKETS 5 /* < 1, 1-3, 3-7, 7-15, >= 15 days (web/html/svg.h's buckets) */
struct app_dashboard {
    int province; /* 0: all */
    long by_state[CORE_APP__STATE_COUNT];
    long waiting[APP_WAIT_BUCKETS]; /* submitted and awaiting_original, by days waited */
    long expiring[3];               /* not applied yet, certificate ends within 30 / 60 / 90 days */
};
/* The figures of a province (an approver: theirs, whatever is asked; 0: all for others). */
enum app_status app_admin_dashboard(const struct app_ctx *c, int province,
                                    struct app_dashboard *out, struct app_err *err);
/* One of those whose certificate ends soon, as the list shows them. */
struct app_expiring_person {
    char tckn_masked[CORE_TCKN_LEN + 1];
    const char *first_name, *last_name, *institution_name, *district;
    int province;
    int64_t not_after; /* the certificate's end */
    int64_t days_left; /* whole days, rounded up (a certificate ending later today: 1) */
};
/* The people of the province whose current certificate ends within `days` (30, 60 or 90) and
 * who have not applied, soonest first (the list a province needs before the deadline). */
enum app_status app_admin_expiring(const struct app_ctx *c, int province, int days,
                                   int (*fn)(void *ctx, const struct app_expiring_person *p),
                                   void *ctx, struct app_err *err);

/* ---- messages that need the operator -------------------------------------------------------
 * The outbox's failed messages and the unconfirmed ones (handed over to the gateway, whose
 * sender stopped before it could record the answer): store_outbox_problems, with the
 * recipient masked (core_phone_mask / core_email_mask). Operators and admins only (403
 * forbidden_role). */
struct app_message_problem {
    int64_t id;
    const char *channel; /* "sms" | "email" */
    char to[CORE_EMAIL_MAX];
    const char *subject, *status, *error, *dedupe_key;
    const char *tpl; /* a message kept unrendered: its template's name (subject ""); or NULL */
    int attempts;
    int64_t created_at, handed_over_at;
};
enum app_status app_admin_messages(const struct app_ctx *c,
                                   int (*fn)(void *ctx, const struct app_message_problem *m),
                                   void *ctx, struct app_err *err);
/* The operator's answer to one of those messages (store_outbox_resolve): action "retry" (send
 * it again: the cause was mended, or the recipient of an unconfirmed one says it never came)
 * or "confirm" (an unconfirmed one reached its recipient). Operators and admins (403
 * forbidden_role); 404 message_not_found; 409 message_not_waiting when it is not (or no
 * longer) waiting for the operator; 400 action_unknown. Audited ("message.retry",
 * "message.confirm", the message's id). */
enum app_status app_admin_message_action(const struct app_ctx *c, int64_t id, const char *action,
                                         struct app_err *err);
/* What a message's outcome code (the senders' fixed words: "http_400", "smtp_550", "timeout",
 * "bad_recipient", "code_withdrawn", ...) means, in words an operator can act on, in lang (the
 * catalogue's "delivery.*"; issue 17). Never NULL; "" for "". */
const char *app_delivery_error_text(const char *code, enum core_lang lang);

/* ---- CSV exports ---------------------------------------------------------------------------
 * RFC 4180 (CRLF, quotes doubled), UTF-8 with a BOM so spreadsheet programs read Turkish
 * letters right, ';' separated (the Turkish locale's list separator). A cell that would start
 * with = + - @ is prefixed with ' so a spreadsheet never runs it as a formula. Personal data
 * (T.C. Kimlik No, e-mail, mobile) appear as the role may see them (app/privacy.h: masked for
 * every staff role, as on the pages; an empty one stays empty). Each export is audited
 * ("export.queue", "export.expiring") with its filter and row count. The queue export holds every
 * row the filter matches (its limit and offset do not apply). On any error nothing is appended to
 * out, and an export that could not be audited is not given. Tab and carriage return at the start
 * of a cell are escaped like = + - @ (some spreadsheet programs skip them before looking). The
 * column names and the words in cells (yes/no, method, state) are the catalogue's "csv.*" and
 * state labels in c->lang; the columns and their order do not change with it. */
enum app_status app_admin_queue_csv(const struct app_ctx *c, const struct app_queue_filter *f,
                                    struct ubuf *out, struct app_err *err);
enum app_status app_admin_expiring_csv(const struct app_ctx *c, int province, int days,
                                       struct ubuf *out, struct app_err *err);

#endif
