/* files_sql.h — SQL shared by the upload and the download of the files domain. */
#ifndef BOOTHD_FILES_SQL_H
#define BOOTHD_FILES_SQL_H

#include "domains/auth/token.h"

/* Who may upload for booth $2 with the token hash $1: CTEs `me` (the valid token's account,
 * at most one row) and `allowed` (me, when it is an organizer or staff of that booth, and the
 * booth exists). The same rule for the early check and for the INSERT that commits. */
#define SQL_UPLOAD_RIGHT \
    "WITH me AS (SELECT a.id, a.role FROM auth_tokens t JOIN accounts a ON a.id = t.account_id" \
    "   WHERE " SQL_TOKEN_VALID("t", "$1") " AND a.disabled_at IS NULL)," \
    " booth AS (SELECT id FROM booths WHERE id = $2::bigint)," \
    " allowed AS (SELECT me.id FROM me, booth WHERE me.role = 'organizer'" \
    "   OR EXISTS (SELECT 1 FROM booth_staff s WHERE s.booth_id = booth.id AND s.account_id = me.id))"

/* Columns signed_in, booth_exists, allowed (0/1) of a statement built on SQL_UPLOAD_RIGHT. */
#define SQL_UPLOAD_RIGHT_COLS \
    "(SELECT count(*) FROM me)::int AS signed_in, (SELECT count(*) FROM booth)::int AS booth_exists," \
    " (SELECT count(*) FROM allowed)::int AS allowed"

#endif
