/* Unit tests for the agent's request handling without sockets (sign_agent_handle): the Host
 * and Origin checks come first and give no CORS headers, the preflight with Private Network
 * Access, the method and path errors, the version, and the request-body checks of POST
 * /v1/sign. None of these reach the card, so the agent is made without a module. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "sign/agent.h"

#define PORTAL "https://portal.example"
#define HOST   "127.0.0.1:8089"

static const char *origins[] = {PORTAL};

static int setup(void **state)
{
    struct sign_agent_config cfg = {.origins = origins, .norigins = 1};
    struct sign_agent *a = NULL;
    char err[100];
    assert_int_equal(sign_listen_parse("127.0.0.1:8089", &cfg.listen), SIGN_LISTEN_OK);
    assert_int_equal(sign_agent_new(&cfg, &a, err, sizeof err), 0);
    *state = a;
    return 0;
}

static int teardown(void **state)
{
    sign_agent_stop(*state);
    return 0;
}

/* Handles rq and checks the status and, when code is not NULL, the error code. */
static struct sign_agent_reply run(void **state, const struct sign_agent_request *rq, int status,
                                   const char *code)
{
    struct sign_agent_reply r;
    sign_agent_handle(*state, rq, &r);
    assert_int_equal(r.status, status);
    if (code) {
        json_error_t e;
        json_t *j = json_loads(r.body, 0, &e);
        assert_non_null(j);
        assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "code")),
                            code);
        assert_non_null(json_string_value(json_object_get(json_object_get(j, "error"), "message")));
        json_decref(j);
    }
    free(r.body);
    r.body = NULL;
    return r;
}

static void test_forbidden(void **state)
{
    struct sign_agent_request rq = {.method = "GET", .path = "/v1/tokens", .host = HOST};
    struct sign_agent_reply r = run(state, &rq, 403, "origin_forbidden");
    assert_false(r.cors);
    rq.origin = "https://evil.example";
    r = run(state, &rq, 403, "origin_forbidden");
    assert_false(r.cors);
    rq.origin = "null";
    r = run(state, &rq, 403, "origin_forbidden");
    rq.origin = PORTAL;
    rq.host = "evil.example:8089";
    r = run(state, &rq, 403, "host_forbidden");
    assert_false(r.cors);
    rq.host = NULL;
    r = run(state, &rq, 403, "host_forbidden");
    /* a foreign preflight is refused the same way, without the PNA answer */
    struct sign_agent_request pf = {.method = "OPTIONS",
                                    .path = "/v1/sign",
                                    .host = HOST,
                                    .origin = "https://evil.example",
                                    .pna_request = "true"};
    r = run(state, &pf, 403, "origin_forbidden");
    assert_false(r.private_net);
    assert_false(r.preflight);
}

static void test_preflight(void **state)
{
    struct sign_agent_request rq = {.method = "OPTIONS",
                                    .path = "/v1/sign",
                                    .host = HOST,
                                    .origin = PORTAL,
                                    .pna_request = "true"};
    struct sign_agent_reply r = run(state, &rq, 204, NULL);
    assert_true(r.cors);
    assert_true(r.preflight);
    assert_true(r.private_net);
    rq.pna_request = NULL;
    rq.path = "/v1/tokens";
    r = run(state, &rq, 204, NULL);
    assert_true(r.preflight);
    assert_false(r.private_net);
    rq.pna_request = "false";
    r = run(state, &rq, 204, NULL);
    assert_false(r.private_net);
    rq.path = "/v1/other";
    r = run(state, &rq, 404, "not_found");
    assert_true(r.cors); /* the portal may read the error */
    assert_false(r.preflight);
}

static void test_routes(void **state)
{
    struct sign_agent_request rq = {
        .method = "POST", .path = "/v1/tokens", .host = HOST, .origin = PORTAL};
    struct sign_agent_reply r = run(state, &rq, 405, "method_not_allowed");
    assert_string_equal(r.allow, "GET, OPTIONS");
    rq.method = "GET";
    rq.path = "/v1/sign";
    r = run(state, &rq, 405, "method_not_allowed");
    assert_string_equal(r.allow, "POST, OPTIONS");
    rq.path = "/";
    run(state, &rq, 404, "not_found");
    rq.path = "/v1/tokens/";
    run(state, &rq, 404, "not_found");
}

/* GET /v1/version answers without the card (the agent has no module here), only to the
 * configured origins */
static void test_version(void **state)
{
    struct sign_agent_request rq = {
        .method = "GET", .path = "/v1/version", .host = HOST, .origin = PORTAL};
    struct sign_agent_reply r;
    sign_agent_handle(*state, &rq, &r);
    assert_int_equal(r.status, 200);
    assert_true(r.cors);
    json_t *j = json_loads(r.body, 0, NULL);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "agent")), "eimza");
    assert_string_equal(json_string_value(json_object_get(j, "version")), EIMZA_VERSION);
    assert_int_equal(json_integer_value(json_object_get(j, "api")), 1);
    assert_true(json_is_true(json_object_get(j, "relay")));
    json_decref(j);
    free(r.body);
    rq.method = "POST";
    r = run(state, &rq, 405, "method_not_allowed");
    assert_string_equal(r.allow, "GET, OPTIONS");
    rq.method = "OPTIONS";
    r = run(state, &rq, 204, NULL);
    assert_true(r.preflight);
    rq.method = "GET";
    rq.origin = "https://evil.example";
    run(state, &rq, 403, "origin_forbidden");
}

static void post(void **state, const char *ctype, const char *body, bool too_large, int status,
                 const char *code)
{
    struct sign_agent_request rq = {.method = "POST",
                                    .path = "/v1/sign",
                                    .host = "localhost:8089",
                                    .origin = PORTAL,
                                    .content_type = ctype,
                                    .body = (const unsigned char *)body,
                                    .body_len = strlen(body),
                                    .body_too_large = too_large};
    struct sign_agent_reply r = run(state, &rq, status, code);
    assert_true(r.cors);
}

static void test_sign_body(void **state)
{
    post(state, "application/json", "{}", true, 413, "payload_too_large");
    post(state, "text/plain", "{\"content_b64\":\"QQ==\"}", false, 415, "unsupported_media_type");
    post(state, NULL, "{\"content_b64\":\"QQ==\"}", false, 415, "unsupported_media_type");
    post(state, "application/jsonx", "{\"content_b64\":\"QQ==\"}", false, 415,
         "unsupported_media_type");
    post(state, "application/json; charset=utf-8", "{", false, 400, "bad_request");
    post(state, "application/json", "[]", false, 400, "bad_request");
    post(state, "application/json", "{}", false, 400, "bad_request");
    post(state, "application/json", "{\"content_b64\":5}", false, 400, "bad_request");
    post(state, "application/json", "{\"content_b64\":\"QQ==\",\"pin\":\"1234\"}", false, 400,
         "bad_request");
    post(state, "application/json", "{\"content_b64\":\"QQ==\",\"content_b64\":\"QQ==\"}", false,
         400, "bad_request");
    post(state, "application/json", "{\"content_b64\":\"Q\"}", false, 400, "bad_request");
    post(state, "application/json", "{\"content_b64\":\"\"}", false, 400, "bad_request");
    post(state, "application/json",
         "{\"token\":\"123456789012345678901234567890123\",\"content_b64\":\"QQ==\"}", false, 400,
         "bad_request");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_forbidden, setup, teardown),
        cmocka_unit_test_setup_teardown(test_preflight, setup, teardown),
        cmocka_unit_test_setup_teardown(test_routes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sign_body, setup, teardown),
        cmocka_unit_test_setup_teardown(test_version, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
