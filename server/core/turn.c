/* turn.c — see turn.h. */
#include "core/turn.h"

static void on_check(uv_check_t *c)
{
    struct turn_end *t = c->data;
    uv_check_stop(c);
    t->fn(t->arg);
}

void turn_end_init(struct turn_end *t, uv_loop_t *loop, turn_fn fn, void *arg)
{
    *t = (struct turn_end){.fn = fn, .arg = arg};
    uv_check_init(loop, &t->check);
    t->check.data = t;
    uv_unref((uv_handle_t *)&t->check);
}

void turn_end_request(struct turn_end *t)
{
    if (!uv_is_active((uv_handle_t *)&t->check)) uv_check_start(&t->check, on_check);
}

static void on_check_closed(uv_handle_t *h)
{
    struct turn_end *t = h->data;
    t->on_closed(t->arg);
}

void turn_end_close(struct turn_end *t, turn_fn on_closed)
{
    t->on_closed = on_closed;
    uv_close((uv_handle_t *)&t->check, on_check_closed);
}
