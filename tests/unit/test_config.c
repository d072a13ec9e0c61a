/* Unit tests for config.c: flags, environment fallbacks, validation, origins. */
#include <stdlib.h>
#include "check.h"
#include "core/config.h"

static const char *fake_env[16][2];
static const char *fenv(const char *name)
{
    for (int i = 0; i < 16 && fake_env[i][0]; i++)
        if (!strcmp(fake_env[i][0], name)) return fake_env[i][1];
    return NULL;
}
static void env_set(int i, const char *k, const char *v) { fake_env[i][0] = k; fake_env[i][1] = v; }
static void env_clear(void) { memset(fake_env, 0, sizeof fake_env); }

static int parse(struct config *c, char *err, int argc, char **argv)
{
    return config_parse(c, argc, argv, fenv, "host", 42, err, 256);
}

static void test_defaults(void)
{
    struct config c;
    char err[256] = "";
    char *argv[] = {"boothd"};
    env_clear();
    CHECK_INT(parse(&c, err, 1, argv), 0);
    CHECK_INT(c.port, 8080);
    CHECK_STR(c.node_id, "host:42");
    CHECK_STR(c.assets, "booth-assets");
    CHECK_INT(c.db_pool, 4);
    CHECK_INT(c.max_conns_per_ip, 500);
    CHECK_INT(c.chat_rate, 2);
    CHECK_INT(c.event_hold_ms, 0);
    CHECK(!c.demo);
    CHECK(c.chat_batching);
    CHECK_INT(c.log_level, LOG_INFO);
    CHECK(c.origins_default);
    config_default_origins(&c);
    CHECK_INT(c.n_origins, 3);
    CHECK(config_origin_allowed(&c, "http://localhost:8080", NULL));
    CHECK(config_origin_allowed(&c, "http://127.0.0.1:8080", NULL));
    CHECK(!config_origin_allowed(&c, "http://evil.example", "localhost:8080"));
    CHECK(!config_origin_allowed(&c, "http://localhost:9999", "localhost:8080"));
    /* same origin as the Host header: a page served by us from any name */
    CHECK(config_origin_allowed(&c, "https://expo.example.org", "expo.example.org"));
    CHECK(!config_origin_allowed(&c, "https://evil.example.org", "expo.example.org"));
    config_free(&c);
}

static void test_flags_and_env(void)
{
    struct config c;
    char err[256] = "";
    env_clear();
    env_set(0, "BOOTHD_PORT", "9000");
    env_set(1, "DATABASE_URL", "postgresql://u@h/db");
    env_set(2, "BOOTHD_DEMO", "1");
    env_set(3, "BOOTHD_ALLOWED_ORIGINS", "https://a.example, https://b.example");
    env_set(4, "BOOTHD_EVENT_HOLD_MS", "15");
    char *argv1[] = {"boothd"};
    CHECK_INT(parse(&c, err, 1, argv1), 0);
    CHECK_INT(c.port, 9000);
    CHECK_INT(c.event_hold_ms, 15);
    CHECK_STR(c.db, "postgresql://u@h/db");
    CHECK(c.demo);
    CHECK_INT(c.n_origins, 2);
    CHECK(!c.origins_default);
    CHECK(config_origin_allowed(&c, "https://b.example", NULL));
    /* explicit origins: no same-origin fallback */
    CHECK(!config_origin_allowed(&c, "https://c.example", "c.example"));
    config_free(&c);

    char *argv2[] = {"boothd", "--port", "8181", "--db=host=/tmp dbname=x", "--allowed-origin",
                     "http://x.example:1", "--node-id", "n7", "--log-level", "debug", "--db-pool", "8",
                     "--max-conns-per-ip", "1000", "--chat-rate=20", "--no-chat-batching", "--assets", "/srv/a",
                     "--event-hold-ms", "10"};
    CHECK_INT(parse(&c, err, 20, argv2), 0);
    CHECK_INT(c.event_hold_ms, 10);
    CHECK_INT(c.port, 8181);
    CHECK_STR(c.db, "host=/tmp dbname=x");
    CHECK_INT(c.n_origins, 1);          /* flags replace the environment's list */
    CHECK_STR(c.origins[0], "http://x.example:1");
    CHECK_STR(c.node_id, "n7");
    CHECK_INT(c.log_level, LOG_DEBUG);
    CHECK_INT(c.db_pool, 8);
    CHECK_INT(c.max_conns_per_ip, 1000);
    CHECK_INT(c.chat_rate, 20);
    CHECK(!c.chat_batching);
    CHECK_STR(c.assets, "/srv/a");
    config_free(&c);
}

static void test_errors(void)
{
    struct config c;
    char err[256];
    struct { int argc; char *argv[4]; const char *flag; } cases[] = {
        {3, {"boothd", "--port", "abc"}, "--port"},
        {3, {"boothd", "--port", "0"}, "--port"},
        {3, {"boothd", "--port", "70000"}, "--port"},
        {2, {"boothd", "--port"}, "--port"},
        {3, {"boothd", "--log-level", "loud"}, "--log-level"},
        {3, {"boothd", "--allowed-origin", "evil"}, "--allowed-origin"},
        {3, {"boothd", "--allowed-origin", "http://a/b"}, "--allowed-origin"},
        {3, {"boothd", "--db-pool", "0"}, "--db-pool"},
        {3, {"boothd", "--max-conns-per-ip", "-1"}, "--max-conns-per-ip"},
        {3, {"boothd", "--chat-rate", "0"}, "--chat-rate"},
        {2, {"boothd", "--chat-rate=1001"}, "--chat-rate"},
        {3, {"boothd", "--event-hold-ms", "-1"}, "--event-hold-ms"},
        {2, {"boothd", "--event-hold-ms=1001"}, "--event-hold-ms"},
        {3, {"boothd", "--event-hold-ms", "5ms"}, "--event-hold-ms"},
        {2, {"boothd", "--bogus"}, "--bogus"},
        {3, {"boothd", "--node-id", ""}, "--node-id"},
        {3, {"boothd", "--trusted-proxy", "nginx.local"}, "--trusted-proxy"},
    };
    env_clear();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        err[0] = 0;
        CHECK_INT(parse(&c, err, cases[i].argc, cases[i].argv), -1);
        if (!strstr(err, cases[i].flag)) fprintf(stderr, "case %zu: error '%s' does not name %s\n", i, err, cases[i].flag);
        CHECK(strstr(err, cases[i].flag) != NULL);
        CHECK(strchr(err, '\n') == NULL);
        config_free(&c);
    }
    env_set(0, "BOOTHD_PORT", "x");
    char *argv[] = {"boothd"};
    CHECK_INT(parse(&c, err, 1, argv), -1);
    CHECK(strstr(err, "BOOTHD_PORT") != NULL);
    config_free(&c);
    env_clear();
    char *help[] = {"boothd", "--help"};
    CHECK_INT(parse(&c, err, 2, help), 0);
    CHECK(c.help);
    config_free(&c);
    const char *flags[] = {"--port", "--db", "--assets", "--allowed-origin", "--node-id", "--demo", "--log-level"};
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) CHECK(strstr(config_usage(), flags[i]) != NULL);
}

/* --trusted-proxy: only a listed peer's X-Forwarded-For counts, and only its last entry (the
 * one that proxy appended; earlier ones are whatever the client sent). */
static void test_trusted_proxy(void)
{
    struct config c;
    char err[256] = "", a[64];
    env_clear();
    env_set(0, "BOOTHD_TRUSTED_PROXIES", "10.0.0.5");
    char *argv[] = {"boothd", "--trusted-proxy", "127.0.0.1, ::1"};
    CHECK_INT(parse(&c, err, 3, argv), 0);
    CHECK_INT(c.n_trusted_proxies, 3);
    static const struct { const char *peer, *xff, *want; } cases[] = {
        {"127.0.0.1", "203.0.113.7", "203.0.113.7"},
        {"127.0.0.1", "6.6.6.6, 198.51.100.2", "198.51.100.2"},
        {"::1", "2001:db8::1 ", "2001:db8::1"},
        {"10.0.0.5", "198.51.100.9", "198.51.100.9"},
        /* not a trusted peer, no header, or a last entry that is not an address: the peer */
        {"192.0.2.1", "203.0.113.7", "192.0.2.1"},
        {"127.0.0.1", NULL, "127.0.0.1"},
        {"127.0.0.1", "203.0.113.7, unknown", "127.0.0.1"},
        {"127.0.0.1", "203.0.113.7 198.51.100.2", "127.0.0.1"},
        {"127.0.0.1", "", "127.0.0.1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        config_client_address(&c, cases[i].peer, cases[i].xff, a, sizeof a);
        CHECK_STR(a, cases[i].want);
    }
    config_free(&c);
    /* none configured: the header is ignored */
    env_clear();
    char *plain[] = {"boothd"};
    CHECK_INT(parse(&c, err, 1, plain), 0);
    config_client_address(&c, "127.0.0.1", "203.0.113.7", a, sizeof a);
    CHECK_STR(a, "127.0.0.1");
    config_free(&c);
}

int main(void)
{
    test_trusted_proxy();
    test_defaults();
    test_flags_and_env();
    test_errors();
    return check_report("test_config");
}
