/* csv.h — RFC 4180 CSV: a writer for exports (leads, booths, meetings, audit log) and a reader
 * for the organizer's bulk import of exhibitors. Pure: memory in, memory out; no files, no
 * sockets, no globals.
 *
 * Is: the byte format. The writer quotes a cell only when it must (it contains '"', ',', CR or
 * LF; quotes are doubled), ends every row with CRLF, can start with the UTF-8 BOM so that Excel
 * reads Korean as UTF-8, and neutralises spreadsheet formulas: a text cell starting with '=',
 * '+', '-', '@', TAB or CR gets a leading '\'' (OWASP "CSV Injection"), then is quoted as needed.
 * The reader takes UTF-8 with or without a BOM, CRLF, LF or a lone CR as line ends, quoted
 * fields with embedded commas, line breaks and doubled quotes, and reports each record's
 * 1-based starting line; every error carries a line number and a reason.
 * Is not: a CSV dialect detector (the separator is always ',', the quote always '"'), a type
 * converter (every field is text) or a header/column mapper (the caller names columns). */
#ifndef BOOTHD_CSV_H
#define BOOTHD_CSV_H

#include <stdbool.h>
#include <stddef.h>

/* ---- writer ------------------------------------------------------------------------------ */

/* A growing output buffer. Invariants: buf is NUL-terminated after csv_begin (so it can be
 * logged or compared in tests), len excludes that NUL, len + 1 <= cap; row_cells counts the
 * cells written since the last row end (a separator goes before every cell but the first). */
struct csv_writer {
    char *buf;
    size_t len, cap;
    size_t row_cells;
};

/* Starts an empty document, with the UTF-8 BOM (EF BB BF) first when with_bom. Out of memory
 * aborts. Every csv_begin needs csv_finish or csv_writer_free. */
void csv_begin(struct csv_writer *w, bool with_bom);
/* Appends one text cell (NULL or "" = empty cell), neutralised against formulas, then quoted
 * if needed. The bytes are copied as they are (the caller supplies valid UTF-8). */
void csv_cell(struct csv_writer *w, const char *s);
/* The same for s[0..n), which may contain NUL bytes (written as they are). */
void csv_cell_n(struct csv_writer *w, const char *s, size_t n);
/* Appends an integer cell written by the server, e.g. "-3": not neutralised, since a number
 * the server formats cannot carry a formula and a negative count must stay a number. */
void csv_cell_int(struct csv_writer *w, long long v);
/* Ends the row with CRLF. A row with no cells is written as an empty line. */
void csv_end_row(struct csv_writer *w);
/* Returns the document (malloc'ed, NUL-terminated, the caller frees it) and its length in
 * *len (may be NULL); the writer is left empty and needs csv_begin before reuse. */
char *csv_finish(struct csv_writer *w, size_t *len);
/* Discards the document. Safe on a zeroed writer and after csv_finish. */
void csv_writer_free(struct csv_writer *w);

/* True when a text cell starting with s would be read as a formula by a spreadsheet, i.e.
 * when csv_cell prefixes it with '\''. Exposed for tests and for on-screen previews. */
bool csv_needs_neutralising(const char *s, size_t n);

/* ---- reader ------------------------------------------------------------------------------ */

enum csv_err {
    CSV_OK = 0,
    CSV_ERR_UNTERMINATED = -1,     /* a quoted field runs to the end of the input */
    CSV_ERR_BARE_QUOTE = -2,       /* '"' inside an unquoted field */
    CSV_ERR_AFTER_QUOTE = -3,      /* something other than '"', ',' or a line end after a closing quote */
    CSV_ERR_UTF8 = -4,             /* a field is not valid UTF-8 */
    CSV_ERR_NUL = -5,              /* a NUL byte */
    CSV_ERR_FIELD_TOO_LONG = -6,   /* a field longer than max_field_bytes */
    CSV_ERR_TOO_MANY_FIELDS = -7,  /* a record with more than max_fields fields */
    CSV_ERR_TOO_MANY_ROWS = -8,    /* more than max_rows records; reading stops */
};
/* A short English reason, e.g. "quoted field not closed"; never NULL. */
const char *csv_err_str(int err);

/* Limits bound the memory the reader uses: at most max_fields * (max_field_bytes + 1) bytes of
 * field text plus max_fields pointers and lengths, whatever the input. All must be >= 1. */
struct csv_limits {
    size_t max_field_bytes;   /* bytes of one field after unquoting */
    size_t max_fields;        /* fields of one record */
    size_t max_rows;          /* records in the input, the header row and bad rows included */
};

/* One record. fields[i] is NUL-terminated, lens[i] its length in bytes; both belong to the
 * reader and stay valid until the next csv_read or csv_reader_free. */
struct csv_record {
    size_t line;              /* 1-based line where the record starts */
    size_t nfields;
    const char *const *fields;
    const size_t *lens;
};

/* Reader over a complete input held by the caller, which must outlive the reader. */
struct csv_reader {
    const unsigned char *in;
    size_t len, pos;
    size_t line;              /* current 1-based line */
    size_t rows;              /* records returned so far, bad ones included */
    bool done;
    struct csv_limits lim;
    char *text;               /* field bytes, each followed by NUL */
    size_t text_len, text_cap;
    size_t *lens;             /* per field of the current record; fields_cap of each */
    const char **ptrs;
    size_t fields_cap;
    char msg[160];            /* the last error: "line 7, field 3: field longer than 200 bytes" */
};

/* Prepares to read data[0..len); a leading UTF-8 BOM is skipped. lim is copied. Out of memory
 * aborts. Pair with csv_reader_free. */
void csv_reader_init(struct csv_reader *r, const char *data, size_t len, const struct csv_limits *lim);
/* Reads the next record. Returns 1 with *rec filled, 0 at the end of the input, or a negative
 * csv_err with rec->line set to the record's first line and r->msg saying where and why.
 * Empty lines between records are skipped (so a trailing line end adds no record).
 * After an error in one record the reader has skipped that whole record, so the next call
 * reads the next one: a dry run can list every bad row. CSV_ERR_UNTERMINATED and
 * CSV_ERR_TOO_MANY_ROWS end the input (the next call returns 0). */
int csv_read(struct csv_reader *r, struct csv_record *rec);
void csv_reader_free(struct csv_reader *r);

#endif
