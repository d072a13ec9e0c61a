/* lead_export.h — GET /leads/<booth id>.csv with "Authorization: Bearer <token>": the booth's
 * leads as CSV for a spreadsheet (util/csv.h: RFC 4180, UTF-8 BOM, formulas neutralised),
 * timestamps on the booth's wall clock (the zone is named in the header row). For the booth's
 * staff and organizers: no or a bad token 401, anyone else 403, no such booth 404. Withdrawn
 * leads are not in it. Each export is recorded in audit_log (action 'leads.export').
 * The query string narrows it the way the staff's table is narrowed (lead.list's filters, same
 * names: status, rating_min, source, from, to, q), so the file holds what the table shows; a
 * value lead.list would refuse is answered 400 bad_<name>. */
#ifndef BOOTHD_LEAD_EXPORT_H
#define BOOTHD_LEAD_EXPORT_H

struct app;
struct http_reply;

/* Answers h (now or from a database callback); path is the whole request path. */
void lead_export_download(struct app *app, struct http_reply *h, const char *path, const char *authorization);

#endif
