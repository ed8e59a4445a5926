/* eimza — inside the staff's use cases (src/app/admin_*.c): who is asking and what they may see,
 * and the queue's reading that the list, the decision, the bulk approval and the export share.
 * Names carry the app__ prefix: not part of the app layer's API.
 *
 * Store callbacks may not use the store, so a list is read in two steps: the rows are copied
 * out first (app__queue_page), then the page's renewal chains are read in one statement and
 * each row's verdict made (app__queue_item).
 */
#ifndef EIMZA_APP_ADMIN_INT_H
#define EIMZA_APP_ADMIN_INT_H

#include "app/admin.h"
#include "app/portal_int.h"

#define APP__DAY          86400
#define APP__LIST_MAX     500 /* rows of one list page, and applications of one bulk approval */
#define APP__LIST_DEFAULT 100
#define APP__ACTOR_MAX    (STORE_USERNAME_MAX + 8)

/* ---- who is asking (admin_core.c) ----------------------------------------------------------- */

bool app__role_is(const struct app_staff *w, const char *role);
/* A usable identity: a known role, and an approver with a province (403 otherwise). */
enum app_status app__check_staff(const struct app_staff *w, struct app_err *err);
/* The staff member acting in c (401 without one), checked as above. */
enum app_status app__who(const struct app_ctx *c, const struct app_staff **who,
                         struct app_err *err);
/* app__who for the admins' use cases: 403 forbidden_role for a staff member of another role. */
enum app_status app__admin_only(const struct app_ctx *c, const struct app_staff **who,
                                struct app_err *err);
/* The province a list is limited to: an approver's own, whatever was asked. */
int app__scope_province(const struct app_staff *w, int asked);
/* "staff:NAME", the actor of audit and timeline rows. */
void app__staff_actor(const struct app_staff *w, char out[APP__ACTOR_MAX]);
/* The method of an application as core/eligibility.h's bits. */
unsigned app__method_bits(const char *m);

/* ---- the queue's reading (admin_core.c) ------------------------------------------------------ */

/* The store's filter for a queue filter: 400 invalid_fields for a bad one. limit and offset
 * are the caller's to set. */
enum app_status app__queue_filter(const struct app_staff *who, const struct app_queue_filter *f,
                                  int64_t now, struct store_app_filter *out, struct app_err *err);
/* The item of one application: its view (into *view), its province and the verdict on the
 * record as it is now. chain: the holder's renewal chain when already read (a page reads
 * them all in one statement), NULL to read it here. */
enum app_status app__queue_item(struct store *s, const struct app_portal_cfg *cfg,
                                const struct store_application *a, const struct core_personnel *p,
                                const int *chain, int64_t now, struct app_application *view,
                                struct app_queue_item *it, struct app_err *err);
/* One page of the queue (sf already scoped and validated) with the verdicts; *stopped tells
 * whether fn asked to stop. */
enum app_status app__queue_page(struct store *s, const struct app_portal_cfg *cfg,
                                const struct store_app_filter *sf, int64_t now,
                                int (*fn)(void *ctx, const struct app_queue_item *it), void *ctx,
                                long *total, size_t *rows, bool *stopped, struct app_err *err);
/* The application by id, with the applicant's record now, if the asker may see it (404
 * not_found, 403 forbidden_province). */
enum app_status app__load_scoped(struct store *s, const struct app_staff *who, int64_t id,
                                 struct store_application *a, struct core_personnel *p, bool *has_p,
                                 struct app_err *err);

/* ---- CSV (admin_csv.c) ------------------------------------------------------------------------
 */

/* One row of an export, CRLF-ended: cells ';'-separated, quoted when they hold ';', a quote or
 * a line break, a would-be formula escaped with '. NULL cells are empty. 0 or -1. */
int app__csv_row(struct ubuf *b, const char *const *cells, size_t n);
/* The header row of columns named by their catalogue keys "csv.NAME", in lang (a name without
 * an entry as it is): 0, or -1 (more than 16 columns, out of memory). */
int app__csv_head(struct ubuf *b, const char *const *names, size_t n, enum core_lang lang);

/* ---- the province asked for (admin_dashboard.c) --------------------------------------------- */

/* The province of a dashboard or an expiring list: 0..81 (400 otherwise), scoped. */
enum app_status app__scoped_province(const struct app_staff *who, int asked, int *out,
                                     struct app_err *err);
/* The expiring list's arguments: days 30, 60 or 90, the province as above. */
enum app_status app__expiring_args(const struct app_staff *who, int province, int days, int *scoped,
                                   struct app_err *err);

#endif
