/* filetype.h — what an upload is, decided by its first bytes only. Pure.
 *
 * Is: a whitelist of four types recognised by their magic numbers (PDF, PNG, JPEG, WebP), the
 * MIME type and size limit of each, and a cheap check that a complete body is not cut short.
 * Anything else is refused: SVG (script inside an image), HTML, GIF, ZIP/Office files, empty
 * or too-short bodies. The client's file name and Content-Type are never consulted.
 * Is not: a validator of the whole format (a file that starts and ends right can still be
 * corrupt in the middle) and not a sanitiser; files are served with their MIME type and
 * `X-Content-Type-Options: nosniff` so a browser does not guess otherwise. */
#ifndef BOOTHD_FILETYPE_H
#define BOOTHD_FILETYPE_H

#include <stddef.h>
#include <stdint.h>

enum filetype {
    FILETYPE_NONE = 0,   /* refused */
    FILETYPE_PDF,
    FILETYPE_PNG,
    FILETYPE_JPEG,
    FILETYPE_WEBP,
};

/* filetype_sniff needs at most this many leading bytes; an upload handler buffers this much
 * (or the whole body, when shorter) before deciding. */
#define FILETYPE_SNIFF_BYTES 16
#define FILETYPE_PDF_MAX ((uint64_t)20 << 20)     /* 20 MiB */
#define FILETYPE_IMAGE_MAX ((uint64_t)5 << 20)    /* 5 MiB for PNG, JPEG, WebP */
#define FILETYPE_MAX_ANY FILETYPE_PDF_MAX         /* the largest limit of any type */

/* Decides the type from head[0..len). What must be there:
 *   PDF   "%PDF-" then a digit, '.', a digit ("%PDF-1.7"), at offset 0 (8 bytes);
 *   PNG   the 8-byte signature 89 50 4E 47 0D 0A 1A 0A then the IHDR chunk header
 *         00 00 00 0D "IHDR", which the PNG spec requires first (16 bytes);
 *   JPEG  FF D8 FF (SOI and the start of the next marker) (3 bytes);
 *   WebP  "RIFF", 4 size bytes, "WEBP", then a "VP8 ", "VP8L" or "VP8X" chunk (16 bytes).
 * Fewer bytes than a type needs never match it. Returns FILETYPE_NONE for everything else. */
enum filetype filetype_sniff(const void *head, size_t len);

/* "application/pdf", "image/png", "image/jpeg", "image/webp"; NULL for FILETYPE_NONE. */
const char *filetype_mime(enum filetype t);
/* "pdf", "png", "jpeg", "webp"; "none" for FILETYPE_NONE. */
const char *filetype_str(enum filetype t);
/* The largest accepted body in bytes; 0 for FILETYPE_NONE. */
uint64_t filetype_max_bytes(enum filetype t);

enum filetype_err {
    FILETYPE_OK = 0,
    FILETYPE_ERR_TYPE = -1,       /* not one of the accepted types */
    FILETYPE_ERR_TOO_LARGE = -2,  /* over the type's limit */
    FILETYPE_ERR_TRUNCATED = -3,  /* the body does not end the way a complete file does */
};
/* A short English reason; never NULL. */
const char *filetype_err_str(int err);

/* Checks a complete body: its type (returned in *type when not NULL, FILETYPE_NONE on
 * FILETYPE_ERR_TYPE), its size against the type's limit, and its end:
 *   PDF   "%%EOF" starts within the last 1024 bytes; what follows it is not examined (PDF
 *         readers accept trailing white space or junk there; an incremental update ends with
 *         its own %%EOF, so only the last one matters);
 *   PNG   the last 12 bytes are the IEND chunk 00 00 00 00 "IEND" AE 42 60 82 (length 0 and
 *         its fixed CRC), so nothing may follow it;
 *   JPEG  the last two bytes are the EOI marker FF D9 (a trailer some cameras append after
 *         EOI is refused; re-saving the image removes it);
 *   WebP  the RIFF size field (little-endian, bytes 4..7) plus 8 equals the body length.
 * Returns 0 or a negative filetype_err. */
int filetype_check(const void *body, size_t len, enum filetype *type);

#endif
