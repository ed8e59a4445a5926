/* eimza — the development routes (--dev only; 404 otherwise, as if they did not exist):
 * GET /dev/captcha/{id} reveals a live captcha's answer, and GET /dev/outbox lists the newest
 * messages queued for SMS and e-mail, so that tests and people trying the portal can log in
 * and read SMS codes without a phone. docs/INTERFACES.md, "Development only". */
#include <jansson.h>

#include "store/store.h"
#include "web/api/api.h"

#define DEV_OUTBOX_MAX 200

enum web_err web_h_dev_captcha(struct web_req *rq)
{
    struct app_captcha c;
    struct app_err err;
    if (!web_req_dev(rq))
        return WEB_E_NOT_FOUND;
    struct store *s = web_req_store(rq);
    if (!s)
        return WEB_E_DB_UNAVAILABLE;
    if (app_captcha_peek(s, web_req_param(rq, "id"), web_portal_now(rq), &c, &err) != APP_OK)
        return web_reply_app_error(rq, &err);
    json_t *o = json_pack("{s:s}", "answer", c.text);
    enum web_err rc = o ? web_reply_json(rq, 200, o) : WEB_E_NOMEM;
    json_decref(o);
    return rc;
}

struct dev_list {
    const struct web_req *rq;
    json_t *list;
};

/* A message as it would be sent (notify_outbox_json), the recipient in full: this is the
 * development mode's stand-in for the phone and the mailbox. */
static int add_msg(void *ctx, const struct store_outbox_msg *m)
{
    struct dev_list *l = ctx;
    return json_array_append_new(l->list, web_req_outbox_json(l->rq, m, m->recipient)) == 0 ? 0
                                                                                            : -1;
}

enum web_err web_h_dev_outbox(struct web_req *rq)
{
    if (!web_req_dev(rq))
        return WEB_E_NOT_FOUND;
    struct store *s = web_req_store(rq);
    if (!s)
        return WEB_E_DB_UNAVAILABLE;
    json_t *list = json_array();
    if (!list)
        return WEB_E_NOMEM;
    enum web_err rc;
    struct dev_list l = {rq, list};
    enum store_err e = store_outbox_each(s, DEV_OUTBOX_MAX, add_msg, &l);
    if (e == STORE_OK) {
        rc = web_reply_json(rq, 200, list);
    } else {
        if (e == STORE_EIO)
            web_req_store_failed(rq);
        rc = e == STORE_ENOMEM ? WEB_E_NOMEM : WEB_E_DB_UNAVAILABLE;
    }
    json_decref(list);
    return rc;
}
