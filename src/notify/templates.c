/* eimza — the message templates (templates.h): the built-in texts, loading a configured
 * directory over them, checking placeholders, and rendering.
 *
 * The built-in texts are the catalogue's entries "mail.<name>.email" and "mail.<name>.sms"
 * (core/catalogue.h, po/); the build also writes them out as the files templates/<lang>/
 * <name>.<form>.txt, which are installed for operators to copy, and
 * tests/unit/notify/test_templates.c checks the two agree.
 */
#include "notify/templates.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/catalogue.h"
#include "core/trtext.h"
#include "util/fault.h"

#define TPL_FILE_MAX (16 * 1024) /* a template file larger than this is refused */
#define TPL_NAME_MAX 32          /* longest placeholder name */

static const char *const tpl_names[NOTIFY_TPL__COUNT] = {
    [NOTIFY_TPL_EXPIRY_WARNING] = "expiry_warning",
    [NOTIFY_TPL_EXPIRED] = "expired",
    [NOTIFY_TPL_REMIND_CODE] = "reminder_code",
    [NOTIFY_TPL_REMIND_SIGN] = "reminder_sign",
    [NOTIFY_TPL_REMIND_PAPER] = "reminder_paper",
    [NOTIFY_TPL_DIGEST] = "digest",
    [NOTIFY_TPL_CARD_ORDERED] = "card_ordered",
    [NOTIFY_TPL_CARD_SHIPPED] = "card_shipped",
    [NOTIFY_TPL_CARD_DELIVERED] = "card_delivered",
    [NOTIFY_TPL_CARD_PIN_READY] = "card_pin_ready",
    [NOTIFY_TPL_CARD_LATE] = "card_late",
    [NOTIFY_TPL_CARD_REFUSED] = "card_refused",
    [NOTIFY_TPL_COMPLETED] = "application_completed",
    [NOTIFY_TPL_CANCELLED] = "application_cancelled",
    [NOTIFY_TPL_PIN_WORD_WAIVED] = "pin_word_waived",
    [NOTIFY_TPL_CARD_LATE_INHOUSE] = "card_late_inhouse",
    [NOTIFY_TPL_CARD_ORDERED_INHOUSE] = "card_ordered_inhouse",
    [NOTIFY_TPL_APPROVED] = "application_approved",
    [NOTIFY_TPL_REJECTED] = "application_rejected",
    [NOTIFY_TPL_REJECTED_FREE] = "application_rejected_free",
    [NOTIFY_TPL_APPROVED_INHOUSE] = "application_approved_inhouse",
    [NOTIFY_TPL_OTP_CODE] = "otp_code",
    [NOTIFY_TPL_PIN_CODE] = "pin_code",
};

/* The placeholders each template may use, space-separated. */
static const char *const tpl_vars[NOTIFY_TPL__COUNT] = {
    [NOTIFY_TPL_EXPIRY_WARNING] = "name serial expiry_date deadline days portal_url",
    [NOTIFY_TPL_EXPIRED] = "name serial expiry_date portal_url",
    [NOTIFY_TPL_REMIND_CODE] = "name number portal_url",
    [NOTIFY_TPL_REMIND_SIGN] = "name number portal_url",
    [NOTIFY_TPL_REMIND_PAPER] = "name number portal_url",
    [NOTIFY_TPL_DIGEST] = "province date total submitted awaiting_original portal_url",
    [NOTIFY_TPL_CARD_ORDERED] = "name number portal_url",
    [NOTIFY_TPL_CARD_SHIPPED] = "name number carrier tracking_number portal_url",
    [NOTIFY_TPL_CARD_DELIVERED] = "name number portal_url",
    [NOTIFY_TPL_CARD_PIN_READY] = "name number portal_url",
    [NOTIFY_TPL_CARD_LATE] = "name number days portal_url",
    [NOTIFY_TPL_CARD_REFUSED] = "name number reason portal_url",
    [NOTIFY_TPL_COMPLETED] = "name number serial valid_from valid_until portal_url",
    [NOTIFY_TPL_CANCELLED] = "name number reason portal_url",
    [NOTIFY_TPL_PIN_WORD_WAIVED] = "name number until portal_url",
    [NOTIFY_TPL_CARD_LATE_INHOUSE] = "name number days portal_url",
    [NOTIFY_TPL_CARD_ORDERED_INHOUSE] = "name number portal_url",
    [NOTIFY_TPL_APPROVED] = "name number days portal_url",
    [NOTIFY_TPL_REJECTED] = "name number reason portal_url",
    [NOTIFY_TPL_REJECTED_FREE] = "name number reason portal_url",
    [NOTIFY_TPL_APPROVED_INHOUSE] = "name number days portal_url",
    [NOTIFY_TPL_OTP_CODE] = "number minutes seconds code portal_url",
    [NOTIFY_TPL_PIN_CODE] = "number minutes seconds code portal_url",
};

/* The counts a template may also write with their noun (templates.h): the placeholder, the
 * value it counts (a name of tpl_vars), and the catalogue's entry with plural forms that puts
 * the number ({0}) with the noun in each language. A template may have the placeholder where it
 * has the value. */
static const struct {
    const char *name, *count, *key;
} tpl_counted[] = {
    {"n_days", "days", "count.days"},
    {"n_minutes", "minutes", "count.minutes"},
    {"n_seconds", "seconds", "count.seconds"},
    {"n_applications", "total", "count.applications"},
};

/* The templates with an in-house twin, and the twin (notify_tpl_deployed). */
static const struct {
    enum notify_tpl bureau, inhouse;
} tpl_twins[] = {
    {NOTIFY_TPL_CARD_LATE, NOTIFY_TPL_CARD_LATE_INHOUSE},
    {NOTIFY_TPL_CARD_ORDERED, NOTIFY_TPL_CARD_ORDERED_INHOUSE},
    {NOTIFY_TPL_APPROVED, NOTIFY_TPL_APPROVED_INHOUSE},
};

struct notify_templates {
    char *subject[NOTIFY_TPL__COUNT]; /* e-mail subject line */
    char *email[NOTIFY_TPL__COUNT];   /* e-mail body */
    char *sms[NOTIFY_TPL__COUNT];     /* NULL: no SMS form */
    char lang[3];                     /* "tr" or "en" */
};

const char *notify_tpl_name(enum notify_tpl t)
{
    return (unsigned)t < NOTIFY_TPL__COUNT ? tpl_names[t] : NULL;
}

enum notify_tpl notify_tpl_deployed(enum notify_tpl t, bool inhouse)
{
    for (size_t i = 0; inhouse && i < sizeof tpl_twins / sizeof tpl_twins[0]; i++)
        if (tpl_twins[i].bureau == t)
            return tpl_twins[i].inhouse;
    return t;
}

bool notify_tpl_has_sms(enum notify_tpl t)
{
    return t != NOTIFY_TPL_DIGEST && (unsigned)t < NOTIFY_TPL__COUNT;
}

bool notify_tpl_has_email(enum notify_tpl t)
{
    return !notify_tpl_has_code(t) && (unsigned)t < NOTIFY_TPL__COUNT;
}

bool notify_tpl_has_code(enum notify_tpl t)
{
    return t == NOTIFY_TPL_OTP_CODE || t == NOTIFY_TPL_PIN_CODE;
}

const char *notify_tpl_builtin(const char *lang, enum notify_tpl t, bool sms)
{
    char name[TPL_NAME_MAX + 8];
    if ((unsigned)t >= NOTIFY_TPL__COUNT || !lang || (strcmp(lang, "tr") && strcmp(lang, "en")))
        return NULL;
    snprintf(name, sizeof name, "%s.%s", tpl_names[t], sms ? "sms" : "email");
    return core_text_of("mail", name, strcmp(lang, "en") ? CORE_LANG_TR : CORE_LANG_EN);
}

/* The length of a placeholder name starting at p (just after '{') when it is one: [a-z_]+
 * followed by '}'. 0 otherwise. */
static size_t tpl_placeholder(const char *p)
{
    size_t n = 0;
    while ((p[n] >= 'a' && p[n] <= 'z') || p[n] == '_')
        n++;
    return n > 0 && n <= TPL_NAME_MAX && p[n] == '}' ? n : 0;
}

/* The entry of tpl_counted named name[0..n), or NULL. */
static const char *tpl_counted_of(const char *name, size_t n, const char **key)
{
    for (size_t i = 0; i < sizeof tpl_counted / sizeof tpl_counted[0]; i++) {
        if (strlen(tpl_counted[i].name) == n && !strncmp(tpl_counted[i].name, name, n)) {
            *key = tpl_counted[i].key;
            return tpl_counted[i].count;
        }
    }
    return NULL;
}

static bool tpl_var_allowed(enum notify_tpl t, const char *name, size_t n)
{
    const char *key, *count = tpl_counted_of(name, n, &key);
    if (count) /* with its noun: where the count itself is allowed */
        return tpl_var_allowed(t, count, strlen(count));
    for (const char *v = tpl_vars[t]; *v;) {
        size_t len = strcspn(v, " ");
        if (len == n && !strncmp(v, name, n))
            return true;
        v += len;
        while (*v == ' ')
            v++;
    }
    return false;
}

/* Checks every placeholder of text against t's names; -1 with f set (template_bad). */
static int tpl_check(enum notify_tpl t, const char *text, const char *what, struct ufault *f)
{
    for (const char *p = strchr(text, '{'); p; p = strchr(p + 1, '{')) {
        size_t n = tpl_placeholder(p + 1);
        if (n && !tpl_var_allowed(t, p + 1, n)) {
            char with_noun[64] = "";
            for (size_t i = 0; i < sizeof tpl_counted / sizeof tpl_counted[0]; i++)
                if (tpl_var_allowed(t, tpl_counted[i].name, strlen(tpl_counted[i].name)))
                    snprintf(with_noun + strlen(with_noun), sizeof with_noun - strlen(with_noun),
                             " %s", tpl_counted[i].name);
            ufault_subject(f, "%s", what);
            ufault_set(f, "template_bad", "unknown placeholder {%.*s} (known: %s%s)", (int)n, p + 1,
                       tpl_vars[t], with_noun);
            return -1;
        }
    }
    /* the SMS code: the message exists for it, so its text must say it, once (a second mark
     * would stay as it is); no other text may have it (the check above) */
    if (notify_tpl_has_code(t)) {
        const char *c = strstr(text, NOTIFY_CODE_MARK);
        if (!c || strstr(c + 1, NOTIFY_CODE_MARK)) {
            ufault_subject(f, "%s", what);
            ufault_set(f, "template_bad", "%s",
                       c ? "the code placeholder " NOTIFY_CODE_MARK " may be used only once"
                         : "the code placeholder " NOTIFY_CODE_MARK " is missing (the message "
                           "would be useless)");
            return -1;
        }
    }
    return 0;
}

/* Splits an e-mail text into a subject and a body (copies); -1 with f set. */
static int tpl_split_email(const char *text, const char *what, char **subject, char **body,
                           struct ufault *f)
{
    static const char prefix[] = "Subject:";
    if (strncmp(text, prefix, sizeof prefix - 1) != 0) {
        ufault_subject(f, "%s", what);
        ufault_set(f, "template_bad", "the first line must be 'Subject: ...'");
        return -1;
    }
    const char *s = text + sizeof prefix - 1;
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strcspn(s, "\r\n");
    const char *rest = s + n;
    if (*rest == '\r')
        rest++;
    if (*rest == '\n')
        rest++;
    if (n == 0) {
        ufault_subject(f, "%s", what);
        ufault_set(f, "template_bad", "the subject is empty");
        return -1;
    }
    if (*rest == '\r')
        rest++;
    if (*rest != '\n') {
        ufault_subject(f, "%s", what);
        ufault_set(f, "template_bad", "an empty line must follow the Subject line");
        return -1;
    }
    rest++;
    *subject = strndup(s, n);
    *body = strdup(rest);
    if (!*subject || !*body) {
        free(*subject);
        free(*body);
        *subject = *body = NULL;
        ufault_set(f, NULL, "out of memory");
        return -1;
    }
    return 0;
}

/* Reads path into a new string: 1 when read, 0 when there is no such file, -1 on an error
 * (fault set: template_bad, its subject the file). */
static int tpl_read_file(const char *path, char **out, struct ufault *fault)
{
    FILE *f = fopen(path, "rb");
    ufault_subject(fault, "%s", path);
    if (!f) {
        if (errno == ENOENT)
            return 0;
        ufault_set(fault, "template_bad", "%s", strerror(errno));
        return -1;
    }
    int rc = -1;
    char *buf = malloc(TPL_FILE_MAX + 1);
    if (!buf) {
        ufault_set(fault, NULL, "out of memory");
        goto out;
    }
    size_t n = fread(buf, 1, TPL_FILE_MAX + 1, f);
    if (ferror(f)) {
        ufault_set(fault, "template_bad", "cannot be read");
        goto out;
    }
    if (n > TPL_FILE_MAX) {
        ufault_set(fault, "template_bad", "larger than %d bytes", TPL_FILE_MAX);
        goto out;
    }
    if (!core_utf8_valid(buf, n) || memchr(buf, '\0', n)) {
        ufault_set(fault, "template_bad", "not UTF-8 text");
        goto out;
    }
    buf[n] = '\0';
    *out = buf;
    buf = NULL;
    rc = 1;
out:
    free(buf);
    fclose(f);
    return rc;
}

/* An SMS is one line of text: trailing blanks and newlines of the file are dropped. */
static void tpl_trim_end(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
}

const char *notify_templates_lang(const struct notify_templates *set)
{
    return set ? set->lang : NULL;
}

void notify_templates_free(struct notify_templates *t)
{
    if (!t)
        return;
    for (int i = 0; i < NOTIFY_TPL__COUNT; i++) {
        free(t->subject[i]);
        free(t->email[i]);
        free(t->sms[i]);
    }
    free(t);
}

/* Loads one form of template i into set: the file in dir when there is one, else the
 * compiled-in text. */
static int tpl_load_one(struct notify_templates *set, const char *dir, const char *lang,
                        enum notify_tpl i, bool sms, struct ufault *f)
{
    char path[4096];
    char *text = NULL;
    int rc = -1, got = 0;
    snprintf(path, sizeof path, "%s/%s/%s.%s.txt", dir ? dir : "", lang, tpl_names[i],
             sms ? "sms" : "email");
    if (dir && *dir && (got = tpl_read_file(path, &text, f)) < 0)
        goto out;
    if (!got) {
        const char *b = notify_tpl_builtin(lang, i, sms);
        snprintf(path, sizeof path, "(built-in) %s/%s.%s.txt", lang, tpl_names[i],
                 sms ? "sms" : "email");
        if (!b || !(text = strdup(b))) {
            ufault_subject(f, "%s", path);
            ufault_set(f, NULL, "%s", b ? "out of memory" : "missing (a bug)");
            goto out;
        }
    }
    if (tpl_check(i, text, path, f) < 0)
        goto out;
    if (sms) {
        tpl_trim_end(text);
        if (!*text) {
            ufault_subject(f, "%s", path);
            ufault_set(f, "template_bad", "the text is empty");
            goto out;
        }
        set->sms[i] = text;
        text = NULL;
    } else if (tpl_split_email(text, path, &set->subject[i], &set->email[i], f) < 0) {
        goto out;
    }
    rc = 0;
out:
    free(text);
    return rc;
}

/* The length of the name before ".email.txt" or ".sms.txt" (*sms says which) of a file name
 * that ends so; 0 for any other name. */
static size_t tpl_file_stem(const char *file, bool *sms)
{
    static const char *const ext[2] = {".email.txt", ".sms.txt"};
    size_t n = strlen(file);
    for (int i = 0; i < 2; i++) {
        size_t k = strlen(ext[i]);
        if (n > k && !strcmp(file + n - k, ext[i])) {
            *sms = i == 1;
            return n - k;
        }
    }
    return 0;
}

/* Refuses a file in dir/lang that looks like a template's ("<name>.email.txt", "<name>.sms.txt")
 * but that no template reads: an unknown name (a typo) or a form the template does not have
 * (otp_code.email.txt). Loaded, it would be skipped, and the operator's text never sent. Other
 * files (a README, an editor's backup) are no template's and are left alone. -1 with f set
 * (template_unused, its subject the file). */
static int tpl_check_unused(const char *dir, const char *lang, struct ufault *f)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, lang);
    DIR *d = opendir(path);
    if (!d) /* no folder for the language: every text is the built-in one */
        return 0;
    int rc = 0;
    for (struct dirent *e; rc == 0 && (e = readdir(d));) {
        bool sms = false;
        size_t stem = tpl_file_stem(e->d_name, &sms);
        if (!stem)
            continue;
        int t = 0;
        while (t < NOTIFY_TPL__COUNT &&
               (strlen(tpl_names[t]) != stem || strncmp(tpl_names[t], e->d_name, stem)))
            t++;
        if (t == NOTIFY_TPL__COUNT) {
            ufault_subject(f, "%s/%s", path, e->d_name);
            ufault_set(f, "template_unused",
                       "no template is named '%.*s', so the file would not be used (rename or "
                       "remove it)",
                       (int)stem, e->d_name);
            rc = -1;
        } else if (sms ? !notify_tpl_has_sms((enum notify_tpl)t)
                       : !notify_tpl_has_email((enum notify_tpl)t)) {
            ufault_subject(f, "%s/%s", path, e->d_name);
            ufault_set(f, "template_unused",
                       "%s has no %s form, so the file would not be used (remove it)", tpl_names[t],
                       sms ? "SMS" : "e-mail");
            rc = -1;
        }
    }
    closedir(d);
    return rc;
}

int notify_templates_load_fault(const char *dir, const char *lang, struct notify_templates **out,
                                struct ufault *f)
{
    *out = NULL;
    ufault_subject(f, "%s", "");
    if (!lang || (strcmp(lang, "tr") && strcmp(lang, "en"))) {
        ufault_subject(f, "notify_language");
        ufault_set(f, "setting_bad_value", "unknown template language '%.10s' (tr or en)",
                   lang ? lang : "");
        return -1;
    }
    struct notify_templates *set = calloc(1, sizeof *set);
    if (!set) {
        ufault_set(f, NULL, "out of memory");
        return -1;
    }
    memcpy(set->lang, lang, 3);
    if (dir && *dir && tpl_check_unused(dir, lang, f) < 0) {
        notify_templates_free(set);
        return -1;
    }
    for (int i = 0; i < NOTIFY_TPL__COUNT; i++) {
        if ((notify_tpl_has_email((enum notify_tpl)i) &&
             tpl_load_one(set, dir, lang, (enum notify_tpl)i, false, f) < 0) ||
            (notify_tpl_has_sms((enum notify_tpl)i) &&
             tpl_load_one(set, dir, lang, (enum notify_tpl)i, true, f) < 0)) {
            notify_templates_free(set);
            return -1;
        }
    }
    *out = set;
    return 0;
}

int notify_templates_load(const char *dir, const char *lang, struct notify_templates **out,
                          char *err, size_t errlen)
{
    struct ufault f = {0};
    if (notify_templates_load_fault(dir, lang, out, &f) == 0)
        return 0;
    snprintf(err, errlen, "%s%s%s", f.subject, f.subject[0] ? ": " : "", f.detail);
    return -1;
}

/* The value of the var named name[0..n), or NULL when there is none. */
static const char *tpl_value(const struct notify_var *vars, size_t nvars, const char *name,
                             size_t n)
{
    for (size_t i = 0; i < nvars; i++)
        if (strlen(vars[i].name) == n && !strncmp(vars[i].name, name, n))
            return vars[i].value ? vars[i].value : "";
    return NULL;
}

/* Appends count (a number written in digits) with its noun: the form of the catalogue's entry
 * key for that number in lang (templates.h). A value that is not a number takes the form of
 * 0; whatever its length, it is put whole (the counts are the server's, but to the renderer a
 * value is outside input). */
static int tpl_put_counted(struct ubuf *out, const char *key, const char *count, const char *lang)
{
    const size_t len = strlen(count);
    unsigned long n = 0;
    if (len && len < 10 && strspn(count, "0123456789") == len)
        n = strtoul(count, NULL, 10);
    const char *text = core_text_n(key, n, strcmp(lang, "en") ? CORE_LANG_TR : CORE_LANG_EN);
    if (!text)
        return -1;
    size_t cap = strlen(text) + 1; /* and the value for each {0} */
    for (const char *p = strstr(text, "{0}"); p; p = strstr(p + 3, "{0}"))
        cap += len;
    char *filled = malloc(cap);
    int rc = filled && core_text_fill(text, count, filled, cap) ? ubuf_puts(out, filled) : -1;
    free(filled);
    return rc;
}

/* Appends text to out with its placeholders replaced; lang: the set's language (the nouns of
 * the counts). */
static int tpl_expand(const char *text, const char *lang, const struct notify_var *vars,
                      size_t nvars, struct ubuf *out)
{
    const char *p = text;
    for (const char *b = strchr(p, '{'); b; b = strchr(b + 1, '{')) {
        size_t n = tpl_placeholder(b + 1);
        if (!n)
            continue;
        if (ubuf_put(out, p, (size_t)(b - p)) < 0)
            return -1;
        /* the SMS code's mark stays for the sender (templates.h); no value takes its place */
        if (n == sizeof NOTIFY_CODE_MARK - 3 && !strncmp(b, NOTIFY_CODE_MARK, n + 2)) {
            if (ubuf_puts(out, NOTIFY_CODE_MARK) < 0)
                return -1;
            p = b + 1 + n + 1;
            b = p - 1;
            continue;
        }
        const char *key, *count = tpl_counted_of(b + 1, n, &key), *v;
        if (count) { /* the count with its noun; nothing when the count is not given */
            v = tpl_value(vars, nvars, count, strlen(count));
            if (v && tpl_put_counted(out, key, v, lang) < 0)
                return -1;
        } else if ((v = tpl_value(vars, nvars, b + 1, n)) && ubuf_puts(out, v) < 0) {
            return -1;
        }
        p = b + 1 + n + 1;
        b = p - 1;
    }
    return ubuf_puts(out, p);
}

int notify_render(const struct notify_templates *set, enum notify_tpl t, bool sms,
                  const struct notify_var *vars, size_t nvars, struct ubuf *subject,
                  struct ubuf *body)
{
    if (!set || (unsigned)t >= NOTIFY_TPL__COUNT || !body)
        return -1;
    if (sms)
        return set->sms[t] ? tpl_expand(set->sms[t], set->lang, vars, nvars, body) : -1;
    if (!subject || !set->email[t] ||
        tpl_expand(set->subject[t], set->lang, vars, nvars, subject) < 0)
        return -1;
    return tpl_expand(set->email[t], set->lang, vars, nvars, body);
}
