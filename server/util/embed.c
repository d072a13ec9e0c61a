/* embed.c — see embed.h. */
#include "util/embed.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/url.h"

static const char *const embed_reasons[] = {
    [-EMBED_OK] = "ok",
    [-EMBED_ERR_URL] = "not a valid http or https link",
    [-EMBED_ERR_HOST] = "only YouTube and Vimeo links can be embedded",
    [-EMBED_ERR_PATH] = "not a link to a single video",
    [-EMBED_ERR_ID] = "the video ID is malformed",
};

const char *embed_err_str(int err)
{
    const int n = (int)(sizeof embed_reasons / sizeof *embed_reasons);
    return err <= 0 && err > -n ? embed_reasons[-err] : "unknown embed error";
}

const char *embed_provider_str(enum embed_provider p)
{
    switch (p) {
    case EMBED_YOUTUBE: return "youtube";
    case EMBED_VIMEO: return "vimeo";
    case EMBED_NONE: break;
    }
    return "none";
}

/* True when s[0..n) has min..max bytes, each in the set `ok` decides. */
static bool span_of(const char *s, size_t n, size_t min, size_t max, bool (*ok)(char))
{
    if (n < min || n > max) return false;
    for (size_t i = 0; i < n; i++)
        if (!ok(s[i])) return false;
    return true;
}

static bool yt_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-';
}
static bool digit(char c) { return c >= '0' && c <= '9'; }
static bool hex_lower(char c) { return digit(c) || (c >= 'a' && c <= 'f'); }

/* When path starts with prefix, sets *rest to what follows and returns true. */
static bool after(const char *path, size_t n, const char *prefix, const char **rest, size_t *rn)
{
    size_t p = strlen(prefix);
    if (n < p || memcmp(path, prefix, p)) return false;
    *rest = path + p;
    *rn = n - p;
    return true;
}

/* Finds the first query parameter `name` and returns its value (not decoded). */
static bool query_param(const struct url_parts *u, const char *name, const char **v, size_t *vn)
{
    size_t nl = strlen(name);
    const char *q = u->query, *end = q ? q + u->query_len : NULL;
    while (q && q < end) {
        const char *amp = memchr(q, '&', (size_t)(end - q));
        const char *pe = amp ? amp : end;
        if ((size_t)(pe - q) > nl && !memcmp(q, name, nl) && q[nl] == '=') {
            *v = q + nl + 1;
            *vn = (size_t)(pe - *v);
            return true;
        }
        q = amp ? amp + 1 : end;
    }
    return false;
}

static int youtube(const struct url_parts *u, bool short_host, struct embed_video *out)
{
    const char *id = NULL;
    size_t n = 0;
    if (short_host) {
        if (!after(u->path, u->path_len, "/", &id, &n) || n == 0) return EMBED_ERR_PATH;
    } else if (u->path_len == 6 && !memcmp(u->path, "/watch", 6)) {
        if (!query_param(u, "v", &id, &n)) return EMBED_ERR_PATH;
    } else if (!after(u->path, u->path_len, "/shorts/", &id, &n) &&
               !after(u->path, u->path_len, "/embed/", &id, &n) &&
               !after(u->path, u->path_len, "/live/", &id, &n)) {
        return EMBED_ERR_PATH;
    }
    if (!span_of(id, n, 11, 11, yt_char)) return EMBED_ERR_ID;
    out->provider = EMBED_YOUTUBE;
    memcpy(out->id, id, n);
    snprintf(out->url, sizeof out->url, "https://www.youtube-nocookie.com/embed/%s", out->id);
    return EMBED_OK;
}

static int vimeo(const struct url_parts *u, bool player, struct embed_video *out)
{
    const char *id, *hash = NULL;
    size_t n, hn = 0;
    if (player) {
        if (!after(u->path, u->path_len, "/video/", &id, &n)) return EMBED_ERR_PATH;
        if (query_param(u, "h", &hash, &hn) && !span_of(hash, hn, 6, 32, hex_lower))
            return EMBED_ERR_ID;
    } else {
        if (!after(u->path, u->path_len, "/", &id, &n)) return EMBED_ERR_PATH;
        const char *slash = memchr(id, '/', n);
        if (slash) {
            hash = slash + 1;
            hn = n - (size_t)(hash - id);
            n = (size_t)(slash - id);
            if (!span_of(hash, hn, 6, 32, hex_lower)) return EMBED_ERR_PATH;
        }
        /* vimeo.com/channels, /groups, /user123...: pages, not one video */
        if (n == 0 || !digit(id[0])) return EMBED_ERR_PATH;
    }
    if (!span_of(id, n, 1, 15, digit)) return EMBED_ERR_ID;
    out->provider = EMBED_VIMEO;
    memcpy(out->id, id, n);
    if (hash) {
        memcpy(out->hash, hash, hn);
        snprintf(out->url, sizeof out->url, "https://player.vimeo.com/video/%s?h=%s&dnt=1",
                 out->id, out->hash);
    } else {
        snprintf(out->url, sizeof out->url, "https://player.vimeo.com/video/%s?dnt=1", out->id);
    }
    return EMBED_OK;
}

static int recognise(const char *link, struct embed_video *out)
{
    struct url_parts u;
    if (url_split(link, EMBED_INPUT_MAX, &u) < 0) return EMBED_ERR_URL;
    if (u.port) return EMBED_ERR_HOST;
    static const char *const yt[] = {"youtube.com", "www.youtube.com", "m.youtube.com",
                                     "youtube-nocookie.com", "www.youtube-nocookie.com"};
    for (size_t i = 0; i < sizeof yt / sizeof *yt; i++)
        if (url_host_is(&u, yt[i])) return youtube(&u, false, out);
    if (url_host_is(&u, "youtu.be")) return youtube(&u, true, out);
    if (url_host_is(&u, "vimeo.com") || url_host_is(&u, "www.vimeo.com"))
        return vimeo(&u, false, out);
    if (url_host_is(&u, "player.vimeo.com")) return vimeo(&u, true, out);
    return EMBED_ERR_HOST;
}

int embed_video(const char *link, struct embed_video *out)
{
    memset(out, 0, sizeof *out);
    int rc = recognise(link, out);
    if (rc < 0) memset(out, 0, sizeof *out);
    return rc;
}
