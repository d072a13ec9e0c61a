/* disposition.h — the Content-Disposition header value for a stored file's original name
 * (RFC 6266, with RFC 8187/5987 `filename*` for non-ASCII names). Pure.
 *
 * Is: name cleaning (path components, control and bidirectional-override characters and
 * invalid UTF-8 removed; a length cap that keeps a short extension) and the two encodings:
 * an ASCII `filename="..."` fallback for old clients and `filename*=UTF-8''<percent-encoded>`,
 * which every current browser prefers. The value is always safe to put after
 * "Content-Disposition: " as it is: printable ASCII only, no CR/LF.
 * Is not: a check of what the file is (see filetype.h) or of names on disk (nothing here
 * touches a file system). */
#ifndef BOOTHD_DISPOSITION_H
#define BOOTHD_DISPOSITION_H

#include <stdbool.h>
#include <stddef.h>

/* The cleaned name is at most this many bytes of UTF-8. */
#define DISPOSITION_NAME_MAX 180
/* A header value always fits in this many bytes, NUL included. */
#define DISPOSITION_MAX 1024
/* Used when nothing is left of the name. */
#define DISPOSITION_DEFAULT_NAME "download"

/* Cleans an original file name into out[DISPOSITION_NAME_MAX + 1] and returns its length:
 *  - only what follows the last '/' or '\' is kept;
 *  - each byte that does not start a valid UTF-8 sequence becomes '_';
 *  - C0 controls, DEL, C1 controls, U+2028/U+2029, U+FEFF and the bidirectional marks and
 *    overrides (U+200E, U+200F, U+202A..U+202E, U+2066..U+2069: "gpj.exe" spoofing) are dropped;
 *  - leading and trailing spaces and dots are dropped (no hidden files, no Windows trouble);
 *  - over DISPOSITION_NAME_MAX bytes, the stem is cut at a code point boundary and an
 *    extension of up to 16 ASCII letters/digits is kept ("long...name.pdf");
 *  - an empty result (or name == NULL) becomes DISPOSITION_DEFAULT_NAME.
 * The result is valid UTF-8 without controls. */
size_t disposition_clean_name(char *out, const char *name);

/* Writes the header value into out[DISPOSITION_MAX] and returns its length, e.g.
 *   attachment; filename="__ ___.pdf"; filename*=UTF-8''%ED%95%98%EB%8A%98%20...
 * `inline_` chooses "inline" (shown in the browser, e.g. a PDF viewer) over "attachment".
 * The fallback is the cleaned name with every non-ASCII code point and '"', '\' and '%'
 * replaced by '_' ('%' because some browsers percent-decode filename="..."); filename* is
 * the cleaned name with every byte outside RFC 8187 attr-char percent-encoded. Both are
 * always present. */
size_t disposition_header(char *out, const char *name, bool inline_);

#endif
