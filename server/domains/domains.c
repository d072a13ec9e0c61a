/* domains.c — the domain table the app walks (core/domain.h).
 *
 * Adding a domain: create its folder under server/domains/ with a file that defines
 * `const struct domain <name>_domain` (its routes, NOTIFY channels and hooks), then add its
 * name to DOMAINS below. Nothing else changes: CMake picks up the folder's .c files, the app
 * merges the routes (two domains claiming one message type stop the start) and LISTENs on
 * the channels.
 *
 * Order is the order of create, start and the session-gone hooks (stop and destroy run in
 * reverse): a domain whose create() offers a service to others (presence, chat) comes
 * before the domains that call it at start. */
#include "core/domain.h"

#define DOMAINS(X) X(sys) X(auth) X(presence) X(chat) X(booth) X(hall) X(meetings) X(leads) X(analytics) X(files) X(media) X(exhibitor) X(metrics) X(organizer) X(inquiries)

#define DECLARE(name) extern const struct domain name##_domain;
DOMAINS(DECLARE)

#define ENTRY(name) &name##_domain,
const struct domain *const domains[] = {DOMAINS(ENTRY)};
const size_t n_domains = sizeof domains / sizeof domains[0];
