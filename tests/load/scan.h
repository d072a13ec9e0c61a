/* scan.h — what the generator reads out of the server's messages, and the marker it writes
 * into every chat text (pure: no I/O, no allocation).
 *
 * Every chat text the generator sends starts with a marker
 *     lt<planned_us>.<step>.<sender>.<node>
 * (planned send time on the shared monotonic clock, the plan step, the sender's global
 * session index, the index of the server URL it talks to), then padding to the requested
 * size. Replies and events carry the text back, so ack and delivery latency need no table
 * of pending messages, and a receiver in another process can tell its own echo and
 * cross-node deliveries apart.
 *
 * chat.message events are the bulk of the traffic, so scan_chat_event() pulls booth_id,
 * seq and the marker out without building a JSON tree. It accepts the spacing PostgreSQL's
 * json_build_object produces ("seq" : 4) as well as compact JSON, and returns -1 for
 * anything it does not recognise so the caller can fall back to a full parse. */
#ifndef LOAD_SCAN_H
#define LOAD_SCAN_H

#include <stddef.h>
#include <stdint.h>

struct marker {
    int64_t planned_us;
    int step;
    int64_t sender;
    int node;
};

enum inbound_kind { IN_REPLY, IN_CHAT, IN_PRESENCE, IN_OTHER_EVENT, IN_JUNK };

/* Writes the marker and pads with "x" up to `size` bytes (never below the marker's own
 * length); out must have room for max(size, 64) + 1 bytes. Returns the length. */
size_t marker_format(char *out, size_t size, const struct marker *m);
/* Parses a marker at the start of text (len bytes). Returns 0, or -1 if there is none. */
int marker_parse(const char *text, size_t len, struct marker *m);

enum inbound_kind scan_kind(const char *buf, size_t len);

struct chat_event {
    int64_t booth_id, seq;
    int has_marker;
    struct marker m;
};
/* Reads a chat.message event. Returns 0, or -1 when the layout is not recognised. */
int scan_chat_event(const char *buf, size_t len, struct chat_event *ev);

#endif
