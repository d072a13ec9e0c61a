/* meeting_sql.h — the meeting JSON every path returns (replies, lists, meeting.updated):
 *   {id, booth: {id, name: {en, ko}, time_zone}, visitor: {id, name, company, country},
 *    starts_at, ends_at (RFC 3339 in the booth's zone), status, note, message,
 *    cancel_reason, video_url (accepted only), sequence, updated_at}
 * Aliases: mt = meetings, b = booths, v = the visitor's accounts row. */
#ifndef BOOTHD_MEETING_SQL_H
#define BOOTHD_MEETING_SQL_H

#include "domains/chat/chat_sql.h"

#define SQL_MEETING_JSON \
    "json_build_object('id', mt.id," \
    " 'booth', json_build_object('id', b.id, 'name', json_build_object('en', b.name_en, 'ko', b.name_ko)," \
    "   'time_zone', b.time_zone, 'slug', b.slug)," \
    " 'visitor', json_build_object('id', v.id, 'name', v.name, 'company', v.company, 'country', v.country)," \
    " 'starts_at', rfc3339_in_zone(mt.starts_at, b.time_zone), 'ends_at', rfc3339_in_zone(mt.ends_at, b.time_zone)," \
    " 'status', mt.status, 'note', mt.note, 'message', mt.message, 'cancel_reason', mt.cancel_reason," \
    " 'video_url', CASE WHEN mt.status = 'accepted' THEN mt.video_url END, 'sequence', mt.sequence," \
    " 'updated_at', " SQL_RFC3339("mt.updated_at") ")"

/* The one definition of "account is a party of meeting mt": its visitor, or staff of its booth
 * (meeting.list, the ICS downloads; the plpgsql functions check the same for writes). */
#define SQL_MEETING_PARTY(mt, account) \
    "(" mt ".visitor_id = " account " OR EXISTS (SELECT 1 FROM booth_staff s" \
    " WHERE s.booth_id = " mt ".booth_id AND s.account_id = " account "))"

#define SQL_MEETING_FROM \
    " FROM meetings mt JOIN booths b ON b.id = mt.booth_id JOIN accounts v ON v.id = mt.visitor_id"

#endif
