/* visit.h — the shared fixture of the integration tests of the visitor-facing domains
 * (it_auth, it_hall, it_booth, it_chat, it_presence, it_limits): a cluster and up to two boothd
 * nodes with the demo expo, signed-in users, booths from the hall, and checks of chat
 * messages and presence counts. */
#ifndef IT_VISIT_H
#define IT_VISIT_H

#include "expo.h"
#include "harness.h"
#include "wsclient.h"

#define PW "correct horse 42"
#define DEMO_PW "demo1234"
#define CHAT_GAP_MS 600

extern struct pg_cluster pg;
extern struct boothd na, nb;

struct user {
    char email[128];
    char token[512];
    char id[64];        /* JSON text of user.id */
    char name[128];
    char role[32];
};

struct booth {
    char id[64];            /* JSON text of the id, usable in requests as is */
    char slug[96];
    char name_en[256];
    char name_ko[256];
    char category[256];     /* JSON text usable as the hall.list category filter */
};

void up(int nodes);
/* As up(), every node started with the extra boothd flags (NULL-terminated; may be NULL). */
void up_with(int nodes, const char *const *extra_args);
void fill_user(struct user *u, const cJSON *user);
void do_register(struct expo *c, struct user *u, const char *name, const char *email);
void do_login(struct expo *c, struct user *u, const char *email, const char *pw);
void do_resume(struct expo *c, const struct user *u);
void visitor(struct expo *c, struct user *u, int port, const char *name);
void booth_from(struct booth *b, const cJSON *j);
void hall_booth(struct expo *c, int index, struct booth *b);
cJSON *hall_entry(struct expo *c, const struct booth *b);
void check_hall_counts(struct expo *c, const struct booth *b, int visitors, int staff);
void wait_sql_count(const char *sql, long want);
int same_id(const cJSON *v, const char *id_text);
const char *sql_id(const char *json_id);
cJSON *enter(struct expo *c, const struct booth *b);
long long enter_last_seq(struct expo *c, const struct booth *b);
/* The set-up of most chat tests: two new visitors (a on port_a, b on port_b), both inside the
 * hall's booth number booth_index (into *x). Returns the booth's last_seq when a entered. */
long long two_in_booth(struct expo *a, struct user *ua, const char *name_a, int port_a,
                       struct expo *b, struct user *ub, const char *name_b, int port_b,
                       int booth_index, struct booth *x);
/* Reads what arrived within 100 ms and drops every event so far (replies stay). */
void forget_events(struct expo *c);
void wait_presence_at(const char *file, int line, struct expo *c, const struct booth *b, int visitors, int staff, int timeout_ms);
long long check_message_at(const char *file, int line, const cJSON *m, const struct booth *b, const struct user *author, const char *text);
cJSON *send_ok_at(const char *file, int line, struct expo *c, const struct booth *b, const char *text, const char *cmid);
void collect_chat_at(const char *file, int line, struct expo *c, const struct booth *b, int n, long long *seqs,
                     char (*ids)[64], int timeout_ms);

#define WAIT_PRESENCE(c, b, v, s, ms) wait_presence_at(__FILE__, __LINE__, (c), (b), (v), (s), (ms))
#define CHECK_MESSAGE(m, b, author, text) check_message_at(__FILE__, __LINE__, (m), (b), (author), (text))
#define SEND_OK(c, b, text, cmid) send_ok_at(__FILE__, __LINE__, (c), (b), (text), (cmid))
#define COLLECT_CHAT(c, b, n, seqs, ids, ms) collect_chat_at(__FILE__, __LINE__, (c), (b), (n), (seqs), (ids), (ms))

#endif
