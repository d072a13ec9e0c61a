/* ex_fixture.h — what the exhibitor integration tests (it_exhibitor.c, it_authz_exhibitor.c)
 * share: a cluster with the demo expo and one or two boothd nodes, signed-in connections of
 * the demo's people, booth picks, and a digest of every table the exhibitor domain writes, to
 * assert that a refused request changed nothing. */
#ifndef IT_EX_FIXTURE_H
#define IT_EX_FIXTURE_H

#include "expo.h"
#include "harness.h"

#define EX_DEMO_PW "demo1234"

extern struct pg_cluster ex_pg;
extern struct boothd ex_a, ex_b;

/* Starts the cluster and `nodes` (1 or 2) boothd nodes with --demo (node-a, node-b). */
void ex_up(int nodes);

/* Stops the nodes with SIGTERM and checks each exited 0: a clean stop, and under ASan no leak
 * (LeakSanitizer would make the exit status non-zero). */
void ex_down(void);

struct ex_user {
    struct expo c;
    long long id;
    char email[160];
    char token[128];
    char role[32];
};

/* Connects to port; signs in with the demo password unless email is NULL (then anonymous). */
void ex_login(struct ex_user *u, int port, const char *email, const char *label);

struct ex_booth {
    long long id;
    char slug[96];
    char staff_email[160];
};

/* The n-th demo booth by id (0-based). */
void ex_pick_booth(struct ex_booth *b, int n);

/* md5 of booths, companies, products, booth_staff, booth_invites and accounts' roles, in a
 * stable order: equal digests mean none of them changed. */
char *ex_digest(void);

/* The single text value of a query (free it). */
char *ex_sql(const char *fmt, ...) IT_PRINTF(1, 2);
long ex_sql_long(const char *fmt, ...) IT_PRINTF(1, 2);

/* The reply's error.code (ok:false expected; fails otherwise). Static buffer. */
const char *ex_error_code(const cJSON *reply);

#endif
