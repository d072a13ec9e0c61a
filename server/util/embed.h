/* embed.h — turns a YouTube or Vimeo link pasted by an exhibitor into the URL of a
 * privacy-enhanced player for an <iframe>. Pure.
 *
 * Is: a whitelist. Accepted (scheme http or https, host compared exactly, any case):
 *   YouTube  youtube.com, www.youtube.com, m.youtube.com, youtube-nocookie.com,
 *            www.youtube-nocookie.com with /watch?v=ID (other query parameters ignored),
 *            /shorts/ID, /embed/ID or /live/ID; youtu.be/ID. ID = 11 of [A-Za-z0-9_-].
 *            -> https://www.youtube-nocookie.com/embed/ID
 *   Vimeo    vimeo.com or www.vimeo.com /ID or /ID/HASH (an unlisted video);
 *            player.vimeo.com/video/ID, optionally ?h=HASH. ID = 1..15 digits,
 *            HASH = 6..32 of [0-9a-f].
 *            -> https://player.vimeo.com/video/ID?dnt=1 (or ?h=HASH&dnt=1)
 * Everything else is refused with a reason: other hosts (including look-alikes such as
 * youtube.com.evil.example or evil.example/youtube.com), ports, user names, playlists and
 * channel pages, and malformed IDs. The output is built from the ID alone, never copied from
 * the input, so nothing the exhibitor typed reaches the page but the ID.
 * Is not: a check that the video exists or may be embedded (that needs the network). */
#ifndef BOOTHD_EMBED_H
#define BOOTHD_EMBED_H

#include <stddef.h>

#define EMBED_INPUT_MAX 2048   /* longest link accepted */
#define EMBED_URL_MAX 128      /* the embed URL always fits, NUL included */

enum embed_provider {
    EMBED_NONE = 0,
    EMBED_YOUTUBE,
    EMBED_VIMEO,
};

struct embed_video {
    enum embed_provider provider;
    char id[16];               /* the video ID: 11 characters (YouTube) or digits (Vimeo) */
    char hash[33];             /* Vimeo's unlisted-video hash, "" when none */
    char url[EMBED_URL_MAX];   /* the embed URL */
};

enum embed_err {
    EMBED_OK = 0,
    EMBED_ERR_URL = -1,        /* not a well-formed http(s) link */
    EMBED_ERR_HOST = -2,       /* not YouTube or Vimeo */
    EMBED_ERR_PATH = -3,       /* YouTube or Vimeo, but not a link to one video */
    EMBED_ERR_ID = -4,         /* a video link with a malformed ID */
};
/* A short English reason; never NULL. */
const char *embed_err_str(int err);

/* Recognises link. Returns 0 with *out filled, or a negative embed_err with *out zeroed. */
int embed_video(const char *link, struct embed_video *out);

/* "youtube", "vimeo", "none". */
const char *embed_provider_str(enum embed_provider p);

#endif
