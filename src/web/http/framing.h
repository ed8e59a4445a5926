/* eimza — the request framing rules of RFC 9112 that the server enforces itself (web/http/),
 * issue 19, finding 3.
 *
 * libmicrohttpd 0.9.75 (Debian 12) parses the request line and the header section before our
 * access handler runs, and is lenient where RFC 9112 asks a server to refuse: it accepts
 * Content-Length together with Transfer-Encoding (and then frames by the chunked coding),
 * takes the first of several Content-Length values, keeps a space before the colon in the
 * field's name, accepts any Host count, keeps a bare CR inside a value, and reads a body of
 * an unknown transfer coding until the connection times out. Its MHD_OPTION_STRICT_FOR_CLIENT
 * (1) only adds the Host check for HTTP/1.1 (and refuses spaces in the target), and it answers
 * that refusal with its own page, without our security headers; 0.9.75 has no
 * MHD_OPTION_CLIENT_DISCIPLINE_LVL (from 0.9.77 on) and no hook for its own error pages. So the
 * server leaves MHD at its default and checks the parsed request here, on the first call of
 * the access handler, before any body is read; a refused request gets our answer (with the
 * security headers) and "Connection: close", and MHD closes the connection after it without
 * reading anything that was sent after the head, so nothing smuggled behind it is answered.
 *
 * What this cannot see, because MHD has already rewritten the bytes (docs/SECURITY.md, finding
 * 3): a NUL inside a value (MHD cuts the value there) and obsolete line folding (MHD glues the
 * folded line to the end of the previous field's name). The dangerous form of the latter, a
 * folded Transfer-Encoding or Content-Length, shows as a name that begins with one of those
 * and goes on: refused here like any name that is not a token would be.
 */
#ifndef EIMZA_WEB_HTTP_FRAMING_H
#define EIMZA_WEB_HTTP_FRAMING_H

#include <stdbool.h>
#include <stddef.h>

/* What the framing check found. */
enum web_framing {
    WEB_FRAMING_OK = 0,
    WEB_FRAMING_BAD,         /* 400: refuse and close */
    WEB_FRAMING_UNSUPPORTED, /* 501: a transfer coding other than chunked; refuse and close */
};

/* One header field as MHD parsed it (name and value with their lengths; a value may hold any
 * byte MHD kept). */
struct web_field_view {
    const char *name;
    size_t name_len;
    const char *value;
    size_t value_len;
};

/* Checks the head of a request: version is the request line's ("HTTP/1.1"), fields its header
 * fields in order. Refused (WEB_FRAMING_BAD):
 *   a field name that is not a token (RFC 9110 5.1: a space or tab before the colon, any
 *     separator or control), or one that begins with "content-length" or "transfer-encoding"
 *     and goes on (a folded line glued to it);
 *   a value with a control character other than HTAB (a bare CR, DEL, ...);
 *   Content-Length that is not 1..19 digits, or given more than once (even with the same value);
 *   Content-Length together with Transfer-Encoding; Transfer-Encoding in HTTP/1.0; a
 *     Transfer-Encoding whose last coding is not chunked, or with chunked twice;
 *   HTTP/1.1 without Host, or Host given more than once, or a Host that is not host[:port].
 * WEB_FRAMING_UNSUPPORTED: a transfer coding other than chunked (gzip, x-unknown, ...).
 * *why (may be NULL) gets a short reason for the log (never a value sent). */
enum web_framing web_framing_check(const char *version, const struct web_field_view *fields,
                                   size_t nfields, const char **why);

/* ---- room for the answer ----------------------------------------------------------------------
 *
 * libmicrohttpd keeps a request's head in the connection's memory (connection_memory_bytes):
 * the raw head, a record of about 56 bytes for each field, and for a Cookie field a parsed
 * copy of its value with a record for each cookie. The answer's head is written into what is
 * left. A head that leaves too little was, in 0.9.75, taken and handled (a POST took effect)
 * and then its answer could not be written: the connection closed with nothing sent. So the
 * server refuses, before any handler runs, a head whose estimate leaves less than
 * WEB_ANSWER_ROOM (431, with an answer small enough to fit in nearly nothing). */
#define WEB_MHD_FIELD_COST 64   /* a field's or a cookie's record in MHD's memory, rounded up */
#define WEB_ANSWER_ROOM    2048 /* the largest answer head the server writes, with room to spare */

/* An estimate, never below the real figure, of the connection memory a parsed head holds:
 * head_size (the request line and the fields, as MHD counted them) and its fields. */
size_t web_head_memory(size_t head_size, const struct web_field_view *fields, size_t nfields);

#endif
