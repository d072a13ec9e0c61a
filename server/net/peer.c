/* peer.c — see peer.h. */
#include "net/peer.h"

#include "core/config.h"

void peer_address(struct lws *wsi, const struct config *cfg, char *out, size_t len)
{
    char peer[64], xff[256];
    lws_get_peer_simple(wsi, peer, sizeof peer);
    /* A header longer than the buffer is refused by lws_hdr_copy (-1): then the peer counts. */
    bool has_xff = cfg->n_trusted_proxies && lws_hdr_copy(wsi, xff, sizeof xff, WSI_TOKEN_X_FORWARDED_FOR) > 0;
    config_client_address(cfg, peer, has_xff ? xff : NULL, out, len);
}
