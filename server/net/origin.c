/* origin.c — see origin.h. */
#include "net/origin.h"

#include "core/config.h"

bool origin_allowed(struct lws *wsi, const struct config *cfg)
{
    char origin[256], host[256];
    int ol = lws_hdr_copy(wsi, origin, sizeof origin, WSI_TOKEN_ORIGIN);
    if (ol <= 0) return lws_hdr_total_length(wsi, WSI_TOKEN_ORIGIN) == 0;
    if (lws_hdr_copy(wsi, host, sizeof host, WSI_TOKEN_HOST) <= 0) host[0] = 0;
    return config_origin_allowed(cfg, origin, host);
}
