/* validate.h — checks for form fields (booth editor, expo set-up, bulk import), each
 * returning 0 or a negative validate_err that maps to a stable code and an English message,
 * so a handler can answer {"field": "website", "code": "bad_scheme"} and the page can show
 * the message in Korean or English. Pure except validate_tz_name, which looks at files.
 *
 * Is not: a cleaner (text_clean in text.h does that) or a uniqueness check (the database). */
#ifndef BOOTHD_VALIDATE_H
#define BOOTHD_VALIDATE_H

#include <stddef.h>

#define VALIDATE_URL_MAX 2048          /* bytes */
#define VALIDATE_EMAIL_MAX 254         /* bytes (RFC 5321 path limit minus the brackets) */
#define VALIDATE_TZ_MAX 64             /* bytes; the longest IANA name today has 32 */
#define VALIDATE_SLUG_MAX 64           /* bytes */
#define VALIDATE_ZONEINFO_DIR "/usr/share/zoneinfo"

enum validate_err {
    VALIDATE_OK = 0,
    VALIDATE_ERR_REQUIRED = -1,        /* empty */
    VALIDATE_ERR_TOO_SHORT = -2,
    VALIDATE_ERR_TOO_LONG = -3,
    VALIDATE_ERR_UTF8 = -4,            /* not valid UTF-8 */
    VALIDATE_ERR_CHARS = -5,           /* characters not allowed in this field */
    VALIDATE_ERR_SCHEME = -6,          /* a URL that is not http:// or https:// */
    VALIDATE_ERR_CREDENTIALS = -7,     /* a URL with "user:password@" */
    VALIDATE_ERR_HOST = -8,            /* a URL's host or port, an e-mail address's domain */
    VALIDATE_ERR_FORMAT = -9,          /* the shape is wrong (e-mail, time zone name, slug) */
    VALIDATE_ERR_UNKNOWN_TZ = -10,     /* a well-formed time zone name that tzdata lacks */
};
/* Stable snake_case code for the protocol: "required", "too_short", "too_long",
 * "invalid_utf8", "invalid_chars", "bad_scheme", "credentials_in_url", "bad_host",
 * "bad_format", "unknown_time_zone"; "invalid" for anything else. */
const char *validate_err_code(int err);
/* A short English sentence for the form, e.g. "Use a link starting with http:// or https://". */
const char *validate_err_message(int err);

/* A link for a booth page: http:// or https://, a host, no spaces or control characters,
 * no credentials, at most VALIDATE_URL_MAX bytes. The exact rules are url_split's (url.h). */
int validate_url_http(const char *s);

/* A pragmatic e-mail address check, not RFC 5322: at most VALIDATE_EMAIL_MAX bytes; one '@';
 * a local part of 1..64 bytes of letters, digits and !#$%&'*+/=?^_`{|}~- with single dots
 * between them (no quoted local parts, no comments, no non-ASCII); a domain of two or more
 * labels of letters, digits and '-' (1..63 bytes, not starting or ending with '-'), whose
 * last label is letters only (2 or more) or punycode ("xn--..."). No IP literals. */
int validate_email(const char *s);

/* An IANA time zone name such as "Asia/Seoul" or "America/Argentina/Buenos_Aires":
 *  - it matches ^[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*$ and has at most VALIDATE_TZ_MAX bytes,
 *    so "..", "." components, absolute paths and empty components cannot occur;
 *  - it is not under "posix/" or "right/" (copies; "right/" zones count leap seconds, which
 *    would shift every meeting by 27 s) and not "localtime", "posixrules" or "Factory";
 *  - <zoneinfo_dir>/<name> (NULL dir = VALIDATE_ZONEINFO_DIR) is, after symbolic links, a
 *    regular file starting with the TZif magic.
 * Reads at most 4 bytes of one file. Returns VALIDATE_ERR_FORMAT for a bad shape,
 * VALIDATE_ERR_UNKNOWN_TZ when the file is missing or is not a zone. */
int validate_tz_name(const char *name, const char *zoneinfo_dir);

/* Valid UTF-8 of min..max code points (NULL counts as ""). Empty when min > 0 is
 * VALIDATE_ERR_REQUIRED. Control characters are not this function's business (text_clean). */
int validate_text_len(const char *s, size_t min, size_t max);

/* A URL slug: ^[a-z0-9]+(-[a-z0-9]+)*$, 1..VALIDATE_SLUG_MAX bytes ("haneul-cosmetics"). */
int validate_slug(const char *s);

#endif
