/* demo_people.h — signing in as the demo expo's people (server/db/demo.sql, password
 * DEMO_PASSWORD) and finding its booths, for tests that act as visitors, staff and organizers.
 * Every helper fails the test when the demo does not have what it asks for. */
#ifndef IT_DEMO_PEOPLE_H
#define IT_DEMO_PEOPLE_H

#include "expo.h"

#define DEMO_PASSWORD "demo1234"

/* A signed-in connection (or, with demo_anon, one that is not signed in). */
struct person {
    struct expo c;
    char email[160];
    char token[128];
    long long id;           /* accounts.id */
};

/* Connects to port and signs in as email; label names the client in logs. */
void demo_login(struct person *p, int port, const char *email, const char *label);
/* The same on a bare connection, for tests that keep only the connection (the organizer
 * console's: it_organizer, it_setup). */
void demo_sign_in(struct expo *c, int port, const char *email, const char *label);
/* Connects without signing in. */
void demo_anon(struct person *p, int port, const char *label);
void demo_logout(struct person *p);              /* closes the connection */
/* "staff@<slug>.demo.expo" into out. */
const char *demo_staff_email(const char *slug, char *out, size_t n);
/* The id of the booth with that slug. */
long long demo_booth_id(const char *db_url, const char *slug);

#endif
