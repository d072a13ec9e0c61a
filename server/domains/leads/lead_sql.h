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

/* The lead statuses, in the order the pages offer them. */
#define LEAD_STATUSES "new", "contacted", "qualified", "not_a_fit"
/* How a lead first came about; the values lead.list filters on. */
#define LEAD_SOURCES "card", "meeting", "chat", "visit"

#endif
