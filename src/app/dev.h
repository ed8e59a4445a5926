/* eimza — development mode's stand-ins (app/): under `eimza serve --dev` the SMS and e-mail
 * messages are not sent but wait in the outbox, which the development routes show as they would
 * be sent, so that tests and people trying the portal can read SMS codes without a phone
 * (web/api/dev.c; the captcha's answer comes from app_captcha_peek). docs/INTERFACES.md,
 * "Development only".
 */
#ifndef EIMZA_APP_DEV_H
#define EIMZA_APP_DEV_H

#include <jansson.h>
#include <stddef.h>

#include "app/context.h"

/* Appends the newest max messages of the outbox to list, each as a person would read it
 * (notify_outbox_json: rendered with the settings' templates and portal_url, the recipient in
 * full, and an SMS code only while its message still waits and the code is valid: once handed
 * over, superseded, used or expired it shows as "******", as everywhere else). 404 not_found
 * outside development mode (c->set->dev false). */
enum app_status app_dev_outbox(const struct app_ctx *c, size_t max, json_t *list,
                               struct app_err *err);

#endif
