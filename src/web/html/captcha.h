/* eimza — drawing and speaking the login captcha (web/html/).
 *
 * Only the rendering lives here: the caller (the login handlers) makes the text from the
 * CSPRNG, stores it, enforces single use and expiry, and asks these functions for the picture
 * or the spoken version of a text it already holds. Nothing here keeps any state about a
 * captcha; the same text may be rendered any number of times.
 *
 * The alphabet leaves out characters people confuse (0/O/Q, 1/I/L) and letters the Turkish
 * alphabet does not have (Q, W, X), so the text can be read from the picture and written
 * down from the sound in either language.
 */
#ifndef EIMZA_WEB_HTML_CAPTCHA_H
#define EIMZA_WEB_HTML_CAPTCHA_H

#include <stdint.h>

#include "app/context.h"
#include "util/buf.h"

#define WEB_CAPTCHA_ALPHABET "ABCDEFGHJKMNPRSTUVYZ23456789"
#define WEB_CAPTCHA_MIN_LEN  4
#define WEB_CAPTCHA_MAX_LEN  8
#define WEB_CAPTCHA_WIDTH    200 /* pixels of the PNG */
#define WEB_CAPTCHA_HEIGHT   70

/* Renders text (4-8 characters from WEB_CAPTCHA_ALPHABET) as a distorted PNG;
 * seed varies the distortion so two renderings differ (the same seed gives the same bytes).
 * Returns 0, or -1 (bad text, out of memory, libgd failure, out's cap reached). The PNG bytes
 * are appended to out; on -1 out is left as it was. Thread-safe.
 * The glyphs come from a TrueType font: $EIMZA_CAPTCHA_FONT when set (only that file is then
 * tried), else the first of a few Debian font paths that exists (fonts-dejavu-core); without
 * a usable font, gd's built-in bitmap font is drawn scaled up instead. */
int web_captcha_png(const char *text, uint64_t seed, struct ubuf *out);

/* The spoken version for screen-reader users: a WAV (RIFF, 16-bit mono PCM) spelling the
 * characters one by one with a pause between them, in Turkish ("A. Be. Üç.") or English, by
 * the espeak-ng library. Returns 0, or -1 (bad text, out of memory, synthesis failure, out's
 * cap reached); appends to out, which is left as it was on -1. Thread-safe (calls are
 * serialised: the synthesiser has one global state). */
int web_captcha_wav(const char *text, enum core_lang lang, struct ubuf *out);

#endif
