/* eimza — the route table of `eimza serve` (web/): every path the server answers, in one
 * place, with its method, handler and body limit. */
#ifndef EIMZA_WEB_ROUTES_H
#define EIMZA_WEB_ROUTES_H

#include <stddef.h>

#include "web/router.h"

extern const struct web_route web_routes[];
extern const size_t web_routes_count;

#endif
