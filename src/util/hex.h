/* eimza — a hexadecimal digit's value: the one decoder of %HH escapes and hex text for every
 * layer (the form bodies, the signing link, a SQLite URI's path). */
#ifndef EIMZA_UTIL_HEX_H
#define EIMZA_UTIL_HEX_H

/* The value of the hexadecimal digit c (0-9, a-f, A-F), or -1 for any other character. */
static inline int uhex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

#endif
