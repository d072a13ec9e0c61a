/* addrcount.c — see addrcount.h. */
#include "util/addrcount.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BUCKETS 4096

struct entry {
    struct entry *next;
    int count;
    char addr[];
};

struct addrcount {
    struct entry *b[BUCKETS];
};

static unsigned hash(const char *s)
{
    uint32_t h = 2166136261u;                 /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h % BUCKETS;
}

struct addrcount *addrcount_new(void)
{
    struct addrcount *a = calloc(1, sizeof *a);
    if (!a) abort();
    return a;
}

void addrcount_free(struct addrcount *a)
{
    if (!a) return;
    for (int i = 0; i < BUCKETS; i++)
        for (struct entry *e = a->b[i], *n; e; e = n) { n = e->next; free(e); }
    free(a);
}

static struct entry **find(struct addrcount *a, const char *addr)
{
    struct entry **p = &a->b[hash(addr)];
    while (*p && strcmp((*p)->addr, addr)) p = &(*p)->next;
    return p;
}

int addrcount_inc(struct addrcount *a, const char *addr)
{
    struct entry **p = find(a, addr);
    if (!*p) {
        size_t l = strlen(addr) + 1;
        struct entry *e = calloc(1, sizeof *e + l);
        if (!e) abort();
        memcpy(e->addr, addr, l);
        *p = e;
    }
    return ++(*p)->count;
}

int addrcount_dec(struct addrcount *a, const char *addr)
{
    struct entry **p = find(a, addr);
    if (!*p) return 0;
    int c = --(*p)->count;
    if (c <= 0) {
        struct entry *e = *p;
        *p = e->next;
        free(e);
        return 0;
    }
    return c;
}

int addrcount_get(const struct addrcount *a, const char *addr)
{
    struct entry **p = find((struct addrcount *)a, addr);
    return *p ? (*p)->count : 0;
}
