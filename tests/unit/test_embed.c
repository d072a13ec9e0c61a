/* Unit tests for util/embed.c: YouTube and Vimeo links to privacy-enhanced embeds. */
#include <limits.h>
#include "check_input.h"
#include "util/embed.h"

static const char *yt = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ";

static void check_ok(const char *in, const char *want)
{
    struct embed_video v;
    CHECK_INT_FOR(in, embed_video(in, &v), 0);
    CHECK_STR_FOR(in, v.url, want);
}

static void check_err(const char *in, int err)
{
    struct embed_video v;
    CHECK_INT_FOR(in, embed_video(in, &v), err);
    CHECK_INT_FOR(in, v.provider, EMBED_NONE);
    CHECK_STR_FOR(in, v.url, "");
}

/* What embed_video keeps besides the URL: the provider, the ID and Vimeo's hash. */
static void check_video(const char *in, enum embed_provider provider, const char *id,
                        const char *hash)
{
    struct embed_video v;
    CHECK_INT_FOR(in, embed_video(in, &v), 0);
    CHECK_INT_FOR(in, v.provider, provider);
    CHECK_STR_FOR(in, v.id, id);
    CHECK_STR_FOR(in, v.hash, hash);
}

static void test_youtube(void)
{
    check_ok("https://www.youtube.com/watch?v=dQw4w9WgXcQ", yt);
    check_ok("http://www.youtube.com/watch?v=dQw4w9WgXcQ", yt);
    check_ok("https://youtube.com/watch?v=dQw4w9WgXcQ", yt);
    check_ok("https://m.youtube.com/watch?v=dQw4w9WgXcQ", yt);
    check_ok("HTTPS://WWW.YOUTUBE.COM/watch?v=dQw4w9WgXcQ", yt);
    check_ok("https://www.youtube.com/watch?feature=share&v=dQw4w9WgXcQ&t=42s", yt);
    check_ok("https://www.youtube.com/watch?v=dQw4w9WgXcQ&list=PL123#t=10", yt);
    check_ok("https://youtu.be/dQw4w9WgXcQ", yt);
    check_ok("https://youtu.be/dQw4w9WgXcQ?si=abc&t=5", yt);
    check_ok("https://www.youtube.com/shorts/dQw4w9WgXcQ", yt);
    check_ok("https://www.youtube.com/shorts/dQw4w9WgXcQ?feature=share", yt);
    check_ok("https://www.youtube.com/embed/dQw4w9WgXcQ", yt);
    check_ok("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", yt);
    check_ok("https://youtube-nocookie.com/embed/dQw4w9WgXcQ", yt);
    check_ok("https://www.youtube.com/live/dQw4w9WgXcQ", yt);
    check_ok("https://youtu.be/a-_0123456Z", "https://www.youtube-nocookie.com/embed/a-_0123456Z");

    check_video("https://youtu.be/dQw4w9WgXcQ", EMBED_YOUTUBE, "dQw4w9WgXcQ", "");
    CHECK_STR(embed_provider_str(EMBED_YOUTUBE), "youtube");
}

static void test_vimeo(void)
{
    check_ok("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1");
    check_ok("http://www.vimeo.com/76979871?share=copy#t=3",
             "https://player.vimeo.com/video/76979871?dnt=1");
    check_ok("https://player.vimeo.com/video/76979871",
             "https://player.vimeo.com/video/76979871?dnt=1");
    check_ok("https://player.vimeo.com/video/76979871?autoplay=1&h=0123abcdef",
             "https://player.vimeo.com/video/76979871?h=0123abcdef&dnt=1");
    check_ok("https://vimeo.com/76979871/0123abcdef",
             "https://player.vimeo.com/video/76979871?h=0123abcdef&dnt=1");
    check_ok("https://vimeo.com/1", "https://player.vimeo.com/video/1?dnt=1");
    check_ok("https://vimeo.com/123456789012345",
             "https://player.vimeo.com/video/123456789012345?dnt=1");

    check_video("https://vimeo.com/76979871/0123abcdef", EMBED_VIMEO, "76979871", "0123abcdef");
    check_video("https://player.vimeo.com/video/42", EMBED_VIMEO, "42", "");
    CHECK_STR(embed_provider_str(EMBED_VIMEO), "vimeo");
    CHECK_STR(embed_provider_str(EMBED_NONE), "none");
}

static void test_refused(void)
{
    /* not a link */
    check_err(NULL, EMBED_ERR_URL);
    check_err("", EMBED_ERR_URL);
    check_err("dQw4w9WgXcQ", EMBED_ERR_URL);
    check_err("www.youtube.com/watch?v=dQw4w9WgXcQ", EMBED_ERR_URL);
    check_err("javascript://www.youtube.com/%0Aalert(1)", EMBED_ERR_URL);
    check_err("ftp://www.youtube.com/watch?v=dQw4w9WgXcQ", EMBED_ERR_URL);
    check_err(" https://youtu.be/dQw4w9WgXcQ", EMBED_ERR_URL);
    check_err("https://youtu.be/dQw4w9WgXcQ\"><script>", EMBED_ERR_URL);
    check_err("https://evil.example\\@www.youtube.com/watch?v=dQw4w9WgXcQ", EMBED_ERR_URL);
    /* look-alike hosts */
    check_err("https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ", EMBED_ERR_HOST);
    check_err("https://evil.example/youtube.com/watch?v=dQw4w9WgXcQ", EMBED_ERR_HOST);
    check_err("https://evilyoutube.com/watch?v=dQw4w9WgXcQ", EMBED_ERR_HOST);
    check_err("https://www.youtube.com.:443/watch?v=dQw4w9WgXcQ", EMBED_ERR_URL);
    check_err("https://www.youtube.com./watch?v=dQw4w9WgXcQ", EMBED_ERR_URL);
    check_err("https://www.youtube.com:8080/watch?v=dQw4w9WgXcQ", EMBED_ERR_HOST);
    check_err("https://www.youtube.com@evil.example/watch?v=dQw4w9WgXcQ", EMBED_ERR_URL);
    check_err("https://music.youtube.com/watch?v=dQw4w9WgXcQ", EMBED_ERR_HOST);
    check_err("https://vimeo.com.evil.example/76979871", EMBED_ERR_HOST);
    check_err("https://notvimeo.com/76979871", EMBED_ERR_HOST);
    check_err("https://youtu.be.evil.example/dQw4w9WgXcQ", EMBED_ERR_HOST);
    /* the right host, not one video */
    check_err("https://www.youtube.com/", EMBED_ERR_PATH);
    check_err("https://www.youtube.com/watch", EMBED_ERR_PATH);
    check_err("https://www.youtube.com/watch?list=PL123", EMBED_ERR_PATH);
    check_err("https://www.youtube.com/watch?vv=dQw4w9WgXcQ", EMBED_ERR_PATH);
    check_err("https://www.youtube.com/watchx?v=dQw4w9WgXcQ", EMBED_ERR_PATH);
    check_err("https://www.youtube.com/playlist?list=PL123", EMBED_ERR_PATH);
    check_err("https://www.youtube.com/@somechannel", EMBED_ERR_PATH);
    check_err("https://www.youtube.com/channel/UC123", EMBED_ERR_PATH);
    check_err("https://www.youtube.com/WATCH?v=dQw4w9WgXcQ", EMBED_ERR_PATH);
    check_err("https://youtu.be/", EMBED_ERR_PATH);
    check_err("https://youtu.be", EMBED_ERR_PATH);
    check_err("https://vimeo.com/", EMBED_ERR_PATH);
    check_err("https://vimeo.com/channels/staffpicks/76979871", EMBED_ERR_PATH);
    check_err("https://vimeo.com/user12345", EMBED_ERR_PATH);
    check_err("https://vimeo.com/76979871/NOTHEX", EMBED_ERR_PATH);
    check_err("https://player.vimeo.com/76979871", EMBED_ERR_PATH);
    /* malformed IDs */
    check_err("https://www.youtube.com/watch?v=dQw4w9WgXc", EMBED_ERR_ID);      /* 10 */
    check_err("https://www.youtube.com/watch?v=dQw4w9WgXcQQ", EMBED_ERR_ID);    /* 12 */
    check_err("https://www.youtube.com/watch?v=", EMBED_ERR_ID);
    check_err("https://www.youtube.com/watch?v=dQw4w9WgX%51", EMBED_ERR_ID);    /* encoded */
    check_err("https://www.youtube.com/watch?v=dQw4w9WgX.Q", EMBED_ERR_ID);
    check_err("https://youtu.be/dQw4w9WgXcQ/extra", EMBED_ERR_ID);
    check_err("https://www.youtube.com/embed/dQw4w9WgXcQ/", EMBED_ERR_ID);
    check_err("https://www.youtube.com/embed/", EMBED_ERR_ID);
    check_err("https://youtu.be/한국어한국어한국어한국어", EMBED_ERR_ID);
    check_err("https://vimeo.com/1234567890123456", EMBED_ERR_ID);             /* 16 digits */
    check_err("https://vimeo.com/123abc", EMBED_ERR_ID);
    check_err("https://player.vimeo.com/video/", EMBED_ERR_ID);
    check_err("https://player.vimeo.com/video/12x", EMBED_ERR_ID);
    check_err("https://player.vimeo.com/video/123?h=zz", EMBED_ERR_ID);
    check_err("https://player.vimeo.com/video/123?h=0123456789abcdef0123456789abcdef0", EMBED_ERR_ID);

    char big[EMBED_INPUT_MAX + 64] = "https://youtu.be/dQw4w9WgXcQ?x=";
    size_t n = strlen(big);
    memset(big + n, 'a', EMBED_INPUT_MAX - n);
    big[EMBED_INPUT_MAX] = 0;
    check_ok(big, yt);
    big[EMBED_INPUT_MAX] = 'a';
    big[EMBED_INPUT_MAX + 1] = 0;
    check_err(big, EMBED_ERR_URL);

    CHECK_STR(embed_err_str(EMBED_ERR_HOST), "only YouTube and Vimeo links can be embedded");
    CHECK_STR(embed_err_str(-77), "unknown embed error");
    CHECK_STR(embed_err_str(INT_MIN), "unknown embed error");
}

int main(void)
{
    test_youtube();
    test_vimeo();
    test_refused();
    return check_report("test_embed");
}
