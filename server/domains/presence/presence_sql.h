/* presence_sql.h — what other code needs to know of presence in SQL: its NOTIFY channel and
 * the one definition of a booth's counts (hall.list, booth.get, booth.enter's re-read and the
 * live recount use it; presence_apply counts the same way with the rows it is changing,
 * SQL_PRESENCE_COUNT_AFTER, below), so they cannot disagree. */
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
/* The same count for a statement that changes presence and counts the outcome before its
 * commit (presence_apply): its snapshot still has the rows it deletes and not those it
 * inserts. `gone` and `added` are bigint[] SQL expressions (NULL: none): the accounts of the
 * booth's rows in `role` that the statement deletes, one element per row, and those it
 * inserts. One element of `gone` takes one row away (EXCEPT ALL: an account with two sessions
 * in the booth keeps the other). The booth's rows are read through presence_booth_idx alone
 * (booth_id, role, account_id), as SQL_PRESENCE_COUNT does. */
#define SQL_PRESENCE_COUNT_AFTER(booth, role, gone, added) \
    "(SELECT count(DISTINCT x.a) FROM" \
    " ((SELECT p.account_id FROM presence p WHERE p.booth_id = " booth " AND p.role = '" role "'" \
    "   EXCEPT ALL SELECT unnest(" gone "))" \
    "  UNION ALL SELECT unnest(" added ")) x(a))"

#endif
