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
/* The same counts for a statement that changes presence and counts the outcome before its
 * commit (presence_apply): its snapshot still has the rows it deletes and not those it
 * inserts, so one row of `gone` (the deleted rows: booth_id, account_id, role) is taken away
 * per deleted row (EXCEPT ALL: an account with two sessions in the booth keeps the other)
 * and `added` (the inserted rows, same columns) is added. The booth's rows are read through
 * presence_booth_idx alone (booth_id, role, account_id), as SQL_PRESENCE_COUNT does. */
#define SQL_PRESENCE_COUNT_AFTER(booth, role, gone, added) \
    "(SELECT count(DISTINCT x.account_id) FROM" \
    " ((SELECT p.account_id FROM presence p WHERE p.booth_id = " booth " AND p.role = '" role "'" \
    "   EXCEPT ALL SELECT g.account_id FROM " gone " g WHERE g.booth_id = " booth " AND g.role = '" role "')" \
    "  UNION ALL SELECT n.account_id FROM " added " n WHERE n.booth_id = " booth " AND n.role = '" role "') x)"
#define SQL_PRESENCE_COUNTS_AFTER(booth, gone, added) \
    SQL_PRESENCE_COUNT_AFTER(booth, "visitor", gone, added) ", " SQL_PRESENCE_COUNT_AFTER(booth, "staff", gone, added)

#endif
