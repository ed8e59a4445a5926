/* eimza — the agent's non-interactive way of asking (sign/platform.h, sign_ui_batch): the PIN
 * from a file descriptor, the text of the request on stderr. For scripts and the tests; the
 * desktop's handler never uses it. */
#include <stdio.h>

#include "core/catalogue.h"
#include "sign/platform.h"

static void sign_batch_show(const struct sign_pin_request *req)
{
    if (req->purpose)
        fprintf(stderr, "eimza agent: «%s» (%s): %s\n", req->token->label, req->token->model,
                req->purpose);
    if (req->warning) {
        const char *label = core_text("agent.batch_warning", CORE_LANG_TR);
        fprintf(stderr, "eimza agent: %s: %s\n", label ? label : "!", req->warning);
    }
}

static enum sign_err sign_batch_pin(void *arg, const struct sign_pin_request *req, char *pin,
                                    size_t cap)
{
    sign_batch_show(req);
    return sign_pin_from_fd(arg, req, pin, cap);
}

static enum sign_err sign_batch_confirm(void *arg, const struct sign_pin_request *req)
{
    (void)arg;
    sign_batch_show(req);
    return SIGN_OK;
}

void sign_ui_batch(struct sign_ui *ui, int *pin_fd)
{
    ui->ask_pin = sign_batch_pin;
    ui->pin_arg = pin_fd;
    ui->confirm = sign_batch_confirm;
    ui->confirm_arg = NULL;
    ui->message = NULL;
    ui->message_arg = NULL;
}
