/* handlers.h — every message handler, one file per domain. Each takes a request and ends
 * it with request_ok() or request_error() (now or from a database callback). */
#ifndef BOOTHD_HANDLERS_H
#define BOOTHD_HANDLERS_H

struct request;

/* sys.c */
void handle_sys_ping(struct request *r);

#endif
