/* recv_hook.c — see recv_hook.h. */
#include "net/recv_hook.h"

#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "net/wsmask.h"

static struct wsmask **watched;   /* by descriptor; NULL: not watched */
static int n_watched;             /* the table's length: the soft descriptor limit */

void recv_hook_watch(int fd)
{
    if (!watched) {
        struct rlimit rl;
        n_watched = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 1048576 ? (int)rl.rlim_cur : 65536;
        watched = calloc((size_t)n_watched, sizeof *watched);
        if (!watched) abort();
    }
    if (fd < 0 || fd >= n_watched) return;
    if (!watched[fd] && !(watched[fd] = malloc(sizeof *watched[fd]))) abort();
    wsmask_init(watched[fd]);
}

void recv_hook_forget(int fd)
{
    if (fd < 0 || fd >= n_watched || !watched[fd]) return;
    free(watched[fd]);
    watched[fd] = NULL;
}

bool recv_hook_unmasked(int fd)
{
    return fd >= 0 && fd < n_watched && watched[fd] && watched[fd]->unmasked;
}

void recv_hook_free(void)
{
    for (int i = 0; i < n_watched; i++) free(watched[i]);
    free(watched);
    watched = NULL;
    n_watched = 0;
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
    ssize_t n = syscall(SYS_recvfrom, fd, buf, len, flags, NULL, NULL);
    if (n > 0 && fd >= 0 && fd < n_watched && watched[fd]) wsmask_feed(watched[fd], buf, (size_t)n);
    return n;
}
