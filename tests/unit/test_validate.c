/* Unit tests for util/validate.c: URL, e-mail, time zone name, text length and slug checks.
 * Time zones are checked against a zoneinfo tree made in a temporary directory, and against
 * the system's tzdata when it is installed. */
#define _GNU_SOURCE   /* mkdtemp, nftw */
#include <limits.h>
#include <stdlib.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check_input.h"
#include "util/validate.h"

static void test_url(void)
{
    CHECK_INT(validate_url_http("https://haneul.example.kr"), 0);
    CHECK_INT(validate_url_http("http://haneul.example.kr/ko/제품?a=1#b"), 0);
    CHECK_INT(validate_url_http("HTTPS://EXAMPLE.COM:8443/"), 0);
    CHECK_INT(validate_url_http(NULL), VALIDATE_ERR_REQUIRED);
    CHECK_INT(validate_url_http(""), VALIDATE_ERR_REQUIRED);
    CHECK_INT(validate_url_http("javascript:alert(1)"), VALIDATE_ERR_SCHEME);
    CHECK_INT(validate_url_http("haneul.example.kr"), VALIDATE_ERR_SCHEME);
    CHECK_INT(validate_url_http("mailto:a@b.example"), VALIDATE_ERR_SCHEME);
    CHECK_INT(validate_url_http("https://a.example/x y"), VALIDATE_ERR_CHARS);
    CHECK_INT(validate_url_http("https://a.example/\n"), VALIDATE_ERR_CHARS);
    CHECK_INT(validate_url_http("https://a.example/\xFF"), VALIDATE_ERR_CHARS);
    CHECK_INT(validate_url_http("https://u:p@a.example/"), VALIDATE_ERR_CREDENTIALS);
    CHECK_INT(validate_url_http("https://"), VALIDATE_ERR_HOST);
    CHECK_INT(validate_url_http("https:///x"), VALIDATE_ERR_HOST);
    CHECK_INT(validate_url_http("https://a.example:99999"), VALIDATE_ERR_HOST);
    char big[VALIDATE_URL_MAX + 2] = "https://a.example/";
    size_t n = strlen(big);
    memset(big + n, 'x', VALIDATE_URL_MAX - n);
    big[VALIDATE_URL_MAX] = 0;
    CHECK_INT(validate_url_http(big), 0);
    big[VALIDATE_URL_MAX] = 'x';
    big[VALIDATE_URL_MAX + 1] = 0;
    CHECK_INT(validate_url_http(big), VALIDATE_ERR_TOO_LONG);
}

static void test_email(void)
{
    static const char *const good[] = {
        "a@b.co", "dana@example.com", "first.last+tag@sub.domain.example",
        "staff@haneul.demo.expo", "o'brien@example.ie", "x_y-z@a-b.example",
        "!#$%&'*+/=?^_`{|}~-@example.org", "kim@xn--3e0b707e.xn--3e0b707e",
        "UPPER@EXAMPLE.COM", "1@2.io",
    };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        CHECK_INT_FOR(good[i], validate_email(good[i]), 0);
    }
    static const struct { const char *in; int err; } bad[] = {
        {NULL, VALIDATE_ERR_REQUIRED}, {"", VALIDATE_ERR_REQUIRED},
        {"plain", VALIDATE_ERR_FORMAT}, {"@example.com", VALIDATE_ERR_FORMAT},
        {"a@@example.com", VALIDATE_ERR_FORMAT}, {"a@b@example.com", VALIDATE_ERR_FORMAT},
        {".a@example.com", VALIDATE_ERR_FORMAT}, {"a.@example.com", VALIDATE_ERR_FORMAT},
        {"a..b@example.com", VALIDATE_ERR_FORMAT}, {"a b@example.com", VALIDATE_ERR_FORMAT},
        {"\"a b\"@example.com", VALIDATE_ERR_FORMAT}, {"a(c)@example.com", VALIDATE_ERR_FORMAT},
        {"김@example.com", VALIDATE_ERR_FORMAT}, {"a\n@example.com", VALIDATE_ERR_FORMAT},
        {"a@", VALIDATE_ERR_HOST}, {"a@localhost", VALIDATE_ERR_HOST},
        {"a@example", VALIDATE_ERR_HOST}, {"a@example.c", VALIDATE_ERR_HOST},
        {"a@example.c0m", VALIDATE_ERR_HOST}, {"a@.example.com", VALIDATE_ERR_HOST},
        {"a@example.com.", VALIDATE_ERR_HOST}, {"a@example..com", VALIDATE_ERR_HOST},
        {"a@-example.com", VALIDATE_ERR_HOST}, {"a@example-.com", VALIDATE_ERR_HOST},
        {"a@exa_mple.com", VALIDATE_ERR_HOST}, {"a@[127.0.0.1]", VALIDATE_ERR_HOST},
        {"a@192.168.0.1", VALIDATE_ERR_HOST}, {"a@하늘.한국", VALIDATE_ERR_HOST},
        {"a@example.com\r\nBcc: x@y.z", VALIDATE_ERR_FORMAT}, {"a@example.com ", VALIDATE_ERR_HOST},
        {"a@xn--.com", VALIDATE_ERR_HOST},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        CHECK_INT_FOR(bad[i].in, validate_email(bad[i].in), bad[i].err);
    }
    /* lengths: local part 64, label 63, whole 254 */
    char s[400];
    memset(s, 'a', 64);
    strcpy(s + 64, "@example.com");
    CHECK_INT(validate_email(s), 0);
    memset(s, 'a', 65);
    strcpy(s + 65, "@example.com");
    CHECK_INT(validate_email(s), VALIDATE_ERR_FORMAT);
    strcpy(s, "a@");
    memset(s + 2, 'b', 63);
    strcpy(s + 65, ".com");
    CHECK_INT(validate_email(s), 0);
    strcpy(s, "a@");
    memset(s + 2, 'b', 64);
    strcpy(s + 66, ".com");
    CHECK_INT(validate_email(s), VALIDATE_ERR_HOST);
    /* 2 + 3 x 64 + 56 + 4 = 254 bytes, then one more */
    size_t len = 2;
    memcpy(s, "a@", 2);
    for (int i = 0; i < 3; i++) {
        memset(s + len, 'b', 63);
        s[len + 63] = '.';
        len += 64;
    }
    memset(s + len, 'c', 56);
    strcpy(s + len + 56, ".com");
    CHECK_INT(strlen(s), 254);
    CHECK_INT(validate_email(s), 0);
    memmove(s + len + 1, s + len, strlen(s + len) + 1);
    CHECK_INT(strlen(s), 255);
    CHECK_INT(validate_email(s), VALIDATE_ERR_TOO_LONG);
}

static char dir[64];

static void put(const char *rel, const char *content)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    FILE *f = fopen(p, "w");
    CHECK(f != NULL);
    if (!f) return;
    fputs(content, f);
    fclose(f);
}

static void make_tree(void)
{
    strcpy(dir, "/tmp/boothd-tz-XXXXXX");
    CHECK(mkdtemp(dir) != NULL);
    char p[256];
    const char *dirs[] = {"Asia", "America", "America/Argentina", "US", "Etc", "right", "right/Asia",
                          "posix", "posix/Asia"};
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, dirs[i]);
        CHECK_INT(mkdir(p, 0700), 0);
    }
    put("Asia/Seoul", "TZif2...");
    put("America/New_York", "TZif2...");
    put("America/Argentina/Buenos_Aires", "TZif2...");
    put("Etc/GMT+9", "TZif2...");
    put("Etc/GMT-14", "TZif2...");
    put("UTC", "TZif2...");
    put("right/Asia/Seoul", "TZif2...");
    put("posix/Asia/Seoul", "TZif2...");
    put("localtime", "TZif2...");
    put("Factory", "TZif2...");
    put("leapseconds", "# leap seconds\n");
    put("Short", "TZ");
    put("Empty", "");
    snprintf(p, sizeof p, "%s/US/Eastern", dir);
    CHECK_INT(symlink("../America/New_York", p), 0);
    snprintf(p, sizeof p, "%s/Gone", dir);
    CHECK_INT(symlink("Nowhere/At_All", p), 0);
    snprintf(p, sizeof p, "%s/Passwd", dir);
    CHECK_INT(symlink("/etc/passwd", p), 0);
    snprintf(p, sizeof p, "%s/Fifo", dir);
    CHECK_INT(mkfifo(p, 0600), 0);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    return remove(path);
}

static void remove_tree(void)
{
    CHECK_INT(nftw(dir, remove_one, 8, FTW_DEPTH | FTW_PHYS), 0);
}

static void test_tz(void)
{
    make_tree();
    static const struct { const char *in; int err; } cases[] = {
        {"Asia/Seoul", 0}, {"America/New_York", 0}, {"America/Argentina/Buenos_Aires", 0},
        {"Etc/GMT+9", 0}, {"Etc/GMT-14", 0}, {"UTC", 0}, {"US/Eastern", 0},
        {NULL, VALIDATE_ERR_REQUIRED}, {"", VALIDATE_ERR_REQUIRED},
        {"Asia/Nowhere", VALIDATE_ERR_UNKNOWN_TZ}, {"asia/seoul", VALIDATE_ERR_UNKNOWN_TZ},
        {"Asia", VALIDATE_ERR_UNKNOWN_TZ},                    /* a directory */
        {"leapseconds", VALIDATE_ERR_UNKNOWN_TZ},             /* a file, not a zone */
        {"Short", VALIDATE_ERR_UNKNOWN_TZ}, {"Empty", VALIDATE_ERR_UNKNOWN_TZ},
        {"Gone", VALIDATE_ERR_UNKNOWN_TZ}, {"Passwd", VALIDATE_ERR_UNKNOWN_TZ},
        {"Fifo", VALIDATE_ERR_UNKNOWN_TZ},                    /* must not block */
        {"right/Asia/Seoul", VALIDATE_ERR_UNKNOWN_TZ}, {"posix/Asia/Seoul", VALIDATE_ERR_UNKNOWN_TZ},
        {"localtime", VALIDATE_ERR_UNKNOWN_TZ}, {"Factory", VALIDATE_ERR_UNKNOWN_TZ},
        {"../etc/passwd", VALIDATE_ERR_FORMAT}, {"Asia/../Asia/Seoul", VALIDATE_ERR_FORMAT},
        {"/etc/passwd", VALIDATE_ERR_FORMAT}, {"/Asia/Seoul", VALIDATE_ERR_FORMAT},
        {"Asia/Seoul/", VALIDATE_ERR_FORMAT}, {"Asia//Seoul", VALIDATE_ERR_FORMAT},
        {"./UTC", VALIDATE_ERR_FORMAT}, {".", VALIDATE_ERR_FORMAT}, {"..", VALIDATE_ERR_FORMAT},
        {"Asia/Seoul ", VALIDATE_ERR_FORMAT}, {"Asia\\Seoul", VALIDATE_ERR_FORMAT},
        {"Asia/Seoul\n", VALIDATE_ERR_FORMAT}, {"zone.tab", VALIDATE_ERR_FORMAT},
        {"Asia/서울", VALIDATE_ERR_FORMAT}, {"Asia/Se%6Fl", VALIDATE_ERR_FORMAT},
        {"Asia/Seoul;rm", VALIDATE_ERR_FORMAT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        CHECK_INT_FOR(cases[i].in, validate_tz_name(cases[i].in, dir), cases[i].err);
    }
    char longname[VALIDATE_TZ_MAX + 2];
    memset(longname, 'A', VALIDATE_TZ_MAX + 1);
    longname[VALIDATE_TZ_MAX + 1] = 0;
    CHECK_INT(validate_tz_name(longname, dir), VALIDATE_ERR_TOO_LONG);
    longname[VALIDATE_TZ_MAX] = 0;
    CHECK_INT(validate_tz_name(longname, dir), VALIDATE_ERR_UNKNOWN_TZ);
    CHECK_INT(validate_tz_name("Asia/Seoul", "/nonexistent-zoneinfo"), VALIDATE_ERR_UNKNOWN_TZ);
    remove_tree();

    /* the system's tzdata, when installed */
    if (access(VALIDATE_ZONEINFO_DIR "/Asia/Seoul", R_OK) == 0) {
        CHECK_INT(validate_tz_name("Asia/Seoul", NULL), 0);
        CHECK_INT(validate_tz_name("America/Los_Angeles", NULL), 0);
        CHECK_INT(validate_tz_name("UTC", NULL), 0);
        CHECK_INT(validate_tz_name("Asia/Atlantis", NULL), VALIDATE_ERR_UNKNOWN_TZ);
        CHECK_INT(validate_tz_name("iso3166", NULL), VALIDATE_ERR_UNKNOWN_TZ);
    } else {
        printf("test_validate: no system tzdata, skipped its checks\n");
    }
}

static void test_text_len(void)
{
    CHECK_INT(validate_text_len("하늘코스메틱", 1, 6), 0);        /* 6 code points, 18 bytes */
    CHECK_INT(validate_text_len("하늘코스메틱", 1, 5), VALIDATE_ERR_TOO_LONG);
    CHECK_INT(validate_text_len("하늘", 3, 10), VALIDATE_ERR_TOO_SHORT);
    CHECK_INT(validate_text_len("", 0, 10), 0);
    CHECK_INT(validate_text_len(NULL, 0, 10), 0);
    CHECK_INT(validate_text_len("", 1, 10), VALIDATE_ERR_REQUIRED);
    CHECK_INT(validate_text_len(NULL, 1, 10), VALIDATE_ERR_REQUIRED);
    CHECK_INT(validate_text_len("\xF0\x9F\x98\x80", 1, 1), 0);    /* one emoji */
    CHECK_INT(validate_text_len("a\xFF", 0, 10), VALIDATE_ERR_UTF8);
    CHECK_INT(validate_text_len("\xED\xA0\x80", 0, 10), VALIDATE_ERR_UTF8);
    CHECK_INT(validate_text_len("\xC0\x80", 0, 10), VALIDATE_ERR_UTF8);   /* overlong NUL */
    CHECK_INT(validate_text_len("abc", 3, 3), 0);
    CHECK_INT(validate_text_len("abc", 4, 2), VALIDATE_ERR_TOO_SHORT);    /* min wins */
}

static void test_slug(void)
{
    CHECK_INT(validate_slug("haneul-cosmetics"), 0);
    CHECK_INT(validate_slug("a"), 0);
    CHECK_INT(validate_slug("booth-42-b"), 0);
    CHECK_INT(validate_slug("2026"), 0);
    CHECK_INT(validate_slug(NULL), VALIDATE_ERR_REQUIRED);
    CHECK_INT(validate_slug(""), VALIDATE_ERR_REQUIRED);
    static const char *const bad[] = {"-a", "a-", "a--b", "A", "Haneul", "a_b", "a b", "a.b",
                                      "a/b", "..", "하늘", "a\n", "-", "%41"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        CHECK_INT_FOR(bad[i], validate_slug(bad[i]), VALIDATE_ERR_FORMAT);
    char s[VALIDATE_SLUG_MAX + 2];
    memset(s, 'a', VALIDATE_SLUG_MAX);
    s[VALIDATE_SLUG_MAX] = 0;
    CHECK_INT(validate_slug(s), 0);
    strcat(s, "a");
    CHECK_INT(validate_slug(s), VALIDATE_ERR_TOO_LONG);
}

static void test_codes(void)
{
    CHECK_STR(validate_err_code(VALIDATE_ERR_SCHEME), "bad_scheme");
    CHECK_STR(validate_err_code(VALIDATE_ERR_UNKNOWN_TZ), "unknown_time_zone");
    CHECK_STR(validate_err_code(-100), "invalid");
    CHECK_STR(validate_err_message(-100), "Invalid value");
    CHECK_STR(validate_err_code(INT_MIN), "invalid");
    CHECK_STR(validate_err_code(1), "invalid");
    /* every code is distinct and has a message */
    for (int a = VALIDATE_ERR_UNKNOWN_TZ; a <= 0; a++) {
        CHECK(strcmp(validate_err_code(a), "invalid"));
        CHECK(strcmp(validate_err_message(a), "Invalid value"));
        for (int b = a + 1; b <= 0; b++) CHECK(strcmp(validate_err_code(a), validate_err_code(b)));
    }
}

int main(void)
{
    test_url();
    test_email();
    test_tz();
    test_text_len();
    test_slug();
    test_codes();
    return check_report("test_validate");
}
