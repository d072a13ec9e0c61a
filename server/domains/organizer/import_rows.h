/* import_rows.h — the exhibitor bulk-import file: CSV (util/csv.h reader: UTF-8 with or without
 * BOM, quoted fields) with a header row naming the columns in any order:
 *
 *   company_en*, company_ko*, booth_slug*, booth_name_en*, booth_name_ko*,
 *   category (a category slug), tier (platinum|gold|standard), sort_order (integer),
 *   country (2-64 chars, default KR), staff_email, staff_name (required with staff_email)
 *
 * Pure: checks every row on its own and against the other rows of the file (slug and e-mail
 * unique in the file) and turns the good ones into a JSON array for the database; what only
 * the database knows (slug taken, unknown category, e-mail registered) is checked there. Every
 * problem is reported with the line it starts on, the column and a reason; nothing stops at
 * the first bad row. Limits: IMPORT_MAX_BYTES of input, IMPORT_MAX_ROWS rows. */
#ifndef BOOTHD_IMPORT_ROWS_H
#define BOOTHD_IMPORT_ROWS_H

#include <cJSON.h>
#include <stddef.h>

#define IMPORT_MAX_BYTES 60000      /* the file travels in one message (64 KiB cap) */
#define IMPORT_MAX_ROWS 1000

/* Parses and checks data[0..len). Returns the number of data rows read (good and bad);
 * *rows gets an array of {line, company_en, company_ko, country, slug, name_en, name_ko,
 * category, tier, sort_order, email, staff_name} for the good rows and *errors an array of
 * {line, column, reason} (both new trees the caller owns). A file-level problem (no header,
 * a missing required column) is one error with line 1. */
int import_rows_parse(const char *data, size_t len, cJSON **rows, cJSON **errors);

#endif
