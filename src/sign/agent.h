/* eimza — the local signing agent (sign/agent.c): a small HTTP server on the holder's own
 * machine, on loopback only, through which the portal's page (static/js/sign.js) lists the
 * cards and has content signed. Only the configured portal origins are answered; the PIN is
 * asked by the agent itself, never received from the page. The HTTP API is described at the
 * top of agent.c.
 *
 * The pure parts (listen address, origins, Host header, base64, the request handler without
 * sockets) are public here so the unit tests can reach them. */
#ifndef EIMZA_SIGN_AGENT_H
#define EIMZA_SIGN_AGENT_H

#include <stdbool.h>
#include <stddef.h>

#include "sign/sign.h"

#define SIGN_AGENT_DEFAULT_LISTEN "127.0.0.1:8089"
#define SIGN_ORIGIN_MAX           256 /* bytes of a normalised origin, with the NUL */
#define SIGN_AGENT_MAX_CONTENT    (2u * 1024 * 1024) /* bytes to sign, decoded */

/* ---- pure helpers ------------------------------------------------------------------------ */

struct sign_listen {
    char host[48]; /* "127.0.0.1" or "::1" (no brackets) */
    unsigned port; /* 0: any free port */
    bool ipv6;
};

enum sign_listen_result {
    SIGN_LISTEN_OK = 0,
    SIGN_LISTEN_MALFORMED = -1,    /* not HOST:PORT */
    SIGN_LISTEN_NOT_LOOPBACK = -2, /* a well-formed address that is not loopback */
};
/* Parses "HOST:PORT" where HOST is an IPv4 address in 127.0.0.0/8, "localhost" (taken as
 * 127.0.0.1) or "[::1]", and PORT is 0..65535. */
enum sign_listen_result sign_listen_parse(const char *s, struct sign_listen *out);

/* Normalises a configured portal origin "scheme://host[:port]" (http or https, no path but
 * an optional trailing "/") the way browsers serialise the Origin header: scheme and host in
 * lower case, the scheme's default port dropped. Returns 0, or -1 when in is not such an
 * origin or does not fit out[cap]. */
int sign_origin_normalize(const char *in, char *out, size_t cap);

/* Whether the request's Origin header (NULL when absent) is exactly one of the normalised
 * allowed origins. "null" and absent origins never match. */
bool sign_origin_allowed(const char *origin, const char *const *allowed, size_t n);

/* Whether a Host header names this loopback listener: localhost, a 127.x.y.z literal or
 * [::1], with the listener's port (which may be left out only when it is 80). Refusing other
 * names keeps DNS-rebinding pages away even before the Origin check. */
bool sign_host_allowed(const char *host, unsigned port);

/* Standard base64 with padding. sign_b64_encode returns a malloc'ed string (free()) or NULL;
 * sign_b64_decode returns 0 and a malloc'ed buffer (free(); *n may be 0), or -1 when s is
 * not strict base64 or decodes to more than max bytes (or memory runs out). */
char *sign_b64_encode(const unsigned char *p, size_t n);
int sign_b64_decode(const char *s, size_t max, unsigned char **out, size_t *n);

/* ---- the agent --------------------------------------------------------------------------- */

struct sign_agent_config {
    struct sign_listen listen;
    const char *const *origins; /* normalised (sign_origin_normalize); borrowed */
    size_t norigins;
    struct sign_module *module; /* borrowed; used from the agent's one server thread only */
    sign_pin_fn ask_pin;
    void *ask_arg;
};

struct sign_agent;

/* One request without the socket: what the server thread does with a complete request.
 * Header values are NULL when absent. Fills *status and *body (malloc'ed JSON, free(); NULL
 * for a 204) and the CORS decisions; the caller adds the headers. */
struct sign_agent_reply {
    int status;
    char *body;
    bool cors;         /* the origin is allowed: Access-Control-Allow-Origin: <origin> */
    bool preflight;    /* an answered OPTIONS: Allow-Methods/Headers, Max-Age */
    bool private_net;  /* Access-Control-Allow-Private-Network: true */
    const char *allow; /* the Allow header of a 405, else NULL */
};
struct sign_agent_request {
    const char *method;
    const char *path;
    const char *origin;
    const char *host;
    const char *content_type;
    const char *pna_request; /* Access-Control-Request-Private-Network */
    const unsigned char *body;
    size_t body_len;
    bool body_too_large;
};
void sign_agent_handle(struct sign_agent *a, const struct sign_agent_request *rq,
                       struct sign_agent_reply *out);

/* Makes an agent without a listener (for sign_agent_handle in tests) or starts one that
 * serves cfg->listen from a thread of its own. *out is owned by the caller
 * (sign_agent_stop). Returns 0, or -1 with a message in err. */
int sign_agent_new(const struct sign_agent_config *cfg, struct sign_agent **out, char *err,
                   size_t errlen);
int sign_agent_start(const struct sign_agent_config *cfg, struct sign_agent **out, char *err,
                     size_t errlen);
/* The port actually listened on (useful with port 0). */
unsigned sign_agent_port(const struct sign_agent *a);
/* Stops listening, lets the request in progress finish, and frees the agent. */
void sign_agent_stop(struct sign_agent *a);

#endif
