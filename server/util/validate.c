/* validate.c — see validate.h. */
#include "util/validate.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/text.h"
#include "util/url.h"

/* Per error, indexed by -err: the protocol code and the English message. */
static const struct {
    const char *code, *message;
} errors[] = {
    [-VALIDATE_OK] = {"ok", "OK"},
    [-VALIDATE_ERR_REQUIRED] = {"required", "This field is required"},
    [-VALIDATE_ERR_TOO_SHORT] = {"too_short", "Too short"},
    [-VALIDATE_ERR_TOO_LONG] = {"too_long", "Too long"},
    [-VALIDATE_ERR_UTF8] = {"invalid_utf8", "Not valid UTF-8 text"},
    [-VALIDATE_ERR_CHARS] = {"invalid_chars",
                             "Contains spaces or characters that are not allowed here"},
    [-VALIDATE_ERR_SCHEME] = {"bad_scheme", "Use a link starting with http:// or https://"},
    [-VALIDATE_ERR_CREDENTIALS] = {"credentials_in_url",
                                   "A link must not contain a user name or password"},
    [-VALIDATE_ERR_HOST] = {"bad_host", "The site or domain name is not valid"},
    [-VALIDATE_ERR_FORMAT] = {"bad_format", "Not in the expected format"},
    [-VALIDATE_ERR_UNKNOWN_TZ] = {"unknown_time_zone", "Unknown time zone"},
};

static bool known(int err)
{
    return err <= 0 && err > -(int)(sizeof errors / sizeof *errors);
}

const char *validate_err_code(int err) { return known(err) ? errors[-err].code : "invalid"; }

const char *validate_err_message(int err)
{
    return known(err) ? errors[-err].message : "Invalid value";
}


int validate_url_http(const char *s)
{
    struct url_parts u;
    switch (url_split(s, VALIDATE_URL_MAX, &u)) {
    case URL_OK: return VALIDATE_OK;
    case URL_ERR_EMPTY: return VALIDATE_ERR_REQUIRED;
    case URL_ERR_TOO_LONG: return VALIDATE_ERR_TOO_LONG;
    case URL_ERR_CHARS: return VALIDATE_ERR_CHARS;
    case URL_ERR_SCHEME: return VALIDATE_ERR_SCHEME;
    case URL_ERR_USERINFO: return VALIDATE_ERR_CREDENTIALS;
    default: return VALIDATE_ERR_HOST;
    }
}

static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }

/* A dot-atom local part: atext runs separated by single dots. */
static bool local_ok(const char *s, size_t n)
{
    if (n == 0 || n > 64 || s[0] == '.' || s[n - 1] == '.') return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.') {
            if (s[i + 1] == '.') return false;
        } else if (!is_alnum(s[i]) && !strchr("!#$%&'*+/=?^_`{|}~-", s[i])) {
            return false;
        }
    }
    return true;
}

static bool domain_ok(const char *s, size_t n)
{
    size_t labels = 0, start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != '.') {
            if (!is_alnum(s[i]) && s[i] != '-') return false;
            continue;
        }
        size_t len = i - start;
        if (len == 0 || len > 63 || s[start] == '-' || s[i - 1] == '-') return false;
        labels++;
        if (i == n) {                  /* the top-level label */
            if (len >= 4 && !strncmp(s + start, "xn--", 4)) break;
            if (len < 2) return false;
            for (size_t j = start; j < i; j++)
                if (!is_alpha(s[j])) return false;
        }
        start = i + 1;
    }
    return labels >= 2;
}

int validate_email(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0) return VALIDATE_ERR_REQUIRED;
    if (n > VALIDATE_EMAIL_MAX) return VALIDATE_ERR_TOO_LONG;
    const char *at = strchr(s, '@');
    if (!at || strchr(at + 1, '@')) return VALIDATE_ERR_FORMAT;
    if (!local_ok(s, (size_t)(at - s))) return VALIDATE_ERR_FORMAT;
    if (!domain_ok(at + 1, (size_t)(s + n - at - 1))) return VALIDATE_ERR_HOST;
    return VALIDATE_OK;
}

static bool tz_char(char c) { return is_alnum(c) || c == '_' || c == '+' || c == '-'; }

/* True when name matches ^[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*$. */
static bool tz_shape(const char *name)
{
    size_t run = 0;
    for (const char *p = name;; p++) {
        if (*p == '/' || *p == 0) {
            if (run == 0) return false;
            if (*p == 0) return true;
            run = 0;
        } else if (tz_char(*p)) {
            run++;
        } else {
            return false;
        }
    }
}

int validate_tz_name(const char *name, const char *zoneinfo_dir)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0) return VALIDATE_ERR_REQUIRED;
    if (n > VALIDATE_TZ_MAX) return VALIDATE_ERR_TOO_LONG;
    if (!tz_shape(name)) return VALIDATE_ERR_FORMAT;
    if (!strncmp(name, "posix/", 6) || !strncmp(name, "right/", 6) ||
        !strcmp(name, "localtime") || !strcmp(name, "posixrules") || !strcmp(name, "Factory"))
        return VALIDATE_ERR_UNKNOWN_TZ;
    char path[4096];
    int len = snprintf(path, sizeof path, "%s/%s",
                       zoneinfo_dir ? zoneinfo_dir : VALIDATE_ZONEINFO_DIR, name);
    if (len < 0 || (size_t)len >= sizeof path) return VALIDATE_ERR_UNKNOWN_TZ;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) return VALIDATE_ERR_UNKNOWN_TZ;
    struct stat st;
    char magic[4];
    bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
              read(fd, magic, sizeof magic) == (ssize_t)sizeof magic &&
              !memcmp(magic, "TZif", 4);
    close(fd);
    return ok ? VALIDATE_OK : VALIDATE_ERR_UNKNOWN_TZ;
}

int validate_text_len(const char *s, size_t min, size_t max)
{
    if (!s) s = "";
    if (!utf8_valid(s, strlen(s))) return VALIDATE_ERR_UTF8;
    size_t n = utf8_length(s);
    if (n == 0 && min > 0) return VALIDATE_ERR_REQUIRED;
    if (n < min) return VALIDATE_ERR_TOO_SHORT;
    if (n > max) return VALIDATE_ERR_TOO_LONG;
    return VALIDATE_OK;
}

int validate_slug(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0) return VALIDATE_ERR_REQUIRED;
    if (n > VALIDATE_SLUG_MAX) return VALIDATE_ERR_TOO_LONG;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '-') {
            if (i == 0 || i == n - 1 || s[i + 1] == '-') return VALIDATE_ERR_FORMAT;
        } else if (!is_digit(c) && !(c >= 'a' && c <= 'z')) {
            return VALIDATE_ERR_FORMAT;
        }
    }
    return VALIDATE_OK;
}
