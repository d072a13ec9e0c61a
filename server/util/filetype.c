/* filetype.c — see filetype.h. */
#include "util/filetype.h"

#include <stdbool.h>
#include <string.h>

static bool starts(const unsigned char *p, size_t len, size_t off, const char *magic, size_t n)
{
    return len >= off + n && !memcmp(p + off, magic, n);
}

static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

enum filetype filetype_sniff(const void *head, size_t len)
{
    const unsigned char *p = head;
    if (!p) return FILETYPE_NONE;
    if (starts(p, len, 0, "%PDF-", 5) && len >= 8 && is_digit(p[5]) && p[6] == '.' &&
        is_digit(p[7]))
        return FILETYPE_PDF;
    if (starts(p, len, 0, "\x89PNG\r\n\x1A\n", 8) && starts(p, len, 8, "\0\0\0\x0DIHDR", 8))
        return FILETYPE_PNG;
    if (starts(p, len, 0, "\xFF\xD8\xFF", 3))
        return FILETYPE_JPEG;
    if (starts(p, len, 0, "RIFF", 4) && starts(p, len, 8, "WEBP", 4) &&
        (starts(p, len, 12, "VP8 ", 4) || starts(p, len, 12, "VP8L", 4) ||
         starts(p, len, 12, "VP8X", 4)))
        return FILETYPE_WEBP;
    return FILETYPE_NONE;
}

/* Per type, indexed by enum filetype. */
static const struct {
    const char *name, *mime;
    uint64_t max;
} types[] = {
    [FILETYPE_NONE] = {"none", NULL, 0},
    [FILETYPE_PDF] = {"pdf", "application/pdf", FILETYPE_PDF_MAX},
    [FILETYPE_PNG] = {"png", "image/png", FILETYPE_IMAGE_MAX},
    [FILETYPE_JPEG] = {"jpeg", "image/jpeg", FILETYPE_IMAGE_MAX},
    [FILETYPE_WEBP] = {"webp", "image/webp", FILETYPE_IMAGE_MAX},
};

static unsigned type_index(enum filetype t)
{
    return (unsigned)t < sizeof types / sizeof *types ? (unsigned)t : FILETYPE_NONE;
}

const char *filetype_mime(enum filetype t) { return types[type_index(t)].mime; }
const char *filetype_str(enum filetype t) { return types[type_index(t)].name; }
uint64_t filetype_max_bytes(enum filetype t) { return types[type_index(t)].max; }



static const char *const filetype_reasons[] = {
    [-FILETYPE_OK] = "ok",
    [-FILETYPE_ERR_TYPE] = "only PDF, PNG, JPEG and WebP files are accepted",
    [-FILETYPE_ERR_TOO_LARGE] = "file too large",
    [-FILETYPE_ERR_TRUNCATED] = "file incomplete (upload cut short?)",
};

const char *filetype_err_str(int err)
{
    const int n = (int)(sizeof filetype_reasons / sizeof *filetype_reasons);
    return err <= 0 && err > -n ? filetype_reasons[-err] : "unknown file type error";
}

/* True when "%%EOF" occurs in the last 1024 bytes of p[0..len). */
static bool pdf_has_eof(const unsigned char *p, size_t len)
{
    size_t from = len > 1024 ? len - 1024 : 0;
    for (size_t i = len >= 5 ? len - 5 + 1 : 0; i-- > from;)
        if (!memcmp(p + i, "%%EOF", 5)) return true;
    return false;
}

static bool complete(enum filetype t, const unsigned char *p, size_t len)
{
    switch (t) {
    case FILETYPE_PDF:
        return pdf_has_eof(p, len);
    case FILETYPE_PNG:
        return len >= 16 + 12 && !memcmp(p + len - 12, "\0\0\0\0IEND\xAE\x42\x60\x82", 12);
    case FILETYPE_JPEG:
        return len >= 3 + 2 && p[len - 2] == 0xFF && p[len - 1] == 0xD9;
    case FILETYPE_WEBP: {
        uint64_t riff = (uint64_t)p[4] | (uint64_t)p[5] << 8 | (uint64_t)p[6] << 16 |
                        (uint64_t)p[7] << 24;
        return riff + 8 == (uint64_t)len;
    }
    case FILETYPE_NONE: break;
    }
    return false;
}

int filetype_check(const void *body, size_t len, enum filetype *type)
{
    enum filetype t = filetype_sniff(body, len);
    if (type) *type = t;
    if (t == FILETYPE_NONE) return FILETYPE_ERR_TYPE;
    if ((uint64_t)len > filetype_max_bytes(t)) return FILETYPE_ERR_TOO_LARGE;
    if (!complete(t, body, len)) return FILETYPE_ERR_TRUNCATED;
    return FILETYPE_OK;
}
