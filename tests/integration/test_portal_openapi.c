/* eimza — docs/openapi.yaml tells the truth about the route table: every route under /api/
 * (and /healthz, /metrics) is described with its method, and the document describes no route
 * the server does not have. The document is read the simple way its layout allows: paths are
 * the lines "  /...:" and methods the lines "    get:" (put, post, delete, patch) under them.
 * Also: the copy served at /api/v1/openapi.yaml is the file in the tree. (No database is used;
 * ctest runs it once per backend like every integration test.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/api/api.h"
#include "web/routes.h"

#define MAX_OPS 128

struct op {
    char method[8]; /* upper case */
    char path[128];
};

/* Parses the document's operations; returns how many. */
static size_t parse(const char *doc, struct op *ops, size_t max)
{
    size_t n = 0;
    char path[128] = "";
    bool in_paths = false;
    for (const char *line = doc; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        char buf[256];
        snprintf(buf, sizeof buf, "%.*s", (int)(len < 255 ? len : 255), line);
        if (!strcmp(buf, "paths:")) {
            in_paths = true;
        } else if (in_paths && buf[0] && buf[0] != ' ' && buf[0] != '#') {
            in_paths = false; /* the next top-level key */
        } else if (in_paths && !strncmp(buf, "  /", 3) && buf[strlen(buf) - 1] == ':') {
            snprintf(path, sizeof path, "%.*s", (int)(strlen(buf) - 3), buf + 2);
        } else if (in_paths && path[0] && !strncmp(buf, "    ", 4) && buf[4] != ' ') {
            static const char *const methods[] = {"get", "put", "post", "delete", "patch"};
            for (size_t i = 0; i < 5; i++) {
                size_t m = strlen(methods[i]);
                if (!strncmp(buf + 4, methods[i], m) && buf[4 + m] == ':' && !buf[5 + m] &&
                    n < max) {
                    for (size_t k = 0; k <= m; k++)
                        ops[n].method[k] = (char)toupper((unsigned char)methods[i][k]);
                    snprintf(ops[n].path, sizeof ops[n].path, "%s", path);
                    n++;
                }
            }
        }
        line = end ? end + 1 : line + len;
    }
    return n;
}

static bool described(const struct web_route *r)
{
    return !strncmp(r->pattern, "/api/", 5) || !strcmp(r->pattern, "/healthz") ||
           !strcmp(r->pattern, "/readyz") || !strcmp(r->pattern, "/metrics");
}

static void test_parser(void **state)
{
    (void)state;
    struct op ops[8];
    const char *doc = "openapi: 3.0.3\n"
                      "paths:\n"
                      "  /a:\n"
                      "    get:\n"
                      "      summary: x\n"
                      "      responses:\n"
                      "        \"200\":\n"
                      "          description: get: not a method\n"
                      "    post:\n"
                      "  /b/{id}:\n"
                      "    delete:\n"
                      "components:\n"
                      "  /c:\n"
                      "    get:\n";
    size_t n = parse(doc, ops, 8);
    assert_int_equal(n, 3);
    assert_string_equal(ops[0].method, "GET");
    assert_string_equal(ops[0].path, "/a");
    assert_string_equal(ops[1].method, "POST");
    assert_string_equal(ops[2].method, "DELETE");
    assert_string_equal(ops[2].path, "/b/{id}");
}

static void test_routes_match_document(void **state)
{
    (void)state;
    static struct op ops[MAX_OPS];
    size_t n = parse(web_openapi_yaml, ops, MAX_OPS);
    assert_true(n >= 13);
    assert_true(n < MAX_OPS);

    size_t want = 0;
    for (size_t i = 0; i < web_routes_count; i++) {
        const struct web_route *r = &web_routes[i];
        if (!described(r))
            continue;
        want++;
        bool found = false;
        for (size_t k = 0; k < n && !found; k++)
            found = !strcmp(ops[k].method, r->method) && !strcmp(ops[k].path, r->pattern);
        if (!found)
            fail_msg("route %s %s is not in docs/openapi.yaml", r->method, r->pattern);
    }
    for (size_t k = 0; k < n; k++) {
        bool found = false;
        for (size_t i = 0; i < web_routes_count && !found; i++)
            found = !strcmp(ops[k].method, web_routes[i].method) &&
                    !strcmp(ops[k].path, web_routes[i].pattern);
        if (!found)
            fail_msg("docs/openapi.yaml describes %s %s, which the server does not have",
                     ops[k].method, ops[k].path);
    }
    assert_int_equal(want, n);
}

/* The served document is the one in the tree (the build embeds it). */
static void test_served_copy_is_current(void **state)
{
    (void)state;
    const char *src = getenv("EIMZA_SOURCE_DIR");
    assert_non_null(src);
    char path[1024];
    snprintf(path, sizeof path, "%s/docs/openapi.yaml", src);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 20];
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    assert_true(len < sizeof buf);
    assert_int_equal(len, web_openapi_yaml_len);
    assert_memory_equal(buf, web_openapi_yaml, len);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parser),
        cmocka_unit_test(test_routes_match_document),
        cmocka_unit_test(test_served_copy_is_current),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
