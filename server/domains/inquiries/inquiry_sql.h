/* inquiry_sql.h — SQL fragments shared by every statement that returns inquiry messages or
 * threads, so replies, history and live events carry the same JSON.
 *
 * Message (`m` an inquiry_messages row, `a` its author's accounts row, `t` its thread):
 *   {thread_id, booth_id, seq, id, author: {id, name, role, company}, text, client_msg_id, sent_at}
 *   role: "buyer" (the thread's buyer), "organizer", or "staff".
 * Thread (`t` an inquiry_threads row, `b` its booth, `u` its buyer; `$side` the caller's side,
 * 'buyer' or 'booth', picks the read mark unread counts from):
 *   {id, booth: {id, slug, name: {en, ko}}, buyer: {id, name, company, country, title, time_zone},
 *    created_at, last_seq, last_at, read_seq: {buyer, booth}, unread, claimed_by: {id, name}|null,
 *    last_message: message|null} */
#ifndef BOOTHD_INQUIRY_SQL_H
#define BOOTHD_INQUIRY_SQL_H

#include "domains/chat/chat_sql.h"   /* SQL_RFC3339 */

#define SQL_INQUIRY_MESSAGE_JSON \
    "json_build_object('thread_id', m.thread_id, 'booth_id', t.booth_id, 'seq', m.seq, 'id', m.id," \
    " 'author', json_build_object('id', a.id, 'name', a.name, 'company', a.company, 'role'," \
    "   CASE WHEN a.id = t.buyer_id THEN 'buyer' WHEN a.role = 'organizer' THEN 'organizer' ELSE 'staff' END)," \
    " 'text', m.body, 'client_msg_id', m.client_msg_id, 'sent_at', " SQL_RFC3339("m.created_at") ")"

/* side: an SQL expression giving 'buyer' or 'booth'. */
#define SQL_INQUIRY_THREAD_JSON(side) \
    "json_build_object('id', t.id," \
    " 'booth', json_build_object('id', b.id, 'slug', b.slug, 'name', json_build_object('en', b.name_en, 'ko', b.name_ko))," \
    " 'buyer', json_build_object('id', u.id, 'name', u.name, 'company', u.company, 'country', u.country," \
    "   'title', u.title, 'time_zone', t.buyer_time_zone)," \
    " 'created_at', " SQL_RFC3339("t.created_at") ", 'last_seq', t.last_seq, 'last_at', " SQL_RFC3339("t.last_at") "," \
    " 'read_seq', json_build_object('buyer', t.buyer_read_seq, 'booth', t.booth_read_seq)," \
    " 'unread', t.last_seq - CASE WHEN " side " = 'buyer' THEN t.buyer_read_seq ELSE t.booth_read_seq END," \
    " 'claimed_by', (SELECT json_build_object('id', c.id, 'name', c.name) FROM accounts c WHERE c.id = t.claimed_by)," \
    " 'last_message', (SELECT " SQL_INQUIRY_MESSAGE_JSON " FROM inquiry_messages m JOIN accounts a ON a.id = m.author_id" \
    "   WHERE m.thread_id = t.id AND m.seq = t.last_seq))"

#define SQL_INQUIRY_THREAD_FROM \
    " FROM inquiry_threads t JOIN booths b ON b.id = t.booth_id JOIN accounts u ON u.id = t.buyer_id"

/* Whether account `acct` may act for the booth side of booth `booth` (SQL expressions). */
#define SQL_INQUIRY_BOOTH_SIDE(booth, acct) \
    "(EXISTS (SELECT 1 FROM booth_staff st WHERE st.booth_id = " booth " AND st.account_id = " acct ")" \
    " OR EXISTS (SELECT 1 FROM accounts o WHERE o.id = " acct " AND o.role = 'organizer' AND o.disabled_at IS NULL))"

#endif
