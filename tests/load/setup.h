/* setup.h — prepares the visitors and booths of a run directly in PostgreSQL (blocking
 * libpq; runs in the coordinator before any worker starts, never on an event loop).
 *
 * Passwords are argon2id and deliberately slow, so load visitors never log in: setup
 * creates accounts load-v<i>@load.invalid (i = first .. first+count-1; kept across runs)
 * and, for each, a fresh session token = secret + i as 10 digits (43 characters of the
 * token alphabet), stored like boothd stores tokens (sha256 as bytea, valid for a day).
 * Older tokens of those accounts are deleted. The secret is random per run.
 * Booths: if the database has fewer than `booths`, booths load-b<k> of a company
 * "Load Test Co" are added; the run uses the first `booths` booths by id (the demo
 * expo's booths first when it is loaded).
 * Never point this at a database whose data matters: it writes accounts and tokens. */
#ifndef LOAD_SETUP_H
#define LOAD_SETUP_H

#include <stddef.h>
#include <stdint.h>

/* Fills secret (LOAD_SECRET_LEN chars) from the kernel's random source. */
void setup_new_secret(char *secret);
/* Returns 0 and a malloc'd array of `booths` booth ids, or -1 with err filled. */
int setup_run(const char *conninfo, int first, int count, const char *secret, int booths,
              int64_t **booth_ids, char *err, size_t errlen);
/* Makes accounts first .. first+count-1 organizers (the dashboards of --dashboards) and the
 * others visitors again. Returns 0, or -1 with err filled. */
int setup_organizers(const char *conninfo, int first, int all, int count, char *err, size_t errlen);

/* Who holds the sessions: {"<node id>": sessions inside booths, ...} from the presence
 * table, as JSON text (malloc'd; free it), or NULL on an error. With several boothd processes
 * on one port (SO_REUSEPORT) this is the only way to see how the kernel spread them. */
char *setup_sessions_by_node(const char *conninfo);

#endif
