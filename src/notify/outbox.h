/* eimza — messages kept as a template and its values (notify/): how the scan writes them and
 * how senders and the outbox views render them.
 *
 * The notification scan queues its messages unrendered (store_outbox_msg.tpl and .params,
 * schema version 5): the template's file-name stem and a JSON object of the values of its
 * placeholders, portal_url left out. They are rendered when they are read for sending or for
 * a person, with the template set and portal_url of that moment: a corrected template or a
 * moved portal applies to what still waits, and the outbox holds about a third of the bytes.
 */
#ifndef EIMZA_NOTIFY_OUTBOX_H
#define EIMZA_NOTIFY_OUTBOX_H

#include <jansson.h>
#include <stddef.h>

#include "notify/templates.h"
#include "store/store.h"
#include "util/buf.h"

/* The values of vars as a JSON object of strings (compact; var named "portal_url" left out),
 * malloc'ed; NULL when memory runs out or a value is not UTF-8. */
char *notify_params_json(const struct notify_var *vars, size_t nvars);

/* The template of a file-name stem ("expiry_warning"), or -1. */
int notify_tpl_by_name(const char *name);

/* The subject and body of m as they are sent (appended to the buffers; subject may be NULL):
 * a message with a body as it is; one kept unrendered rendered in the form of its channel
 * with its values and portal_url. Returns 0, or -1 with a short reason in *why (may be NULL):
 * "unknown_template", "bad_params" (not a JSON object of strings; for otp_code and pin_code also a
 * value holding NOTIFY_CODE_MARK), "no_sms_form", "no_email_form", "render_failed" (too long, or
 * out of memory). */
int notify_outbox_render(const struct notify_templates *set, const char *portal_url,
                         const struct store_outbox_msg *m, struct ubuf *subject, struct ubuf *body,
                         const char **why);

/* ---- the SMS code (issue 19, finding 4) ------------------------------------------------------
 * A message that brings an SMS code has NOTIFY_CODE_MARK in its body and the code sealed in
 * m->secret (store.h, "SMS codes at rest"), for the context of its dedupe key: the template
 * otp_code or pin_code, whose SMS form keeps the mark when it is rendered (notify/templates.h). */
#define NOTIFY_CODE_MASK "******"
struct crypto_seal_key;
/* Appends text to out with the code, opened from m->secret with key, in place of
 * NOTIFY_CODE_MARK (what a sender does). The text of a message queued without a code
 * (secret_until 0), or without the mark, is appended as it is. Returns 0, or -1 with *why (may
 * be NULL): "code_withdrawn" when the code cannot be had any more (dropped, expired, or not
 * opening), "secret_key_missing" when it is there but key is NULL (a sender without the key
 * never sends the mask in its place), or "render_failed" (out of room). */
int notify_code_fill(const struct crypto_seal_key *key, const struct store_outbox_msg *m,
                     const char *text, struct ubuf *out, const char **why);
/* The same with NOTIFY_CODE_MASK in place of the mark, for a person who may not read the code;
 * -1 only when out of room. */
int notify_code_mask(const struct store_outbox_msg *m, const char *text, struct ubuf *out);

/* A message for a person to read: {"channel", "to" (as given), "subject", "body" (rendered
 * as notify_outbox_render does; one that cannot be rendered shows its values instead),
 * "created_at" (ISO 8601), "template" (only for one kept unrendered)}. An SMS code shows only
 * with reveal (the key: the development outbox) and only while the message still holds it
 * unexpired at now; otherwise NOTIFY_CODE_MASK. NULL when memory runs out. */
json_t *notify_outbox_json(const struct notify_templates *set, const char *portal_url,
                           const struct crypto_seal_key *reveal, int64_t now,
                           const struct store_outbox_msg *m, const char *to);

#endif
