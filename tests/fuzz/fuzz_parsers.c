/* fuzz_parsers.c — libFuzzer harness for the parsers that read what clients send besides the
 * envelope: an HTTP Range header, an upload's bytes (type by magic bytes, truncation), an
 * original file name (Content-Disposition), a CSV import, a video link and the form checks
 * (URL, e-mail, slug, text length). The first input byte picks the parser; the rest is its
 * input. Each call also checks a property of its result, so a wrong answer aborts like a
 * crash does.
 *
 * Built like fuzz_protocol.c: a libFuzzer binary with clang and -DBOOTHD_FUZZ=ON (scripts/fuzz),
 * otherwise a replay driver over tests/fuzz/corpus/parsers in ctest. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/csv.h"
#include "util/disposition.h"
#include "util/embed.h"
#include "util/filetype.h"
#include "util/httprange.h"
#include "util/text.h"
#include "util/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void range(const char *s, uint64_t length)
{
    struct httprange r;
    enum httprange_result res = httprange_parse(s, length, &r);
    if (res == HTTPRANGE_ONE) {
        if (r.first > r.last || r.last >= length || httprange_len(&r) != r.last - r.first + 1) abort();
        char buf[128];
        if (httprange_content_range(buf, sizeof buf, &r, length) <= 0) abort();
    }
}

static void upload(const uint8_t *body, size_t len)
{
    enum filetype t;
    int err = filetype_check(body, len, &t);
    if (err == 0 && (len > filetype_max_bytes(t) || !filetype_mime(t))) abort();
    (void)filetype_sniff(body, len);
}

static void file_name(const char *s)
{
    char out[DISPOSITION_MAX];
    size_t n = disposition_header(out, s, s[0] & 1);
    if (n == 0 || n >= DISPOSITION_MAX || strlen(out) != n) abort();
    for (size_t i = 0; i < n; i++)   /* a header value: printable ASCII only */
        if ((unsigned char)out[i] < 0x20 || (unsigned char)out[i] > 0x7e) abort();
}

static void csv(const char *s, size_t len)
{
    struct csv_limits lim = {.max_field_bytes = 200, .max_fields = 20, .max_rows = 50};
    struct csv_reader r;
    struct csv_record rec;
    csv_reader_init(&r, s, len, &lim);
    int rc, rows = 0;
    while ((rc = csv_read(&r, &rec)) != 0) {
        if (++rows > 60) abort();   /* max_rows bounds the records, bad ones included */
        if (rc < 0 && !r.msg[0]) abort();
    }
    csv_reader_free(&r);
}

static void video(const char *s)
{
    struct embed_video v;
    if (embed_video(s, &v) == 0 && strncmp(v.url, "https://", 8) != 0) abort();
}

static void forms(const char *s)
{
    (void)validate_url_http(s);
    (void)validate_email(s);
    (void)validate_slug(s);
    if (utf8_valid(s, strlen(s))) (void)validate_text_len(s, 1, 200);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 1 << 16) return 0;
    uint8_t which = data[0];
    const uint8_t *in = data + 1;
    size_t n = size - 1;
    char *s = malloc(n + 1);   /* the string parsers get a NUL-terminated copy */
    if (!s) abort();
    memcpy(s, in, n);
    s[n] = 0;
    switch (which % 6) {
    case 0: range(s, n ? in[0] * 1000003ull + n : 0); break;
    case 1: upload(in, n); break;
    case 2: file_name(s); break;
    case 3: csv(s, n); break;
    case 4: video(s); break;
    default: forms(s); break;
    }
    free(s);
    return 0;
}

#ifndef BOOTHD_LIBFUZZER
#include "replay.h"
int main(int argc, char **argv) { return fuzz_replay_main(argc, argv); }
#endif
