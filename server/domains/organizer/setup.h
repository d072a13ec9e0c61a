/* setup.h — account.setup (setup.c): a new staff account's one-time password link. */
#ifndef BOOTHD_SETUP_H
#define BOOTHD_SETUP_H

struct request;

void setup_handle(struct request *r);      /* anyone holding a link */

#endif
