/* handlers.h — every message handler, one file per domain. Each takes a request and ends
 * it with request_ok() or request_error() (now or from a database callback). */
#ifndef BOOTHD_HANDLERS_H
#define BOOTHD_HANDLERS_H

#include <stdint.h>

struct request;
struct app;
struct session;

/* sys.c */
void handle_sys_ping(struct request *r);
/* auth.c */
void handle_auth_register(struct request *r);
void handle_auth_login(struct request *r);
void handle_auth_resume(struct request *r);
void handle_auth_logout(struct request *r);
void auth_on_revoke(const char *token_hash_hex);
unsigned role_from_text(const char *role);
/* hall.c */
void handle_hall_list(struct request *r);
/* booth.c */
void handle_booth_get(struct request *r);
void handle_booth_enter(struct request *r);
void handle_booth_leave(struct request *r);
void booth_leave_local(struct app *app, struct session *s, int64_t booth_id);
/* chat.c */
void handle_chat_send(struct request *r);
void handle_chat_history(struct request *r);

/* meetings.c */
void handle_meeting_availability_set(struct request *r);
void handle_meeting_slots(struct request *r);
void handle_meeting_request(struct request *r);
void handle_meeting_respond(struct request *r);
void handle_meeting_cancel(struct request *r);
void handle_meeting_list(struct request *r);
void meeting_on_notify(struct app *app, const char *payload);

#endif
