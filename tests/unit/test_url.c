/* Unit tests for util/url.c: splitting absolute http(s) URLs and what is refused. */
#include <limits.h>
#include "check_input.h"
#include "util/url.h"

static char part[512];
static const char *str(const char *p, size_t n)
{
    if (!p) return "(none)";
    snprintf(part, sizeof part, "%.*s", (int)n, p);
    return part;
}

static void test_split(void)
{
    struct url_parts u;
    CHECK_INT(url_split("https://Example.COM:8443/a/b?x=1&y=2#frag", 2048, &u), 0);
    CHECK(u.https);
    CHECK_STR(str(u.host, u.host_len), "Example.COM");
    CHECK_INT(u.port, 8443);
    CHECK_STR(str(u.path, u.path_len), "/a/b");
    CHECK_STR(str(u.query, u.query_len), "x=1&y=2");
    CHECK_STR(str(u.fragment, u.fragment_len), "frag");
    CHECK(url_host_is(&u, "example.com"));
    CHECK(!url_host_is(&u, "example.co"));
    CHECK(!url_host_is(&u, "example.com."));

    CHECK_INT(url_split("HTTP://a.b", 2048, &u), 0);
    CHECK(!u.https);
    CHECK_STR(str(u.host, u.host_len), "a.b");
    CHECK_INT(u.port, 0);
    CHECK_STR(str(u.path, u.path_len), "");
    CHECK(u.query == NULL && u.fragment == NULL);

    CHECK_INT(url_split("http://localhost?", 2048, &u), 0);
    CHECK_STR(str(u.query, u.query_len), "");
    CHECK_INT(url_split("http://h#a?b", 2048, &u), 0);
    CHECK(u.query == NULL);
    CHECK_STR(str(u.fragment, u.fragment_len), "a?b");
    CHECK_INT(url_split("https://[2001:db8::1]:443/x", 2048, &u), 0);
    CHECK_STR(str(u.host, u.host_len), "[2001:db8::1]");
    CHECK_INT(u.port, 443);
    CHECK_INT(url_split("https://[::1]", 2048, &u), 0);
    CHECK_INT(url_split("https://하늘.한국/브로슈어", 2048, &u), 0);   /* IDN and path as typed */
    CHECK_STR(str(u.host, u.host_len), "하늘.한국");
    CHECK_INT(url_split("https://xn--3e0b707e.xn--3e0b707e/", 2048, &u), 0);
    CHECK_INT(url_split("https://h:65535", 2048, &u), 0);
    CHECK_INT(u.port, 65535);
    CHECK_INT(url_split("https://h:00080", 2048, &u), 0);
    CHECK_INT(u.port, 80);
}

static void test_refused(void)
{
    struct url_parts u;
    static const struct { const char *in; int err; } cases[] = {
        {NULL, URL_ERR_EMPTY}, {"", URL_ERR_EMPTY},
        {"ftp://a.b/", URL_ERR_SCHEME}, {"javascript:alert(1)", URL_ERR_SCHEME},
        {"data:text/html,x", URL_ERR_SCHEME}, {"//a.b/", URL_ERR_SCHEME},
        {"https:/a.b", URL_ERR_SCHEME}, {"https:a.b", URL_ERR_SCHEME}, {"a.b", URL_ERR_SCHEME},
        {"httpx://a.b", URL_ERR_SCHEME}, {"https//a.b", URL_ERR_SCHEME},
        {" https://a.b", URL_ERR_CHARS}, {"https://a.b ", URL_ERR_CHARS},
        {"https://a.b/x y", URL_ERR_CHARS}, {"https://a.b/\t", URL_ERR_CHARS},
        {"https://a.b/\r\nX: y", URL_ERR_CHARS}, {"https://a.b/\x7F", URL_ERR_CHARS},
        {"https://a.b/\xC2\x85", URL_ERR_CHARS}, {"https://a.b/\xFF", URL_ERR_CHARS},
        {"https://a.b/\xC0\xAF", URL_ERR_CHARS}, {"https://evil.example\\@a.b/", URL_ERR_CHARS},
        {"https://a.b/\"onload=", URL_ERR_CHARS}, {"https://a.b/<script>", URL_ERR_CHARS},
        {"https://user:pw@a.b/", URL_ERR_USERINFO}, {"https://a.b@evil.example/", URL_ERR_USERINFO},
        {"https://@a.b", URL_ERR_USERINFO},
        {"https://", URL_ERR_HOST}, {"https:///path", URL_ERR_HOST}, {"https://?q", URL_ERR_HOST},
        {"https://.a.b", URL_ERR_HOST}, {"https://a..b", URL_ERR_HOST}, {"https://a.b.", URL_ERR_HOST},
        {"https://a_b.c", URL_ERR_HOST}, {"https://a%2eb", URL_ERR_HOST},
        {"https://[::1", URL_ERR_HOST}, {"https://[::1]x", URL_ERR_HOST}, {"https://[]", URL_ERR_HOST},
        {"https://[g::1]", URL_ERR_HOST}, {"https://:80", URL_ERR_HOST},
        {"https://a.b:", URL_ERR_PORT}, {"https://a.b:0", URL_ERR_PORT},
        {"https://a.b:65536", URL_ERR_PORT}, {"https://a.b:123456", URL_ERR_PORT},
        {"https://a.b:8x", URL_ERR_PORT}, {"https://a.b:-1", URL_ERR_PORT},
        {"https://a.b:1:2", URL_ERR_PORT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        CHECK_INT_FOR(cases[i].in, url_split(cases[i].in, 2048, &u), cases[i].err);
    }
    /* lengths: host 253, label 63, whole URL max_len */
    char h[400] = "https://";
    for (int i = 0; i < 63; i++) strcat(h, "a");
    CHECK_INT(url_split(h, 2048, &u), 0);
    strcat(h, "a");
    CHECK_INT(url_split(h, 2048, &u), URL_ERR_HOST);
    strcpy(h, "https://");
    for (int i = 0; i < 63; i++) strcat(h, "abc.");                 /* 252 bytes */
    strcat(h, "d");
    CHECK_INT(url_split(h, 2048, &u), 0);
    strcat(h, "e");
    CHECK_INT(url_split(h, 2048, &u), URL_ERR_HOST);
    CHECK_INT(url_split("https://a.b/", 12, &u), 0);
    CHECK_INT(url_split("https://a.b/", 11, &u), URL_ERR_TOO_LONG);

    CHECK_STR(url_err_str(URL_OK), "ok");
    CHECK_STR(url_err_str(URL_ERR_SCHEME), "must start with http:// or https://");
    CHECK_STR(url_err_str(-99), "invalid URL");
    CHECK_STR(url_err_str(INT_MIN), "invalid URL");
}

int main(void)
{
    test_split();
    test_refused();
    return check_report("test_url");
}
