/* eimza — `eimza serve` (placeholder until its implementation lands). */
#include "cli/cli.h"

int cli_cmd_serve(int argc, char **argv)
{
    (void)argc;
    cli_error("'%s' is not implemented yet", argv[0]);
    return CLI_FAIL;
}
