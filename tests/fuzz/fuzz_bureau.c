/* eimza — libFuzzer driver: the card bureau's answer file (app/card_file.c, as `eimza bureau
 * import` reads it; the checks are in cardfile.h). */
#include "cardfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_cardfile(APP_CARDFILE_ANSWER, data, size);
}
