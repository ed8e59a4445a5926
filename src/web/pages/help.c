/* eimza — the pages people turn to (web/pages/), issue 17, point 9: help (/yardim: the
 * questions applicants ask, their province's DYS unit from the configuration, who helps with the
 * card: the Kamu SM call centre, or the e-imza sorumlusu where cards are made in house), the
 * accessibility statement (/erisilebilirlik), and the ministry's logo when the configuration names
 * one (/logo). They need no session; a logged-in applicant's help page shows the contact of the
 * province that decides their application.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/text.h"
#include "web/pages/pages.h"

#ifndef EIMZA_VERSION
#define EIMZA_VERSION "dev"
#endif

/* ---- /yardim ------------------------------------------------------------------------------- */

/* The questions and answers, in the order applicants meet them. */
static const struct {
    enum web_msg q, a;
} faq[] = {
    {WEB_MSG_HELP_Q_LOGIN, WEB_MSG_HELP_A_LOGIN},
    {WEB_MSG_HELP_Q_PHONE, WEB_MSG_HELP_A_PHONE},
    {WEB_MSG_HELP_Q_CODE, WEB_MSG_HELP_A_CODE},
    {WEB_MSG_HELP_Q_SESSION, WEB_MSG_HELP_A_SESSION},
    {WEB_MSG_HELP_Q_METHOD, WEB_MSG_HELP_A_METHOD},
    {WEB_MSG_HELP_Q_PAPER, WEB_MSG_HELP_A_PAPER},
    {WEB_MSG_HELP_Q_CARD, WEB_MSG_HELP_A_CARD},
    {WEB_MSG_HELP_Q_REJECTED, WEB_MSG_HELP_A_REJECTED},
};

/* A province's DYS unit as the configuration gives it, or what to do when it gives none. */
static void contact(struct web_page *p, const struct app_province_contact *k, int plate)
{
    if (!k) {
        const char *args[] = {app_province_name(plate)};
        web_pg_para_args(p, WEB_MSG_HELP_CONTACT_NONE, args, 1);
        return;
    }
    web_page_open_class(p, WEB_EL_DL, "summary-list contact");
    web_page_open_class(p, WEB_EL_DIV, "summary-row");
    web_page_el_msg(p, WEB_EL_DT, WEB_MSG_HELP_CONTACT_UNIT);
    web_page_el_text(p, WEB_EL_DD, k->unit);
    web_page_close(p, WEB_EL_DIV);
    web_page_open_class(p, WEB_EL_DIV, "summary-row");
    web_page_el_msg(p, WEB_EL_DT, WEB_MSG_HELP_CONTACT_ADDRESS);
    web_page_el_text(p, WEB_EL_DD, k->address);
    web_page_close(p, WEB_EL_DIV);
    if (k->phone[0]) {
        char tel[80];
        size_t n = 0;
        for (const char *q = k->phone; *q && n + 1 < sizeof tel - 4; q++)
            if ((*q >= '0' && *q <= '9') || (*q == '+' && n == 0))
                tel[4 + n++] = *q;
        memcpy(tel, "tel:", 4);
        tel[4 + n] = '\0';
        web_page_open_class(p, WEB_EL_DIV, "summary-row");
        web_page_el_msg(p, WEB_EL_DT, WEB_MSG_PHONE_LABEL);
        web_page_open(p, WEB_EL_DD);
        web_page_open(p, WEB_EL_A);
        web_page_attr(p, "href", tel);
        web_page_text(p, k->phone);
        web_page_close(p, WEB_EL_A);
        web_page_close(p, WEB_EL_DD);
        web_page_close(p, WEB_EL_DIV);
    }
    if (k->email[0]) {
        char mail[300];
        snprintf(mail, sizeof mail, "mailto:%s", k->email);
        web_page_open_class(p, WEB_EL_DIV, "summary-row");
        web_page_el_msg(p, WEB_EL_DT, WEB_MSG_EMAIL);
        web_page_open(p, WEB_EL_DD);
        web_page_open(p, WEB_EL_A);
        web_page_attr(p, "href", mail);
        web_page_text(p, k->email);
        web_page_close(p, WEB_EL_A);
        web_page_close(p, WEB_EL_DD);
        web_page_close(p, WEB_EL_DIV);
    }
    web_page_close(p, WEB_EL_DL);
}

/* The province chooser: a plain GET form, so the page works without script. */
static void province_form(struct web_page *p, int plate)
{
    struct web_option provinces[81];
    char plates[81][3], chosen[4];
    for (int i = 0; i < 81; i++) {
        snprintf(plates[i], sizeof plates[i], "%d", i + 1);
        provinces[i] =
            (struct web_option){plates[i], WEB_MSG_NONE, app_province_name(i + 1), WEB_MSG_NONE};
    }
    snprintf(chosen, sizeof chosen, "%d", plate);
    struct web_field f = {WEB_FIELD_SELECT,      "il",
                          WEB_MSG_HELP_PROVINCE, .value = plate ? chosen : "",
                          .options = provinces,  .noptions = 81};
    web_page_open(p, WEB_EL_FORM);
    web_page_attr(p, "method", "get");
    web_page_attr(p, "action", "/yardim#dys");
    web_page_attr(p, "class", "inline-form");
    web_page_field(p, &f);
    web_page_open_class(p, WEB_EL_DIV, "buttons");
    web_page_button(p, WEB_MSG_HELP_SHOW, WEB_BUTTON_SECONDARY, NULL, NULL);
    web_page_close(p, WEB_EL_DIV);
    web_page_close(p, WEB_EL_FORM);
}

/* The province to show: ?il= when given (a plate code or a name), else the logged-in
 * applicant's, else none. */
static int help_province(struct web_pg *c)
{
    const char *q = web_req_query(c->rq, "il");
    if (q && *q)
        return app_province_lookup(q);
    if (!c->app.cred.token)
        return 0;
    struct app_err err;
    if (!web_pg_db(c) || app_authenticate(&c->app, APP_ACTOR_APPLICANT, &err) != APP_OK)
        return 0;
    return app_applicant_province(&c->app);
}

enum web_err web_h_page_help(struct web_req *rq)
{
    struct web_pg c;
    struct web_page p;
    web_pg_init(&c, rq, WEB_PG_APPLICANT);
    int plate = help_province(&c);
    const struct web_layout layout = {.title = WEB_MSG_HELP_TITLE};
    web_pg_page(&c, &p);
    web_pg_begin(&c, &p, &layout);
    web_pg_heading(&p, WEB_MSG_HELP_TITLE);
    web_page_open_class(&p, WEB_EL_P, "lead");
    web_page_msg(&p, WEB_MSG_HELP_LEAD);
    web_page_close(&p, WEB_EL_P);

    web_page_el_msg(&p, WEB_EL_H2, WEB_MSG_HELP_FAQ_TITLE);
    for (size_t i = 0; i < sizeof faq / sizeof faq[0]; i++) {
        web_page_open_class(&p, WEB_EL_DETAILS, "faq");
        web_page_el_msg(&p, WEB_EL_SUMMARY, faq[i].q);
        web_pg_para(&p, faq[i].a);
        web_page_close(&p, WEB_EL_DETAILS);
    }

    web_page_open(&p, WEB_EL_SECTION);
    web_page_attr(&p, "id", "dys");
    web_page_attr(&p, "aria-labelledby", "dys-title");
    web_page_open(&p, WEB_EL_H2);
    web_page_attr(&p, "id", "dys-title");
    web_page_msg(&p, WEB_MSG_HELP_DYS_TITLE);
    web_page_close(&p, WEB_EL_H2);
    web_pg_para(&p, WEB_MSG_HELP_DYS_LEAD);
    province_form(&p, plate);
    if (plate > 0) {
        web_page_el_text(&p, WEB_EL_H3, app_province_name(plate));
        contact(&p, c.app.set ? app_site_contact(&c.app.set->site, plate) : NULL, plate);
    }
    web_page_close(&p, WEB_EL_SECTION);

    /* who helps with the card (the texts are the deployment's, web_msg_deployed): Kamu SM's call
     * centre; where cards are made in house the e-imza sorumlusu, and Kamu SM's number after it
     * only for a card Kamu SM issued (the one the holder may still sign with) */
    web_page_el_msg(&p, WEB_EL_H2, WEB_MSG_HELP_CALL_TITLE);
    if (p.inhouse) {
        web_pg_para(&p, WEB_MSG_HELP_CALL_TEXT);
        web_page_open(&p, WEB_EL_P);
        web_page_open(&p, WEB_EL_A);
        web_page_attr(&p, "href", "tel:4445576");
        web_page_msg(&p, WEB_MSG_FOOTER_CALL_CENTRE);
        web_page_close(&p, WEB_EL_A);
        web_page_close(&p, WEB_EL_P);
    } else {
        web_page_open_class(&p, WEB_EL_P, "call-centre-big");
        web_page_msg(&p, WEB_MSG_PHONE_LABEL);
        web_page_text(&p, ": ");
        web_page_open(&p, WEB_EL_A);
        web_page_attr(&p, "href", "tel:4445576");
        web_page_text(&p, "444 5 576");
        web_page_close(&p, WEB_EL_A);
        web_page_close(&p, WEB_EL_P);
        web_pg_para(&p, WEB_MSG_HELP_CALL_TEXT);
    }
    web_page_end(&p);
    enum web_err rc = web_pg_reply(&c, &p, 200);
    web_pg_done(&c);
    return rc;
}

/* ---- /erisilebilirlik ------------------------------------------------------------------------ */

enum web_err web_h_page_accessibility(struct web_req *rq)
{
    struct web_pg c;
    struct web_page p;
    web_pg_init(&c, rq, WEB_PG_APPLICANT);
    const struct web_layout layout = {.title = WEB_MSG_A11Y_TITLE};
    web_pg_page(&c, &p);
    web_pg_begin(&c, &p, &layout);
    web_pg_heading(&p, WEB_MSG_A11Y_TITLE);
    const char *who[] = {web_page_ministry(&p)};
    web_pg_para_args(&p, WEB_MSG_A11Y_LEAD, who, 1);
    web_page_el_msg(&p, WEB_EL_H2, WEB_MSG_A11Y_STATUS_TITLE);
    web_pg_para(&p, WEB_MSG_A11Y_STATUS);
    web_page_el_msg(&p, WEB_EL_H2, WEB_MSG_A11Y_TESTED_TITLE);
    web_pg_para(&p, WEB_MSG_A11Y_TESTED);
    web_page_el_msg(&p, WEB_EL_H2, WEB_MSG_A11Y_LIMITS_TITLE);
    web_page_open(&p, WEB_EL_UL);
    web_page_el_msg(&p, WEB_EL_LI, WEB_MSG_A11Y_LIMIT_AGENT);
    web_page_el_msg(&p, WEB_EL_LI, WEB_MSG_A11Y_LIMIT_PDF);
    web_page_el_msg(&p, WEB_EL_LI, WEB_MSG_A11Y_LIMIT_CAPTCHA);
    web_page_close(&p, WEB_EL_UL);
    web_page_el_msg(&p, WEB_EL_H2, WEB_MSG_A11Y_FEEDBACK_TITLE);
    web_pg_para(&p, WEB_MSG_A11Y_FEEDBACK);
    const char *ver[] = {EIMZA_VERSION};
    web_pg_para_args(&p, WEB_MSG_A11Y_VERSION, ver, 1);
    web_page_end(&p);
    enum web_err rc = web_pg_reply(&c, &p, 200);
    web_pg_done(&c);
    return rc;
}

/* ---- /logo ----------------------------------------------------------------------------------- */

enum web_err web_h_logo(struct web_req *rq)
{
    struct web_pg c;
    web_pg_init(&c, rq, WEB_PG_APPLICANT);
    const struct app_settings *set = c.app.set;
    if (!set || !set->site.logo)
        return WEB_E_NOT_FOUND;
    if (web_reply_header(rq, "Cache-Control", "public, max-age=3600") < 0)
        return WEB_E_NOMEM;
    /* made at start-up and kept as long as the server */
    return web_reply_static(rq, 200, set->site.logo_type, (const char *)set->site.logo,
                            set->site.logo_len);
}
