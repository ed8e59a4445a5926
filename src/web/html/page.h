/* eimza — the page writer of the portal's pages (web/html/): the element writer of html.h with
 * a page's language and its components: the layout, the step indicator, the error summary,
 * form fields and buttons, every piece escaping by default.
 *
 * The rule that keeps the pages safe: nothing reaches a page but through the element writer.
 * Elements are opened and closed by name (web_page_open / web_page_close, checked to nest),
 * attributes are named by literals of the code and their values escaped (web_page_attr),
 * text is escaped (web_page_text and the catalogue's messages, web_page_msg); there is no
 * way to write markup from a string. Words come from the message catalogue (web/html/i18n.h)
 * in the page's language. The pages carry no inline script or style, not even a style=
 * attribute, so the server's Content-Security-Policy can forbid both; scripts are external
 * files under static/js/ that only enhance a page that works without them.
 *
 * Errors are sticky: a write that fails (the page's size cap, out of memory, or a component
 * used wrongly: a close that does not match, a field id with characters an id must not have)
 * marks the page failed, later writes do nothing, and the page is answered 500 instead of
 * half of it (web_pg_reply). So a page is written straight through and checked once at the
 * end (web_page_end also fails a page left with an element open).
 *
 * Ownership: struct web_page owns its buffer; the reply takes the text, and web_page_free()
 * releases whatever is left (always call it). A page is not copied (its writer points at its
 * buffer).
 *
 * The markup the components write (ids, classes, ARIA) is described at each function; the
 * e2e tests (tests/e2e/) and tests/unit/web/test_page.c hold them to it.
 */
#ifndef EIMZA_WEB_HTML_PAGE_H
#define EIMZA_WEB_HTML_PAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "app/context.h"
#include "util/buf.h"
#include "web/html/html.h"
#include "web/html/i18n.h"

#define WEB_PAGE_MAX ((size_t)1 << 20) /* the largest page written */

struct web_page {
    struct ubuf b;
    struct web_html h; /* writes into b */
    enum core_lang lang;
    bool errors;        /* the layout said the page shows errors ("Hata: " in the title) */
    bool summary_shown; /* an error summary with at least one item was written */
    unsigned scripts;   /* WEB_SCRIPT_* the components asked for; loaded by web_page_end */
    /* who runs the portal (the header's name and logo, the footer); NULL: app_site_default's
     * words and the built-in emblem. The caller's; must outlive the page. */
    const struct app_site *site;
    /* the deployment makes its own cards (production = inhouse): every message is shown as its
     * in-house twin where it has one (web_msg_deployed: who helps with a card) */
    bool inhouse;
    /* the days within which a card should arrive after approval (delivery_expected_days), as the
     * texts that state it say them (web_page_msg fills them in); 0 until set:
     * app_portal_cfg_default's */
    int delivery_days;
    /* the page's application no longer has a card to wait for, or never will (delivered,
     * completed, rejected, cancelled): web_page_end leaves out the footer's line on a card
     * that has not reached its holder in the expected days */
    bool card_settled;
    /* an applicant's session on the page: seconds until it ends unless something is done
     * (0: none), and the CSRF token its extension sends. web_page_end then writes the warning
     * that offers "Oturumu uzat" before it ends, and the notice once it has (session.js). */
    int64_t session_left;
    const char *session_csrf;
};

void web_page_init(struct web_page *p, enum core_lang lang);
void web_page_free(struct web_page *p);
/* True once a write failed; web_page_fail marks it so (a component used wrongly). */
bool web_page_failed(const struct web_page *p);
void web_page_fail(struct web_page *p);
/* The text of the page so far (for tests and the reply). */
const char *web_page_str(const struct web_page *p);

/* ---- writing ----------------------------------------------------------------------------- */

/* Opens and closes elements (web/html/html.h): a close names the innermost open element. */
void web_page_open(struct web_page *p, enum web_el e);
void web_page_close(struct web_page *p, enum web_el e);
/* Opens an element with its class: <e class="cls" (attributes may follow). */
void web_page_open_class(struct web_page *p, enum web_el e, const char *cls);
/* An element holding a message of the catalogue: <e>message</e>. */
void web_page_el_msg(struct web_page *p, enum web_el e, enum web_msg key);
/* An element holding text: <e>text</e>. */
void web_page_el_text(struct web_page *p, enum web_el e, const char *text);

/* Text, escaped (NULL writes nothing). */
void web_page_text(struct web_page *p, const char *s);
void web_page_textn(struct web_page *p, const char *s, size_t n);
void web_page_uint(struct web_page *p, unsigned long long v);

/* A message of the catalogue in the page's language, escaped. */
void web_page_msg(struct web_page *p, enum web_msg key);
/* The same with placeholders {0}..{n-1} replaced by args (escaped); a placeholder without
 * an argument is left out. */
void web_page_msg_args(struct web_page *p, enum web_msg key, const char *const *args, size_t nargs);
/* The form of key for a count n (the catalogue's plural forms: "1 application", "2
 * applications"), with placeholders as web_page_msg_args. */
void web_page_msg_n(struct web_page *p, enum web_msg key, unsigned long n, const char *const *args,
                    size_t nargs);
/* A span of time as people say it: "4 dakika 12 saniye", "1 minute 5 seconds", "30 saniye". */
void web_page_duration(struct web_page *p, long long seconds);
/* The unit words a script needs to say a duration the same way: data-unit-min, -mins, -sec,
 * -secs on the element just opened. */
void web_page_duration_attrs(struct web_page *p);
/* The text of key between placeholders: part 0 is the text before {0}, part 1 the text
 * between {0} and {1} (or after {0} when it is the last), ... For markup around a value:
 * part(0), open(strong), value, close(strong), part(1). */
void web_page_msg_part(struct web_page *p, enum web_msg key, unsigned part);

/* An attribute ` name="value"` of the element just opened, the value escaped; NULL writes
 * nothing. A boolean attribute (` hidden`) with web_page_flag. */
#define web_page_attr(p, name, value) web_html_attr(&(p)->h, name, (value))
#define web_page_flag(p, name)        web_html_flag(&(p)->h, name)
#define web_page_attr_int(p, name, v) web_html_attr_int(&(p)->h, name, (v))
/* An attribute whose value is a message of the catalogue. */
#define web_page_attr_msg(p, name, key) web_page_attr_msg_((p), "" name "", (key))
void web_page_attr_msg_(struct web_page *p, const char *name, enum web_msg key);

/* ---- the layout -------------------------------------------------------------------------- */

/* The five steps of an application, and the states around them. Zero is "no indicator", so a
 * layout left zero-initialised shows none. The landing page lists the same five names. */
enum web_step {
    WEB_STEP_NONE = 0,
    WEB_STEP_LOGIN = 1,    /* Giriş */
    WEB_STEP_FORM = 2,     /* Başvuru formu: the form and the check of the answers */
    WEB_STEP_OTP = 3,      /* SMS onay kodu: sent, then entered */
    WEB_STEP_METHOD = 4,   /* İmza yöntemi */
    WEB_STEP_SIGN = 5,     /* İmzalama ve gönderme */
    WEB_STEP_DONE = 6,     /* every step done: the e-signed application went */
    WEB_STEP_OVERVIEW = 7, /* the five steps listed, none current (the landing page) */
    WEB_STEP_PAPER = 8,    /* step 5 outstanding: the signed paper form has not arrived */
};
#define WEB_STEP_COUNT 5

/* Scripts under static/js/, loaded (deferred) at the end of the body when a component on
 * the page needs them. */
enum {
    WEB_SCRIPT_FOCUS_ERRORS = 1u << 0, /* focus-errors.js: the error summary */
    WEB_SCRIPT_COUNTDOWN = 1u << 1,    /* countdown.js: the SMS code countdown */
    WEB_SCRIPT_SESSION = 1u << 2,      /* session.js: the idle warning, the form's draft */
    WEB_SCRIPT_PRINT = 1u << 3,        /* print.js: a print button */
    WEB_SCRIPT_SIGN = 1u << 4,         /* sign.js: the signing page's talk with the agent */
};

struct web_layout {
    enum web_msg title;     /* the <title>, before the service name */
    const char *title_text; /* or a title from data (escaped), used when not NULL */
    enum web_step step;     /* the step indicator at the top of <main> */
    bool errors;            /* the page shows an error summary: the title starts "Hata: " */
};

/* Writes everything from <!doctype html> to the opening of <main id="main">: <html lang>,
 * charset and viewport, the title ("Hata: " first when l->errors), the stylesheets (the
 * classless CSS library from node_modules, then static/css/eimza.css), a skip link to
 * #main, the header (the ministry's logo and name and the service's name, linking home, and
 * a link to the page in the other language, ?lang=en / ?lang=tr), and the step indicator when
 * l->step asks for one. */
void web_page_begin(struct web_page *p, const struct web_layout *l);
/* Closes <main>, writes the footer (help, the accessibility statement and the privacy notice,
 * the call centre 444 5 576, who runs the portal), an applicant session's warning dialogs, and
 * the scripts the components asked for, and closes the document. Marks the page failed when
 * an error summary was shown without l->errors (or the reverse), or an element is left open. */
void web_page_end(struct web_page *p);

/* The ministry's name in the page's language (p->site's, else the default's). */
const char *web_page_ministry(const struct web_page *p);

/* The step indicator: <div class="steps"> with "Adım 2 / 5: Başvuru formu" and an ordered
 * list of the five step names, the current one with aria-current="step", finished ones
 * marked "Tamamlandı:" for screen readers and with class "done"; for WEB_STEP_PAPER the fifth
 * is current and marked "Bekleniyor:" (class "outstanding"), and the counter says the signed
 * form is awaited. web_page_begin writes it; exposed for tests. */
void web_page_steps(struct web_page *p, enum web_step step);
/* The name of step 1..5 (the landing page lists them). */
enum web_msg web_page_step_name(int step);

/* ---- components -------------------------------------------------------------------------- */

struct web_error_item {
    const char *field;   /* the id of the field the link leads to; NULL: a message alone */
    enum web_msg label;  /* the field's label, written before the message ("Soyad: ..."),
                            since the domain's messages do not name the field; NONE: none */
    const char *message; /* what is wrong and how to fix it (escaped) */
};

/* The error summary (the GOV.UK pattern), written first in <main>: <div class="error-summary"
 * role="alert" tabindex="-1" aria-labelledby="error-summary-title"> with the heading "Bir
 * sorun var" and a list of links, one per item, to "#<field>". focus-errors.js moves the
 * focus to it on load and, when a link is followed, to the field itself; without script the
 * links still lead to the fields. Nothing is written for n == 0. */
void web_page_error_summary(struct web_page *p, const struct web_error_item *items, size_t n);

enum web_field_kind {
    WEB_FIELD_TEXT = 0,
    WEB_FIELD_EMAIL,    /* type=email, autocomplete/inputmode left to the browser */
    WEB_FIELD_TEL,      /* type=tel */
    WEB_FIELD_NUMERIC,  /* type=text inputmode=numeric (T.C. Kimlik No, codes, postal codes) */
    WEB_FIELD_DATE,     /* type=date: the value is YYYY-MM-DD */
    WEB_FIELD_PASSWORD, /* type=password: the value is never written back */
    WEB_FIELD_TEXTAREA,
    WEB_FIELD_SELECT,
    WEB_FIELD_RADIO,      /* a group: <fieldset> with the label as <legend>, one radio each */
    WEB_FIELD_CHECKBOXES, /* the same with a checkbox each (one option: a declaration to tick) */
    WEB_FIELD_READONLY,   /* type=text readonly: shown and sent back, not editable */
    WEB_FIELD_DATE_PARTS, /* a date as three fields (GOV.UK's memorable date): <fieldset> with
                             the label as <legend>, inputs NAME_day, NAME_month, NAME_year */
};

struct web_option {
    const char *value;      /* the submitted value (escaped) */
    enum web_msg label;     /* the text shown, from the catalogue ... */
    const char *label_text; /* ... or from data (a province's name) when label is NONE */
    enum web_msg hint;      /* radios only: a hint under the choice; NONE for none */
};

struct web_field {
    enum web_field_kind kind;
    const char *name;         /* the form field's name and the element's id: [a-z][a-z0-9_-]* */
    enum web_msg label;       /* the <label> (the <legend> of a radio group) */
    enum web_msg hint;        /* a hint under the label; NONE for none */
    const char *value;        /* the current value (escaped); for radios and selects, the chosen
                                 option's value */
    const char *error;        /* what is wrong (escaped), or NULL when nothing is */
    const char *autocomplete; /* e.g. "given-name", "email", "off"; NULL: none */
    unsigned maxlength;       /* 0: none */
    bool optional;            /* "(isteğe bağlı)" after the label */
    const struct web_option *options; /* selects and radio groups */
    size_t noptions;
    const char *parts[3]; /* WEB_FIELD_DATE_PARTS: day, month, year as typed */
    unsigned part_error;  /* WEB_FIELD_DATE_PARTS: the parts in error, bits 1 day, 2 month, 4
                             year (0 with an error: all three) */
    const char *const *hint_args; /* the hint's placeholders {0}, {1}, ... ("6 ile 32") */
    size_t nhint_args;
};

/* One form field with its label (for=), hint (id "<name>-hint"), inline error message (id
 * "<name>-error", class "field-error", "Hata:" before it for screen readers) and the control
 * (aria-describedby naming the hint and the error, aria-invalid="true" with an error). The
 * field sits in <div class="field"> (class "field field-invalid" with an error). A radio
 * group's first radio has the id <name>, so the error summary's link reaches it; the others
 * <name>-2, <name>-3, ... A select whose value matches no option starts with "Seçiniz". A
 * date in three parts is a fieldset (legend, hint, error) with three labelled inputs, ids
 * NAME_day, NAME_month, NAME_year; those in error (part_error) are marked invalid, and the
 * error summary should link to the first of them. */
void web_page_field(struct web_page *p, const struct web_field *f);

/* The error summary built from fields: one item for each field with an error, in order,
 * each "Label: message". */
void web_page_error_summary_fields(struct web_page *p, const struct web_field *fields, size_t n);

/* <section><h2>heading</h2> ... </section>: a part of a long form ("Kişisel Bilgiler"). */
void web_page_section_begin(struct web_page *p, enum web_msg heading);
void web_page_section_end(struct web_page *p);
/* <fieldset><legend>legend</legend> ... </fieldset>: fields answering one question
 * together (a phone number and its extension). */
void web_page_fieldset_begin(struct web_page *p, enum web_msg legend);
void web_page_fieldset_end(struct web_page *p);

/* <form method="post" action="ACTION" novalidate> and the CSRF field. The browser's own
 * validation is off so that every message is the server's, in the page's language. */
void web_page_form_begin(struct web_page *p, const char *action, const char *csrf_token);
/* The same start tag left open for more attributes (class, data-*); web_page_csrf next. */
void web_page_form_open(struct web_page *p, const char *action);
void web_page_form_end(struct web_page *p);
/* <input type="hidden" name="csrf_token" value="..."> (escaped). */
void web_page_csrf(struct web_page *p, const char *token);

enum web_button_kind { WEB_BUTTON_PRIMARY = 0, WEB_BUTTON_SECONDARY };
/* <button type="submit"> with the label; name and value (escaped) when not NULL, for forms
 * with more than one button ("Tamam" / "İptal"). */
void web_page_button(struct web_page *p, enum web_msg label, enum web_button_kind kind,
                     const char *name, const char *value);
/* A link that looks like a button (the "start" link): <a class="button-link" href="HREF"
 * draggable="false">. */
void web_page_link_button(struct web_page *p, const char *href, enum web_msg label);
/* The end of a form with one button: <div class="buttons"> the button </div></form>. */
void web_page_form_submit(struct web_page *p, enum web_msg label, enum web_button_kind kind);
/* A way on below the page's main content: <p class="page-actions"><a href="HREF">. */
void web_page_action_link(struct web_page *p, const char *href, enum web_msg label);

/* The SMS code countdown: "SMS onay kodunuzun geçerliliği için kalan süre: 5 dakika" in a
 * <div class="countdown" data-countdown-seconds="300" data-countdown-expired="..."> with the
 * time in <strong data-countdown-value> (role="timer" on its paragraph, and the unit words of
 * web_page_duration_attrs), and a polite live region (data-countdown-live) that countdown.js
 * fills each minute, at 30 and 10 seconds and at the end (a screen reader told every second
 * would hear nothing else). Without script the time stays as it was when the page was made. */
void web_page_countdown(struct web_page *p, unsigned seconds);

enum web_notice_kind { WEB_NOTICE_INFO = 0, WEB_NOTICE_WARNING, WEB_NOTICE_SUCCESS };
/* A box for a message that is not an error: <div class="notice notice-KIND">; a success
 * notice has role="status" so a screen reader reads it out. */
void web_page_notice_begin(struct web_page *p, enum web_notice_kind kind);
void web_page_notice_end(struct web_page *p);

/* ---- a footer of the page's own (issue 17) ----------------------------------------------- */

/* web_page_end with the <footer>'s content written by footer(p, ctx) instead of the applicant's
 * (the staff pages' footer: web/pages/pages.c, web_pg_staff_end). It loads the scripts of
 * p->scripts that staff pages use: focus-errors.js, countdown.js, and import.js for the
 * personnel import's upload (this bit, out of the way of the applicant's scripts' bits). */
#define WEB_SCRIPT_STAFF_IMPORT (1u << 12)
void web_page_end_footer(struct web_page *p, void (*footer)(struct web_page *p, const void *ctx),
                         const void *ctx);

#endif
