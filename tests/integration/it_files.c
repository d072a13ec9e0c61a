/* it_files.c — integration tests of uploads and file serving (issue 11): POST /upload into
 * PostgreSQL and GET /files/<id> from any node, the booth media actions (media.save,
 * media.delete, media.reorder) with their validation, authorization matrix and live
 * media.changed events across nodes.
 *
 *   it_files <test> <path/to/boothd>
 *
 * The sample files are built here, byte by byte, with the marks util/filetype.h checks
 * (signature at the start, the right end); they need not be viewable. Every refusal is
 * followed by counting the rows of `files`: nothing may be stored on any error. */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "expo.h"
#include "harness.h"

#define DEMO_PW "demo1234"

static struct pg_cluster pg;
static struct boothd na, nb;

static void up(int nodes) { it_demo_up(&pg, &na, &nb, nodes); }

/* ---- people ------------------------------------------------------------------------------- */

struct person {
    struct expo c;
    char token[128];
};

static void login(struct person *p, int port, const char *email, const char *label)
{
    memset(p, 0, sizeof *p);
    expo_connect(&p->c, port, label);
    cJSON *d = EXPO_OK(&p->c, "auth.login", "{\"email\":%s,\"password\":%s}", json_quote(email), json_quote(DEMO_PW));
    snprintf(p->token, sizeof p->token, "%s", JSTR(d, "token"));
    cJSON_Delete(d);
}

/* The n-th booth by id: its id into id[24] and its staff's e-mail into email[160]. */
static void booth_n(int n, char id[24], char email[160])
{
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT id || ' ' || slug FROM booths ORDER BY id OFFSET %d LIMIT 1", n);
    char *out = psql_ok(pg.url, sql), slug[100];
    if (sscanf(out, "%23s %99s", id, slug) != 2) FAIL("no booth #%d: %s", n, out);
    snprintf(email, 160, "staff@%s.demo.expo", slug);
    free(out);
}

/* up(nodes), then staff of the first booth signed in on node a. */
static void up_as_staff(int nodes, char booth[24], char email[160], struct person *staff)
{
    up(nodes);
    booth_n(0, booth, email);
    login(staff, na.port, email, "staff");
}

static long files_rows(void) { return psql_long(pg.url, "SELECT count(*) FROM files"); }

/* ---- sample files ------------------------------------------------------------------------- */

struct blob {
    unsigned char *b;
    size_t n;
};

static void blob_add(struct blob *x, const void *p, size_t n)
{
    x->b = realloc(x->b, x->n + n + 1);
    if (!x->b) abort();
    memcpy(x->b + x->n, p, n);
    x->n += n;
}

/* Filler bytes including NUL and 0xFF, so a text-mode mistake anywhere shows. */
static void blob_fill(struct blob *x, size_t n, unsigned seed)
{
    unsigned char *t = malloc(n ? n : 1);
    if (!t) abort();
    for (size_t i = 0; i < n; i++) { seed = seed * 1103515245u + 12345u; t[i] = (unsigned char)(seed >> 16); }
    blob_add(x, t, n);
    free(t);
}

static struct blob sample_pdf(size_t filler)
{
    struct blob x = {0};
    const char head[] = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";
    blob_add(&x, head, sizeof head - 1);
    blob_fill(&x, filler, 7);
    const char tail[] = "\ntrailer\n<<>>\n%%EOF\n";
    blob_add(&x, tail, sizeof tail - 1);
    return x;
}

static struct blob sample_png(size_t filler)
{
    struct blob x = {0};
    const unsigned char head[] = {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 'I', 'H', 'D', 'R'};
    blob_add(&x, head, sizeof head);
    blob_fill(&x, filler, 11);
    const unsigned char iend[] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
    blob_add(&x, iend, sizeof iend);
    return x;
}

static struct blob sample_jpeg(size_t filler)
{
    struct blob x = {0};
    const unsigned char head[] = {0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0};
    blob_add(&x, head, sizeof head);
    blob_fill(&x, filler, 13);
    const unsigned char eoi[] = {0xff, 0xd9};
    blob_add(&x, eoi, sizeof eoi);
    return x;
}

static struct blob sample_webp(size_t filler)
{
    struct blob x = {0};
    size_t total = 20 + filler;   /* RIFF size = total - 8 */
    uint32_t riff = (uint32_t)(total - 8);
    unsigned char head[20] = {'R', 'I', 'F', 'F', (unsigned char)riff, (unsigned char)(riff >> 8),
                              (unsigned char)(riff >> 16), (unsigned char)(riff >> 24), 'W', 'E', 'B', 'P',
                              'V', 'P', '8', 'L', 0, 0, 0, 0};
    blob_add(&x, head, sizeof head);
    blob_fill(&x, filler, 17);
    return x;
}

static struct blob sample_text(const char *s)
{
    struct blob x = {0};
    blob_add(&x, s, strlen(s));
    return x;
}

/* ---- HTTP --------------------------------------------------------------------------------- */

/* Sends a POST /upload: query "booth=..&name=..", body[0..send_len) of a declared
 * content_length (-1: no Content-Length header), with extra header lines (each ending CRLF). */
static int post_upload(int port, const char *query, const char *token, const char *extra, const struct blob *body,
                       size_t send_len, long content_length, int half_close, struct http_resp *r)
{
    char head[2048], cl[64] = "";
    if (content_length >= 0) snprintf(cl, sizeof cl, "Content-Length: %ld\r\n", content_length);
    int hn = snprintf(head, sizeof head,
                      "POST /upload?%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n"
                      "Content-Type: application/octet-stream\r\n%s%s%s%s%s",
                      query, port, token ? "Authorization: Bearer " : "", token ? token : "", token ? "\r\n" : "",
                      cl, extra ? extra : "");
    struct blob req = {0};
    blob_add(&req, head, (size_t)hn);
    blob_add(&req, "\r\n", 2);
    if (body && send_len) blob_add(&req, body->b, send_len);
    int st = http_request(port, req.b, req.n, half_close, it_ms(20000), r);
    free(req.b);
    return st;
}

/* A whole upload; returns the status, the reply JSON in *out when not NULL. */
static int upload(int port, const char *booth, const char *name, const char *token, const struct blob *b, cJSON **out)
{
    char q[400];
    snprintf(q, sizeof q, "booth=%s&name=%s", booth, name);
    struct http_resp r;
    int st = post_upload(port, q, token, NULL, b, b->n, (long)b->n, 0, &r);
    if (out) {
        *out = r.body ? cJSON_Parse(r.body) : NULL;
        if (!*out) FAIL("upload: status %d, body not JSON: %s", st, r.body ? r.body : "(none)");
    }
    http_resp_free(&r);
    return st;
}

static int get_file(int port, const char *path, const char *extra, struct http_resp *r)
{
    char req[1024];
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n%s\r\n", path,
                     port, extra ? extra : "");
    return http_request(port, req, (size_t)n, 0, it_ms(20000), r);
}

static void expect_header(const struct http_resp *r, const char *name, const char *want)
{
    char v[1200];
    if (!http_header(r, name, v, sizeof v)) FAIL("no %s header in:\n%s", name, r->head);
    if (strcmp(v, want) != 0) FAIL("%s: got \"%s\", expected \"%s\"", name, v, want);
}

static void expect_body(const struct http_resp *r, const unsigned char *want, size_t n)
{
    if (r->body_len != n) FAIL("body of %zu bytes, expected %zu", r->body_len, n);
    if (memcmp(r->body, want, n) != 0) FAIL("body differs from what was uploaded");
}

/* Attaches a file to booth as a brochure, as media.save would (so it becomes public). */
static void attach(const char *booth, long file_id)
{
    char sql[300];
    snprintf(sql, sizeof sql, "INSERT INTO booth_media (booth_id, kind, title_en, file_id) VALUES (%s, 'brochure', 'x', %ld)",
             booth, file_id);
    free(psql_ok(pg.url, sql));
}

/* ---- tests -------------------------------------------------------------------------------- */

/* Each accepted type: stored with type/size/sha256, served byte-exact, unattached only to the
 * booth's staff, attached to anyone with the caching and safety headers. */
static void test_upload_types(void)
{
    char booth[24], email[160];
    struct person staff;
    up_as_staff(2, booth, email, &staff);
    char other[24], other_email[160], other_auth[200];
    booth_n(1, other, other_email);
    struct person stranger;
    login(&stranger, nb.port, other_email, "staff of another booth");
    snprintf(other_auth, sizeof other_auth, "Authorization: Bearer %s\r\n", stranger.token);
    struct { const char *name, *type, *mime; struct blob b; } cases[] = {
        {"brochure.pdf", "pdf", "application/pdf", sample_pdf(300000)},
        {"photo.png", "png", "image/png", sample_png(70000)},
        {"photo.jpg", "jpeg", "image/jpeg", sample_jpeg(5000)},
        {"photo.webp", "webp", "image/webp", sample_webp(4000)},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cJSON *j;
        ASSERT_EQ(upload(na.port, booth, cases[i].name, staff.token, &cases[i].b, &j), 201);
        ASSERT_STR_EQ(JSTR(j, "type"), cases[i].type);
        ASSERT_STR_EQ(JSTR(j, "mime"), cases[i].mime);
        ASSERT_EQ(json_int_at(__FILE__, __LINE__, j, "size"), (long long)cases[i].b.n);
        long id = (long)json_int_at(__FILE__, __LINE__, j, "id");
        char sql[200], path[64], auth[200];
        snprintf(sql, sizeof sql, "SELECT encode(sha256(data), 'hex') FROM files WHERE id = %ld", id);
        char *sha = psql_ok(pg.url, sql);
        ASSERT_STR_EQ(JSTR(j, "sha256"), sha);
        snprintf(path, sizeof path, "/files/%ld", id);
        ASSERT_STR_EQ(JSTR(j, "url"), path);
        cJSON_Delete(j);

        /* unattached: 404 without a token, served to the booth's staff on the other node */
        struct http_resp r;
        ASSERT_EQ(get_file(nb.port, path, NULL, &r), 404);
        http_resp_free(&r);
        ASSERT_EQ(get_file(nb.port, path, other_auth, &r), 404);
        http_resp_free(&r);
        snprintf(auth, sizeof auth, "Authorization: Bearer %s\r\n", staff.token);
        ASSERT_EQ(get_file(nb.port, path, auth, &r), 200);
        expect_body(&r, cases[i].b.b, cases[i].b.n);
        expect_header(&r, "Cache-Control", "private, no-store");
        http_resp_free(&r);

        attach(booth, id);
        ASSERT_EQ(get_file(nb.port, path, NULL, &r), 200);
        expect_body(&r, cases[i].b.b, cases[i].b.n);
        expect_header(&r, "Content-Type", cases[i].mime);
        char etag[80], cl[32];
        snprintf(etag, sizeof etag, "\"%s\"", sha);
        snprintf(cl, sizeof cl, "%zu", cases[i].b.n);
        expect_header(&r, "ETag", etag);
        expect_header(&r, "Content-Length", cl);
        expect_header(&r, "Cache-Control", "public, max-age=31536000, immutable");
        expect_header(&r, "X-Content-Type-Options", "nosniff");
        expect_header(&r, "Accept-Ranges", "bytes");
        char disp[300];
        snprintf(disp, sizeof disp, "inline; filename=\"%s\"; filename*=UTF-8''%s", cases[i].name, cases[i].name);
        expect_header(&r, "Content-Disposition", disp);
        http_resp_free(&r);
        free(sha);
        free(cases[i].b.b);
    }
    ASSERT_EQ(files_rows(), 4);
    /* a Korean name, percent-encoded in the query, comes back in filename* */
    struct blob pdf = sample_pdf(100);
    cJSON *j;
    ASSERT_EQ(upload(na.port, booth, "%ED%9A%8C%EC%82%AC%20%EC%86%8C%EA%B0%9C.pdf", staff.token, &pdf, &j), 201);
    ASSERT_STR_EQ(JSTR(j, "name"), "회사 소개.pdf");
    long id = (long)json_int_at(__FILE__, __LINE__, j, "id");
    cJSON_Delete(j);
    attach(booth, id);
    char path[64];
    snprintf(path, sizeof path, "/files/%ld", id);
    struct http_resp r;
    ASSERT_EQ(get_file(na.port, path, NULL, &r), 200);
    expect_header(&r, "Content-Disposition",
                  "inline; filename=\"__ __.pdf\"; filename*=UTF-8''%ED%9A%8C%EC%82%AC%20%EC%86%8C%EA%B0%9C.pdf");
    http_resp_free(&r);
    /* HEAD: the headers of the GET, no body */
    {
        char req[200];
        int n = snprintf(req, sizeof req, "HEAD %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", path);
        ASSERT_EQ(http_request(na.port, req, (size_t)n, 0, it_ms(10000), &r), 200);
        expect_header(&r, "Content-Type", "application/pdf");
        char cl[32];
        snprintf(cl, sizeof cl, "%zu", pdf.n);
        expect_header(&r, "Content-Length", cl);
        ASSERT_EQ((long)r.body_len, 0);
        http_resp_free(&r);
    }
    free(pdf.b);
    /* unknown ids and malformed paths */
    ASSERT_EQ(get_file(na.port, "/files/999999", NULL, &r), 404);
    http_resp_free(&r);
    ASSERT_EQ(get_file(na.port, "/files/01", NULL, &r), 404);
    http_resp_free(&r);
    ASSERT_EQ(get_file(na.port, "/files/abc", NULL, &r), 404);
    http_resp_free(&r);
    expo_close(&staff.c);
}

/* Every way an upload is refused, each with its status and error code, and nothing stored. */
static void test_refusals(void)
{
    up(1);
    char booth[24], email[160], other[24], other_email[160];
    booth_n(0, booth, email);
    booth_n(1, other, other_email);
    struct person staff, stranger, visitor;
    login(&staff, na.port, email, "staff");
    login(&stranger, na.port, other_email, "staff of another booth");
    login(&visitor, na.port, "buyer1@demo.expo", "visitor");
    char q[100];
    snprintf(q, sizeof q, "booth=%s&name=x", booth);
    struct http_resp r;
    long before = files_rows();

    /* wrong types, decided by the bytes whatever the name says */
    const char *wrong[] = {
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
        "<!DOCTYPE html><html><body>%PDF-1.7</body></html>",
        "GIF89a\x01\x00\x01\x00\x00\x00\x00;",
    };
    for (size_t i = 0; i < 3; i++) {
        struct blob b = sample_text(wrong[i]);
        cJSON *j;
        ASSERT_EQ(upload(na.port, booth, "brochure.pdf", staff.token, &b, &j), 415);
        ASSERT_STR_EQ(JSTR(j, "error"), "unsupported_type");
        if (!strstr(JSTR(j, "message"), "PDF")) FAIL("415 message does not say what is accepted: %s", JSTR(j, "message"));
        cJSON_Delete(j);
        free(b.b);
    }

    /* too big: the answer comes after the headers alone, before any byte of the body */
    double t0 = it_now();
    ASSERT_EQ(post_upload(na.port, q, staff.token, NULL, NULL, 0, 30L << 20, 0, &r), 413);
    if (!strstr(r.body, "too_large")) FAIL("413 body: %s", r.body);
    it_log("413 for 30 MiB declared arrived %.3f s after the headers, no body sent", it_now() - t0);
    http_resp_free(&r);
    /* an image over 5 MiB: refused once its first bytes show it is an image */
    struct blob png = sample_png(64);
    ASSERT_EQ(post_upload(na.port, q, staff.token, NULL, &png, 16, 6L << 20, 0, &r), 413);
    http_resp_free(&r);
    /* without a length (chunked), refused before the body: lws does not decode it */
    {
        struct blob req = {0};
        char head[600];
        int hn = snprintf(head, sizeof head,
                          "POST /upload?%s HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer %s\r\n"
                          "Transfer-Encoding: chunked\r\n\r\n", q, staff.token);
        blob_add(&req, head, (size_t)hn);
        struct blob big = sample_png(6 << 20);
        for (size_t off = 0; off < big.n; off += 65536) {
            size_t n = big.n - off < 65536 ? big.n - off : 65536;
            char sz[32];
            int sn = snprintf(sz, sizeof sz, "%zx\r\n", n);
            blob_add(&req, sz, (size_t)sn);
            blob_add(&req, big.b + off, n);
            blob_add(&req, "\r\n", 2);
        }
        blob_add(&req, "0\r\n\r\n", 5);
        int st = http_request(na.port, req.b, req.n, 0, it_ms(20000), &r);
        ASSERT_EQ(st, 411);
        http_resp_free(&r);
        free(req.b);
        free(big.b);
    }
    free(png.b);

    /* truncated: the connection ends before Content-Length bytes arrived */
    struct blob pdf = sample_pdf(20000);
    (void)post_upload(na.port, q, staff.token, NULL, &pdf, pdf.n / 2, (long)pdf.n, 1, &r);
    it_log("half a body then EOF: status %d", r.status);
    ASSERT_EQ(files_rows(), before);
    /* more bytes than Content-Length: only the announced ones are the file (it then lacks
     * its end), the rest is not taken as an upload */
    ASSERT_EQ(post_upload(na.port, q, staff.token, NULL, &pdf, pdf.n, (long)pdf.n - 100, 0, &r), 400);
    if (!strstr(r.body, "truncated")) FAIL("lying Content-Length: %s", r.body);
    http_resp_free(&r);
    http_resp_free(&r);
    /* truncated file: all the bytes announced, but the PDF lacks its end */
    struct blob cut = {0};
    blob_add(&cut, pdf.b, pdf.n - 12);
    cJSON *j;
    ASSERT_EQ(upload(na.port, booth, "cut.pdf", staff.token, &cut, &j), 400);
    ASSERT_STR_EQ(JSTR(j, "error"), "truncated");
    cJSON_Delete(j);
    free(cut.b);

    /* who may upload */
    ASSERT_EQ(upload(na.port, booth, "a.pdf", NULL, &pdf, NULL), 401);
    ASSERT_EQ(upload(na.port, booth, "a.pdf", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &pdf, NULL), 401);
    ASSERT_EQ(upload(na.port, booth, "a.pdf", "not-a-token", &pdf, NULL), 401);
    ASSERT_EQ(upload(na.port, booth, "a.pdf", stranger.token, &pdf, &j), 403);
    ASSERT_STR_EQ(JSTR(j, "error"), "forbidden");
    cJSON_Delete(j);
    ASSERT_EQ(upload(na.port, booth, "a.pdf", visitor.token, &pdf, NULL), 403);
    /* a stranger is refused while the body is still on its way: 16 bytes of a declared 10 MiB */
    ASSERT_EQ(post_upload(na.port, q, stranger.token, NULL, &pdf, 16, 10L << 20, 0, &r), 403);
    http_resp_free(&r);
    ASSERT_EQ(upload(na.port, "999999", "a.pdf", staff.token, &pdf, NULL), 404);
    ASSERT_EQ(upload(na.port, "x", "a.pdf", staff.token, &pdf, NULL), 400);
    /* a revoked token (signed out) */
    struct person gone;
    login(&gone, na.port, email, "signed out");
    cJSON_Delete(EXPO_OK(&gone.c, "auth.logout", "{}"));
    ASSERT_EQ(upload(na.port, booth, "a.pdf", gone.token, &pdf, NULL), 401);
    /* a page of another site, with the staff's token */
    ASSERT_EQ(post_upload(na.port, q, staff.token, "Origin: https://evil.example\r\n", &pdf, pdf.n, (long)pdf.n, 0, &r), 403);
    if (!strstr(r.body, "origin_not_allowed")) FAIL("foreign Origin: %s", r.body);
    http_resp_free(&r);
    /* GET on the upload path, POST on the download path */
    ASSERT_EQ(get_file(na.port, "/upload", NULL, &r), 405);
    http_resp_free(&r);
    ASSERT_EQ(files_rows(), before);

    /* and the server is fine: a good upload after all that, by an organizer */
    struct person org;
    login(&org, na.port, "organizer@demo.expo", "organizer");
    ASSERT_EQ(upload(na.port, booth, "ok.pdf", org.token, &pdf, NULL), 201);
    ASSERT_EQ(files_rows(), before + 1);
    free(pdf.b);
}

/* ETag and 304, byte ranges across the storage chunks, 416, If-Range. */
static void test_conditional_ranges(void)
{
    char booth[24], email[160];
    struct person staff;
    up_as_staff(1, booth, email, &staff);
    struct blob pdf = sample_pdf(700000);    /* spans three 256 KiB pieces */
    cJSON *j;
    ASSERT_EQ(upload(na.port, booth, "big.pdf", staff.token, &pdf, &j), 201);
    long id = (long)json_int_at(__FILE__, __LINE__, j, "id");
    char etag[80], path[64], hdr[200];
    snprintf(etag, sizeof etag, "\"%s\"", JSTR(j, "sha256"));
    cJSON_Delete(j);
    attach(booth, id);
    snprintf(path, sizeof path, "/files/%ld", id);
    struct http_resp r;

    snprintf(hdr, sizeof hdr, "If-None-Match: %s\r\n", etag);
    ASSERT_EQ(get_file(na.port, path, hdr, &r), 304);
    ASSERT_EQ((long)r.body_len, 0);
    expect_header(&r, "ETag", etag);
    http_resp_free(&r);
    ASSERT_EQ(get_file(na.port, path, "If-None-Match: \"0000\"\r\n", &r), 200);
    expect_body(&r, pdf.b, pdf.n);
    http_resp_free(&r);

    /* a range that crosses the 256 KiB boundary */
    size_t first = 262000, last = 263999;
    snprintf(hdr, sizeof hdr, "Range: bytes=%zu-%zu\r\n", first, last);
    ASSERT_EQ(get_file(na.port, path, hdr, &r), 206);
    expect_body(&r, pdf.b + first, last - first + 1);
    char cr[100];
    snprintf(cr, sizeof cr, "bytes %zu-%zu/%zu", first, last, pdf.n);
    expect_header(&r, "Content-Range", cr);
    expect_header(&r, "Content-Length", "2000");
    http_resp_free(&r);
    /* the last 100 bytes (a PDF reader's first question) */
    ASSERT_EQ(get_file(na.port, path, "Range: bytes=-100\r\n", &r), 206);
    expect_body(&r, pdf.b + pdf.n - 100, 100);
    http_resp_free(&r);
    /* beyond the end */
    snprintf(hdr, sizeof hdr, "Range: bytes=%zu-\r\n", pdf.n + 10);
    ASSERT_EQ(get_file(na.port, path, hdr, &r), 416);
    snprintf(cr, sizeof cr, "bytes */%zu", pdf.n);
    expect_header(&r, "Content-Range", cr);
    http_resp_free(&r);
    /* If-Range with an old validator: the whole file */
    ASSERT_EQ(get_file(na.port, path, "Range: bytes=0-9\r\nIf-Range: \"old\"\r\n", &r), 200);
    expect_body(&r, pdf.b, pdf.n);
    http_resp_free(&r);
    snprintf(hdr, sizeof hdr, "Range: bytes=0-9\r\nIf-Range: %s\r\n", etag);
    ASSERT_EQ(get_file(na.port, path, hdr, &r), 206);
    expect_body(&r, pdf.b, 10);
    http_resp_free(&r);
    free(pdf.b);
}

static long vm_rss_kib(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    char *s = it_read_file(path);
    if (!s) FAIL("cannot read %s", path);
    const char *p = strstr(s, "VmRSS:");
    long kib = p ? atol(p + 6) : -1;
    free(s);
    return kib;
}

/* 40 clients download an 18 MiB PDF at once, reading slowly: boothd's resident memory grows
 * by far less than one copy per client would take (40 x 18 MiB). */
static void test_rss_bounded(void)
{
    /* Under AddressSanitizer freed blocks wait in a quarantine (256 MiB by default) before
     * their pages are reused, which would be counted here as boothd's: keep it small. */
    const char *asan = getenv("ASAN_OPTIONS");
    char opts[512];
    snprintf(opts, sizeof opts, "%s%squarantine_size_mb=8", asan ? asan : "", asan && *asan ? ":" : "");
    setenv("ASAN_OPTIONS", opts, 1);
    char booth[24], email[160];
    struct person staff;
    up_as_staff(1, booth, email, &staff);
    struct blob pdf = sample_pdf(18u << 20);
    cJSON *j;
    ASSERT_EQ(upload(na.port, booth, "huge.pdf", staff.token, &pdf, &j), 201);
    long id = (long)json_int_at(__FILE__, __LINE__, j, "id");
    cJSON_Delete(j);
    attach(booth, id);
    it_sleep_ms(500);
    long base = vm_rss_kib(na.pid), peak = base;

    enum { N = 40 };
    int fd[N];
    size_t got[N] = {0};
    char req[200];
    int rn = snprintf(req, sizeof req, "GET /files/%ld HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", id);
    for (int i = 0; i < N; i++) {
        fd[i] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int small = 64 * 1024;
        setsockopt(fd[i], SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
        struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)na.port)};
        inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
        if (connect(fd[i], (struct sockaddr *)&sa, sizeof sa) || send(fd[i], req, (size_t)rn, MSG_NOSIGNAL) != rn)
            FAIL("client %d: %s", i, strerror(errno));
    }
    /* read slowly for a while (each client at most 256 KiB per round), then drain */
    size_t want = pdf.n;
    char *buf = malloc(1 << 20);
    if (!buf) abort();
    double until = it_now() + 120;
    int done = 0;
    for (int round = 0; done < N && it_now() < until; round++) {
        for (int i = 0; i < N; i++) {
            if (fd[i] < 0) continue;
            struct pollfd p = {.fd = fd[i], .events = POLLIN};
            if (poll(&p, 1, 0) <= 0) continue;
            ssize_t n = recv(fd[i], buf, round < 30 ? 256 * 1024 : 1 << 20, MSG_DONTWAIT);
            if (n > 0) got[i] += (size_t)n;
            if (n == 0 || (n < 0 && errno != EAGAIN)) { close(fd[i]); fd[i] = -1; done++; }
        }
        long rss = vm_rss_kib(na.pid);
        if (rss > peak) peak = rss;
        if (round < 30) it_sleep_ms(50);
        else it_sleep_ms(2);
    }
    free(buf);
    for (int i = 0; i < N; i++) {
        if (fd[i] >= 0) close(fd[i]);
        if (got[i] < want) FAIL("client %d got %zu bytes, expected at least %zu", i, got[i], want);
    }
    it_log("RSS: %ld KiB before, peak %ld KiB during 40 downloads of %zu bytes", base, peak, pdf.n);
    /* one copy per client would be 720 MiB; a piece per client is ~10 MiB */
    if (peak - base > 120 * 1024) FAIL("boothd grew by %ld KiB serving 40 downloads", peak - base);
    free(pdf.b);
}

/* A connection that sent an upload's headers (Content-Length: declared) and `n` bytes of
 * body, and then waits: the caller closes it. */
static int partial_upload(const char *query, const char *token, long declared, const void *body, size_t n)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)na.port)};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    char head[600];
    int hn = snprintf(head, sizeof head, "POST /upload?%s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                      "Content-Length: %ld\r\n\r\n", query, token, declared);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) || send(fd, head, (size_t)hn, MSG_NOSIGNAL) != hn ||
        send(fd, body, n, MSG_NOSIGNAL) != (ssize_t)n)
        FAIL("partial upload: %s", strerror(errno));
    return fd;
}

/* Eight 20 MiB uploads in progress fill the node's upload memory: a ninth gets 503 busy with
 * Retry-After at once; when they go away, uploads are taken again. */
static void test_upload_memory_cap(void)
{
    char booth[24], email[160];
    struct person staff;
    up_as_staff(1, booth, email, &staff);
    char q[100];
    snprintf(q, sizeof q, "booth=%s&name=big.pdf", booth);
    struct blob pdf = sample_pdf(100);
    int fd[8];
    for (int i = 0; i < 8; i++) fd[i] = partial_upload(q, staff.token, 20L << 20, pdf.b, 16);
    it_sleep_ms(it_ms(500));
    struct http_resp r;
    ASSERT_EQ(post_upload(na.port, q, staff.token, NULL, &pdf, pdf.n, (long)pdf.n, 0, &r), 503);
    if (!strstr(r.body, "busy")) FAIL("503 body: %s", r.body);
    expect_header(&r, "Retry-After", "10");
    http_resp_free(&r);
    for (int i = 0; i < 8; i++) close(fd[i]);
    it_sleep_ms(it_ms(500));
    ASSERT_EQ(upload(na.port, booth, "ok.pdf", staff.token, &pdf, NULL), 201);
    ASSERT_EQ(files_rows(), 1);
    free(pdf.b);
}

/* ---- booth media -------------------------------------------------------------------------- */

static long media_rows(const char *booth)
{
    char sql[120];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM booth_media WHERE booth_id = %s", booth);
    return psql_long(pg.url, sql);
}

/* reply is an error with this code whose message mentions `mentions` (NULL: anything). */
static void expect_error_at(const char *file, int line, const cJSON *reply, const char *code, const char *mentions)
{
    expo_check_error_at(file, line, reply, code, NULL, 0);
    const char *msg = json_str_at(file, line, JGET(reply, "error"), "message");
    if (mentions && !strstr(msg, mentions)) it_fail(file, line, "error message \"%s\" does not mention %s", msg, mentions);
}
#define EXPECT_ERROR(reply, code, mentions) expect_error_at(__FILE__, __LINE__, (reply), (code), (mentions))

/* Uploads a sample and returns its id. */
static long upload_id(const char *booth, const char *token, struct blob b)
{
    cJSON *j;
    ASSERT_EQ(upload(na.port, booth, "sample", token, &b, &j), 201);
    long id = (long)json_int_at(__FILE__, __LINE__, j, "id");
    cJSON_Delete(j);
    free(b.b);
    return id;
}

/* The media item with this id in a reply's or event's "media" list, or FAIL. */
static const cJSON *media_item(const cJSON *d, long long id)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, JGET(d, "media"))
        if (json_int_at(__FILE__, __LINE__, it, "id") == id) return it;
    FAIL("media item %lld not in %s", id, cJSON_PrintUnformatted(d));
}

/* Every kind saved with its checks; what visitors get from booth.get; validation errors,
 * each naming its field and changing nothing; reorder and delete. */
static void test_media_actions(void)
{
    up(1);
    char booth[24], email[160], other[24], other_email[160];
    booth_n(0, booth, email);
    booth_n(1, other, other_email);
    free(psql_ok(pg.url, "DELETE FROM booth_media"));
    struct person staff, other_staff;
    login(&staff, na.port, email, "staff");
    login(&other_staff, na.port, other_email, "other staff");
    long pdf = upload_id(booth, staff.token, sample_pdf(1000));
    long png = upload_id(booth, staff.token, sample_png(1000));
    long foreign_pdf = upload_id(other, other_staff.token, sample_pdf(500));

    cJSON *d = EXPO_OK(&staff.c, "media.save",
                       "{\"booth_id\":%s,\"kind\":\"video\",\"title\":{\"en\":\"Factory tour\",\"ko\":\"공장 소개\"},"
                       "\"url\":\"https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10\"}", booth);
    long long video = json_int_at(__FILE__, __LINE__, d, "id");
    const cJSON *v = media_item(d, video);
    ASSERT_STR_EQ(JSTR(v, "embed_url"), "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ");
    ASSERT_STR_EQ(JSTR(JGET(v, "title"), "ko"), "공장 소개");
    cJSON_Delete(d);
    d = EXPO_OK(&staff.c, "media.save",
                "{\"booth_id\":%s,\"kind\":\"video\",\"title\":{\"en\":\"Vimeo\"},\"url\":\"https://vimeo.com/76979871\"}", booth);
    ASSERT_STR_EQ(JSTR(media_item(d, json_int_at(__FILE__, __LINE__, d, "id")), "embed_url"),
                  "https://player.vimeo.com/video/76979871?dnt=1");
    cJSON_Delete(d);
    cJSON_Delete(EXPO_OK(&staff.c, "media.save",
                         "{\"booth_id\":%s,\"kind\":\"stream\",\"title\":{\"en\":\"Live\"},\"url\":\"https://live.example.org/booth\"}", booth));
    cJSON_Delete(EXPO_OK(&staff.c, "media.save",
                         "{\"booth_id\":%s,\"kind\":\"link\",\"title\":{\"ko\":\"웹사이트\"},\"url\":\"http://example.org/\"}", booth));
    d = EXPO_OK(&staff.c, "media.save",
                "{\"booth_id\":%s,\"kind\":\"brochure\",\"lang\":\"ko\",\"title\":{\"ko\":\"회사 소개서\"},\"file_id\":%ld}", booth, pdf);
    long long brochure = json_int_at(__FILE__, __LINE__, d, "id");
    char url[64];
    snprintf(url, sizeof url, "/files/%ld", pdf);
    ASSERT_STR_EQ(JSTR(media_item(d, brochure), "url"), url);
    ASSERT_STR_EQ(JSTR(media_item(d, brochure), "mime"), "application/pdf");
    cJSON_Delete(d);
    d = EXPO_OK(&staff.c, "media.save",
                "{\"booth_id\":%s,\"kind\":\"image\",\"title\":{\"en\":\"Line-up\"},\"file_id\":%ld}", booth, png);
    long long image = json_int_at(__FILE__, __LINE__, d, "id");
    cJSON_Delete(d);
    ASSERT_EQ(media_rows(booth), 6);
    /* attached: the PDF is public now */
    struct http_resp r;
    ASSERT_EQ(get_file(na.port, url, NULL, &r), 200);
    http_resp_free(&r);

    /* a visitor's booth.get lists them, with file URLs, in order */
    struct person visitor;
    login(&visitor, na.port, "buyer1@demo.expo", "visitor");
    d = EXPO_OK(&visitor.c, "booth.get", "{\"booth_id\":%s}", booth);
    const cJSON *b = JGET(d, "booth");
    ASSERT_EQ(cJSON_GetArraySize(JGET(b, "media")), 6);
    ASSERT_STR_EQ(JSTR(media_item(b, brochure), "url"), url);
    ASSERT_EQ(json_int_at(__FILE__, __LINE__, cJSON_GetArrayItem(JGET(b, "media"), 0), "id"), video);
    cJSON_Delete(d);

    /* bad input: each names the field, nothing changes */
    struct { const char *data, *field; } bad[] = {
        {"{\"booth_id\":%s,\"kind\":\"gif\",\"title\":{\"en\":\"x\"},\"url\":\"https://a.example\"}", "kind"},
        {"{\"booth_id\":%s,\"kind\":\"video\",\"title\":{\"en\":\"x\"},\"url\":\"https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ\"}", "url"},
        {"{\"booth_id\":%s,\"kind\":\"video\",\"title\":{\"en\":\"x\"},\"url\":\"https://www.youtube.com/playlist?list=PL1\"}", "url"},
        {"{\"booth_id\":%s,\"kind\":\"stream\",\"title\":{\"en\":\"x\"},\"url\":\"javascript:alert(1)\"}", "url"},
        {"{\"booth_id\":%s,\"kind\":\"link\",\"title\":{\"en\":\"x\"},\"url\":\"ftp://a.example/\"}", "url"},
        {"{\"booth_id\":%s,\"kind\":\"link\",\"title\":{\"en\":\"x\"}}", "url"},
        {"{\"booth_id\":%s,\"kind\":\"brochure\",\"title\":{\"en\":\"x\"},\"file_id\":1}", "lang"},
        {"{\"booth_id\":%s,\"kind\":\"brochure\",\"lang\":\"fr\",\"title\":{\"en\":\"x\"},\"file_id\":1}", "lang"},
        {"{\"booth_id\":%s,\"kind\":\"image\",\"title\":{\"en\":\"x\"},\"url\":\"https://a.example/x.png\"}", "file_id"},
        {"{\"booth_id\":%s,\"kind\":\"link\",\"url\":\"https://a.example/\"}", "title"},
        {"{\"booth_id\":%s,\"kind\":\"link\",\"title\":{\"en\":\"\",\"ko\":\"  \"},\"url\":\"https://a.example/\"}", "title"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char data[600];
        snprintf(data, sizeof data, bad[i].data, booth);
        cJSON *e = expo_call(&staff.c, "media.save", "%s", data);
        EXPECT_ERROR(e, "bad_request", bad[i].field);
        cJSON_Delete(e);
    }
    /* a title of 201 characters (Korean: 603 bytes) */
    char longt[1000] = "";
    for (int i = 0; i < 201; i++) strcat(longt, "가");
    cJSON *e = expo_call(&staff.c, "media.save", "{\"booth_id\":%s,\"kind\":\"link\",\"title\":{\"ko\":\"%s\"},\"url\":\"https://a.example/\"}", booth, longt);
    EXPECT_ERROR(e, "bad_request", "title.ko");
    cJSON_Delete(e);
    /* files: another booth's, or the wrong type */
    e = expo_call(&staff.c, "media.save", "{\"booth_id\":%s,\"kind\":\"brochure\",\"lang\":\"en\",\"title\":{\"en\":\"x\"},\"file_id\":%ld}", booth, foreign_pdf);
    EXPECT_ERROR(e, "bad_request", "file_id");
    cJSON_Delete(e);
    e = expo_call(&staff.c, "media.save", "{\"booth_id\":%s,\"kind\":\"brochure\",\"lang\":\"en\",\"title\":{\"en\":\"x\"},\"file_id\":%ld}", booth, png);
    EXPECT_ERROR(e, "bad_request", "PDF");
    cJSON_Delete(e);
    e = expo_call(&staff.c, "media.save", "{\"booth_id\":%s,\"kind\":\"image\",\"title\":{\"en\":\"x\"},\"file_id\":%ld}", booth, pdf);
    EXPECT_ERROR(e, "bad_request", "file_id");
    cJSON_Delete(e);
    ASSERT_EQ(media_rows(booth), 6);

    /* reorder: exactly the booth's ids */
    e = expo_call(&staff.c, "media.reorder", "{\"booth_id\":%s,\"ids\":[%lld,%lld]}", booth, image, video);
    EXPECT_ERROR(e, "bad_request", "ids");
    cJSON_Delete(e);
    d = EXPO_OK(&visitor.c, "booth.get", "{\"booth_id\":%s}", booth);
    char ids[300] = "", *w = ids;
    /* reversed */
    int n = cJSON_GetArraySize(JGET(JGET(d, "booth"), "media"));
    for (int i = n - 1; i >= 0; i--)
        w += sprintf(w, "%s%lld", i == n - 1 ? "" : ",",
                     json_int_at(__FILE__, __LINE__, cJSON_GetArrayItem(JGET(JGET(d, "booth"), "media"), i), "id"));
    cJSON_Delete(d);
    d = EXPO_OK(&staff.c, "media.reorder", "{\"booth_id\":%s,\"ids\":[%s]}", booth, ids);
    ASSERT_EQ(json_int_at(__FILE__, __LINE__, cJSON_GetArrayItem(JGET(d, "media"), 0), "id"), image);
    ASSERT_EQ(json_int_at(__FILE__, __LINE__, cJSON_GetArrayItem(JGET(d, "media"), n - 1), "id"), video);
    cJSON_Delete(d);

    /* delete; an id of another booth is not found */
    d = EXPO_OK(&staff.c, "media.delete", "{\"booth_id\":%s,\"id\":%lld}", booth, image);
    ASSERT_EQ(cJSON_GetArraySize(JGET(d, "media")), 5);
    cJSON_Delete(d);
    e = expo_call(&staff.c, "media.delete", "{\"booth_id\":%s,\"id\":%lld}", booth, image);
    EXPECT_ERROR(e, "not_found", NULL);
    cJSON_Delete(e);
    ASSERT_EQ(media_rows(booth), 5);
}

/* Every action by every role, on its own booth and on another: only staff of that booth and
 * organizers change anything. */
static void test_media_authz(void)
{
    up(1);
    char booth[24], email[160], other[24], other_email[160];
    booth_n(0, booth, email);
    booth_n(1, other, other_email);
    struct person staff, other_staff, visitor, org;
    login(&staff, na.port, email, "staff");
    login(&other_staff, na.port, other_email, "staff of another booth");
    login(&visitor, na.port, "buyer1@demo.expo", "visitor");
    login(&org, na.port, "organizer@demo.expo", "organizer");
    struct { struct person *who; const char *name; int allowed; } roles[] = {
        {&visitor, "visitor", 0}, {&other_staff, "staff of another booth", 0}, {&staff, "staff", 1}, {&org, "organizer", 1},
    };
    for (size_t k = 0; k < 4; k++) {
        struct person *p = roles[k].who;
        char sql[200];
        snprintf(sql, sizeof sql, "SELECT id FROM booth_media WHERE booth_id = %s ORDER BY sort_order, id LIMIT 1", booth);
        char *first = psql_ok(pg.url, sql);
        long before = media_rows(booth);
        const char *code = roles[k].allowed ? NULL : "forbidden";
        it_log("as %s", roles[k].name);
        cJSON *e = expo_call(&p->c, "media.save",
                             "{\"booth_id\":%s,\"kind\":\"link\",\"title\":{\"en\":\"x\"},\"url\":\"https://a.example/\"}", booth);
        if (code) EXPECT_ERROR(e, code, NULL);
        else if (!json_truthy(cJSON_GetObjectItemCaseSensitive(e, "ok"))) FAIL("%s: media.save refused: %s", roles[k].name, cJSON_PrintUnformatted(e));
        cJSON_Delete(e);
        ASSERT_EQ(media_rows(booth), before + (roles[k].allowed ? 1 : 0));
        e = expo_call(&p->c, "media.save",
                      "{\"booth_id\":%s,\"id\":%s,\"kind\":\"link\",\"title\":{\"en\":\"changed\"},\"url\":\"https://a.example/\"}", booth, first);
        if (code) EXPECT_ERROR(e, code, NULL);
        cJSON_Delete(e);
        snprintf(sql, sizeof sql, "SELECT count(*) FROM booth_media WHERE id = %s AND title_en = 'changed'", first);
        ASSERT_EQ(psql_long(pg.url, sql), roles[k].allowed ? 1 : 0);
        /* every id of the booth, reversed, as it is now */
        char all[400] = "";
        snprintf(sql, sizeof sql, "SELECT string_agg(id::text, ',' ORDER BY sort_order DESC, id) FROM booth_media WHERE booth_id = %s", booth);
        char *rev = psql_ok(pg.url, sql);
        snprintf(all, sizeof all, "%s", rev);
        free(rev);
        if (!roles[k].allowed) {
            e = expo_call(&p->c, "media.reorder", "{\"booth_id\":%s,\"ids\":[%s]}", booth, all);
            EXPECT_ERROR(e, code, NULL);
            cJSON_Delete(e);
            e = expo_call(&p->c, "media.delete", "{\"booth_id\":%s,\"id\":%s}", booth, first);
            EXPECT_ERROR(e, code, NULL);
            cJSON_Delete(e);
            ASSERT_EQ(media_rows(booth), before);
        } else {
            cJSON_Delete(EXPO_OK(&p->c, "media.reorder", "{\"booth_id\":%s,\"ids\":[%s]}", booth, all));
            snprintf(sql, sizeof sql, "UPDATE booth_media SET title_en = 'x' WHERE id = %s", first);
            free(psql_ok(pg.url, sql));
        }
        free(first);
        /* the other booth: everyone but its own staff and organizers is refused */
        e = expo_call(&p->c, "media.save",
                      "{\"booth_id\":%s,\"kind\":\"link\",\"title\":{\"en\":\"x\"},\"url\":\"https://a.example/\"}", other);
        int other_ok = p == &org || p == &other_staff;   /* the other booth is other_staff's own */
        if (!other_ok) EXPECT_ERROR(e, "forbidden", NULL);
        cJSON_Delete(e);
    }
    /* staff deleting their own item */
    char sql[120];
    snprintf(sql, sizeof sql, "SELECT max(id) FROM booth_media WHERE booth_id = %s", booth);
    char *last = psql_ok(pg.url, sql);
    cJSON_Delete(EXPO_OK(&staff.c, "media.delete", "{\"booth_id\":%s,\"id\":%s}", booth, last));
    free(last);
    /* a booth that does not exist */
    cJSON *e = expo_call(&org.c, "media.delete", "{\"booth_id\":999999,\"id\":1}");
    EXPECT_ERROR(e, "not_found", NULL);
    cJSON_Delete(e);
}

/* A visitor inside the booth on node B sees a change made on node A, live. */
static void test_media_live_two_nodes(void)
{
    up(2);
    char booth[24], email[160];
    booth_n(0, booth, email);
    struct person staff, visitor, elsewhere;
    login(&staff, na.port, email, "staff@A");
    login(&visitor, nb.port, "buyer1@demo.expo", "visitor@B");
    login(&elsewhere, nb.port, "buyer2@demo.expo", "visitor elsewhere@B");
    cJSON_Delete(EXPO_OK(&visitor.c, "booth.enter", "{\"booth_id\":%s}", booth));
    char other[24], oe[160];
    booth_n(1, other, oe);
    cJSON_Delete(EXPO_OK(&elsewhere.c, "booth.enter", "{\"booth_id\":%s}", other));
    cJSON *d = EXPO_OK(&staff.c, "media.save",
                       "{\"booth_id\":%s,\"kind\":\"video\",\"title\":{\"en\":\"Live now\"},\"url\":\"https://youtu.be/dQw4w9WgXcQ\"}", booth);
    long long id = json_int_at(__FILE__, __LINE__, d, "id");
    cJSON_Delete(d);
    cJSON *ev = expo_event(&visitor.c, "media.changed", it_ms(5000));
    if (!ev) FAIL("no media.changed on node B");
    const cJSON *data = ev;    /* expo_event gives the event's data */
    ASSERT_EQ(json_int_at(__FILE__, __LINE__, data, "booth_id"), atoll(booth));
    ASSERT_STR_EQ(JSTR(JGET(media_item(data, id), "title"), "en"), "Live now");
    cJSON_Delete(ev);
    ASSERT_EQ(expo_count_events(&elsewhere.c, "media.changed", it_ms(500)), 0);
    /* a delete too */
    cJSON_Delete(EXPO_OK(&staff.c, "media.delete", "{\"booth_id\":%s,\"id\":%lld}", booth, id));
    ev = expo_event(&visitor.c, "media.changed", it_ms(5000));
    if (!ev) FAIL("no media.changed after the delete");
    cJSON_Delete(ev);
}

static const struct it_test tests[] = {
    {"upload_types", test_upload_types, 90},
    {"refusals", test_refusals, 90},
    {"conditional_ranges", test_conditional_ranges, 90},
    {"rss_bounded", test_rss_bounded, 180},
    {"upload_memory_cap", test_upload_memory_cap, 90},
    {"media_actions", test_media_actions, 90},
    {"media_authz", test_media_authz, 90},
    {"media_live_two_nodes", test_media_live_two_nodes, 90},
    {NULL, NULL, 0},
};

int main(int argc, char **argv) { return it_main(argc, argv, tests); }
