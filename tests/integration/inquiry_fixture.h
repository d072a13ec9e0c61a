/* inquiry_fixture.h — what the inquiry tests share: a cluster with the demo expo and two
 * nodes, demo accounts signed in on a chosen node, a buyer's thread with a staff member's booth.
 * Demo accounts (server/db/demo.sql): buyer1..5@demo.expo, staff@<slug>.demo.expo (owner of
 * that booth), organizer@demo.expo; password DEMO_PW. */
#ifndef IT_INQUIRY_FIXTURE_H
#define IT_INQUIRY_FIXTURE_H

#include "expo.h"
#include "harness.h"

#define DEMO_PW "demo1234"

extern struct pg_cluster ifx_pg;
extern struct boothd ifx_na, ifx_nb;

/* PostgreSQL with the demo expo, node-a and node-b on it. */
void ifx_up(void);
/* Connects to `port` and signs in as `email`; returns the account id. */
long long ifx_login(struct expo *c, int port, const char *label, const char *email);
/* Opens the desk of every booth the signed-in staff member staffs; returns the first booth id. */
long long ifx_desk(struct expo *c);
/* The buyer opens (or finds) their thread with `booth`; returns the thread id. */
long long ifx_open(struct expo *c, long long booth);
/* inquiry.send, checked ok; returns the message's seq. */
long long ifx_send(struct expo *c, long long thread, const char *text, const char *cmid);
/* Fails unless no event of the inquiry kinds arrives on c within wait_ms. */
void ifx_no_inquiry_events_at(const char *file, int line, struct expo *c, int wait_ms);
#define IFX_NO_INQUIRY_EVENTS(c, ms) ifx_no_inquiry_events_at(__FILE__, __LINE__, (c), (ms))

#endif
