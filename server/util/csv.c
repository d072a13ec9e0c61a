/* csv.c — see csv.h. */
#include "util/csv.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/text.h"

/* Returns p grown (realloc'ed) so that it holds at least need elements of elem bytes; *cap
 * is the element count, doubled from `first`. Size overflow and out of memory abort: both
 * mean a caller bug or a machine without memory, never input that the limits let through. */
static void *grow(void *p, size_t *cap, size_t need, size_t elem, size_t first)
{
    if (need <= *cap) return p;
    size_t n = *cap ? *cap : first;
    while (n < need) {
        if (n > SIZE_MAX / 2) abort();
        n *= 2;
    }
    if (n > SIZE_MAX / elem) abort();
    p = realloc(p, n * elem);
    if (!p) abort();
    *cap = n;
    return p;
}

/* ---- writer ------------------------------------------------------------------------------ */

static void w_reserve(struct csv_writer *w, size_t more)
{
    if (more > SIZE_MAX - w->len - 1) abort();
    w->buf = grow(w->buf, &w->cap, w->len + more + 1, 1, 256);
}

static void w_put(struct csv_writer *w, const char *s, size_t n)
{
    w_reserve(w, n);
    memcpy(w->buf + w->len, s, n);
    w->len += n;
    w->buf[w->len] = 0;
}

void csv_begin(struct csv_writer *w, bool with_bom)
{
    memset(w, 0, sizeof *w);
    w_reserve(w, 0);
    w->buf[0] = 0;
    if (with_bom) w_put(w, "\xEF\xBB\xBF", 3);
}

bool csv_needs_neutralising(const char *s, size_t n)
{
    return n > 0 && s && memchr("=+-@\t\r", s[0], 6) != NULL;
}

static void w_separator(struct csv_writer *w)
{
    if (w->row_cells++) w_put(w, ",", 1);
}

void csv_cell_n(struct csv_writer *w, const char *s, size_t n)
{
    w_separator(w);
    if (!s) n = 0;
    bool neutralise = csv_needs_neutralising(s, n);
    bool quote = false;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == '"' || s[i] == ',' || s[i] == '\r' || s[i] == '\n';
    if (n > (SIZE_MAX - 8) / 2) abort();
    w_reserve(w, 2 * n + 3);          /* every byte a quote, the quotes, the apostrophe */
    char *o = w->buf + w->len;
    if (quote) *o++ = '"';
    if (neutralise) *o++ = '\'';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"') *o++ = '"';
        *o++ = s[i];
    }
    if (quote) *o++ = '"';
    w->len = (size_t)(o - w->buf);
    w->buf[w->len] = 0;
}

void csv_cell(struct csv_writer *w, const char *s)
{
    csv_cell_n(w, s, s ? strlen(s) : 0);
}

void csv_cell_int(struct csv_writer *w, long long v)
{
    char num[24];
    int n = snprintf(num, sizeof num, "%lld", v);
    w_separator(w);
    w_put(w, num, (size_t)n);
}

void csv_end_row(struct csv_writer *w)
{
    w_put(w, "\r\n", 2);
    w->row_cells = 0;
}

char *csv_finish(struct csv_writer *w, size_t *len)
{
    char *out = w->buf;
    if (len) *len = w->len;
    memset(w, 0, sizeof *w);
    return out;
}

void csv_writer_free(struct csv_writer *w)
{
    free(w->buf);
    memset(w, 0, sizeof *w);
}

/* ---- reader ------------------------------------------------------------------------------ */

static const char *const csv_reasons[] = {
    [-CSV_OK] = "ok",
    [-CSV_ERR_UNTERMINATED] = "quoted field not closed before the end of the file",
    [-CSV_ERR_BARE_QUOTE] = "a quote inside a field that does not start with a quote",
    [-CSV_ERR_AFTER_QUOTE] = "text after the closing quote of a field",
    [-CSV_ERR_UTF8] = "not valid UTF-8 (save the file as \"CSV UTF-8\")",
    [-CSV_ERR_NUL] = "a NUL byte",
    [-CSV_ERR_FIELD_TOO_LONG] = "field too long",
    [-CSV_ERR_TOO_MANY_FIELDS] = "too many fields",
    [-CSV_ERR_TOO_MANY_ROWS] = "too many rows",
};

const char *csv_err_str(int err)
{
    const int n = (int)(sizeof csv_reasons / sizeof *csv_reasons);
    return err <= 0 && err > -n ? csv_reasons[-err] : "unknown CSV error";
}

void csv_reader_init(struct csv_reader *r, const char *data, size_t len, const struct csv_limits *lim)
{
    memset(r, 0, sizeof *r);
    r->in = (const unsigned char *)data;
    r->len = data ? len : 0;
    r->line = 1;
    r->lim = *lim;
    if (r->len >= 3 && !memcmp(r->in, "\xEF\xBB\xBF", 3)) r->pos = 3;
}

void csv_reader_free(struct csv_reader *r)
{
    free(r->text);
    free(r->lens);
    free(r->ptrs);
    memset(r, 0, sizeof *r);
}

/* State of the record being read. The first error wins; after it the record is still scanned
 * to its end (so the next record starts in the right place) but nothing more is stored. */
struct rec_state {
    int err;
    size_t err_line, err_field;   /* err_field is 1-based */
    size_t nf;                    /* fields stored */
    size_t flen;                  /* bytes of the current field seen so far */
};

static void fail(struct rec_state *st, int err, size_t line, size_t field)
{
    if (st->err) return;
    st->err = err;
    st->err_line = line;
    st->err_field = field;
}

static void put_byte(struct csv_reader *r, struct rec_state *st, unsigned char c)
{
    if (c == 0) fail(st, CSV_ERR_NUL, r->line, st->nf + 1);
    if (st->err) return;
    if (++st->flen > r->lim.max_field_bytes) {
        fail(st, CSV_ERR_FIELD_TOO_LONG, r->line, st->nf + 1);
        return;
    }
    r->text = grow(r->text, &r->text_cap, r->text_len + 1, 1, 256);
    r->text[r->text_len++] = (char)c;
}

/* At a CR or LF at pos: consumes one line end (CRLF counts once) and counts the line. With
 * `field` set the bytes are inside a quoted field and are stored in it; NULL between records. */
static void line_end(struct csv_reader *r, struct rec_state *field)
{
    unsigned char c = r->in[r->pos++];
    if (field) put_byte(r, field, c);
    if (c == '\r' && r->pos < r->len && r->in[r->pos] == '\n') {
        r->pos++;
        if (field) put_byte(r, field, '\n');
    }
    r->line++;
}

static bool is_eol(unsigned char c) { return c == '\r' || c == '\n'; }


/* Starts field number st->nf + 1. */
static void field_begin(struct csv_reader *r, struct rec_state *st)
{
    st->flen = 0;
    if (st->nf >= r->lim.max_fields) fail(st, CSV_ERR_TOO_MANY_FIELDS, r->line, st->nf + 1);
}

/* Ends the current field: NUL-terminates and checks it when nothing has failed yet. The field
 * count goes on after an error, so that the error's field number stays right. */
static void field_end(struct csv_reader *r, struct rec_state *st, size_t start_off)
{
    if (!st->err) {
        size_t n = r->text_len - start_off;
        if (!utf8_valid(r->text ? r->text + start_off : "", n))
            fail(st, CSV_ERR_UTF8, r->line, st->nf + 1);
    }
    if (!st->err) {
        r->text = grow(r->text, &r->text_cap, r->text_len + 1, 1, 256);
        r->text[r->text_len++] = 0;
        size_t c1 = r->fields_cap, c2 = r->fields_cap;
        r->lens = grow(r->lens, &c1, st->nf + 1, sizeof *r->lens, 8);
        r->ptrs = grow(r->ptrs, &c2, st->nf + 1, sizeof *r->ptrs, 8);
        r->fields_cap = c1;
        r->lens[st->nf] = r->text_len - 1 - start_off;
    }
    st->nf++;
}

/* Reads a quoted field from just after its opening quote to just after its closing quote.
 * Returns false when the input ends first. */
static bool read_quoted(struct csv_reader *r, struct rec_state *st)
{
    for (;;) {
        if (r->pos >= r->len) return false;
        unsigned char c = r->in[r->pos];
        if (c == '"') {
            if (r->pos + 1 < r->len && r->in[r->pos + 1] == '"') {
                put_byte(r, st, '"');
                r->pos += 2;
                continue;
            }
            r->pos++;
            return true;
        }
        if (is_eol(c)) { line_end(r, st); continue; }
        put_byte(r, st, c);
        r->pos++;
    }
}

/* Reads unquoted bytes up to a ',' or line end or the end of the input; a '"' is an error
 * (stored as it is, since nothing is stored after an error anyway). */
static void read_unquoted(struct csv_reader *r, struct rec_state *st)
{
    while (r->pos < r->len) {
        unsigned char c = r->in[r->pos];
        if (c == ',' || is_eol(c)) return;
        if (c == '"') fail(st, CSV_ERR_BARE_QUOTE, r->line, st->nf + 1);
        put_byte(r, st, c);
        r->pos++;
    }
}

static int read_error(struct csv_reader *r, struct csv_record *rec, const struct rec_state *st)
{
    const char *why = csv_err_str(st->err);
    switch (st->err) {
    case CSV_ERR_FIELD_TOO_LONG:
        snprintf(r->msg, sizeof r->msg, "line %zu, field %zu: field longer than %zu bytes",
                 st->err_line, st->err_field, r->lim.max_field_bytes);
        break;
    case CSV_ERR_TOO_MANY_FIELDS:
        snprintf(r->msg, sizeof r->msg, "line %zu: more than %zu fields", st->err_line,
                 r->lim.max_fields);
        break;
    case CSV_ERR_TOO_MANY_ROWS:
        snprintf(r->msg, sizeof r->msg, "line %zu: more than %zu rows", st->err_line,
                 r->lim.max_rows);
        break;
    case CSV_ERR_UNTERMINATED:
        snprintf(r->msg, sizeof r->msg, "line %zu, field %zu: %s (it opens on line %zu)",
                 r->line, st->err_field, why, st->err_line);
        break;
    default:
        snprintf(r->msg, sizeof r->msg, "line %zu, field %zu: %s", st->err_line, st->err_field,
                 why);
    }
    rec->nfields = 0;
    rec->fields = NULL;
    rec->lens = NULL;
    return st->err;
}

int csv_read(struct csv_reader *r, struct csv_record *rec)
{
    memset(rec, 0, sizeof *rec);
    r->msg[0] = 0;
    if (r->done) return 0;
    while (r->pos < r->len && is_eol(r->in[r->pos])) line_end(r, NULL);
    if (r->pos >= r->len) {
        r->done = true;
        return 0;
    }
    struct rec_state st = {0};
    rec->line = r->line;
    if (r->rows >= r->lim.max_rows) {
        r->done = true;
        fail(&st, CSV_ERR_TOO_MANY_ROWS, r->line, 0);
        return read_error(r, rec, &st);
    }
    r->rows++;
    r->text_len = 0;
    for (;;) {
        field_begin(r, &st);
        size_t start = r->text_len, field_line = r->line;
        if (r->pos < r->len && r->in[r->pos] == '"') {
            r->pos++;
            if (!read_quoted(r, &st)) {
                r->done = true;
                st.err = 0;           /* this error outranks an earlier one: the rest is lost */
                fail(&st, CSV_ERR_UNTERMINATED, field_line, st.nf + 1);
                return read_error(r, rec, &st);
            }
            if (r->pos < r->len && r->in[r->pos] != ',' && !is_eol(r->in[r->pos])) {
                fail(&st, CSV_ERR_AFTER_QUOTE, r->line, st.nf + 1);
                read_unquoted(r, &st);
            }
        } else {
            read_unquoted(r, &st);
        }
        field_end(r, &st, start);
        if (r->pos < r->len && r->in[r->pos] == ',') {
            r->pos++;
            continue;
        }
        if (r->pos < r->len) line_end(r, NULL);
        break;
    }
    if (st.err) return read_error(r, rec, &st);
    size_t off = 0;
    for (size_t i = 0; i < st.nf; i++) {
        r->ptrs[i] = r->text + off;
        off += r->lens[i] + 1;
    }
    rec->nfields = st.nf;
    rec->fields = r->ptrs;
    rec->lens = r->lens;
    return 1;
}
