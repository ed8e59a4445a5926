/* eimza — development mode's stand-ins (see dev.h). */
#include "app/dev.h"

#include "app/portal_int.h"
#include "notify/outbox.h"

struct dev_list {
    const struct app_settings *set;
    int64_t now;
    json_t *list;
};

/* A message as it would be sent (notify_outbox_json), the recipient in full: this is the
 * development mode's stand-in for the phone and the mailbox, so an SMS code still waiting (not
 * handed over, superseded, used or expired) shows, opened with the server's key. */
static int add_msg(void *ctx, const struct store_outbox_msg *m)
{
    struct dev_list *l = ctx;
    json_t *o = notify_outbox_json(l->set->templates, l->set->portal_url, l->set->seal_key, l->now,
                                   m, m->recipient);
    return json_array_append_new(l->list, o) == 0 ? 0 : -1;
}

enum app_status app_dev_outbox(const struct app_ctx *c, size_t max, json_t *list,
                               struct app_err *err)
{
    app_err_clear(err);
    if (!c->set->dev)
        return app__fail(err, APP_ENOTFOUND, "not_found");
    struct dev_list l = {c->set, c->now, list};
    enum store_err e = store_outbox_each(c->db, max, add_msg, &l);
    if (e != STORE_OK)
        return app__store_err(c->db, e, "listing the development outbox", NULL, NULL, err);
    return APP_OK;
}
