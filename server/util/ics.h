/* ics.h — RFC 5545 calendar text for meetings. Pure: the caller supplies every field as
 * text; this module escapes TEXT values, folds lines at 75 octets and ends lines with CRLF.
 *
 * One event: DTSTART/DTEND in the booth's zone (TZID) with a VTIMEZONE whose single
 * observance carries the zone's UTC offset at the meeting, which is exact for that event.
 * Several events (a feed), or an event within 3 hours of a daylight saving change of its
 * zone (a meeting across the change, or a local time that occurs twice): DTSTART/DTEND in
 * UTC, since one fixed offset would be wrong there. */
#ifndef BOOTHD_ICS_H
#define BOOTHD_ICS_H

#include <stdbool.h>
#include <stddef.h>

struct ics_event {
    const char *uid;
    int sequence;
    const char *status;         /* meeting status: requested, accepted, declined, cancelled */
    const char *tzid;           /* booth zone, e.g. "Asia/Seoul" */
    const char *start_local;    /* "20261209T090000" in tzid */
    const char *end_local;
    const char *utc_offset;     /* "+0900" at the meeting */
    bool near_dst_change;       /* the zone's offset changes within 3 h of the meeting */
    const char *start_utc;      /* "20261209T000000Z" */
    const char *end_utc;
    const char *stamp_utc;      /* last change, "20261127T051910Z" */
    const char *summary;
    const char *description;    /* may be NULL */
    const char *location;       /* video link; may be NULL */
    const char *organizer_cn, *organizer_email;   /* may be NULL */
    const char *attendee_cn, *attendee_email;     /* may be NULL */
};

/* Returns a malloc'ed calendar. METHOD is CANCEL when `cancel`, else REQUEST. With
 * n == 1 the event uses TZID times unless near_dst_change; otherwise UTC times. */
char *ics_calendar(const struct ics_event *ev, size_t n, bool cancel);

/* Appends the RFC 5545 TEXT escape of s (\\ ; , and newlines) to a growing buffer; exposed
 * for tests. Returns a malloc'ed string. */
char *ics_escape(const char *s);

#endif
