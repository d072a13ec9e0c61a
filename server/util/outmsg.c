/* outmsg.c — see outmsg.h. */
#include "util/outmsg.h"

#include <stdlib.h>
#include <string.h>

struct outmsg *outmsg_alloc(size_t len)
{
    struct outmsg *m = malloc(sizeof *m + OUTMSG_HEADROOM + len + 1);
    if (!m) abort();
    m->refs = 1;
    m->kind = NULL;
    m->kind_key = -1;
    m->len = len;
    m->buf[OUTMSG_HEADROOM + len] = 0;
    return m;
}

struct outmsg *outmsg_new(const char *data, size_t len)
{
    struct outmsg *m = outmsg_alloc(len);
    memcpy(m->buf + OUTMSG_HEADROOM, data, len);
    return m;
}

struct outmsg *outmsg_from_string(char *s)
{
    struct outmsg *m = outmsg_new(s, strlen(s));
    free(s);
    return m;
}

struct outmsg *outmsg_ref(struct outmsg *m)
{
    m->refs++;
    return m;
}

void outmsg_unref(struct outmsg *m)
{
    if (m && --m->refs == 0) free(m);
}
