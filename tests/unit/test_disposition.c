/* Unit tests for util/disposition.c: file name cleaning and the RFC 6266 header value. */
#include <stdlib.h>
#include "check.h"
#include "util/disposition.h"
#include "util/text.h"

static const char *clean(const char *in)
{
    static char out[DISPOSITION_NAME_MAX + 1];
    size_t n = disposition_clean_name(out, in);
    CHECK_INT(n, strlen(out));
    CHECK(n <= DISPOSITION_NAME_MAX);
    CHECK(utf8_valid(out, n));
    return out;
}

static const char *header(const char *in, bool inline_)
{
    static char out[DISPOSITION_MAX];
    size_t n = disposition_header(out, in, inline_);
    CHECK_INT(n, strlen(out));
    CHECK(n < DISPOSITION_MAX);
    for (size_t i = 0; i < n; i++) CHECK((unsigned char)out[i] >= 0x20 && (unsigned char)out[i] < 0x7F);
    return out;
}

static void test_clean(void)
{
    CHECK_STR(clean("brochure.pdf"), "brochure.pdf");
    CHECK_STR(clean("하늘 브로슈어.pdf"), "하늘 브로슈어.pdf");
    CHECK_STR(clean("../../etc/passwd"), "passwd");
    CHECK_STR(clean("C:\\Users\\kim\\Desktop\\catalog.pdf"), "catalog.pdf");
    CHECK_STR(clean("/abs/path/"), DISPOSITION_DEFAULT_NAME);
    CHECK_STR(clean(".."), DISPOSITION_DEFAULT_NAME);
    CHECK_STR(clean(". . ."), DISPOSITION_DEFAULT_NAME);
    CHECK_STR(clean(""), DISPOSITION_DEFAULT_NAME);
    CHECK_STR(clean(NULL), DISPOSITION_DEFAULT_NAME);
    CHECK_STR(clean(".htaccess"), "htaccess");
    CHECK_STR(clean("  name.pdf.  "), "name.pdf");
    CHECK_STR(clean("a\r\nb\tc\x7F" "d.pdf"), "abcd.pdf");
    CHECK_STR(clean("a\xC2\x85" "b.pdf"), "ab.pdf");                 /* C1 NEL */
    CHECK_STR(clean("\xEF\xBB\xBFname.pdf"), "name.pdf");             /* BOM */
    /* RIGHT-TO-LEFT OVERRIDE: "invoice<RLO>fdp.exe" would show as "invoiceexe.pdf" */
    CHECK_STR(clean("invoice\xE2\x80\xAE" "fdp.exe"), "invoicefdp.exe");
    CHECK_STR(clean("a\xE2\x81\xA6" "b\xE2\x81\xA9" "c\xE2\x80\x8F"), "abc");
    CHECK_STR(clean("line\xE2\x80\xA8sep"), "linesep");
    /* invalid UTF-8: one '_' per bad byte, valid neighbours kept */
    CHECK_STR(clean("a\xFF" "b"), "a_b");
    CHECK_STR(clean("\xC3(x"), "_(x");
    CHECK_STR(clean("\xED\xA0\x80.pdf"), "___.pdf");                  /* surrogate */
    CHECK_STR(clean("\xF0\x9F\x98"), "___");                          /* truncated emoji */
    CHECK_STR(clean("\xF0\x9F\x98\x80.png"), "\xF0\x9F\x98\x80.png"); /* whole emoji kept */
    CHECK_STR(clean("q\"uote\\d.pdf"), "d.pdf");                      /* '\' is a separator */
    CHECK_STR(clean("q\"uote.pdf"), "q\"uote.pdf");                   /* escaped later */
}

static void test_cap(void)
{
    char in[2000];
    /* ASCII: stem cut, extension kept, exactly the cap */
    memset(in, 'a', 500);
    strcpy(in + 500, ".pdf");
    const char *c = clean(in);
    CHECK_INT(strlen(c), DISPOSITION_NAME_MAX);
    CHECK(!strcmp(c + DISPOSITION_NAME_MAX - 4, ".pdf"));
    /* Korean (3 bytes each): never split a code point */
    in[0] = 0;
    for (int i = 0; i < 200; i++) strcat(in, "한");
    strcat(in, ".jpeg");
    c = clean(in);
    CHECK(strlen(c) <= DISPOSITION_NAME_MAX);
    CHECK(strlen(c) >= DISPOSITION_NAME_MAX - 2);
    CHECK(!strcmp(c + strlen(c) - 5, ".jpeg"));
    /* no keepable extension (too long, or not alphanumeric): a plain cut */
    memset(in, 'b', 500);
    strcpy(in + 500, ".averyveryverylongextension");
    c = clean(in);
    CHECK_INT(strlen(c), DISPOSITION_NAME_MAX);
    CHECK(c[DISPOSITION_NAME_MAX - 1] == 'b');
    memset(in, 'b', 500);
    strcpy(in + 500, ".p-f");
    CHECK(clean(in)[DISPOSITION_NAME_MAX - 1] == 'b');
    /* a cut landing on spaces does not leave them before the end */
    memset(in, ' ', 500);
    in[0] = 'x';
    strcpy(in + 500, "y");
    CHECK_STR(clean(in), "x");
    /* a huge name of controls only */
    memset(in, '\x01', 1999);
    in[1999] = 0;
    CHECK_STR(clean(in), DISPOSITION_DEFAULT_NAME);
    /* a huge name of invalid bytes */
    memset(in, '\xFF', 1999);
    c = clean(in);
    CHECK_INT(strlen(c), DISPOSITION_NAME_MAX);
    CHECK(c[0] == '_');
}

static void test_header(void)
{
    CHECK_STR(header("brochure.pdf", false),
              "attachment; filename=\"brochure.pdf\"; filename*=UTF-8''brochure.pdf");
    CHECK_STR(header("brochure.pdf", true),
              "inline; filename=\"brochure.pdf\"; filename*=UTF-8''brochure.pdf");
    CHECK_STR(header("하늘 A.pdf", false),
              "attachment; filename=\"__ A.pdf\"; "
              "filename*=UTF-8''%ED%95%98%EB%8A%98%20A.pdf");
    CHECK_STR(header("q\"u%41o;te,x=y.pdf", false),
              "attachment; filename=\"q_u_41o;te,x=y.pdf\"; "
              "filename*=UTF-8''q%22u%2541o%3Bte%2Cx%3Dy.pdf");
    CHECK_STR(header("a'b(c)*d.pdf", false),
              "attachment; filename=\"a'b(c)*d.pdf\"; filename*=UTF-8''a%27b%28c%29%2Ad.pdf");
    CHECK_STR(header("!#$&+-.^_`|~", false),
              "attachment; filename=\"!#$&+-.^_`|~\"; filename*=UTF-8''!#$&+-.^_`|~");
    CHECK_STR(header("evil\r\nSet-Cookie: x=1", false),
              "attachment; filename=\"evilSet-Cookie: x=1\"; "
              "filename*=UTF-8''evilSet-Cookie%3A%20x%3D1");
    CHECK_STR(header("", false),
              "attachment; filename=\"download\"; filename*=UTF-8''download");
    CHECK_STR(header("\xFF\xFE", false),
              "attachment; filename=\"__\"; filename*=UTF-8''__");
    CHECK_STR(header("\xF0\x9F\x93\x84", false),
              "attachment; filename=\"_\"; filename*=UTF-8''%F0%9F%93%84");

    /* the longest possible value fits: 180 bytes that all need percent-encoding */
    char in[1000] = "";
    for (int i = 0; i < 100; i++) strcat(in, "\xEC\x84\x9C");   /* 서 */
    const char *h = header(in, false);
    CHECK(strlen(h) < DISPOSITION_MAX);
    CHECK(strstr(h, "filename*=UTF-8''%EC%84%9C") != NULL);
}

int main(void)
{
    test_clean();
    test_cap();
    test_header();
    return check_report("test_disposition");
}
