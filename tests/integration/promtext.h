/* promtext.h — a parser of the Prometheus text exposition format 0.0.4, for the tests of
 * /metrics. What it checks, line by line: the grammar of "# HELP name text" (escapes \\ and
 * \n only), "# TYPE name counter|gauge|histogram|summary|untyped" (at most once per family,
 * before its samples), samples "name{label="value",...} value [timestamp]" (metric and label
 * names, label value escapes \\ \" \n, Go float syntax incl. +Inf/-Inf/NaN), no duplicate
 * series, each family's samples contiguous, counters not negative; and for histograms: every
 * series has _bucket lines with `le` strictly ascending ending at +Inf, cumulative counts
 * never decreasing, and _sum and _count with _count equal to the +Inf bucket.
 *
 * Ownership: prom_parse() returns a heap object the caller frees with prom_free(). */
#ifndef IT_PROMTEXT_H
#define IT_PROMTEXT_H

#include <stddef.h>

struct prom_sample {
    char *name;                 /* full sample name, e.g. foo_bucket */
    char *labels;               /* canonical: name="value" pairs sorted by name, comma-joined; "" for none */
    double value;
};

struct prom {
    struct prom_sample *samples;
    size_t n;
    char **families, **types;   /* family name and its TYPE */
    size_t n_families;
};

/* Parses text. On success returns the exposition; on the first violation returns NULL and
 * writes "line N: reason" into err. */
struct prom *prom_parse(const char *text, char *err, size_t errlen);
void prom_free(struct prom *p);

/* The value of the sample with this name and canonical labels, or -1 (and *found = 0). */
double prom_value(const struct prom *p, const char *name, const char *labels, int *found);
/* The TYPE of a family, or NULL. */
const char *prom_type(const struct prom *p, const char *family);
/* Sum of every sample named `name` whose canonical labels contain `contains` ("" = all). */
double prom_sum(const struct prom *p, const char *name, const char *contains);

#endif
