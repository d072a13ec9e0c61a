/* chat.h — the chat domain: chat.send (through the group-commit batcher, chat_batch.h) and
 * chat.history; live delivery to this node's rooms (chat_feed.h) from its own commits and
 * from NOTIFY CHAT_CHANNEL. Its feed is offered to the booth domain as app->chat_feed. */
#ifndef BOOTHD_CHAT_H
#define BOOTHD_CHAT_H

#include "core/domain.h"

extern const struct domain chat_domain;

#endif
