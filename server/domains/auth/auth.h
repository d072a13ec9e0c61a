/* auth.h — the auth domain: auth.register, auth.login, auth.resume, auth.logout, and the
 * closing of every node's sessions that hold a revoked token (NOTIFY AUTH_REVOKE_CHANNEL
 * '<token hash hex>'). */
#ifndef BOOTHD_AUTH_H
#define BOOTHD_AUTH_H

#include "core/domain.h"

#define AUTH_REVOKE_CHANNEL "boothd_revoke"

extern const struct domain auth_domain;

#endif
