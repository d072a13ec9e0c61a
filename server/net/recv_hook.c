/* recv_hook.c — see recv_hook.h. */
#include "net/recv_hook.h"

#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "net/wsmask.h"

/* The scanners, inline, by descriptor: 24 bytes a slot, so a session costs 24 bytes here and no
 * allocation of its own (issue 15). The table is one calloc of the soft descriptor limit's
 * size; glibc maps a table that large straight from the kernel, whose zero pages become
 * resident only where descriptors were used. A zeroed slot is WSMASK_UNUSED: not watched. */
#define RECV_HOOK_MAX_SLOTS (1 << 22)

static struct wsmask *watched;
static int n_watched;             /* the table's length: the soft descriptor limit (capped) */

void recv_hook_watch(int fd)
{
    if (!watched) {
        struct rlimit rl;
        n_watched = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < RECV_HOOK_MAX_SLOTS
                        ? (int)rl.rlim_cur : RECV_HOOK_MAX_SLOTS;
        watched = calloc((size_t)n_watched, sizeof *watched);
        if (!watched) abort();
    }
    if (fd < 0 || fd >= n_watched) return;
    wsmask_done(&watched[fd]);
    wsmask_init(&watched[fd]);
}

void recv_hook_forget(int fd)
{
    if (fd >= 0 && fd < n_watched) wsmask_done(&watched[fd]);
}

bool recv_hook_unmasked(int fd)
{
    return fd >= 0 && fd < n_watched && watched[fd].unmasked;
}

void recv_hook_free(void)
{
    for (int i = 0; i < n_watched; i++)      /* reads only: untouched pages stay unmapped */
        if (watched[i].http) wsmask_done(&watched[i]);
    free(watched);
    watched = NULL;
    n_watched = 0;
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
    ssize_t n = syscall(SYS_recvfrom, fd, buf, len, flags, NULL, NULL);
    if (n > 0 && fd >= 0 && fd < n_watched) wsmask_feed(&watched[fd], buf, (size_t)n);
    return n;
}
