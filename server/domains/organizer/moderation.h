/* moderation.h — bans and the audit log (moderation.c): the organizer domain's handlers and
 * what a notification on BAN_CHANNEL does on this node. */
#ifndef BOOTHD_MODERATION_H
#define BOOTHD_MODERATION_H

struct app;
struct request;

void moderation_handle_ban(struct request *r);
void moderation_handle_unban(struct request *r);
void moderation_handle_bans(struct request *r);
void moderation_handle_audit(struct request *r);
void moderation_handle_hide(struct request *r);

/* payload "<booth id>:<seq>": sends chat.hidden to the booth's members on this node. */
void moderation_on_hide_notify(struct app *app, const char *payload);

/* payload "<account id>": closes that account's sessions on this node. */
void moderation_on_ban_notify(struct app *app, const char *payload);

#endif
