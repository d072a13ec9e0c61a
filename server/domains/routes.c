/* routes.c — the routing table: type, handler, roles allowed, rate class.
 * Keep it sorted by type (app_run checks at start). Until a session is signed in, only
 * auth.*, sys.ping, hall.list and booth.get are open to it. */
#include "core/dispatch.h"
#include "domains/handlers.h"
#include "core/request.h"

const struct route routes[] = {
    {"auth.login", handle_auth_login, ROLES_ANYONE, RATE_AUTH},
    {"auth.logout", handle_auth_logout, ROLES_ANYONE, RATE_DEFAULT},
    {"auth.register", handle_auth_register, ROLES_ANYONE, RATE_AUTH},
    {"auth.resume", handle_auth_resume, ROLES_ANYONE, RATE_DEFAULT},
    {"booth.enter", handle_booth_enter, ROLES_SIGNED_IN, RATE_DEFAULT},
    {"booth.get", handle_booth_get, ROLES_ANYONE, RATE_DEFAULT},
    {"booth.leave", handle_booth_leave, ROLES_SIGNED_IN, RATE_DEFAULT},
    {"chat.history", handle_chat_history, ROLES_SIGNED_IN, RATE_DEFAULT},
    {"chat.send", handle_chat_send, ROLES_SIGNED_IN, RATE_CHAT},
    {"hall.list", handle_hall_list, ROLES_ANYONE, RATE_DEFAULT},
    {"meeting.availability.set", handle_meeting_availability_set, ROLE_EXHIBITOR, RATE_DEFAULT},
    {"meeting.cancel", handle_meeting_cancel, ROLES_SIGNED_IN, RATE_DEFAULT},
    {"meeting.list", handle_meeting_list, ROLES_SIGNED_IN, RATE_DEFAULT},
    {"meeting.request", handle_meeting_request, ROLE_VISITOR, RATE_DEFAULT},
    {"meeting.respond", handle_meeting_respond, ROLE_EXHIBITOR, RATE_DEFAULT},
    {"meeting.slots", handle_meeting_slots, ROLES_SIGNED_IN, RATE_DEFAULT},
    {"sys.ping", handle_sys_ping, ROLES_ANYONE, RATE_DEFAULT},
};
const size_t n_routes = sizeof routes / sizeof routes[0];
