/* eimza — the page writer's components: the error summary, form fields, sections and
 * fieldsets, forms with their CSRF field, buttons, the SMS countdown and notices. See
 * page.h for the markup each writes; every value and message in it is escaped.
 */
#include <stdio.h>
#include <string.h>

#include "web/html/page.h"

/* Ids double as form field names and as link targets ("#tckn"), so they are held to a
 * plain form; anything else is a mistake in the calling code and fails the page. */
static bool web_page_id_ok(const char *id)
{
    if (!id || !(id[0] >= 'a' && id[0] <= 'z'))
        return false;
    size_t n = strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789_-");
    return id[n] == '\0' && n <= 64;
}

/* Ends a begin/end pair; an end without its begin fails the page. */
static void web_page_close(struct web_page *p)
{
    if (p->open == 0)
        p->failed = true;
    else
        p->open--;
}

/* ---- the error summary ------------------------------------------------------------------- */

static void web_error_item_text(struct web_page *p, const struct web_error_item *item)
{
    if (item->label != WEB_MSG_NONE) {
        web_page_msg(p, item->label);
        web_page_raw(p, ": ");
    }
    web_page_text(p, item->message);
}

void web_page_error_summary(struct web_page *p, const struct web_error_item *items, size_t n)
{
    if (n == 0)
        return;
    p->summary_shown = true;
    p->scripts |= WEB_SCRIPT_FOCUS_ERRORS;
    web_page_raw(p, "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" "
                    "aria-labelledby=\"error-summary-title\" data-error-summary>\n"
                    "<h2 id=\"error-summary-title\">");
    web_page_msg(p, WEB_MSG_ERROR_SUMMARY_TITLE);
    web_page_raw(p, "</h2>\n<ul>\n");
    for (size_t i = 0; i < n; i++) {
        if (items[i].field) {
            if (!web_page_id_ok(items[i].field))
                p->failed = true;
            web_page_raw(p, "<li><a href=\"#");
            web_page_text(p, items[i].field);
            web_page_raw(p, "\">");
            web_error_item_text(p, &items[i]);
            web_page_raw(p, "</a></li>\n");
        } else {
            web_page_raw(p, "<li>");
            web_error_item_text(p, &items[i]);
            web_page_raw(p, "</li>\n");
        }
    }
    web_page_raw(p, "</ul>\n</div>\n");
}

void web_page_error_summary_fields(struct web_page *p, const struct web_field *fields, size_t n)
{
    struct web_error_item items[64];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!fields[i].error)
            continue;
        if (k == sizeof items / sizeof items[0]) {
            p->failed = true; /* no form of ours has this many fields */
            return;
        }
        items[k].field = fields[i].name;
        items[k].label = fields[i].label;
        items[k++].message = fields[i].error;
    }
    web_page_error_summary(p, items, k);
}

/* ---- fields ------------------------------------------------------------------------------ */

/* ` aria-describedby="NAME-hint NAME-error"` for the parts the field has. */
static void web_field_describedby(struct web_page *p, const struct web_field *f)
{
    if (f->hint == WEB_MSG_NONE && !f->error)
        return;
    web_page_raw(p, " aria-describedby=\"");
    if (f->hint != WEB_MSG_NONE) {
        web_page_text(p, f->name);
        web_page_raw(p, "-hint");
    }
    if (f->error) {
        if (f->hint != WEB_MSG_NONE)
            web_page_raw(p, " ");
        web_page_text(p, f->name);
        web_page_raw(p, "-error");
    }
    web_page_raw(p, "\"");
}

/* The label's words, with "(isteğe bağlı)" for an optional field. */
static void web_field_label_text(struct web_page *p, const struct web_field *f)
{
    web_page_msg(p, f->label);
    if (f->optional) {
        web_page_raw(p, " <span class=\"optional\">");
        web_page_msg(p, WEB_MSG_OPTIONAL);
        web_page_raw(p, "</span>");
    }
}

/* The hint and the error message under the label. */
static void web_field_hint_error(struct web_page *p, const struct web_field *f)
{
    if (f->hint != WEB_MSG_NONE) {
        web_page_raw(p, "<small class=\"hint\" id=\"");
        web_page_text(p, f->name);
        web_page_raw(p, "-hint\">");
        web_page_msg(p, f->hint);
        web_page_raw(p, "</small>\n");
    }
    if (f->error) {
        web_page_raw(p, "<p class=\"field-error\" id=\"");
        web_page_text(p, f->name);
        web_page_raw(p, "-error\"><span class=\"visually-hidden\">");
        web_page_msg(p, WEB_MSG_ERROR_PREFIX);
        web_page_raw(p, " </span>");
        web_page_text(p, f->error);
        web_page_raw(p, "</p>\n");
    }
}

/* The attributes every control shares: id, name, aria-describedby, aria-invalid. */
static void web_field_common_attrs(struct web_page *p, const struct web_field *f)
{
    web_page_attr(p, "id", f->name);
    web_page_attr(p, "name", f->name);
    web_field_describedby(p, f);
    if (f->error)
        web_page_raw(p, " aria-invalid=\"true\"");
    web_page_attr(p, "autocomplete", f->autocomplete);
    if (f->maxlength) {
        web_page_raw(p, " maxlength=\"");
        web_page_uint(p, f->maxlength);
        web_page_raw(p, "\"");
    }
}

static void web_option_label(struct web_page *p, const struct web_option *o)
{
    if (o->label != WEB_MSG_NONE)
        web_page_msg(p, o->label);
    else
        web_page_text(p, o->label_text);
}

static bool web_option_chosen(const struct web_field *f, const struct web_option *o)
{
    return f->value && o->value && !strcmp(f->value, o->value);
}

static void web_field_select(struct web_page *p, const struct web_field *f)
{
    bool any = false;
    for (size_t i = 0; i < f->noptions; i++)
        any |= web_option_chosen(f, &f->options[i]);
    web_page_raw(p, "<select");
    web_field_common_attrs(p, f);
    web_page_raw(p, ">\n");
    if (!any) {
        web_page_raw(p, "<option value=\"\" selected>");
        web_page_msg(p, WEB_MSG_SELECT_PLACEHOLDER);
        web_page_raw(p, "</option>\n");
    }
    for (size_t i = 0; i < f->noptions; i++) {
        web_page_raw(p, "<option");
        web_page_attr(p, "value", f->options[i].value ? f->options[i].value : "");
        if (web_option_chosen(f, &f->options[i]))
            web_page_raw(p, " selected");
        web_page_raw(p, ">");
        web_option_label(p, &f->options[i]);
        web_page_raw(p, "</option>\n");
    }
    web_page_raw(p, "</select>\n");
}

/* The id of a radio: NAME for the first (the error summary's target), NAME-2, NAME-3, ... */
static void web_radio_id(struct web_page *p, const struct web_field *f, size_t i)
{
    web_page_text(p, f->name);
    if (i > 0) {
        web_page_raw(p, "-");
        web_page_uint(p, i + 1);
    }
}

static void web_field_radios(struct web_page *p, const struct web_field *f)
{
    web_page_raw(p, "<fieldset");
    web_field_describedby(p, f);
    web_page_raw(p, ">\n<legend>");
    web_field_label_text(p, f);
    web_page_raw(p, "</legend>\n");
    web_field_hint_error(p, f);
    for (size_t i = 0; i < f->noptions; i++) {
        const struct web_option *o = &f->options[i];
        web_page_raw(p, "<div class=\"choice\">\n<input type=\"radio\" id=\"");
        web_radio_id(p, f, i);
        web_page_raw(p, "\"");
        web_page_attr(p, "name", f->name);
        web_page_attr(p, "value", o->value ? o->value : "");
        if (web_option_chosen(f, o))
            web_page_raw(p, " checked");
        if (o->hint != WEB_MSG_NONE) {
            web_page_raw(p, " aria-describedby=\"");
            web_radio_id(p, f, i);
            web_page_raw(p, "-hint\"");
        }
        web_page_raw(p, ">\n<label for=\"");
        web_radio_id(p, f, i);
        web_page_raw(p, "\">");
        web_option_label(p, o);
        web_page_raw(p, "</label>\n");
        if (o->hint != WEB_MSG_NONE) {
            web_page_raw(p, "<small class=\"hint choice-hint\" id=\"");
            web_radio_id(p, f, i);
            web_page_raw(p, "-hint\">");
            web_page_msg(p, o->hint);
            web_page_raw(p, "</small>\n");
        }
        web_page_raw(p, "</div>\n");
    }
    web_page_raw(p, "</fieldset>\n");
}

static const char *web_input_type(enum web_field_kind kind)
{
    switch (kind) {
    case WEB_FIELD_EMAIL:
        return "email";
    case WEB_FIELD_TEL:
        return "tel";
    case WEB_FIELD_DATE:
        return "date";
    case WEB_FIELD_PASSWORD:
        return "password";
    default:
        return "text";
    }
}

void web_page_field(struct web_page *p, const struct web_field *f)
{
    if (!web_page_id_ok(f->name) || ((f->kind == WEB_FIELD_SELECT || f->kind == WEB_FIELD_RADIO) &&
                                     (!f->options || f->noptions == 0))) {
        p->failed = true;
        return;
    }
    if (f->error)
        web_page_raw(p, "<div class=\"field field-invalid\">\n");
    else
        web_page_raw(p, "<div class=\"field\">\n");
    if (f->kind == WEB_FIELD_RADIO) {
        web_field_radios(p, f);
        web_page_raw(p, "</div>\n");
        return;
    }
    web_page_raw(p, "<label");
    web_page_attr(p, "for", f->name);
    web_page_raw(p, ">");
    web_field_label_text(p, f);
    web_page_raw(p, "</label>\n");
    web_field_hint_error(p, f);
    switch (f->kind) {
    case WEB_FIELD_SELECT:
        web_field_select(p, f);
        break;
    case WEB_FIELD_TEXTAREA:
        web_page_raw(p, "<textarea rows=\"3\"");
        web_field_common_attrs(p, f);
        web_page_raw(p, ">");
        web_page_text(p, f->value);
        web_page_raw(p, "</textarea>\n");
        break;
    default:
        web_page_raw(p, "<input");
        web_page_attr(p, "type", web_input_type(f->kind));
        web_field_common_attrs(p, f);
        if (f->kind == WEB_FIELD_NUMERIC)
            web_page_raw(p, " inputmode=\"numeric\" spellcheck=\"false\"");
        if (f->kind == WEB_FIELD_READONLY)
            web_page_raw(p, " readonly");
        /* a secret typed once is never sent back in a page */
        if (f->kind != WEB_FIELD_PASSWORD)
            web_page_attr(p, "value", f->value ? f->value : "");
        web_page_raw(p, ">\n");
        break;
    }
    web_page_raw(p, "</div>\n");
}

/* ---- structure --------------------------------------------------------------------------- */

void web_page_section_begin(struct web_page *p, enum web_msg heading)
{
    p->open++;
    web_page_raw(p, "<section>\n<h2>");
    web_page_msg(p, heading);
    web_page_raw(p, "</h2>\n");
}

void web_page_section_end(struct web_page *p)
{
    web_page_close(p);
    web_page_raw(p, "</section>\n");
}

void web_page_fieldset_begin(struct web_page *p, enum web_msg legend)
{
    p->open++;
    web_page_raw(p, "<fieldset class=\"group\">\n<legend>");
    web_page_msg(p, legend);
    web_page_raw(p, "</legend>\n");
}

void web_page_fieldset_end(struct web_page *p)
{
    web_page_close(p);
    web_page_raw(p, "</fieldset>\n");
}

void web_page_csrf(struct web_page *p, const char *token)
{
    if (!token || !*token) {
        p->failed = true; /* a form without its token would be refused anyway */
        return;
    }
    web_page_raw(p, "<input type=\"hidden\" name=\"csrf_token\"");
    web_page_attr(p, "value", token);
    web_page_raw(p, ">\n");
}

void web_page_form_begin_(struct web_page *p, const char *action, const char *csrf_token)
{
    p->open++;
    web_page_raw(p, "<form method=\"post\"");
    web_page_attr(p, "action", action);
    web_page_raw(p, " novalidate>\n");
    web_page_csrf(p, csrf_token);
}

void web_page_form_end(struct web_page *p)
{
    web_page_close(p);
    web_page_raw(p, "</form>\n");
}

void web_page_button(struct web_page *p, enum web_msg label, enum web_button_kind kind,
                     const char *name, const char *value)
{
    if (kind == WEB_BUTTON_SECONDARY)
        web_page_raw(p, "<button type=\"submit\" class=\"secondary\"");
    else
        web_page_raw(p, "<button type=\"submit\"");
    web_page_attr(p, "name", name);
    web_page_attr(p, "value", value);
    web_page_raw(p, ">");
    web_page_msg(p, label);
    web_page_raw(p, "</button>\n");
}

void web_page_link_button_(struct web_page *p, const char *href, enum web_msg label)
{
    web_page_raw(p, "<a class=\"button-link\"");
    web_page_attr(p, "href", href);
    web_page_raw(p, " draggable=\"false\">");
    web_page_msg(p, label);
    web_page_raw(p, "</a>\n");
}

/* ---- the countdown and notices ----------------------------------------------------------- */

void web_page_countdown(struct web_page *p, unsigned seconds)
{
    p->scripts |= WEB_SCRIPT_COUNTDOWN;
    web_page_raw(p, "<div class=\"countdown\" data-countdown-seconds=\"");
    web_page_uint(p, seconds);
    web_page_raw(p, "\"");
    web_page_attr_msg(p, "data-countdown-expired", WEB_MSG_OTP_EXPIRED);
    web_page_raw(p, ">\n<p class=\"countdown-text\" role=\"timer\">");
    web_page_msg_part(p, WEB_MSG_OTP_REMAINING, 0);
    web_page_raw(p, "<strong data-countdown-value>");
    web_page_uint(p, seconds);
    web_page_raw(p, "</strong>");
    web_page_msg_part(p, WEB_MSG_OTP_REMAINING, 1);
    web_page_raw(p, "</p>\n<p class=\"visually-hidden\" aria-live=\"polite\" "
                    "data-countdown-live></p>\n</div>\n");
}

void web_page_notice_begin(struct web_page *p, enum web_notice_kind kind)
{
    p->open++;
    switch (kind) {
    case WEB_NOTICE_SUCCESS:
        web_page_raw(p, "<div class=\"notice notice-success\" role=\"status\">\n");
        break;
    case WEB_NOTICE_WARNING:
        web_page_raw(p, "<div class=\"notice notice-warning\">\n");
        break;
    default:
        web_page_raw(p, "<div class=\"notice notice-info\">\n");
        break;
    }
}

void web_page_notice_end(struct web_page *p)
{
    web_page_close(p);
    web_page_raw(p, "</div>\n");
}
