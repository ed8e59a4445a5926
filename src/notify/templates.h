/* eimza — the texts of the notification messages (notify/): Turkish and English templates
 * with {placeholders}, kept in the catalogue of people's text (core/catalogue.h, po/) as the
 * entries "mail.<name>.email" and "mail.<name>.sms", and written out by the build as files
 * under templates/<lang>/ (installed as share/eimza/templates/, to copy and change).
 *
 * Each message has an e-mail form, "<name>.email.txt" (a first line "Subject: ...", an empty
 * line, then the body), and most have an SMS form, "<name>.sms.txt" (the text alone). A
 * configured directory (templates_dir) is read at start-up: a file found there replaces the
 * compiled-in text of the same name, a missing one leaves the compiled-in text in place, so an
 * operator can change one message without copying them all. A file there named like a
 * template's that no template reads (a name that is none, otp_code.email.txt: a form the
 * template does not have) is refused, like a bad one, rather than skipped. The compiled-in texts
 * are the catalogue's (tests/unit/notify/test_templates.c checks the written-out files agree).
 *
 * A placeholder is '{', a name of [a-z_], '}'; each template accepts a fixed set of names and
 * any other name is refused when the template is loaded, so a typo is found at start-up and
 * not by the recipient. Any other '{' is an ordinary character.
 *
 * A count before its noun: where a template has {days}, {minutes}, {seconds} or {total} (the
 * number alone), it may also have {n_days}, {n_minutes}, {n_seconds} or {n_applications}: the
 * number with its noun in the set's language, in the form for that number ("1 day", "15 days";
 * "1 gün", "15 gün": Turkish has no plural after a number). The nouns and their forms are the
 * catalogue's plural entries "count.days", "count.minutes", "count.seconds" and
 * "count.applications" (core_text_n, as the pages' counts), so a template file says the noun
 * without a plural syntax of its own, and a file written with "{days} gün" keeps working. The
 * built-in texts use these wherever a count comes before a noun.
 *
 * {code} is reserved: only the SMS forms of otp_code and pin_code may have it, exactly once (a file
 * without it is refused: the message would be useless), and rendering leaves it as it is, whatever
 * the values say. The code itself is never a value: it is sealed apart and put in place of the mark
 * only by the sender, at delivery (notify/outbox.h, notify_code_fill), so a template file cannot
 * put it into an e-mail, a subject, another message or the outbox.
 */
#ifndef EIMZA_NOTIFY_TEMPLATES_H
#define EIMZA_NOTIFY_TEMPLATES_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

enum notify_tpl {
    NOTIFY_TPL_EXPIRY_WARNING, /* expiry_warning: a milestone before expiry (90, 60, 30 days) */
    NOTIFY_TPL_EXPIRED,        /* expired: on expiry */
    NOTIFY_TPL_REMIND_CODE,    /* reminder_code: a draft whose SMS code was never verified */
    NOTIFY_TPL_REMIND_SIGN,    /* reminder_sign: code verified, not signed */
    NOTIFY_TPL_REMIND_PAPER,   /* reminder_paper: wet-signed, the paper has not arrived */
    NOTIFY_TPL_DIGEST,         /* digest: the approvers' daily summary (e-mail only) */
    /* after approval: the card's way to the holder (app/card_flow.h) */
    NOTIFY_TPL_CARD_ORDERED,    /* card_ordered: the card was ordered or is being made */
    NOTIFY_TPL_CARD_SHIPPED,    /* card_shipped: handed to the courier */
    NOTIFY_TPL_CARD_DELIVERED,  /* card_delivered: delivered (the bureau sends the PIN) */
    NOTIFY_TPL_CARD_PIN_READY,  /* card_pin_ready: delivered, its PIN waits on the portal */
    NOTIFY_TPL_CARD_LATE,       /* card_late: not delivered in the expected days */
    NOTIFY_TPL_CARD_REFUSED,    /* card_refused: the card bureau refused to make it */
    NOTIFY_TPL_COMPLETED,       /* application_completed: the new certificate is linked */
    NOTIFY_TPL_CANCELLED,       /* application_cancelled: cancelled by staff */
    NOTIFY_TPL_PIN_WORD_WAIVED, /* pin_word_waived: an operator lifted the PIN's word step */
    /* the decision (app/admin_decide.c) */
    NOTIFY_TPL_APPROVED,      /* application_approved: approved, the card by courier in {n_days} */
    NOTIFY_TPL_REJECTED,      /* application_rejected: a ready reason (it says what to do) */
    NOTIFY_TPL_REJECTED_FREE, /* application_rejected_free: the approver's words, then advice */
    /* who helps, in a deployment that makes its own cards (production = inhouse): the twin of
     * the template named, sent in its place (notify_tpl_deployed) */
    NOTIFY_TPL_CARD_LATE_INHOUSE, /* card_late_inhouse: card_late, ask the e-imza sorumlusu */
    /* card_ordered_inhouse: card_ordered, the card made here and handed over or sent */
    NOTIFY_TPL_CARD_ORDERED_INHOUSE,
    /* application_approved_inhouse: application_approved, the card made here, handed over or
     * sent, a late one asked of the e-imza sorumlusu */
    NOTIFY_TPL_APPROVED_INHOUSE,
    /* otp_code: the SMS code of an application (app/portal_otp.c); SMS only, one of the two
     * templates with {code} (NOTIFY_CODE_MARK, notify_tpl_has_code) */
    NOTIFY_TPL_OTP_CODE,
    /* pin_code: the SMS code of the card-PIN step (app/flow_pin.c); SMS only, with {code}
     * (NOTIFY_CODE_MARK) like otp_code */
    NOTIFY_TPL_PIN_CODE,
    NOTIFY_TPL__COUNT
};

/* The file name stem of a template ("expiry_warning"). */
const char *notify_tpl_name(enum notify_tpl t);
/* The template to send for t in this deployment. Where the cards are made in house (production
 * = inhouse), a text that sends the holder to Kamu SM's call centre has an in-house twin
 * "<name>_inhouse" naming the e-imza sorumlusu of the provincial directorate instead (as the
 * pages' web_msg_deployed), and one that says the card comes by courier a twin saying it may be
 * handed over in person; any other template is itself. The one place that pairs them. */
enum notify_tpl notify_tpl_deployed(enum notify_tpl t, bool inhouse);
/* Whether the template has an SMS form; an e-mail form (all but otp_code and pin_code). */
bool notify_tpl_has_sms(enum notify_tpl t);
bool notify_tpl_has_email(enum notify_tpl t);
/* Whether the template brings an SMS code, with NOTIFY_CODE_MARK (otp_code, pin_code). */
bool notify_tpl_has_code(enum notify_tpl t);

/* The reserved placeholder of the SMS code (see above). */
#define NOTIFY_CODE_MARK "{code}"

/* One value for a placeholder. */
struct notify_var {
    const char *name;  /* without braces */
    const char *value; /* inserted as it is */
};

struct notify_templates; /* one language's set, loaded */

struct ufault;
/* Loads the set for lang ("tr" or "en"): the compiled-in texts, each replaced by
 * dir/<lang>/<name>.<email|sms>.txt when dir is not NULL or "" and the file exists. Returns 0,
 * or -1 with the refusal in f (util/fault.h): template_bad, its subject the file (an unknown
 * placeholder {x}, a missing Subject line, a file that is not UTF-8 or larger than 16 KiB),
 * template_unused (a file no template reads), setting_bad_value for notify_language (an
 * unknown language); no code when memory runs out. */
int notify_templates_load_fault(const char *dir, const char *lang, struct notify_templates **out,
                                struct ufault *f);
/* notify_templates_load_fault with the refusal as one text in err ("FILE: DETAIL"). */
int notify_templates_load(const char *dir, const char *lang, struct notify_templates **out,
                          char *err, size_t errlen);
void notify_templates_free(struct notify_templates *t);
/* The language a loaded set was loaded for ("tr" or "en"); NULL when set is NULL. A value
 * chosen in words before the message is rendered (a ready rejection reason's text) is chosen
 * in this language. */
const char *notify_templates_lang(const struct notify_templates *set);

/* Renders template t in its e-mail form (subject and body) or its SMS form (body only; subject
 * may be NULL then): every placeholder becomes the value of the var of that name (a name
 * without a var becomes ""), a count's {n_...} the value of its count with the noun (above; ""
 * without a var), except NOTIFY_CODE_MARK, which stays as it is. Output is appended
 * to the buffers. Returns 0, or -1 when a buffer's cap would be passed, memory runs out, or t
 * has no such form. */
int notify_render(const struct notify_templates *set, enum notify_tpl t, bool sms,
                  const struct notify_var *vars, size_t nvars, struct ubuf *subject,
                  struct ubuf *body);

/* The compiled-in text of a template file (the catalogue's; for the drift test), or NULL. */
const char *notify_tpl_builtin(const char *lang, enum notify_tpl t, bool sms);

#endif
