/* addrcount.h — counts open connections per remote address (string key). Pure.
 * Open hashing with chaining; entries are removed when their count drops to zero. */
#ifndef BOOTHD_ADDRCOUNT_H
#define BOOTHD_ADDRCOUNT_H

struct addrcount;

struct addrcount *addrcount_new(void);
void addrcount_free(struct addrcount *a);
/* Returns the count after incrementing. */
int addrcount_inc(struct addrcount *a, const char *addr);
/* Returns the count after decrementing (never below 0). */
int addrcount_dec(struct addrcount *a, const char *addr);
int addrcount_get(const struct addrcount *a, const char *addr);

#endif
