/* promtext.c — see promtext.h. */
#include "promtext.h"

#include <ctype.h>
#include <stdbool.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct parser {
    struct prom *p;
    int line;
    char *err;
    size_t errlen;
    char *current_family;       /* family of the previous sample (contiguity) */
    char **closed;              /* families whose samples ended */
    size_t n_closed;
};

static int fail(struct parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct parser *ps, const char *fmt, ...)
{
    int n = snprintf(ps->err, ps->errlen, "line %d: ", ps->line);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p) abort();
    return p;
}

static char *xstrndup(const char *s, size_t n)
{
    char *d = strndup(s, n);
    if (!d) abort();
    return d;
}

static int metric_name_len(const char *s)
{
    if (!(isalpha((unsigned char)*s) || *s == '_' || *s == ':')) return 0;
    int n = 1;
    while (isalnum((unsigned char)s[n]) || s[n] == '_' || s[n] == ':') n++;
    return n;
}

static int label_name_len(const char *s)
{
    if (!(isalpha((unsigned char)*s) || *s == '_')) return 0;
    int n = 1;
    while (isalnum((unsigned char)s[n]) || s[n] == '_') n++;
    return n;
}

/* Go's ParseFloat as Prometheus accepts it: decimal/exponent, or [+-]Inf, NaN. */
static int parse_value(const char *s, size_t len, double *out)
{
    char buf[64];
    if (len == 0 || len >= sizeof buf) return -1;
    memcpy(buf, s, len);
    buf[len] = 0;
    if (!strcmp(buf, "+Inf") || !strcmp(buf, "Inf")) { *out = INFINITY; return 0; }
    if (!strcmp(buf, "-Inf")) { *out = -INFINITY; return 0; }
    if (!strcmp(buf, "NaN")) { *out = NAN; return 0; }
    for (size_t i = 0; i < len; i++)
        if (!(isdigit((unsigned char)buf[i]) || strchr("+-.eE", buf[i]))) return -1;
    char *end;
    *out = strtod(buf, &end);
    return *end ? -1 : 0;
}

static const char *family_of(const struct prom *p, const char *name, const char **type)
{
    /* A histogram's samples carry suffixes; the family is the declared name. */
    static const char *const suffixes[] = {"_bucket", "_sum", "_count"};
    for (size_t i = 0; i < p->n_families; i++) {
        size_t fl = strlen(p->families[i]);
        if (strncmp(name, p->families[i], fl)) continue;
        if (!name[fl]) { *type = p->types[i]; return p->families[i]; }
        if (!strcmp(p->types[i], "histogram") || !strcmp(p->types[i], "summary"))
            for (int k = 0; k < 3; k++)
                if (!strcmp(name + fl, suffixes[k])) { *type = p->types[i]; return p->families[i]; }
    }
    *type = NULL;
    return NULL;
}

struct label { char *name, *value; };

static int cmp_label(const void *a, const void *b)
{
    return strcmp(((const struct label *)a)->name, ((const struct label *)b)->name);
}

/* Parses {a="x",b="y"} at *s; builds the canonical form. */
static int parse_labels(struct parser *ps, const char **s, char **canon)
{
    struct label ls[32];
    int n = 0;
    const char *q = *s + 1;
    int rc = -1;
    for (;;) {
        if (*q == '}') { q++; break; }
        int ln = label_name_len(q);
        if (!ln) { fail(ps, "bad label name at '%.20s'", q); goto out; }
        if (n == 32) { fail(ps, "too many labels"); goto out; }
        ls[n].name = xstrndup(q, (size_t)ln);
        ls[n].value = NULL;
        n++;
        q += ln;
        if (*q++ != '=' || *q++ != '"') { fail(ps, "expected =\" after label %s", ls[n - 1].name); goto out; }
        size_t cap = 16, len = 0;
        char *v = xrealloc(NULL, cap);
        for (;; q++) {
            if (!*q || *q == '\n') { free(v); fail(ps, "unterminated label value"); goto out; }
            if (*q == '"') { q++; break; }
            char c = *q;
            if (c == '\\') {
                q++;
                if (*q == '\\') c = '\\';
                else if (*q == '"') c = '"';
                else if (*q == 'n') c = '\n';
                else { free(v); fail(ps, "bad escape \\%c in a label value", *q); goto out; }
            }
            if (len + 2 > cap) v = xrealloc(v, cap *= 2);
            v[len++] = c;
        }
        v[len] = 0;
        ls[n - 1].value = v;
        for (int i = 0; i < n - 1; i++)
            if (!strcmp(ls[i].name, ls[n - 1].name)) { fail(ps, "label %s repeated", ls[i].name); goto out; }
        if (*q == ',') { q++; continue; }
        if (*q == '}') { q++; break; }
        fail(ps, "expected , or } after a label");
        goto out;
    }
    qsort(ls, (size_t)n, sizeof ls[0], cmp_label);
    size_t total = 1;
    for (int i = 0; i < n; i++) total += strlen(ls[i].name) + 2 * strlen(ls[i].value) + 5;
    char *c = xrealloc(NULL, total), *w = c;
    for (int i = 0; i < n; i++) {
        w += sprintf(w, "%s%s=\"", i ? "," : "", ls[i].name);
        for (const char *v = ls[i].value; *v; v++) {
            if (*v == '"' || *v == '\\') *w++ = '\\';
            if (*v == '\n') { *w++ = '\\'; *w++ = 'n'; continue; }
            *w++ = *v;
        }
        *w++ = '"';
    }
    *w = 0;
    *canon = c;
    *s = q;
    rc = 0;
out:
    for (int i = 0; i < n; i++) { free(ls[i].name); free(ls[i].value); }
    return rc;
}

static int parse_comment(struct parser *ps, const char *l)
{
    struct prom *p = ps->p;
    bool help = !strncmp(l, "# HELP ", 7), type = !strncmp(l, "# TYPE ", 7);
    if (!help && !type) return 0;                      /* a plain comment */
    const char *q = l + 7;
    int nl = metric_name_len(q);
    if (!nl) return fail(ps, "bad metric name in %s", help ? "HELP" : "TYPE");
    char *name = xstrndup(q, (size_t)nl);
    q += nl;
    if (help) {
        int rc = 0;
        if (*q && *q != ' ') rc = fail(ps, "HELP name not followed by a space");
        for (; *q && !rc; q++)
            if (*q == '\\' && q[1] != '\\' && q[1] != 'n') rc = fail(ps, "bad escape in HELP of %s", name);
            else if (*q == '\\') q++;
        free(name);
        return rc;
    }
    if (*q++ != ' ') { free(name); return fail(ps, "TYPE name not followed by a space"); }
    if (strcmp(q, "counter") && strcmp(q, "gauge") && strcmp(q, "histogram") && strcmp(q, "summary") &&
        strcmp(q, "untyped")) {
        free(name);
        return fail(ps, "unknown TYPE '%s'", q);
    }
    for (size_t i = 0; i < p->n_families; i++)
        if (!strcmp(p->families[i], name)) { free(name); return fail(ps, "second TYPE for %s", p->families[i]); }
    for (size_t i = 0; i < p->n; i++)
        if (!strcmp(p->samples[i].name, name)) {
            int rc = fail(ps, "TYPE of %s after its samples", name);
            free(name);
            return rc;
        }
    p->families = xrealloc(p->families, sizeof *p->families * (p->n_families + 1));
    p->types = xrealloc(p->types, sizeof *p->types * (p->n_families + 1));
    p->families[p->n_families] = name;
    p->types[p->n_families++] = xstrndup(q, strlen(q));
    return 0;
}

static int parse_sample(struct parser *ps, const char *l)
{
    struct prom *p = ps->p;
    int nl = metric_name_len(l);
    if (!nl) return fail(ps, "bad metric name at '%.20s'", l);
    char *name = xstrndup(l, (size_t)nl), *labels = NULL;
    const char *q = l + nl;
    if (*q == '{' && parse_labels(ps, &q, &labels)) { free(name); return -1; }
    if (!labels) labels = xstrndup("", 0);
    int rc = 0;
    if (*q != ' ') { rc = fail(ps, "expected a space before the value of %s", name); goto out; }
    while (*q == ' ') q++;
    const char *v = q;
    while (*q && *q != ' ') q++;
    double value;
    if (parse_value(v, (size_t)(q - v), &value)) { rc = fail(ps, "bad value '%.*s'", (int)(q - v), v); goto out; }
    if (*q == ' ') {                                  /* optional timestamp: an integer */
        q++;
        const char *t = q;
        if (*q == '-') q++;
        while (isdigit((unsigned char)*q)) q++;
        if (q == t || *q) { rc = fail(ps, "bad timestamp '%s'", t); goto out; }
    }
    const char *type;
    const char *fam = family_of(p, name, &type);
    const char *fam_key = fam ? fam : name;
    if (!ps->current_family || strcmp(ps->current_family, fam_key)) {
        for (size_t i = 0; i < ps->n_closed; i++)
            if (!strcmp(ps->closed[i], fam_key)) { rc = fail(ps, "samples of %s are not contiguous", fam_key); goto out; }
        if (ps->current_family) {
            ps->closed = xrealloc(ps->closed, sizeof *ps->closed * (ps->n_closed + 1));
            ps->closed[ps->n_closed++] = ps->current_family;
        }
        ps->current_family = xstrndup(fam_key, strlen(fam_key));
    }
    if (type && !strcmp(type, "counter") && !(value >= 0)) { rc = fail(ps, "counter %s is %g", name, value); goto out; }
    if (type && !strcmp(type, "histogram") && !strcmp(name, fam)) {
        rc = fail(ps, "histogram %s has a sample without _bucket/_sum/_count", name);
        goto out;
    }
    for (size_t i = 0; i < p->n; i++)
        if (!strcmp(p->samples[i].name, name) && !strcmp(p->samples[i].labels, labels)) {
            rc = fail(ps, "duplicate series %s{%s}", name, labels);
            goto out;
        }
    p->samples = xrealloc(p->samples, sizeof *p->samples * (p->n + 1));
    p->samples[p->n++] = (struct prom_sample){name, labels, value};
    return 0;
out:
    free(name);
    free(labels);
    return rc;
}

/* Removes le="..." from canonical labels; returns its value text in le (malloc'ed) or NULL. */
static char *strip_le(const char *labels, char **le)
{
    *le = NULL;
    char *out = xstrndup(labels, strlen(labels));
    char *at = strstr(out, "le=\"");
    while (at && at != out && at[-1] != ',') at = strstr(at + 1, "le=\"");
    if (!at) return out;
    char *end = strchr(at + 4, '"');
    *le = xstrndup(at + 4, (size_t)(end - at - 4));
    char *after = end + 1;
    if (*after == ',') after++;
    else if (at != out) at--;                          /* drop the comma before it */
    memmove(at, after, strlen(after) + 1);
    return out;
}

/* Checks every histogram series: buckets ascending to +Inf, cumulative, _count = +Inf. */
static int check_histograms(struct parser *ps)
{
    struct prom *p = ps->p;
    ps->line = 0;
    for (size_t f = 0; f < p->n_families; f++) {
        if (strcmp(p->types[f], "histogram")) continue;
        const char *fam = p->families[f];
        char bucket[300], sum[300], count[300];
        snprintf(bucket, sizeof bucket, "%s_bucket", fam);
        snprintf(sum, sizeof sum, "%s_sum", fam);
        snprintf(count, sizeof count, "%s_count", fam);
        for (size_t i = 0; i < p->n; i++) {
            if (strcmp(p->samples[i].name, count)) continue;
            const char *series = p->samples[i].labels;
            double prev_le = -INFINITY, prev_c = 0, inf_c = -1;
            int buckets = 0;
            for (size_t k = 0; k < p->n; k++) {
                if (strcmp(p->samples[k].name, bucket)) continue;
                char *le;
                char *rest = strip_le(p->samples[k].labels, &le);
                int mine = !strcmp(rest, series);
                free(rest);
                if (!mine) { free(le); continue; }
                if (!le) return fail(ps, "%s{%s} bucket without le", bucket, series);
                double b;
                int bad = parse_value(le, strlen(le), &b);
                free(le);
                if (bad) return fail(ps, "%s{%s}: bad le", bucket, series);
                if (!(b > prev_le)) return fail(ps, "%s{%s}: le not ascending (%g after %g)", bucket, series, b, prev_le);
                if (p->samples[k].value < prev_c) return fail(ps, "%s{%s}: bucket counts decrease at le=%g", bucket, series, b);
                prev_le = b;
                prev_c = p->samples[k].value;
                if (isinf(b)) inf_c = p->samples[k].value;
                buckets++;
            }
            if (!buckets || !isinf(prev_le)) return fail(ps, "%s{%s}: no +Inf bucket", bucket, series);
            if (inf_c != p->samples[i].value)
                return fail(ps, "%s{%s} is %g but its +Inf bucket is %g", count, series, p->samples[i].value, inf_c);
            int found;
            prom_value(p, sum, series, &found);
            if (!found) return fail(ps, "%s{%s} has no _sum", fam, series);
        }
        /* every bucket series has a _count */
        for (size_t k = 0; k < p->n; k++) {
            if (strcmp(p->samples[k].name, bucket)) continue;
            char *le;
            char *rest = strip_le(p->samples[k].labels, &le);
            free(le);
            int found;
            prom_value(p, count, rest, &found);
            if (!found) { int rc = fail(ps, "%s{%s} has buckets but no _count", fam, rest); free(rest); return rc; }
            free(rest);
        }
    }
    return 0;
}

struct prom *prom_parse(const char *text, char *err, size_t errlen)
{
    struct prom *p = calloc(1, sizeof *p);
    if (!p) abort();
    struct parser ps = {.p = p, .err = err, .errlen = errlen};
    int rc = 0;
    const char *s = text;
    while (*s && !rc) {
        ps.line++;
        const char *e = strchr(s, '\n');
        if (!e) { rc = fail(&ps, "the last line has no newline"); break; }
        char *l = xstrndup(s, (size_t)(e - s));
        if (!*l) { /* blank line */ }
        else if (*l == '#') rc = parse_comment(&ps, l);
        else rc = parse_sample(&ps, l);
        free(l);
        s = e + 1;
    }
    if (!rc) rc = check_histograms(&ps);
    free(ps.current_family);
    for (size_t i = 0; i < ps.n_closed; i++) free(ps.closed[i]);
    free(ps.closed);
    if (rc) { prom_free(p); return NULL; }
    return p;
}

void prom_free(struct prom *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->n; i++) { free(p->samples[i].name); free(p->samples[i].labels); }
    for (size_t i = 0; i < p->n_families; i++) { free(p->families[i]); free(p->types[i]); }
    free(p->samples);
    free(p->families);
    free(p->types);
    free(p);
}

double prom_value(const struct prom *p, const char *name, const char *labels, int *found)
{
    for (size_t i = 0; i < p->n; i++)
        if (!strcmp(p->samples[i].name, name) && !strcmp(p->samples[i].labels, labels)) {
            if (found) *found = 1;
            return p->samples[i].value;
        }
    if (found) *found = 0;
    return -1;
}

const char *prom_type(const struct prom *p, const char *family)
{
    for (size_t i = 0; i < p->n_families; i++)
        if (!strcmp(p->families[i], family)) return p->types[i];
    return NULL;
}

double prom_sum(const struct prom *p, const char *name, const char *contains)
{
    double s = 0;
    for (size_t i = 0; i < p->n; i++)
        if (!strcmp(p->samples[i].name, name) && strstr(p->samples[i].labels, contains)) s += p->samples[i].value;
    return s;
}
