/* recv_hook.h — boothd's recv(): the bytes of the client connections ws.c registers pass
 * through a WebSocket mask check (net/wsmask.h) on their way to libwebsockets.
 *
 * libwebsockets reads every socket with recv(2). This executable defines recv itself (an
 * executable's symbol is found before libc's by every shared library), calls the system call,
 * and feeds what a watched connection sent to its scanner. Every other descriptor (PostgreSQL,
 * files) passes through untouched. One thread: the loop's.
 *
 * State: one table indexed by descriptor, process-wide because recv() has no context
 * (docs/architecture.md lists it among the file-scope state that stays). */
#ifndef BOOTHD_RECV_HOOK_H
#define BOOTHD_RECV_HOOK_H

#include <stdbool.h>

/* Start watching an accepted connection from its first byte (before lws reads it). */
void recv_hook_watch(int fd);
/* The connection is gone (its descriptor may be reused by anything). */
void recv_hook_forget(int fd);
/* True when the client on fd sent a WebSocket frame without a mask. */
bool recv_hook_unmasked(int fd);
/* Frees the table (at exit). */
void recv_hook_free(void);

#endif
