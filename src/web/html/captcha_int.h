/* eimza — what the two captcha files (captcha.c, captcha_audio.c) share; nothing else
 * includes this file. */
#ifndef EIMZA_WEB_HTML_CAPTCHA_INT_H
#define EIMZA_WEB_HTML_CAPTCHA_INT_H

#include <stdbool.h>
#include <stddef.h>

/* True when text is WEB_CAPTCHA_MIN_LEN..WEB_CAPTCHA_MAX_LEN characters, all from
 * WEB_CAPTCHA_ALPHABET (upper case only); *len gets its length. */
bool web_captcha_text_ok(const char *text, size_t *len);

#endif
