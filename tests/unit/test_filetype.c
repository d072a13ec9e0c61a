/* Unit tests for util/filetype.c: magic-byte sniffing, limits, and the completeness checks. */
#include <limits.h>
#include <stdlib.h>
#include "check.h"
#include "util/filetype.h"

#define PNG_SIG "\x89PNG\r\n\x1A\n"
#define PNG_IHDR "\0\0\0\x0DIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1F\x15\xC4\x89"
#define PNG_IEND "\0\0\0\0IEND\xAE\x42\x60\x82"

static const char pdf[] = "%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
static const char png[] = PNG_SIG PNG_IHDR "\0\0\0\x0AIDAT\x78\x9C\x63\0\x01\0\0\x05\0\x01\x0D\x0A\x2D\xB4" PNG_IEND;
static const char jpeg[] = "\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0\xFF\xD9";
/* RIFF size = 4 ("WEBP") + 8 (chunk header) + 4 (payload) = 16 */
static const char webp[] = "RIFF\x10\0\0\0WEBPVP8L\x04\0\0\0\x2F\0\0\0";

static void test_sniff(void)
{
    CHECK_INT(filetype_sniff(pdf, sizeof pdf - 1), FILETYPE_PDF);
    CHECK_INT(filetype_sniff(png, sizeof png - 1), FILETYPE_PNG);
    CHECK_INT(filetype_sniff(jpeg, sizeof jpeg - 1), FILETYPE_JPEG);
    CHECK_INT(filetype_sniff(webp, sizeof webp - 1), FILETYPE_WEBP);
    /* only FILETYPE_SNIFF_BYTES are needed */
    CHECK_INT(filetype_sniff(png, FILETYPE_SNIFF_BYTES), FILETYPE_PNG);
    CHECK_INT(filetype_sniff(webp, FILETYPE_SNIFF_BYTES), FILETYPE_WEBP);
    CHECK_INT(filetype_sniff("%PDF-2.0", 8), FILETYPE_PDF);
    CHECK_INT(filetype_sniff("RIFF\0\0\0\0WEBPVP8 ", 16), FILETYPE_WEBP);
    CHECK_INT(filetype_sniff("RIFF\0\0\0\0WEBPVP8X", 16), FILETYPE_WEBP);

    /* truncated headers never match */
    for (size_t n = 0; n < 8; n++) CHECK_INT(filetype_sniff(pdf, n), FILETYPE_NONE);
    for (size_t n = 0; n < 16; n++) CHECK_INT(filetype_sniff(png, n), FILETYPE_NONE);
    for (size_t n = 0; n < 3; n++) CHECK_INT(filetype_sniff(jpeg, n), FILETYPE_NONE);
    for (size_t n = 0; n < 16; n++) CHECK_INT(filetype_sniff(webp, n), FILETYPE_NONE);
    CHECK_INT(filetype_sniff(NULL, 100), FILETYPE_NONE);
    CHECK_INT(filetype_sniff("", 0), FILETYPE_NONE);

    /* refused types and near misses */
    static const char *const refused[] = {
        "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        "<svg onload=alert(1)>",
        "<!DOCTYPE html><html><script>alert(1)</script>",
        "GIF89a\x01\0\x01\0\0\0\0;",
        "GIF87a\x01\0\x01\0\0\0\0;",
        "PK\x03\x04\x14\0\0\0\x08\0\0\0\0\0",          /* ZIP, DOCX, XLSX */
        "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0\0\0\0",  /* old Office */
        "BM\x36\0\0\0\0\0\0\0\x36\0\0\0\x28\0",        /* BMP */
        "  %PDF-1.7 leading spaces",
        "%PDF-x.y not a version",
        "%pdf-1.7 lower case",
        "\xEF\xBB\xBF%PDF-1.7 after a BOM",
        "RIFF\x10\0\0\0WAVEfmt \x10\0\0\0",            /* WAV */
        "RIFF\x10\0\0\0AVI LIST\0\0\0\0",              /* AVI */
        "RIFF\x10\0\0\0WEBPXXXX\0\0\0\0",              /* WebP without a VP8 chunk */
        "\x89PNG\r\n\x1A\n\0\0\0\x0DIDAT",             /* PNG without IHDR first */
        "\x89PNG\n\x1A\n\0\0\0\x0DIHDR\0",             /* PNG mangled by a CRLF->LF convert */
        "\xFF\xD8\xFE\0\0\0\0\0",
        "\x00\x00\x00\x18" "ftypheic",                 /* HEIC */
    };
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        size_t n = strlen(refused[i]);
        if (n < 16) n = 16;                            /* embedded NULs: use 16 bytes */
        CHECK_INT(filetype_sniff(refused[i], n), FILETYPE_NONE);
    }
}

static void test_names(void)
{
    CHECK_STR(filetype_mime(FILETYPE_PDF), "application/pdf");
    CHECK_STR(filetype_mime(FILETYPE_PNG), "image/png");
    CHECK_STR(filetype_mime(FILETYPE_JPEG), "image/jpeg");
    CHECK_STR(filetype_mime(FILETYPE_WEBP), "image/webp");
    CHECK(filetype_mime(FILETYPE_NONE) == NULL);
    CHECK_STR(filetype_str(FILETYPE_PDF), "pdf");
    CHECK_STR(filetype_str(FILETYPE_PNG), "png");
    CHECK_STR(filetype_str(FILETYPE_JPEG), "jpeg");
    CHECK_STR(filetype_str(FILETYPE_WEBP), "webp");
    CHECK_STR(filetype_str(FILETYPE_NONE), "none");
    CHECK_STR(filetype_str((enum filetype)99), "none");
    CHECK_INT(filetype_max_bytes(FILETYPE_PDF), 20 * 1024 * 1024);
    CHECK_INT(filetype_max_bytes(FILETYPE_PNG), 5 * 1024 * 1024);
    CHECK_INT(filetype_max_bytes(FILETYPE_JPEG), 5 * 1024 * 1024);
    CHECK_INT(filetype_max_bytes(FILETYPE_WEBP), 5 * 1024 * 1024);
    CHECK_INT(filetype_max_bytes(FILETYPE_NONE), 0);
    CHECK_INT(FILETYPE_MAX_ANY, 20 * 1024 * 1024);
    CHECK_STR(filetype_err_str(FILETYPE_OK), "ok");
    CHECK_STR(filetype_err_str(FILETYPE_ERR_TRUNCATED), "file incomplete (upload cut short?)");
    CHECK_STR(filetype_err_str(-42), "unknown file type error");
    CHECK_STR(filetype_err_str(INT_MIN), "unknown file type error");
    CHECK_STR(filetype_err_str(INT_MAX), "unknown file type error");
    CHECK(filetype_mime((enum filetype)-1) == NULL);
}

static void check_body(const char *body, size_t len, int want, enum filetype want_type)
{
    enum filetype t = (enum filetype)77;
    CHECK_INT(filetype_check(body, len, &t), want);
    CHECK_INT(t, want_type);
}

static void test_complete(void)
{
    check_body(pdf, sizeof pdf - 1, 0, FILETYPE_PDF);
    check_body(png, sizeof png - 1, 0, FILETYPE_PNG);
    check_body(jpeg, sizeof jpeg - 1, 0, FILETYPE_JPEG);
    check_body(webp, sizeof webp - 1, 0, FILETYPE_WEBP);
    CHECK_INT(filetype_check(pdf, sizeof pdf - 1, NULL), 0);

    /* every proper prefix of each sample is refused as truncated (or as no type at all) */
    const char *samples[] = {pdf, png, jpeg, webp};
    size_t lens[] = {sizeof pdf - 1, sizeof png - 1, sizeof jpeg - 1, sizeof webp - 1};
    for (int s = 0; s < 4; s++)
        for (size_t n = 0; n < lens[s]; n++) {
            int rc = filetype_check(samples[s], n, NULL);
            if (s == 0 && n >= lens[s] - 1) continue;   /* "%%EOF" without the final LF is fine */
            CHECK(rc == FILETYPE_ERR_TRUNCATED || rc == FILETYPE_ERR_TYPE);
        }
    check_body(pdf, sizeof pdf - 2, 0, FILETYPE_PDF);
    check_body(pdf, sizeof pdf - 3, FILETYPE_ERR_TRUNCATED, FILETYPE_PDF);

    /* data after the end marker: PNG and JPEG refuse it, WebP by its size field */
    char buf[256];
    memcpy(buf, png, sizeof png - 1);
    buf[sizeof png - 1] = 'x';
    check_body(buf, sizeof png, FILETYPE_ERR_TRUNCATED, FILETYPE_PNG);
    memcpy(buf, jpeg, sizeof jpeg - 1);
    buf[sizeof jpeg - 1] = 0;
    check_body(buf, sizeof jpeg, FILETYPE_ERR_TRUNCATED, FILETYPE_JPEG);
    memcpy(buf, webp, sizeof webp - 1);
    buf[sizeof webp - 1] = 0;
    check_body(buf, sizeof webp, FILETYPE_ERR_TRUNCATED, FILETYPE_WEBP);
    /* a RIFF size of 0xFFFFFFFF does not overflow */
    memcpy(buf, webp, sizeof webp - 1);
    memcpy(buf + 4, "\xFF\xFF\xFF\xFF", 4);
    check_body(buf, sizeof webp - 1, FILETYPE_ERR_TRUNCATED, FILETYPE_WEBP);
    /* the shortest "JPEG" FF D8 FF D9 is refused: FF D8 FF then EOI needs 5 bytes */
    check_body("\xFF\xD8\xFF\xD9", 4, FILETYPE_ERR_TRUNCATED, FILETYPE_JPEG);
    check_body("\xFF\xD8\xFF\xFF\xD9", 5, 0, FILETYPE_JPEG);

    /* a PDF whose %%EOF is further than 1 KiB from the end (e.g. a cut incremental update) */
    size_t n = 4096;
    char *big = malloc(n);
    memset(big, ' ', n);
    memcpy(big, "%PDF-1.4\n", 9);
    memcpy(big + n - 1024 - 1, "%%EOF", 5);
    check_body(big, n, FILETYPE_ERR_TRUNCATED, FILETYPE_PDF);
    memcpy(big + n - 1024, "%%EOF", 5);
    check_body(big, n, 0, FILETYPE_PDF);
    free(big);

    check_body("GIF89a", 6, FILETYPE_ERR_TYPE, FILETYPE_NONE);
    check_body(NULL, 0, FILETYPE_ERR_TYPE, FILETYPE_NONE);
}

static void test_limits(void)
{
    /* one byte over the limit is refused before the end is looked at */
    size_t n = (size_t)FILETYPE_IMAGE_MAX + 1;
    char *b = calloc(1, n);
    memcpy(b, jpeg, 20);
    b[n - 2] = (char)0xFF;
    b[n - 1] = (char)0xD9;
    check_body(b, n, FILETYPE_ERR_TOO_LARGE, FILETYPE_JPEG);
    check_body(b + 1, n - 1, FILETYPE_ERR_TYPE, FILETYPE_NONE);
    memcpy(b + 1, jpeg, 20);
    check_body(b + 1, n - 1, 0, FILETYPE_JPEG);    /* exactly 5 MiB */
    free(b);

    n = (size_t)FILETYPE_PDF_MAX + 1;
    b = calloc(1, n);
    memcpy(b, "%PDF-1.7\n", 9);
    memcpy(b + n - 6, "%%EOF\n", 6);
    check_body(b, n, FILETYPE_ERR_TOO_LARGE, FILETYPE_PDF);
    memcpy(b + 1, "%PDF-1.7\n", 9);                  /* one byte shorter: exactly 20 MiB */
    check_body(b + 1, n - 1, 0, FILETYPE_PDF);
    free(b);
}

int main(void)
{
    test_sniff();
    test_names();
    test_complete();
    test_limits();
    return check_report("test_filetype");
}
