/* eimza — renewal of qualified e-signature certificates. The program's entry point: only
 * main decides to exit; everything else returns errors (src/cli/). */
#include <locale.h>

#include "cli/cli.h"

int main(int argc, char **argv)
{
    setlocale(LC_CTYPE, "C.UTF-8");
    return cli_main(argc, argv);
}
