/* eimza — benchmark tool: in-house cards made one after the other with the ca/ engine, as an
 * operator's production run will (the engine opened once, then for each blank card, named by
 * its serial: key pair on the card, NES certificate signed by the CA token, certificate on the
 * card, new PIN and PUK), each card interleaved with the baseline: one `pkcs11-tool
 * --keypairgen` of the same key type on a token of its own, run as the command it is and
 * timed around its process. Interleaving card by card puts the load of a shared machine on
 * both sides alike; RSA key generation's own spread (the prime search) is what CARDS averages.
 * Every card and every baseline key must be made, or the tool fails. bench/card_production.sh
 * runs it.
 *
 *   bench-card-production MODULE CA_PIN_FILE rsa|ec COUNT BASELINE_CONF
 * SOFTHSM2_CONF names the token directory holding the demo CA token ("eimza-demo-ca") and at
 * least COUNT blank cards (scripts/demo-token.sh --blank); BASELINE_CONF is the SoftHSM2
 * configuration of the baseline's tokens, labelled base-KIND-0 .. base-KIND-(COUNT-1), user
 * PIN 000000. Prints "open S cards N seconds S baseline N seconds S".
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ca/ca.h"

#define BENCH_MAX_CARDS 512

extern char **environ;

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One baseline key pair: pkcs11-tool with SOFTHSM2_CONF=conf, its output discarded. Returns
 * its wall time in seconds, or -1. */
static double baseline_key(const char *module, const char *conf, const char *kind, long i)
{
    char label[64], env[600];
    snprintf(label, sizeof label, "base-%s-%ld", kind, i);
    snprintf(env, sizeof env, "SOFTHSM2_CONF=%s", conf);
    char *argv[] = {"pkcs11-tool",
                    "--module",
                    (char *)module,
                    "--token-label",
                    label,
                    "--login",
                    "--pin",
                    "000000",
                    "--keypairgen",
                    "--key-type",
                    strcmp(kind, "ec") == 0 ? "EC:prime256v1" : "rsa:2048",
                    "--id",
                    "01",
                    "--label",
                    "key",
                    "--usage-sign",
                    NULL};
    char *envp[] = {env, "PATH=/usr/bin:/bin", NULL};
    posix_spawn_file_actions_t fa;
    pid_t pid;
    int st = 0;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    double t0 = mono();
    int rc = posix_spawnp(&pid, "pkcs11-tool", &fa, NULL, argv, envp);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        return -1;
    return mono() - t0;
}

int main(int argc, char **argv)
{
    static char serials[BENCH_MAX_CARDS][17];
    char pin[128] = "";
    struct ca_status st;
    struct ca *ca = NULL;
    size_t n = 0;
    double cards = 0, base = 0;
    int rc = 1;

    if (argc != 6 || (strcmp(argv[3], "rsa") != 0 && strcmp(argv[3], "ec") != 0)) {
        fprintf(stderr,
                "usage: bench-card-production MODULE CA_PIN_FILE rsa|ec COUNT BASELINE_CONF\n");
        return 2;
    }
    long want = strtol(argv[4], NULL, 10);
    FILE *fp = fopen(argv[2], "r");
    if (want < 1 || want > BENCH_MAX_CARDS || !fp || !fgets(pin, sizeof pin, fp)) {
        fprintf(stderr, "bench-card-production: bad COUNT or unreadable %s\n", argv[2]);
        if (fp)
            fclose(fp);
        return 2;
    }
    fclose(fp);
    pin[strcspn(pin, "\r\n")] = '\0';
    struct ca_config c = {
        .ca_module = argv[1],
        .ca_token_label = "eimza-demo-ca",
        .ca_key_label = "kurum-nes",
        .ca_pin = pin,
        .transport_pin = "000000",
        .transport_so_pin = "00000000",
        .ocsp_url = "http://127.0.0.1:8081/kurum/ocsp",
        .crl_url = "http://127.0.0.1:8081/kurum/kurum.crl",
    };
    double t_open = mono();
    enum ca_err e = ca_open(&c, &ca, &st);
    t_open = mono() - t_open;
    memset(pin, 0, sizeof pin);
    if (e != CA_OK) {
        fprintf(stderr, "bench-card-production: ca_open: %s (%s)\n", ca_err_code(e), st.detail);
        return 1;
    }
    if ((e = ca_blank_cards(ca, serials, BENCH_MAX_CARDS, &n, &st)) != CA_OK || n < (size_t)want) {
        fprintf(stderr, "bench-card-production: %zu blank cards for %ld (%s)\n", n, want,
                ca_err_code(e));
        goto out;
    }
    for (long i = 0; i < want; i++) {
        double b = baseline_key(argv[1], argv[5], argv[3], i);
        if (b < 0) {
            fprintf(stderr, "bench-card-production: pkcs11-tool failed on base-%s-%ld\n", argv[3],
                    i);
            goto out;
        }
        base += b;
        struct ca_holder h = {"10000000146",
                              "DENEME KİŞİ",
                              3,
                              0,
                              strcmp(argv[3], "ec") == 0 ? CA_KEY_EC_P256 : CA_KEY_RSA2048,
                              serials[i]};
        struct ca_issued out;
        double t0 = mono();
        e = ca_issue(ca, &h, (int64_t)time(NULL), &out, &st);
        cards += mono() - t0;
        ca_issued_clear(&out);
        if (e != CA_OK) {
            fprintf(stderr, "bench-card-production: card %ld: %s (%s)\n", i + 1, ca_err_code(e),
                    st.detail);
            goto out;
        }
    }
    printf("open %.3f cards %ld seconds %.3f baseline %ld seconds %.3f\n", t_open, want, cards,
           want, base);
    rc = 0;
out:
    ca_close(ca);
    return rc;
}
