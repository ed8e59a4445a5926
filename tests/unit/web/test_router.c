/* Unit tests for web/http/router.c: literal and parameterised routes, HEAD on GET routes, 404 and
 * 405 with the Allow list, table order, and the start-up check of malformed tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "web/http/router.h"

static enum web_err h_a(struct web_req *rq)
{
    (void)rq;
    return WEB_OK;
}

static enum web_err h_b(struct web_req *rq)
{
    (void)rq;
    return WEB_OK;
}

static const struct web_route routes[] = {
    {"GET", "/healthz", h_a, 0, WEB_ANSWER_JSON},
    {"GET", "/api/v1/application", h_a, 0, WEB_ANSWER_JSON},
    {"PUT", "/api/v1/application", h_b, 4096, WEB_ANSWER_JSON},
    {"POST", "/api/v1/application/otp", h_a, 0, WEB_ANSWER_JSON},
    {"POST", "/api/v1/application/otp/verify", h_b, 0, WEB_ANSWER_JSON},
    {"GET", "/api/v1/admin/applications", h_a, 0, WEB_ANSWER_JSON},
    {"POST", "/api/v1/admin/applications/{id}/decision", h_b, 0, WEB_ANSWER_JSON},
    {"GET", "/dev/captcha/{id}", h_a, 0, WEB_ANSWER_JSON},
    {"GET", "/x/{a}/y/{b}", h_a, 0, WEB_ANSWER_JSON},
    {"DELETE", "/x/{a}/y/{b}", h_b, 0, WEB_ANSWER_JSON},
    {"GET", "/", h_b, 0, WEB_ANSWER_JSON},
};
#define NROUTES (sizeof routes / sizeof routes[0])

static void test_table_is_valid(void **state)
{
    (void)state;
    char err[256] = "";
    assert_int_equal(web_routes_check(routes, NROUTES, err, sizeof err), 0);
}

static void test_literal_routes(void **state)
{
    (void)state;
    struct web_match m;
    assert_int_equal(web_route_match(routes, NROUTES, "GET", "/healthz", &m), WEB_ROUTE_FOUND);
    assert_ptr_equal(m.route, &routes[0]);
    assert_int_equal(m.nparams, 0);
    assert_int_equal(web_route_match(routes, NROUTES, "PUT", "/api/v1/application", &m),
                     WEB_ROUTE_FOUND);
    assert_ptr_equal(m.route, &routes[2]);
    assert_int_equal(m.route->max_body, 4096);
    assert_int_equal(web_route_match(routes, NROUTES, "GET", "/", &m), WEB_ROUTE_FOUND);
    assert_ptr_equal(m.route, &routes[10]);
    assert_int_equal(web_route_match(routes, NROUTES, "POST", "/api/v1/application/otp/verify", &m),
                     WEB_ROUTE_FOUND);
    assert_ptr_equal(m.route, &routes[4]);
}

static void test_head_matches_get(void **state)
{
    (void)state;
    struct web_match m;
    assert_int_equal(web_route_match(routes, NROUTES, "HEAD", "/healthz", &m), WEB_ROUTE_FOUND);
    assert_ptr_equal(m.route, &routes[0]);
    /* but a HEAD never reaches a POST-only route */
    assert_int_equal(web_route_match(routes, NROUTES, "HEAD", "/api/v1/application/otp", &m),
                     WEB_ROUTE_BAD_METHOD);
}

static void test_parameters(void **state)
{
    (void)state;
    struct web_match m;
    size_t len = 0;
    assert_int_equal(web_route_match(routes, NROUTES, "POST",
                                     "/api/v1/admin/applications/2024-000123/decision", &m),
                     WEB_ROUTE_FOUND);
    assert_ptr_equal(m.route, &routes[6]);
    assert_int_equal(m.nparams, 1);
    const char *id = web_match_param(&m, "id", &len);
    assert_non_null(id);
    assert_int_equal(len, strlen("2024-000123"));
    assert_memory_equal(id, "2024-000123", len);
    assert_null(web_match_param(&m, "i", &len));
    assert_null(web_match_param(&m, "idx", &len));

    assert_int_equal(web_route_match(routes, NROUTES, "DELETE", "/x/one/y/two", &m),
                     WEB_ROUTE_FOUND);
    assert_ptr_equal(m.route, &routes[9]);
    const char *a = web_match_param(&m, "a", &len);
    assert_int_equal(len, 3);
    assert_memory_equal(a, "one", 3);
    const char *b = web_match_param(&m, "b", &len);
    assert_int_equal(len, 3);
    assert_memory_equal(b, "two", 3);
}

static void test_parameter_is_one_nonempty_segment(void **state)
{
    (void)state;
    struct web_match m;
    /* empty segment */
    assert_int_equal(
        web_route_match(routes, NROUTES, "POST", "/api/v1/admin/applications//decision", &m),
        WEB_ROUTE_NOT_FOUND);
    /* a parameter never swallows a slash */
    assert_int_equal(
        web_route_match(routes, NROUTES, "POST", "/api/v1/admin/applications/1/2/decision", &m),
        WEB_ROUTE_NOT_FOUND);
    assert_int_equal(web_route_match(routes, NROUTES, "GET", "/dev/captcha/", &m),
                     WEB_ROUTE_NOT_FOUND);
    assert_int_equal(web_route_match(routes, NROUTES, "GET", "/dev/captcha/abc/", &m),
                     WEB_ROUTE_NOT_FOUND);
}

static void test_not_found(void **state)
{
    (void)state;
    struct web_match m;
    const char *paths[] = {"/healthz/",
                           "/healthzz",
                           "/health",
                           "",
                           "/api/v1",
                           "/API/v1/application",
                           "/api/v1/application?x=1",
                           "//healthz"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        assert_int_equal(web_route_match(routes, NROUTES, "GET", paths[i], &m),
                         WEB_ROUTE_NOT_FOUND);
        assert_null(m.route);
    }
}

static void test_method_not_allowed(void **state)
{
    (void)state;
    struct web_match m;
    assert_int_equal(web_route_match(routes, NROUTES, "POST", "/healthz", &m),
                     WEB_ROUTE_BAD_METHOD);
    assert_null(m.route);
    assert_string_equal(m.allow, "GET, HEAD");
    assert_int_equal(web_route_match(routes, NROUTES, "DELETE", "/api/v1/application", &m),
                     WEB_ROUTE_BAD_METHOD);
    assert_string_equal(m.allow, "GET, HEAD, PUT");
    assert_int_equal(web_route_match(routes, NROUTES, "GET", "/api/v1/application/otp", &m),
                     WEB_ROUTE_BAD_METHOD);
    assert_string_equal(m.allow, "POST");
    assert_int_equal(web_route_match(routes, NROUTES, "PUT", "/x/1/y/2", &m), WEB_ROUTE_BAD_METHOD);
    assert_string_equal(m.allow, "GET, HEAD, DELETE");
    /* methods are case-sensitive (RFC 9110) */
    assert_int_equal(web_route_match(routes, NROUTES, "get", "/healthz", &m), WEB_ROUTE_BAD_METHOD);
}

static void test_first_match_wins(void **state)
{
    (void)state;
    static const struct web_route t[] = {
        {"GET", "/items/new", h_a, 0, WEB_ANSWER_JSON},
        {"GET", "/items/{id}", h_b, 0, WEB_ANSWER_JSON},
    };
    struct web_match m;
    assert_int_equal(web_route_match(t, 2, "GET", "/items/new", &m), WEB_ROUTE_FOUND);
    assert_ptr_equal(m.route, &t[0]);
    assert_int_equal(web_route_match(t, 2, "GET", "/items/7", &m), WEB_ROUTE_FOUND);
    assert_ptr_equal(m.route, &t[1]);
}

static void check_rejected(const char *method, const char *pattern, const char *why)
{
    struct web_route t[] = {{method, pattern, h_a, 0, WEB_ANSWER_JSON}};
    char err[256] = "";
    assert_int_equal(web_routes_check(t, 1, err, sizeof err), -1);
    assert_non_null(strstr(err, why));
}

static void test_check_rejects_bad_tables(void **state)
{
    (void)state;
    check_rejected("GET", "healthz", "start with '/'");
    check_rejected("GET", "/a/{id", "whole segment");
    check_rejected("GET", "/a/x{id}", "whole segment");
    check_rejected("GET", "/a/{id}x", "whole segment");
    check_rejected("GET", "/a/id}", "without '{'");
    check_rejected("GET", "/a/{}", "parameter name");
    check_rejected("GET", "/a/{Id}", "parameter name");
    check_rejected("GET", "/a/{1d}", "parameter name");
    check_rejected("GET", "/a/{id}/{id}", "named twice");
    check_rejected("GET", "/{a}/{b}/{c}/{d}/{e}", "more than");
    check_rejected("get", "/a", "upper-case");
    check_rejected("", "/a", "upper-case");

    struct web_route no_handler[] = {{"GET", "/a", NULL, 0, WEB_ANSWER_JSON}};
    char err[256];
    assert_int_equal(web_routes_check(no_handler, 1, err, sizeof err), -1);

    struct web_route dup[] = {{"GET", "/a/{id}", h_a, 0, WEB_ANSWER_JSON},
                              {"GET", "/a/{id}", h_b, 0, WEB_ANSWER_JSON}};
    assert_int_equal(web_routes_check(dup, 2, err, sizeof err), -1);
    assert_non_null(strstr(err, "twice"));
    /* the same pattern under two methods is fine */
    struct web_route two[] = {{"GET", "/a/{id}", h_a, 0, WEB_ANSWER_JSON},
                              {"PUT", "/a/{id}", h_b, 0, WEB_ANSWER_JSON}};
    assert_int_equal(web_routes_check(two, 2, err, sizeof err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_is_valid),
        cmocka_unit_test(test_literal_routes),
        cmocka_unit_test(test_head_matches_get),
        cmocka_unit_test(test_parameters),
        cmocka_unit_test(test_parameter_is_one_nonempty_segment),
        cmocka_unit_test(test_not_found),
        cmocka_unit_test(test_method_not_allowed),
        cmocka_unit_test(test_first_match_wins),
        cmocka_unit_test(test_check_rejects_bad_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
