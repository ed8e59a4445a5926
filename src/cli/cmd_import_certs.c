/* eimza — `eimza import certificates` (placeholder until its implementation lands). */
#include "cli/cli.h"

int cli_import_certificates(int argc, char **argv)
{
    (void)argc;
    cli_error("'import %s' is not implemented yet", argv[0]);
    return CLI_FAIL;
}
