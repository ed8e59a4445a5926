/* eimza — the route table of `eimza serve` (web/): every path the server answers, in one
 * place, with its method, handler and body limit. */
#ifndef EIMZA_WEB_ROUTES_H
#define EIMZA_WEB_ROUTES_H

#include <stddef.h>

#include "web/http/router.h"
#include "web/http/server.h"

extern const struct web_route web_routes[];
extern const size_t web_routes_count;
/* The table with the pages' error answer (web/pages/pages.h): what `eimza serve` serves. */
extern const struct web_site web_site;

#endif
