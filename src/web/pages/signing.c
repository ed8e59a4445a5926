/* eimza — the signing page (web/pages/): /imza. The page the signing script (static/js/sign.js)
 * enhances, in the page's language: it has the person's signing agent sign exactly the content
 * shown, through the agent's listener on this computer or, when the portal is https, through
 * the relay (a ticket and an eimza:// link; app/relay.h). Without an agent it offers the
 * agent's packages with two lines of instructions (agent_download_url), or the upload of a
 * .p7s made with `eimza sign`. The PIN is never typed into the page: the agent asks for it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/pages/pages.h"

/* ---- the signing step: /imza -------------------------------------------------------------------
 * The page the signing script (static/js/sign.js) enhances: it asks the local agent for the
 * cards, has it sign exactly the content shown, and sends the signature. Without an agent it
 * shows how to start one, or how to upload a .p7s made with `eimza sign`. The PIN is never
 * typed into the page: the agent asks for it. */

/* The no-agent section's offer: the two packages (agent_download_url's folder) and the
 * command that installs them. */
static void sign_agent_offer(struct web_page *p, const char *folder)
{
    static const char *const files[] = {"eimza-agent.deb", "eimza-common.deb"};
    char href[600];
    web_pg_para(p, WEB_MSG_SG_NO_AGENT);
    web_page_open_class(p, WEB_EL_OL, "agent-install");
    web_page_open(p, WEB_EL_LI);
    for (unsigned i = 0; i < 2; i++) {
        web_page_msg_part(p, WEB_MSG_SG_GET_AGENT, i);
        snprintf(href, sizeof href, "%s%s", folder, files[i]);
        web_page_open(p, WEB_EL_A);
        web_page_attr(p, "href", href);
        web_page_attr(p, "download", files[i]);
        web_page_text(p, files[i]);
        web_page_close(p, WEB_EL_A);
    }
    web_page_msg_part(p, WEB_MSG_SG_GET_AGENT, 2);
    web_page_close(p, WEB_EL_LI);
    web_page_open(p, WEB_EL_LI);
    web_page_msg(p, WEB_MSG_SG_INSTALL_AGENT);
    web_page_open_class(p, WEB_EL_PRE, "command");
    web_page_el_text(p, WEB_EL_CODE, "sudo apt install ./eimza-common.deb ./eimza-agent.deb");
    web_page_close(p, WEB_EL_PRE);
    web_page_close(p, WEB_EL_LI);
    web_page_close(p, WEB_EL_OL);
    web_pg_para(p, WEB_MSG_SG_AGENT_HELP);
}

/* The content to sign, as the agent will sign it. */
static void sign_content(struct web_page *p, const struct ubuf *content)
{
    web_page_el_msg(p, WEB_EL_H2, WEB_MSG_SIGNED_CONTENT);
    web_page_open_class(p, WEB_EL_PRE, "signed-content");
    web_page_attr(p, "lang", "tr");
    web_page_attr(p, "tabindex", "0");
    web_page_textn(p, ubuf_str(content), content->len);
    web_page_close(p, WEB_EL_PRE);
    web_page_open(p, WEB_EL_NOSCRIPT);
    web_page_notice_begin(p, WEB_NOTICE_WARNING);
    web_pg_para(p, WEB_MSG_SG_NOSCRIPT);
    web_page_notice_end(p);
    web_page_close(p, WEB_EL_NOSCRIPT);
}

/* The form the script drives (its contract: static/js/sign.js): the card to sign with, the
 * button, and the status line the script writes to; the relay path's ticket URL when the
 * portal is https, the oldest agent accepted, where the agent's package is, and the words for a
 * locked card (the deployment's: the script cannot know who unlocks it). */
static void sign_form(struct web_pg *c, struct web_page *p)
{
    char agent_pkg[600];
    snprintf(agent_pkg, sizeof agent_pkg, "%seimza-agent.deb", web_req_download_url(c->rq));
    web_page_open(p, WEB_EL_FORM);
    web_page_attr(p, "id", "sign-form");
    web_page_attr(p, "class", "sign-form");
    web_page_flag(p, "hidden");
    web_page_attr(p, "data-agent", web_req_agent_url(c->rq));
    web_page_attr(p, "data-content-url", "/api/v1/application/content");
    web_page_attr(p, "data-submit-url", "/api/v1/application/signature");
    web_page_attr(p, "data-done-url", "/basvuru/tamam"); /* the confirmation panel */
    web_page_attr(p, "data-csrf", web_pg_csrf(c));
    if (c->app.set->relay.portal[0])
        web_page_attr(p, "data-ticket-url", "/api/v1/application/sign-ticket");
    if (c->app.set->relay.min_version[0])
        web_page_attr(p, "data-agent-min-version", c->app.set->relay.min_version);
    web_page_attr(p, "data-agent-download-url", agent_pkg);
    /* who unlocks a locked card depends on the deployment (the in-house twin names both) */
    web_page_attr_msg(p, "data-say-card-locked", WEB_MSG_SG_CARD_LOCKED);
    web_page_open(p, WEB_EL_LABEL);
    web_page_attr(p, "for", "sign-token");
    web_page_msg(p, WEB_MSG_SG_CARD);
    web_page_close(p, WEB_EL_LABEL);
    web_page_open(p, WEB_EL_SELECT);
    web_page_attr(p, "id", "sign-token");
    web_page_attr(p, "name", "token");
    web_page_flag(p, "disabled");
    web_page_open(p, WEB_EL_OPTION);
    web_page_attr(p, "value", "");
    web_page_msg(p, WEB_MSG_SG_CARD_WAIT);
    web_page_close(p, WEB_EL_OPTION);
    web_page_close(p, WEB_EL_SELECT);
    web_page_open_class(p, WEB_EL_DIV, "buttons");
    web_page_open(p, WEB_EL_BUTTON);
    web_page_attr(p, "type", "button");
    web_page_attr(p, "id", "sign-button");
    web_page_flag(p, "disabled");
    web_page_msg(p, WEB_MSG_SIGN);
    web_page_close(p, WEB_EL_BUTTON);
    web_page_close(p, WEB_EL_DIV);
    web_page_close(p, WEB_EL_FORM);
    web_page_open(p, WEB_EL_P);
    web_page_attr(p, "id", "sign-status");
    web_page_attr(p, "class", "sign-status");
    web_page_attr(p, "role", "status");
    web_page_attr(p, "aria-live", "polite");
    web_page_close(p, WEB_EL_P);
}

/* Shown by the script when no agent answers (and hidden while one does): the agent's
 * packages and how to install them, or how to sign the downloaded content elsewhere and upload
 * the signature. */
static void sign_fallback(struct web_page *p, const char *folder)
{
    web_page_open(p, WEB_EL_SECTION);
    web_page_attr(p, "id", "sign-fallback");
    web_page_attr(p, "class", "sign-fallback");
    web_page_flag(p, "hidden");
    web_page_attr(p, "aria-labelledby", "sign-fallback-title");
    web_page_open(p, WEB_EL_H2);
    web_page_attr(p, "id", "sign-fallback-title");
    web_page_msg(p, WEB_MSG_SG_NO_AGENT_TITLE);
    web_page_close(p, WEB_EL_H2);
    sign_agent_offer(p, folder);
    web_page_el_msg(p, WEB_EL_H3, WEB_MSG_SG_UPLOAD_TITLE);
    web_pg_para(p, WEB_MSG_SG_UPLOAD_HOWTO);
    web_page_open(p, WEB_EL_P);
    web_page_open(p, WEB_EL_A);
    web_page_attr(p, "href", "/api/v1/application/content");
    web_page_attr(p, "download", "icerik.txt");
    web_page_msg(p, WEB_MSG_SG_DOWNLOAD);
    web_page_close(p, WEB_EL_A);
    web_page_close(p, WEB_EL_P);
    web_page_open(p, WEB_EL_LABEL);
    web_page_attr(p, "for", "sign-file");
    web_page_msg(p, WEB_MSG_SG_FILE);
    web_page_close(p, WEB_EL_LABEL);
    web_page_open(p, WEB_EL_INPUT);
    web_page_attr(p, "type", "file");
    web_page_attr(p, "id", "sign-file");
    web_page_attr(p, "accept", ".p7s,application/pkcs7-signature");
    web_page_open_class(p, WEB_EL_DIV, "buttons");
    web_page_open(p, WEB_EL_BUTTON);
    web_page_attr(p, "type", "button");
    web_page_attr(p, "id", "sign-upload");
    web_page_msg(p, WEB_MSG_SG_UPLOAD);
    web_page_close(p, WEB_EL_BUTTON);
    web_page_close(p, WEB_EL_DIV);
    web_page_close(p, WEB_EL_SECTION);
}

enum web_err web_h_page_sign(struct web_req *rq)
{
    struct web_pg c;
    struct app_view v;
    struct web_page p;
    struct ubuf content = UBUF_INIT(64 * 1024);
    enum web_err rc;
    web_pg_init(&c, rq, WEB_PG_APPLICANT);
    web_pg_page(&c, &p);
    if (!web_pg_enter(&c, false, &v, &rc))
        goto out;
    if (!web_pg_in_state(&v.app, CORE_APP_CODE_VERIFIED) || strcmp(v.app.method, "esign") != 0) {
        rc = web_pg_see_other(rq, web_pg_step_path(&v.app));
        goto out;
    }
    if (app_content(&c.app, &content, &c.err) != APP_OK) {
        rc = web_pg_app_failure(&c);
        goto out;
    }
    const struct web_layout layout = {.title = WEB_MSG_SG_TITLE, .step = WEB_STEP_SIGN};
    web_pg_begin(&c, &p, &layout);
    web_pg_heading(&p, WEB_MSG_SG_TITLE);
    web_pg_app_number(&p, v.app.number);
    web_pg_para(&p, WEB_MSG_SG_LEAD);
    sign_content(&p, &content);
    sign_form(&c, &p);
    sign_fallback(&p, web_req_download_url(rq));
    web_page_action_link(&p, "/yontem", WEB_MSG_PP_CHANGE_METHOD);
    p.scripts |= WEB_SCRIPT_SIGN;
    web_page_end(&p);
    rc = web_pg_answer(rq, &p, 200);
out:
    ubuf_free(&content);
    web_page_free(&p);
    return rc;
}
