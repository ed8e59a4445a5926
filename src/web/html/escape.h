/* eimza — escaping writers for HTML and JSON text, and a log-safe form of request paths
 * (web/html/).
 *
 * Everything that puts outside text into a page, a JSON document or a log line goes through
 * these functions, so one place decides what is dangerous. Input is UTF-8 from anywhere (the
 * network, the database, files): bytes that are not valid UTF-8 (overlong forms, surrogates,
 * code points past U+10FFFF, truncated sequences) become U+FFFD, one per bad byte, so the
 * output is always valid UTF-8.
 *
 * The writers append to a capped buffer (util/buf.h) and return 0, or -1 when the cap would
 * be passed or memory runs out; on -1 the buffer is left as it was before the call.
 */
#ifndef EIMZA_WEB_HTML_ESCAPE_H
#define EIMZA_WEB_HTML_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

/* Text for an HTML element body or a quoted attribute value: & < > " ' become entities;
 * control characters other than tab, LF and CR (and DEL) become U+FFFD. */
int web_html_escape(struct ubuf *b, const char *s, size_t n);
int web_html_escape_str(struct ubuf *b, const char *s); /* NULL writes nothing */

/* A complete JSON string literal, quotes included. Besides what JSON requires (" \ and
 * control characters), < > & are written as \u003c \u003e \u0026 and U+2028/U+2029 as
 * escapes, so the result is also safe inside an HTML <script> block or a JavaScript source.
 * Other non-ASCII characters stay as UTF-8 (Turkish text stays readable). */
int web_json_string(struct ubuf *b, const char *s, size_t n);
int web_json_string_str(struct ubuf *b, const char *s); /* NULL writes null */

/* True when s[0..n) is valid UTF-8 with no NUL byte. */
bool web_utf8_valid(const char *s, size_t n);

/* Writes a form of the request path fit for the access log into out (always NUL-terminated,
 * outlen > 0): printable ASCII is kept except " and \; every other byte is \xHH; a run of 10
 * or more digits (a T.C. Kimlik No, a phone number) keeps only its first 3 and last 2 digits
 * with '*' between; a path segment holding '@' (an e-mail address) becomes "*"; a path longer
 * than the room ends with "...". Returns the length written. */
size_t web_log_path(char *out, size_t outlen, const char *path);

/* The same escaping for free text in a log value (no masking): for store_last_error() and
 * library messages, which never carry personal data but may carry quotes or newlines. */
size_t web_log_text(char *out, size_t outlen, const char *text);

#endif
