/* eimza — the development routes (web/api/; --dev only, 404 otherwise, as if they did not
 * exist): GET /dev/captcha/{id} reveals a live captcha's answer, and GET /dev/outbox lists the
 * newest messages queued for SMS and e-mail (app/dev.h), so that tests and people trying the
 * portal can log in and read SMS codes without a phone. docs/INTERFACES.md, "Development
 * only". */
#include <jansson.h>

#include "app/dev.h"
#include "app/portal.h"
#include "web/api/api.h"
#include "web/http/context.h"

#define DEV_OUTBOX_MAX 200

enum web_err web_h_dev_captcha(struct web_req *rq)
{
    struct app_ctx ctx;
    struct app_captcha c;
    struct app_err err;
    if (!web_req_dev(rq))
        return WEB_E_NOT_FOUND;
    web_ctx(rq, APP_ACTOR_NONE, web_req_lang(rq), &ctx);
    if (!ctx.db)
        return WEB_E_DB_UNAVAILABLE;
    if (app_captcha_peek(&ctx, web_req_param(rq, "id"), &c, &err) != APP_OK)
        return web_reply_app_error(rq, &err);
    json_t *o = json_pack("{s:s}", "answer", c.text);
    enum web_err rc = o ? web_reply_json(rq, 200, o) : WEB_E_NOMEM;
    json_decref(o);
    return rc;
}

enum web_err web_h_dev_outbox(struct web_req *rq)
{
    struct app_ctx ctx;
    struct app_err err;
    if (!web_req_dev(rq))
        return WEB_E_NOT_FOUND;
    web_ctx(rq, APP_ACTOR_NONE, web_req_lang(rq), &ctx);
    if (!ctx.db)
        return WEB_E_DB_UNAVAILABLE;
    json_t *list = json_array();
    if (!list)
        return WEB_E_NOMEM;
    enum web_err rc = app_dev_outbox(&ctx, DEV_OUTBOX_MAX, list, &err) == APP_OK
                          ? web_reply_json(rq, 200, list)
                          : web_reply_app_error(rq, &err);
    json_decref(list);
    return rc;
}
