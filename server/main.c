/* main.c — flags/env -> config -> app_run(); nothing else. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "app_run.h"
#include "core/config.h"
#include "util/log.h"

static const char *env(const char *name) { return getenv(name); }

int main(int argc, char **argv)
{
    struct config cfg;
    char err[512], host[256] = "";
    gethostname(host, sizeof host - 1);
    if (config_parse(&cfg, argc, argv, env, host, (long)getpid(), err, sizeof err)) {
        fprintf(stderr, "boothd: %s\n", err);
        config_free(&cfg);
        return 2;
    }
    if (cfg.help) {
        fputs(config_usage(), stdout);
        config_free(&cfg);
        return 0;
    }
    config_default_origins(&cfg);
    log_threshold = cfg.log_level;
    signal(SIGPIPE, SIG_IGN);   /* a peer that vanished must not kill the process */
    int code = app_run(&cfg);
    config_free(&cfg);
    return code;
}
