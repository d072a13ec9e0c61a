/* inquiry_feed.h — live delivery of inquiry events on this node, from NOTIFY INQUIRY_CHANNEL.
 *
 * Every node (the committing one included) learns of new messages only from the
 * notification inquiry_append() sends at commit: {"t":[[thread,booth,buyer,first_seq,last_seq],...]}.
 * Notifications arrive in commit order, so reading each announced range from the table, one
 * read at a time, hands every thread's messages to its sessions (inquiry_desk.h) in seq
 * order, each once. The payload stays small; the receivers read the rows.
 * Small events that need no table read (read marks, claims) travel whole:
 * {"e":{"type":..,"booth_id":..,"buyer_id":..,"booth_side_only":bool,"data":{..}}}.
 *
 * A notification lost while the LISTEN connection was away cannot be replayed: the domain
 * then sends inquiry.resync to its sessions, and the page re-reads with since_seq (it also
 * does so itself when an event's seq skips one).
 *
 * Owned by the inquiries domain. */
#ifndef BOOTHD_INQUIRY_FEED_H
#define BOOTHD_INQUIRY_FEED_H

#define INQUIRY_CHANNEL "boothd_inquiry"

struct app;
struct inquiry_desk;
struct inquiry_feed;

struct inquiry_feed *inquiry_feed_new(struct app *app, struct inquiry_desk *desk);
/* Closes its timer; freed when it has closed. */
void inquiry_feed_free(struct inquiry_feed *f);
void inquiry_feed_on_notify(struct inquiry_feed *f, const char *payload);

#endif
