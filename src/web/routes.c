/* eimza — the route table (see routes.h and router.h for the pattern rules). Literal routes
 * come before parameterised ones that could match the same path. */
#include "web/routes.h"

#include "web/web_int.h"

const struct web_route web_routes[] = {
    /* operations */
    {"GET", "/healthz", web_h_healthz, 0},
    {"GET", "/metrics", web_h_metrics, 0},
};

const size_t web_routes_count = sizeof web_routes / sizeof web_routes[0];
