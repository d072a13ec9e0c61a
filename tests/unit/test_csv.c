/* Unit tests for util/csv.c: the export writer (quoting, BOM, formula neutralising) and the
 * import reader (quoting, line numbers, every error with its line, limits, recovery). */
#include <limits.h>
#include <stdlib.h>
#include "check.h"
#include "util/csv.h"

static char *write_row(bool bom, const char *const *cells, size_t n)
{
    struct csv_writer w;
    csv_begin(&w, bom);
    for (size_t i = 0; i < n; i++) csv_cell(&w, cells[i]);
    csv_end_row(&w);
    return csv_finish(&w, NULL);
}

static void check_cell(const char *in, const char *want)
{
    const char *cells[] = {in};
    char *out = write_row(false, cells, 1);
    char buf[256];
    snprintf(buf, sizeof buf, "%s\r\n", want);
    CHECK_STR(out, buf);
    free(out);
}

static void test_writer_quoting(void)
{
    check_cell("plain", "plain");
    check_cell("", "");
    check_cell(NULL, "");
    check_cell("a,b", "\"a,b\"");
    check_cell("say \"hi\"", "\"say \"\"hi\"\"\"");
    check_cell("\"", "\"\"\"\"");
    check_cell("two\nlines", "\"two\nlines\"");
    check_cell("cr\rhere", "\"cr\rhere\"");
    check_cell("crlf\r\n", "\"crlf\r\n\"");
    check_cell("하늘코스메틱", "하늘코스메틱");
    check_cell(" spaced ", " spaced ");            /* spaces are kept and need no quotes */
    check_cell("semi;colon", "semi;colon");
    check_cell("it's", "it's");

    const char *cells[] = {"a", "", "c"};
    char *out = write_row(false, cells, 3);
    CHECK_STR(out, "a,,c\r\n");
    free(out);
}

static void test_writer_neutralise(void)
{
    check_cell("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0");
    check_cell("+1", "'+1");
    check_cell("-2+3", "'-2+3");
    check_cell("@SUM(A1)", "'@SUM(A1)");
    check_cell("\tx", "'\tx");
    check_cell("\rx", "\"'\rx\"");                 /* neutralised, then quoted for the CR */
    check_cell("=HYPERLINK(\"http://e.example\",\"x\")",
               "\"'=HYPERLINK(\"\"http://e.example\"\",\"\"x\"\")\"");
    check_cell("=1,2", "\"'=1,2\"");
    check_cell("a=b", "a=b");                       /* only the first character counts */
    check_cell(" =1", " =1");
    check_cell("'=1", "'=1");
    CHECK(csv_needs_neutralising("=", 1));
    CHECK(!csv_needs_neutralising("=", 0));
    CHECK(!csv_needs_neutralising("", 0));
    CHECK(!csv_needs_neutralising(NULL, 3));
    CHECK(!csv_needs_neutralising("\0=", 2));       /* NUL is not in the list */

    struct csv_writer w;
    csv_begin(&w, false);
    csv_cell_int(&w, -3);
    csv_cell_int(&w, 0);
    csv_cell(&w, "-3");
    csv_cell_int(&w, -9223372036854775807LL - 1);
    csv_end_row(&w);
    size_t len;
    char *out = csv_finish(&w, &len);
    CHECK_STR(out, "-3,0,'-3,-9223372036854775808\r\n");
    CHECK_INT(len, strlen(out));
    free(out);
}

static void test_writer_document(void)
{
    struct csv_writer w;
    csv_begin(&w, true);
    csv_cell(&w, "name");
    csv_cell(&w, "company");
    csv_end_row(&w);
    csv_cell(&w, "김민준");
    csv_cell(&w, "=evil()");
    csv_end_row(&w);
    csv_end_row(&w);                                /* an empty row */
    size_t len;
    char *out = csv_finish(&w, &len);
    const char want[] = "\xEF\xBB\xBFname,company\r\n김민준,'=evil()\r\n\r\n";
    CHECK_INT(len, sizeof want - 1);
    CHECK(!memcmp(out, want, sizeof want));
    free(out);
    CHECK(w.buf == NULL);
    csv_writer_free(&w);                            /* safe after finish */

    csv_begin(&w, false);                           /* NUL bytes in a cell are kept */
    csv_cell_n(&w, "a\0b", 3);
    csv_end_row(&w);
    out = csv_finish(&w, &len);
    CHECK_INT(len, 5);
    CHECK(!memcmp(out, "a\0b\r\n", 5));
    free(out);

    csv_begin(&w, false);                           /* growth over many pages */
    for (int i = 0; i < 20000; i++) csv_cell(&w, "\"q\"");
    csv_end_row(&w);
    CHECK_INT(w.len, 20000 * 8 - 1 + 2);       /* """q""" and commas */
    csv_writer_free(&w);
    CHECK(w.buf == NULL);
}

/* The writer's output reads back to the same cells (after the apostrophe for formulas). */
static void test_round_trip(void)
{
    const char *cells[] = {"a,b", "x\"y\"", "multi\r\nline", "", "한국어", "plain"};
    char *out = write_row(true, cells, 6);
    struct csv_limits lim = {100, 10, 10};
    struct csv_reader r;
    csv_reader_init(&r, out, strlen(out), &lim);
    struct csv_record rec;
    CHECK_INT(csv_read(&r, &rec), 1);
    CHECK_INT(rec.nfields, 6);
    for (size_t i = 0; i < 6 && i < rec.nfields; i++) CHECK_STR(rec.fields[i], cells[i]);
    CHECK_INT(csv_read(&r, &rec), 0);
    csv_reader_free(&r);
    free(out);
}

static const struct csv_limits big = {1000, 50, 1000};

static void test_reader_basic(void)
{
    const char *in = "\xEF\xBB\xBF" "company,booth,email\r\n"
                     "\"Haneul, Inc.\",\"하늘\nbooth\",a@b.example\n"
                     "\"say \"\"hi\"\"\",,\r\n"
                     "\r\n\n"
                     "last,\"\",x";
    struct csv_reader r;
    csv_reader_init(&r, in, strlen(in), &big);
    struct csv_record rec;
    CHECK_INT(csv_read(&r, &rec), 1);
    CHECK_INT(rec.line, 1);
    CHECK_INT(rec.nfields, 3);
    CHECK_STR(rec.fields[0], "company");            /* the BOM is not part of the first field */
    CHECK_INT(rec.lens[0], 7);
    CHECK_INT(csv_read(&r, &rec), 1);
    CHECK_INT(rec.line, 2);
    CHECK_INT(rec.nfields, 3);
    CHECK_STR(rec.fields[0], "Haneul, Inc.");
    CHECK_STR(rec.fields[1], "하늘\nbooth");
    CHECK_STR(rec.fields[2], "a@b.example");
    CHECK_INT(csv_read(&r, &rec), 1);
    CHECK_INT(rec.line, 4);                         /* the quoted newline took line 3 */
    CHECK_INT(rec.nfields, 3);
    CHECK_STR(rec.fields[0], "say \"hi\"");
    CHECK_STR(rec.fields[1], "");
    CHECK_STR(rec.fields[2], "");                   /* a trailing comma is an empty field */
    CHECK_INT(csv_read(&r, &rec), 1);
    CHECK_INT(rec.line, 7);                         /* empty lines 5 and 6 skipped */
    CHECK_INT(rec.nfields, 3);
    CHECK_STR(rec.fields[1], "");
    CHECK_STR(rec.fields[2], "x");                  /* no final line end */
    CHECK_INT(csv_read(&r, &rec), 0);
    CHECK_INT(csv_read(&r, &rec), 0);
    csv_reader_free(&r);
}

static void test_reader_line_ends(void)
{
    const char *in = "a\rb\r\n\"c\r\nd\"\re";     /* lone CR, CRLF, CRLF inside quotes */
    struct csv_reader r;
    csv_reader_init(&r, in, strlen(in), &big);
    struct csv_record rec;
    CHECK_INT(csv_read(&r, &rec), 1);
    CHECK_INT(rec.line, 1);
    CHECK_STR(rec.fields[0], "a");
    CHECK_INT(csv_read(&r, &rec), 1);
    CHECK_INT(rec.line, 2);
    CHECK_STR(rec.fields[0], "b");
    CHECK_INT(csv_read(&r, &rec), 1);
    CHECK_INT(rec.line, 3);
    CHECK_STR(rec.fields[0], "c\r\nd");             /* kept as written */
    CHECK_INT(csv_read(&r, &rec), 1);
    CHECK_INT(rec.line, 5);
    CHECK_STR(rec.fields[0], "e");
    CHECK_INT(csv_read(&r, &rec), 0);
    csv_reader_free(&r);

    /* empty input, only a BOM, only line ends, a NULL pointer */
    const char *empties[] = {"", "\xEF\xBB\xBF", "\r\n\n\r"};
    for (int i = 0; i < 3; i++) {
        csv_reader_init(&r, empties[i], strlen(empties[i]), &big);
        CHECK_INT(csv_read(&r, &rec), 0);
        csv_reader_free(&r);
    }
    csv_reader_init(&r, NULL, 10, &big);
    CHECK_INT(csv_read(&r, &rec), 0);
    csv_reader_free(&r);

    /* a BOM only at the very start is skipped; a second one is data */
    csv_reader_init(&r, "\xEF\xBB\xBF\xEF\xBB\xBFx", 7, &big);
    CHECK_INT(csv_read(&r, &rec), 1);
    CHECK_INT(rec.lens[0], 4);
    csv_reader_free(&r);
}

/* Reads all of in, returning the sequence of results as a string like "1,-2@3,1,0" where
 * errors show "code@line". msg_out receives the first error message. */
static void read_all(const char *in, size_t len, const struct csv_limits *lim, char *out,
                     size_t cap, char *msg_out, size_t msg_cap)
{
    struct csv_reader r;
    csv_reader_init(&r, in, len, lim);
    struct csv_record rec;
    size_t o = 0;
    out[0] = 0;
    if (msg_out) msg_out[0] = 0;
    for (int i = 0; i < 50; i++) {
        int rc = csv_read(&r, &rec);
        if (rc < 0) {
            o += (size_t)snprintf(out + o, cap - o, "%d@%zu,", rc, rec.line);
            if (msg_out && !msg_out[0]) snprintf(msg_out, msg_cap, "%s", r.msg);
        } else {
            o += (size_t)snprintf(out + o, cap - o, "%d,", rc);
        }
        if (rc == 0) break;
    }
    csv_reader_free(&r);
}

static void check_read(const char *in, const struct csv_limits *lim, const char *want,
                       const char *want_msg)
{
    char got[256], msg[160];
    read_all(in, strlen(in), lim, got, sizeof got, msg, sizeof msg);
    CHECK_STR(got, want);
    if (want_msg) CHECK_STR(msg, want_msg);
}

static void test_reader_errors(void)
{
    check_read("a,b\n\"open,x\ny\n", &big, "1,-1@2,0,",
               "line 4, field 1: quoted field not closed before the end of the file "
               "(it opens on line 2)");
    check_read("a\nab\"c,d\ne\n", &big, "1,-2@2,1,0,",
               "line 2, field 1: a quote inside a field that does not start with a quote");
    check_read("\"ab\"c,d\ne\n", &big, "-3@1,1,0,",
               "line 1, field 1: text after the closing quote of a field");
    check_read("\"ab\" ,d\n", &big, "-3@1,0,", NULL);
    check_read("ok\nbad\xFF\nok\n", &big, "1,-4@2,1,0,",
               "line 2, field 1: not valid UTF-8 (save the file as \"CSV UTF-8\")");
    check_read("x,\xED\xA0\x80\n", &big, "-4@1,0,", "line 1, field 2: not valid UTF-8 "
               "(save the file as \"CSV UTF-8\")");     /* a UTF-16 surrogate */
    check_read("\xC0\xAF\n", &big, "-4@1,0,", NULL);   /* overlong '/' */
    check_read("\xEA\xB0\n", &big, "-4@1,0,", NULL);   /* truncated sequence */
    /* EUC-KR (what Korean Excel writes for "CSV") is refused as not UTF-8 */
    check_read("\xC7\xD1\xB1\xB9\n", &big, "-4@1,0,", NULL);

    char nul[] = "a\nb\0c\nd\n";
    char got[256], msg[160];
    read_all(nul, sizeof nul - 1, &big, got, sizeof got, msg, sizeof msg);
    CHECK_STR(got, "1,-5@2,1,0,");
    CHECK_STR(msg, "line 2, field 1: a NUL byte");
}

static void test_reader_limits(void)
{
    struct csv_limits lim = {5, 3, 4};
    check_read("12345,x\n123456,y\n\"1234\"\"\"\n\"123456\",z\nok\n", &lim,
               "1,-6@2,1,-6@4,-8@5,0,", "line 2, field 1: field longer than 5 bytes");
    /* the count is in bytes after unquoting: 한 is 3 bytes */
    check_read("한,한한\n", &lim, "-6@1,0,", "line 1, field 2: field longer than 5 bytes");
    check_read("a,b,c\na,b,c,d\n,,\n,,,\n", &lim, "1,-7@2,1,-7@4,0,",
               "line 2: more than 3 fields");
    check_read("a\nb\nc\nd\ne\nf\n", &lim, "1,1,1,1,-8@5,0,", "line 5: more than 4 rows");
    /* a quoted field with a newline that is too long: the record is skipped as a whole */
    check_read("\"1234\n6789\",x\nok\n", &lim, "-6@1,1,0,", "line 2, field 1: field longer than 5 bytes");

    /* memory stays bounded by the limits: a 1 MB field is not stored */
    size_t n = 1 << 20;
    char *huge = malloc(n + 1);
    memset(huge, 'a', n);
    huge[n] = 0;
    struct csv_reader r;
    csv_reader_init(&r, huge, n, &lim);
    struct csv_record rec;
    CHECK_INT(csv_read(&r, &rec), CSV_ERR_FIELD_TOO_LONG);
    CHECK(r.text_cap <= 256);
    CHECK_INT(csv_read(&r, &rec), 0);
    csv_reader_free(&r);
    /* ... and a record of a million commas stores at most max_fields lengths */
    memset(huge, ',', n);
    csv_reader_init(&r, huge, n, &lim);
    CHECK_INT(csv_read(&r, &rec), CSV_ERR_TOO_MANY_FIELDS);
    CHECK(r.fields_cap <= 8);
    csv_reader_free(&r);
    /* and 2^20 quotes: an opening one, doubled ones, a closing one: one over-long field;
     * one quote fewer leaves the field open */
    memset(huge, '"', n);
    csv_reader_init(&r, huge, n, &lim);
    CHECK_INT(csv_read(&r, &rec), CSV_ERR_FIELD_TOO_LONG);
    CHECK_INT(csv_read(&r, &rec), 0);
    csv_reader_free(&r);
    csv_reader_init(&r, huge, n - 1, &lim);
    CHECK_INT(csv_read(&r, &rec), CSV_ERR_UNTERMINATED);
    CHECK_INT(csv_read(&r, &rec), 0);
    csv_reader_free(&r);
    free(huge);
}

static void test_reader_reuse(void)
{
    /* fields of a record stay valid until the next read; a record after a long one is right */
    struct csv_limits lim = {4000, 4, 10};
    char in[9000];
    memset(in, 'x', 3000);
    strcpy(in + 3000, ",y\n\"q\",,\"\"\n");
    struct csv_reader r;
    csv_reader_init(&r, in, strlen(in), &lim);
    struct csv_record rec;
    CHECK_INT(csv_read(&r, &rec), 1);
    CHECK_INT(rec.lens[0], 3000);
    CHECK_STR(rec.fields[1], "y");
    CHECK_INT(csv_read(&r, &rec), 1);
    CHECK_INT(rec.nfields, 3);
    CHECK_STR(rec.fields[0], "q");
    CHECK_STR(rec.fields[1], "");
    CHECK_STR(rec.fields[2], "");
    CHECK_INT(rec.line, 2);
    CHECK_INT(csv_read(&r, &rec), 0);
    csv_reader_free(&r);

    CHECK_STR(csv_err_str(CSV_OK), "ok");
    CHECK_STR(csv_err_str(-100), "unknown CSV error");
    CHECK_STR(csv_err_str(INT_MIN), "unknown CSV error");
    CHECK_STR(csv_err_str(1), "unknown CSV error");
    for (int e = CSV_ERR_TOO_MANY_ROWS; e < 0; e++) CHECK(strcmp(csv_err_str(e), "unknown CSV error"));
}

int main(void)
{
    test_writer_quoting();
    test_writer_neutralise();
    test_writer_document();
    test_round_trip();
    test_reader_basic();
    test_reader_line_ends();
    test_reader_errors();
    test_reader_limits();
    test_reader_reuse();
    return check_report("test_csv");
}
