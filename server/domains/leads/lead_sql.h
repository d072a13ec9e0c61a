/* lead_sql.h — the lead JSON the staff see (lead.list, lead.new, lead.updated):
 *   {id, booth_id, name, company, title, country, email (the card as shared), source,
 *    status, rating, notes, consent_version, consent_at, created_at, updated_at (RFC 3339 in
 *    the booth's zone)}
 * Aliases: l = leads, b = booths. Only for rows with withdrawn_at IS NULL (a withdrawn lead
 * has no card). */
#ifndef BOOTHD_LEAD_SQL_H
#define BOOTHD_LEAD_SQL_H

#define SQL_LEAD_JSON \
    "json_build_object('id', l.id, 'booth_id', l.booth_id," \
    " 'name', l.card ->> 'name', 'company', l.card ->> 'company', 'title', l.card ->> 'title'," \
    " 'country', l.card ->> 'country', 'email', l.card ->> 'email'," \
    " 'source', l.source, 'status', l.status, 'rating', l.rating, 'notes', l.notes," \
    " 'consent_version', l.consent_version, 'consent_at', rfc3339_in_zone(l.consent_at, b.time_zone)," \
    " 'created_at', rfc3339_in_zone(l.created_at, b.time_zone)," \
    " 'updated_at', rfc3339_in_zone(l.updated_at, b.time_zone))"

/* The staff's lead filters, one meaning for lead.list and the CSV export: the arguments are the
 * placeholders of status, rating_min, source, from, to (created_at in [from, to)) and the search
 * text (in name, company or e-mail, case-insensitive); a NULL parameter filters nothing. To
 * follow "WHERE l.booth_id = ... AND l.withdrawn_at IS NULL". Alias l = leads. */
#define SQL_LEAD_FILTER(st, rt, so, fr, to, q)                                                          \
    " AND (" st "::text IS NULL OR l.status = " st ") AND (" rt "::int IS NULL OR l.rating >= " rt ")"  \
    " AND (" so "::text IS NULL OR l.source = " so ")"                                                 \
    " AND (" fr "::timestamptz IS NULL OR l.created_at >= " fr ")"                                     \
    " AND (" to "::timestamptz IS NULL OR l.created_at < " to ")"                                      \
    " AND (" q "::text IS NULL OR strpos(lower(concat_ws(' ', l.card ->> 'name', l.card ->> 'company',"  \
    " l.card ->> 'email')), lower(" q ")) > 0)"

/* The lead statuses, in the order the pages offer them. */
#define LEAD_STATUSES "new", "contacted", "qualified", "not_a_fit"
/* How a lead first came about; the values lead.list filters on. */
#define LEAD_SOURCES "card", "meeting", "chat", "visit"
#define LEAD_STATUS_LIST "new, contacted, qualified, not_a_fit"
#define LEAD_SOURCE_LIST "card, meeting, chat, visit"
/* The longest search text, in code points. */
#define LEAD_SEARCH_MAX 100

#endif
