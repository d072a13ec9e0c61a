/* presence_sql.h — what other code needs to know of presence in SQL: its NOTIFY channel and
 * the one definition of a booth's counts (hall.list, booth.get, booth.enter and the live
 * recount all use it), so they cannot disagree. */
#ifndef BOOTHD_PRESENCE_SQL_H
#define BOOTHD_PRESENCE_SQL_H

#define PRESENCE_CHANNEL "boothd_presence"

/* A booth's count of distinct accounts present in `role` ('visitor' -> visitors_now,
 * 'staff' -> staff_online), as an SQL scalar subquery; `booth` is an SQL expression. */
#define SQL_PRESENCE_COUNT(booth, role) \
    "(SELECT count(DISTINCT account_id) FROM presence p WHERE p.booth_id = " booth " AND p.role = '" role "')"
/* Both counts as two columns: visitors_now, staff_online. */
#define SQL_PRESENCE_COUNTS(booth) \
    SQL_PRESENCE_COUNT(booth, "visitor") ", " SQL_PRESENCE_COUNT(booth, "staff")
/* The same two counts as aggregates over presence-shaped rows `p` (account_id, role) grouped
 * by booth: for a statement that counts rows it has not committed yet (presence_apply). */
#define SQL_PRESENCE_COUNTS_AGG(p) \
    "count(DISTINCT " p ".account_id) FILTER (WHERE " p ".role = 'visitor'), " \
    "count(DISTINCT " p ".account_id) FILTER (WHERE " p ".role = 'staff')"

#endif
