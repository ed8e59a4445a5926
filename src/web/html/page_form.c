/* eimza — the page writer's components (web/html/): the error summary, form fields, sections
 * and fieldsets, forms with their CSRF field, buttons, the SMS countdown and notices. See
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

/* "NAME-SUFFIX" (an id made from a field's name) into out; "" should it not fit (the code's
 * names are at most 64 characters). */
static const char *web_id(char out[96], const char *name, const char *suffix)
{
    int n = snprintf(out, 96, "%s%s", name, suffix);
    if (n < 0 || n >= 96)
        out[0] = '\0';
    return out;
}

/* ---- the error summary ------------------------------------------------------------------- */

static void web_error_item_text(struct web_page *p, const struct web_error_item *item)
{
    if (item->label != WEB_MSG_NONE) {
        web_page_msg(p, item->label);
        web_page_text(p, ": ");
    }
    web_page_text(p, item->message);
}

void web_page_error_summary(struct web_page *p, const struct web_error_item *items, size_t n)
{
    char href[96];
    if (n == 0)
        return;
    p->summary_shown = true;
    p->scripts |= WEB_SCRIPT_FOCUS_ERRORS;
    web_page_open_class(p, WEB_EL_DIV, "error-summary");
    web_page_attr(p, "role", "alert");
    web_page_attr(p, "tabindex", "-1");
    web_page_attr(p, "aria-labelledby", "error-summary-title");
    web_page_flag(p, "data-error-summary");
    web_page_open(p, WEB_EL_H2);
    web_page_attr(p, "id", "error-summary-title");
    web_page_msg(p, WEB_MSG_ERROR_SUMMARY_TITLE);
    web_page_close(p, WEB_EL_H2);
    web_page_open(p, WEB_EL_UL);
    for (size_t i = 0; i < n; i++) {
        web_page_open(p, WEB_EL_LI);
        if (items[i].field) {
            if (!web_page_id_ok(items[i].field))
                web_page_fail(p);
            web_page_open(p, WEB_EL_A);
            web_page_attr(p, "href", web_id(href, "#", items[i].field));
            web_error_item_text(p, &items[i]);
            web_page_close(p, WEB_EL_A);
        } else {
            web_error_item_text(p, &items[i]);
        }
        web_page_close(p, WEB_EL_LI);
    }
    web_page_close(p, WEB_EL_UL);
    web_page_close(p, WEB_EL_DIV);
}

void web_page_error_summary_fields(struct web_page *p, const struct web_field *fields, size_t n)
{
    struct web_error_item items[64];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!fields[i].error)
            continue;
        if (k == sizeof items / sizeof items[0]) {
            web_page_fail(p); /* no form of ours has this many fields */
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
    char v[200];
    if (f->hint == WEB_MSG_NONE && !f->error)
        return;
    if (f->hint != WEB_MSG_NONE && f->error)
        snprintf(v, sizeof v, "%s-hint %s-error", f->name, f->name);
    else
        snprintf(v, sizeof v, "%s-%s", f->name, f->error ? "error" : "hint");
    web_page_attr(p, "aria-describedby", v);
}

/* The label's words, with "(isteğe bağlı)" for an optional field. */
static void web_field_label_text(struct web_page *p, const struct web_field *f)
{
    web_page_msg(p, f->label);
    if (f->optional) {
        web_page_text(p, " ");
        web_page_open_class(p, WEB_EL_SPAN, "optional");
        web_page_msg(p, WEB_MSG_OPTIONAL);
        web_page_close(p, WEB_EL_SPAN);
    }
}

/* A hint: <small class="CLS" id="ID-hint">message</small>, its placeholders filled. */
static void web_hint(struct web_page *p, const char *cls, const char *id, enum web_msg hint,
                     const char *const *args, size_t nargs)
{
    char hid[96];
    web_page_open_class(p, WEB_EL_SMALL, cls);
    web_page_attr(p, "id", web_id(hid, id, "-hint"));
    web_page_msg_args(p, hint, args, nargs);
    web_page_close(p, WEB_EL_SMALL);
}

/* The hint and the error message under the label. */
static void web_field_hint_error(struct web_page *p, const struct web_field *f)
{
    char id[96];
    if (f->hint != WEB_MSG_NONE)
        web_hint(p, "hint", f->name, f->hint, f->hint_args, f->nhint_args);
    if (f->error) {
        web_page_open_class(p, WEB_EL_P, "field-error");
        web_page_attr(p, "id", web_id(id, f->name, "-error"));
        web_page_open_class(p, WEB_EL_SPAN, "visually-hidden");
        web_page_msg(p, WEB_MSG_ERROR_PREFIX);
        web_page_text(p, " ");
        web_page_close(p, WEB_EL_SPAN);
        web_page_text(p, f->error);
        web_page_close(p, WEB_EL_P);
    }
}

/* The attributes every control shares: id, name, aria-describedby, aria-invalid. */
static void web_field_common_attrs(struct web_page *p, const struct web_field *f)
{
    web_page_attr(p, "id", f->name);
    web_page_attr(p, "name", f->name);
    web_field_describedby(p, f);
    if (f->error)
        web_page_attr(p, "aria-invalid", "true");
    web_page_attr(p, "autocomplete", f->autocomplete);
    if (f->maxlength)
        web_page_attr_int(p, "maxlength", (long long)f->maxlength);
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
    web_page_open(p, WEB_EL_SELECT);
    web_field_common_attrs(p, f);
    if (!any) {
        web_page_open(p, WEB_EL_OPTION);
        web_page_attr(p, "value", "");
        web_page_flag(p, "selected");
        web_page_msg(p, WEB_MSG_SELECT_PLACEHOLDER);
        web_page_close(p, WEB_EL_OPTION);
    }
    for (size_t i = 0; i < f->noptions; i++) {
        web_page_open(p, WEB_EL_OPTION);
        web_page_attr(p, "value", f->options[i].value ? f->options[i].value : "");
        if (web_option_chosen(f, &f->options[i]))
            web_page_flag(p, "selected");
        web_option_label(p, &f->options[i]);
        web_page_close(p, WEB_EL_OPTION);
    }
    web_page_close(p, WEB_EL_SELECT);
}

/* The id of a radio: NAME for the first (the error summary's target), NAME-2, NAME-3, ... */
static const char *web_radio_id(char out[96], const struct web_field *f, size_t i)
{
    if (i == 0)
        snprintf(out, 96, "%s", f->name);
    else
        snprintf(out, 96, "%s-%zu", f->name, i + 1);
    return out;
}

static void web_field_radio(struct web_page *p, const struct web_field *f, size_t i)
{
    const struct web_option *o = &f->options[i];
    char id[96], hint[112];
    web_radio_id(id, f, i);
    web_page_open_class(p, WEB_EL_DIV, "choice");
    web_page_open(p, WEB_EL_INPUT);
    web_page_attr(p, "type", f->kind == WEB_FIELD_CHECKBOXES ? "checkbox" : "radio");
    web_page_attr(p, "id", id);
    web_page_attr(p, "name", f->name);
    web_page_attr(p, "value", o->value ? o->value : "");
    if (web_option_chosen(f, o))
        web_page_flag(p, "checked");
    if (o->hint != WEB_MSG_NONE) {
        snprintf(hint, sizeof hint, "%s-hint", id);
        web_page_attr(p, "aria-describedby", hint);
    }
    web_page_open(p, WEB_EL_LABEL);
    web_page_attr(p, "for", id);
    web_option_label(p, o);
    web_page_close(p, WEB_EL_LABEL);
    if (o->hint != WEB_MSG_NONE)
        web_hint(p, "hint choice-hint", id, o->hint, NULL, 0);
    web_page_close(p, WEB_EL_DIV);
}

static void web_field_radios(struct web_page *p, const struct web_field *f)
{
    web_page_open(p, WEB_EL_FIELDSET);
    web_field_describedby(p, f);
    web_page_open(p, WEB_EL_LEGEND);
    web_field_label_text(p, f);
    web_page_close(p, WEB_EL_LEGEND);
    web_field_hint_error(p, f);
    for (size_t i = 0; i < f->noptions; i++)
        web_field_radio(p, f, i);
    web_page_close(p, WEB_EL_FIELDSET);
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

static void web_field_input(struct web_page *p, const struct web_field *f)
{
    web_page_open(p, WEB_EL_INPUT);
    web_page_attr(p, "type", web_input_type(f->kind));
    web_field_common_attrs(p, f);
    if (f->kind == WEB_FIELD_NUMERIC) {
        web_page_attr(p, "inputmode", "numeric");
        web_page_attr(p, "spellcheck", "false");
    }
    if (f->kind == WEB_FIELD_READONLY)
        web_page_flag(p, "readonly");
    /* a secret typed once is never sent back in a page */
    if (f->kind != WEB_FIELD_PASSWORD)
        web_page_attr(p, "value", f->value ? f->value : "");
}

/* A date in three fields (GOV.UK's "memorable date"): the legend, hint and error of the
 * group, then day, month and year, each labelled ("Gün", "Ay", "Yıl"), numeric, and marked
 * invalid when the error is about it. */
static void web_field_date_parts(struct web_page *p, const struct web_field *f)
{
    static const struct {
        const char *suffix;
        enum web_msg label;
        unsigned width;
        const char *autocomplete;
    } parts[3] = {
        {"_day", WEB_MSG_DATE_DAY, 2, "bday-day"},
        {"_month", WEB_MSG_DATE_MONTH, 2, "bday-month"},
        {"_year", WEB_MSG_DATE_YEAR, 4, "bday-year"},
    };
    char id[96], desc[200];
    web_page_open(p, WEB_EL_FIELDSET);
    web_page_attr(p, "class", "date-parts"); /* a fieldset is a group already */
    web_field_describedby(p, f);
    web_page_open(p, WEB_EL_LEGEND);
    web_field_label_text(p, f);
    web_page_close(p, WEB_EL_LEGEND);
    web_field_hint_error(p, f);
    web_page_open_class(p, WEB_EL_DIV, "date-parts-inputs");
    for (int i = 0; i < 3; i++) {
        bool bad = f->error && (f->part_error == 0 || (f->part_error & (1u << i)));
        web_id(id, f->name, parts[i].suffix);
        web_page_open_class(p, WEB_EL_DIV,
                            parts[i].width == 4 ? "date-part date-part-year" : "date-part");
        web_page_open(p, WEB_EL_LABEL);
        web_page_attr(p, "for", id);
        web_page_msg(p, parts[i].label);
        web_page_close(p, WEB_EL_LABEL);
        web_page_open(p, WEB_EL_INPUT);
        web_page_attr(p, "type", "text");
        web_page_attr(p, "id", id);
        web_page_attr(p, "name", id);
        web_page_attr(p, "inputmode", "numeric");
        web_page_attr(p, "spellcheck", "false");
        web_page_attr(p, "autocomplete", parts[i].autocomplete);
        web_page_attr_int(p, "maxlength", (long long)parts[i].width);
        if (bad) {
            snprintf(desc, sizeof desc, "%s-error", f->name);
            web_page_attr(p, "aria-describedby", desc);
            web_page_attr(p, "aria-invalid", "true");
        }
        web_page_attr(p, "value", f->parts[i] ? f->parts[i] : "");
        web_page_close(p, WEB_EL_DIV);
    }
    web_page_close(p, WEB_EL_DIV);
    web_page_close(p, WEB_EL_FIELDSET);
}

void web_page_field(struct web_page *p, const struct web_field *f)
{
    bool choices = f->kind == WEB_FIELD_RADIO || f->kind == WEB_FIELD_CHECKBOXES;
    if (!web_page_id_ok(f->name) ||
        ((f->kind == WEB_FIELD_SELECT || choices) && (!f->options || f->noptions == 0))) {
        web_page_fail(p);
        return;
    }
    web_page_open_class(p, WEB_EL_DIV, f->error ? "field field-invalid" : "field");
    if (choices) {
        web_field_radios(p, f);
        web_page_close(p, WEB_EL_DIV);
        return;
    }
    if (f->kind == WEB_FIELD_DATE_PARTS) {
        web_field_date_parts(p, f);
        web_page_close(p, WEB_EL_DIV);
        return;
    }
    web_page_open(p, WEB_EL_LABEL);
    web_page_attr(p, "for", f->name);
    web_field_label_text(p, f);
    web_page_close(p, WEB_EL_LABEL);
    web_field_hint_error(p, f);
    switch (f->kind) {
    case WEB_FIELD_SELECT:
        web_field_select(p, f);
        break;
    case WEB_FIELD_TEXTAREA:
        web_page_open(p, WEB_EL_TEXTAREA);
        web_page_attr(p, "rows", "3");
        web_field_common_attrs(p, f);
        web_page_text(p, f->value);
        web_page_close(p, WEB_EL_TEXTAREA);
        break;
    default:
        web_field_input(p, f);
        break;
    }
    web_page_close(p, WEB_EL_DIV);
}

/* ---- structure --------------------------------------------------------------------------- */

void web_page_section_begin(struct web_page *p, enum web_msg heading)
{
    web_page_open(p, WEB_EL_SECTION);
    web_page_el_msg(p, WEB_EL_H2, heading);
}

void web_page_section_end(struct web_page *p)
{
    web_page_close(p, WEB_EL_SECTION);
}

void web_page_fieldset_begin(struct web_page *p, enum web_msg legend)
{
    web_page_open_class(p, WEB_EL_FIELDSET, "group");
    web_page_el_msg(p, WEB_EL_LEGEND, legend);
}

void web_page_fieldset_end(struct web_page *p)
{
    web_page_close(p, WEB_EL_FIELDSET);
}

void web_page_csrf(struct web_page *p, const char *token)
{
    if (!token || !*token) {
        web_page_fail(p); /* a form without its token would be refused anyway */
        return;
    }
    web_page_open(p, WEB_EL_INPUT);
    web_page_attr(p, "type", "hidden");
    web_page_attr(p, "name", "csrf_token");
    web_page_attr(p, "value", token);
}

void web_page_form_open(struct web_page *p, const char *action)
{
    web_page_open(p, WEB_EL_FORM);
    web_page_attr(p, "method", "post");
    web_page_attr(p, "action", action);
    web_page_flag(p, "novalidate");
}

void web_page_form_begin(struct web_page *p, const char *action, const char *csrf_token)
{
    web_page_form_open(p, action);
    web_page_csrf(p, csrf_token);
}

void web_page_form_end(struct web_page *p)
{
    web_page_close(p, WEB_EL_FORM);
}

void web_page_button(struct web_page *p, enum web_msg label, enum web_button_kind kind,
                     const char *name, const char *value)
{
    web_page_open(p, WEB_EL_BUTTON);
    web_page_attr(p, "type", "submit");
    if (kind == WEB_BUTTON_SECONDARY)
        web_page_attr(p, "class", "secondary");
    web_page_attr(p, "name", name);
    web_page_attr(p, "value", value);
    web_page_msg(p, label);
    web_page_close(p, WEB_EL_BUTTON);
}

void web_page_link_button(struct web_page *p, const char *href, enum web_msg label)
{
    web_page_open_class(p, WEB_EL_A, "button-link");
    web_page_attr(p, "href", href);
    web_page_attr(p, "draggable", "false");
    web_page_msg(p, label);
    web_page_close(p, WEB_EL_A);
}

void web_page_form_submit(struct web_page *p, enum web_msg label, enum web_button_kind kind)
{
    web_page_open_class(p, WEB_EL_DIV, "buttons");
    web_page_button(p, label, kind, NULL, NULL);
    web_page_close(p, WEB_EL_DIV);
    web_page_form_end(p);
}

void web_page_action_link(struct web_page *p, const char *href, enum web_msg label)
{
    web_page_open_class(p, WEB_EL_P, "page-actions");
    web_page_open(p, WEB_EL_A);
    web_page_attr(p, "href", href);
    web_page_msg(p, label);
    web_page_close(p, WEB_EL_A);
    web_page_close(p, WEB_EL_P);
}

/* ---- the countdown and notices ----------------------------------------------------------- */

void web_page_countdown(struct web_page *p, unsigned seconds)
{
    p->scripts |= WEB_SCRIPT_COUNTDOWN;
    web_page_open_class(p, WEB_EL_DIV, "countdown");
    web_page_attr_int(p, "data-countdown-seconds", (long long)seconds);
    web_page_attr_msg(p, "data-countdown-expired", WEB_MSG_OTP_EXPIRED);
    web_page_duration_attrs(p);
    web_page_open_class(p, WEB_EL_P, "countdown-text");
    web_page_attr(p, "role", "timer");
    web_page_msg_part(p, WEB_MSG_OTP_REMAINING, 0);
    web_page_open(p, WEB_EL_STRONG);
    web_page_flag(p, "data-countdown-value");
    web_page_duration(p, seconds);
    web_page_close(p, WEB_EL_STRONG);
    web_page_msg_part(p, WEB_MSG_OTP_REMAINING, 1);
    web_page_close(p, WEB_EL_P);
    web_page_open_class(p, WEB_EL_P, "visually-hidden");
    web_page_attr(p, "aria-live", "polite");
    web_page_flag(p, "data-countdown-live");
    web_page_close(p, WEB_EL_P);
    web_page_close(p, WEB_EL_DIV);
}

void web_page_notice_begin(struct web_page *p, enum web_notice_kind kind)
{
    web_page_open(p, WEB_EL_DIV);
    switch (kind) {
    case WEB_NOTICE_SUCCESS:
        web_page_attr(p, "class", "notice notice-success");
        web_page_attr(p, "role", "status");
        break;
    case WEB_NOTICE_WARNING:
        web_page_attr(p, "class", "notice notice-warning");
        break;
    default:
        web_page_attr(p, "class", "notice notice-info");
        break;
    }
}

void web_page_notice_end(struct web_page *p)
{
    web_page_close(p, WEB_EL_DIV);
}
