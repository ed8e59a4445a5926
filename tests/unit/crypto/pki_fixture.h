/* eimza — a throwaway test PKI made with the openssl command-line tool, shared by
 * tests/unit/crypto/test_cms_verify.c and tools/bench-cms-verify.c (header-only, static
 * functions, no cmocka: callers check the returns).
 *
 * In a mkdtemp() directory: an RSA-2048 root "Test Kok" and NES-style sub-CA "Test NES SHS"
 * (root-signed), leaf certificates issued by the sub-CA with `openssl ca` (so its index.txt
 * is what a real `openssl ocsp` responder answers from), an OCSP responder certificate with
 * the OCSP-signing EKU, and the sub-CA's CRL. Signatures are made by `openssl cms -sign
 * -cades`, independently of the code under test. Leaves (name: what is special):
 *   good       RSA-2048, NES policy, both QC statements, nonRepudiation, TCKN 10000000146
 *   ec         the same profile with an EC P-256 key
 *   expired, notyet, nopolicy, noqc (ETSI statement only), nonrep (digitalSignature only),
 *   othertckn (10000000078), rsa1024, sha1 (certificate signed with SHA-1), revoked
 *   crlgood, crlrevoked   OCSP URL unreachable, CRL reachable (fallback)
 *   dead       OCSP and CRL URLs both unreachable
 *   untrusted  issued by another root, "Other Kok", that no trust directory holds
 *   twin       good's key and subject again, another serial (for certificate substitution)
 * Directories: trust/ holds the root only, trust2/ the root and the sub-CA.
 * The "lite" variant (for the benchmark) makes only root, sub-CA, responder and good.
 */
#ifndef EIMZA_TESTS_PKI_FIXTURE_H
#define EIMZA_TESTS_PKI_FIXTURE_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PKI_TCKN       "10000000146"
#define PKI_OTHER_TCKN "10000000078"

struct pki_fixture {
    char dir[128];
    int ocsp_port, crl_port, dead_port;
    pid_t ocsp_pid, crl_pid;
};

/* Runs a shell command inside the fixture directory, its output going to log.txt there.
 * Returns 0 when it exits with 0. */
__attribute__((unused, format(printf, 2, 3))) static int pki_sh(const struct pki_fixture *f,
                                                                const char *fmt, ...)
{
    char cmd[4096], full[4400];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof cmd)
        return -1;
    n = snprintf(full, sizeof full, "cd '%s' && { %s ; } >>log.txt 2>&1", f->dir, cmd);
    if (n < 0 || (size_t)n >= sizeof full)
        return -1;
    int st = system(full);
    return st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* A TCP port on 127.0.0.1 that was free a moment ago, from 20000-32767: below the kernel's
 * ephemeral range, so no outgoing connection or server on port 0 of a test running beside
 * this one takes it before our responder binds it (as tests/lib.sh's free_port). */
__attribute__((unused)) static int pki_free_port(void)
{
    static unsigned seed;
    if (!seed)
        seed = (unsigned)getpid() ^ (unsigned)time(NULL);
    for (int tries = 0; tries < 200; tries++) {
        int port = 20000 + (int)(rand_r(&seed) % 12768);
        struct sockaddr_in a = {.sin_family = AF_INET,
                                .sin_port = htons((uint16_t)port),
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        int s = socket(AF_INET, SOCK_STREAM, 0);
        if (s < 0)
            return -1;
        int ok = !bind(s, (struct sockaddr *)&a, sizeof a);
        close(s);
        if (ok)
            return port;
    }
    return -1;
}

/* The extensions every leaf has (AIA and CDP from the environment of the script). */
#define PKI_LEAF_COMMON                                                                            \
    "basicConstraints = critical,CA:FALSE\nsubjectKeyIdentifier = hash\n"                          \
    "authorityKeyIdentifier = keyid\nauthorityInfoAccess = OCSP;URI:$ENV::OCSP_URL\n"              \
    "crlDistributionPoints = URI:$ENV::CRL_URL\n"

static const char PKI_CA_CNF[] =
    "[ca]\ndefault_ca = sub\n"
    "[sub]\ndir = .\ndatabase = index.txt\nnew_certs_dir = newcerts\nserial = serial\n"
    "crlnumber = crlnumber\ncertificate = sub.pem\nprivate_key = sub.key\ndefault_md = sha256\n"
    "default_days = 365\ndefault_crl_days = 1\npolicy = pol_any\nunique_subject = no\n"
    "preserve = yes\nemail_in_dn = no\n"
    "[pol_any]\ncountryName = optional\norganizationName = optional\ncommonName = supplied\n"
    "serialNumber = optional\n"
    "[req]\ndistinguished_name = dn\n[dn]\n"
    "[v3_root]\nbasicConstraints = critical,CA:TRUE\nkeyUsage = critical,keyCertSign,cRLSign\n"
    "subjectKeyIdentifier = hash\n"
    "[v3_sub]\nbasicConstraints = critical,CA:TRUE,pathlen:0\n"
    "keyUsage = critical,keyCertSign,cRLSign\nsubjectKeyIdentifier = hash\n"
    "authorityKeyIdentifier = keyid\n"
    "[v3_ocsp]\nbasicConstraints = critical,CA:FALSE\nkeyUsage = critical,digitalSignature\n"
    "extendedKeyUsage = OCSPSigning\n"
    "[qcs_both]\ns1 = SEQUENCE:qc_etsi\ns2 = SEQUENCE:qc_tr\n"
    "[qcs_etsi]\ns1 = SEQUENCE:qc_etsi\n"
    "[qc_etsi]\nid = OID:0.4.0.1862.1.1\n"
    "[qc_tr]\nid = OID:2.16.792.1.61.0.1.5070.1.1\n"
    "txt = UTF8:Bu sertifika 5070 sayili Elektronik Imza Kanununa gore nitelikli elektronik "
    "sertifikadir.\n"
    "[nes]\n" PKI_LEAF_COMMON "keyUsage = critical,nonRepudiation,digitalSignature\n"
    "certificatePolicies = 2.16.792.1.2.1.1.5.7.1.1\n1.3.6.1.5.5.7.1.3 = ASN1:SEQUENCE:qcs_both\n"
    "[nopolicy]\n" PKI_LEAF_COMMON "keyUsage = critical,nonRepudiation,digitalSignature\n"
    "1.3.6.1.5.5.7.1.3 = ASN1:SEQUENCE:qcs_both\n"
    "[noqc]\n" PKI_LEAF_COMMON "keyUsage = critical,nonRepudiation,digitalSignature\n"
    "certificatePolicies = 2.16.792.1.2.1.1.5.7.1.1\n1.3.6.1.5.5.7.1.3 = ASN1:SEQUENCE:qcs_etsi\n"
    "[nonrep]\n" PKI_LEAF_COMMON "keyUsage = critical,digitalSignature\n"
    "certificatePolicies = 2.16.792.1.2.1.1.5.7.1.1\n1.3.6.1.5.5.7.1.3 = ASN1:SEQUENCE:qcs_both\n";

/* The shell part: every key, certificate and the CRL. $1: "full" or "lite". */
static const char PKI_SCRIPT[] =
    "set -e\n"
    "mkdir -p newcerts trust trust2; : > index.txt; echo 1000 > serial; echo 01 > crlnumber\n"
    "RSA='-newkey rsa:2048'; EC='-newkey ec -pkeyopt ec_paramgen_curve:P-256'\n"
    "export OCSP_URL=http://127.0.0.1:$OCSP_PORT/ CRL_URL=http://127.0.0.1:$CRL_PORT/sub.crl\n"
    "openssl req -x509 $RSA -nodes -keyout root.key -subj '/C=TR/O=eimza test/CN=Test Kok' "
    "-days 3650 -config ca.cnf -extensions v3_root -out root.pem\n"
    "openssl req -new $RSA -nodes -keyout sub.key -subj '/C=TR/O=eimza test/CN=Test NES SHS' "
    "-config ca.cnf -out sub.csr\n"
    "openssl x509 -req -in sub.csr -CA root.pem -CAkey root.key -set_serial 2 -days 3650 "
    "-extfile ca.cnf -extensions v3_sub -out sub.pem\n"
    "cp root.pem trust/; cp root.pem sub.pem trust2/\n"
    "echo 'not a certificate' > trust/README.md\n"
    /* leaf NAME 'KEYOPTS' EXT TCKN [openssl ca options...] */
    "leaf() { n=$1; k=$2; e=$3; t=$4; shift 4\n"
    "  openssl req -new $k -nodes -keyout $n.key -subj \"/C=TR/CN=TEST $n/serialNumber=$t\" "
    "-config ca.cnf -out $n.csr\n"
    "  openssl ca -batch -notext -config ca.cnf -extensions $e -in $n.csr -out $n.pem \"$@\"; }\n"
    "export OCSP_URL=http://127.0.0.1:$OCSP_PORT/ CRL_URL=http://127.0.0.1:$CRL_PORT/sub.crl\n"
    "openssl req -new $EC -nodes -keyout ocsp.key -subj '/C=TR/CN=Test OCSP' -config ca.cnf "
    "-out ocsp.csr\n"
    "openssl ca -batch -notext -config ca.cnf -extensions v3_ocsp -in ocsp.csr -out ocsp.pem\n"
    "leaf good \"$RSA\" nes 10000000146\n"
    "if [ \"$1\" = full ]; then\n"
    "  leaf ec \"$EC\" nes 10000000146\n"
    "  leaf expired \"$EC\" nes 10000000146 -startdate 200101000000Z -enddate 210101000000Z\n"
    "  leaf notyet \"$EC\" nes 10000000146 -startdate 400101000000Z -enddate 410101000000Z\n"
    "  leaf nopolicy \"$EC\" nopolicy 10000000146\n"
    "  leaf noqc \"$EC\" noqc 10000000146\n"
    "  leaf nonrep \"$EC\" nonrep 10000000146\n"
    "  leaf othertckn \"$EC\" nes 10000000078\n"
    "  leaf rsa1024 '-newkey rsa:1024' nes 10000000146\n"
    "  leaf sha1 \"$EC\" nes 10000000146 -md sha1\n"
    "  leaf revoked \"$EC\" nes 10000000146\n"
    "  openssl ca -batch -config ca.cnf -revoke revoked.pem -crl_reason keyCompromise\n"
    "  openssl ca -batch -notext -config ca.cnf -extensions nes -in good.csr -out twin.pem\n"
    "  cp good.key twin.key\n"
    "  export OCSP_URL=http://127.0.0.1:$DEAD_PORT/\n"
    "  leaf crlgood \"$EC\" nes 10000000146\n"
    "  leaf crlrevoked \"$EC\" nes 10000000146\n"
    "  openssl ca -batch -config ca.cnf -revoke crlrevoked.pem -crl_reason keyCompromise\n"
    "  export CRL_URL=http://127.0.0.1:$DEAD_PORT/sub.crl\n"
    "  leaf dead \"$EC\" nes 10000000146\n"
    "  export OCSP_URL=http://127.0.0.1:$OCSP_PORT/ CRL_URL=http://127.0.0.1:$CRL_PORT/sub.crl\n"
    "  openssl req -x509 $EC -nodes -keyout other.key -subj '/C=TR/CN=Other Kok' -days 3650 "
    "-config ca.cnf -extensions v3_root -out other.pem\n"
    "  openssl req -new $EC -nodes -keyout untrusted.key "
    "-subj '/C=TR/CN=TEST untrusted/serialNumber=10000000146' -config ca.cnf -out untrusted.csr\n"
    "  openssl x509 -req -in untrusted.csr -CA other.pem -CAkey other.key -set_serial 7 "
    "-days 365 -extfile ca.cnf -extensions nes -out untrusted.pem\n"
    "fi\n"
    "openssl ca -batch -config ca.cnf -gencrl -crldays 1 -out sub.crl.pem\n"
    "openssl crl -in sub.crl.pem -outform DER -out sub.crl\n";

__attribute__((unused)) static int pki_write(const struct pki_fixture *f, const char *name,
                                             const void *data, size_t n)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", f->dir, name);
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return -1;
    int rc = fwrite(data, 1, n, fp) == n ? 0 : -1;
    if (fclose(fp))
        rc = -1;
    return rc;
}

/* Reads dir/name into a malloc'd buffer. NULL when it cannot be read. */
__attribute__((unused)) static unsigned char *pki_read(const struct pki_fixture *f,
                                                       const char *name, size_t *n)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", f->dir, name);
    FILE *fp = fopen(path, "rb");
    struct stat st;
    unsigned char *buf = NULL;
    if (!fp)
        return NULL;
    if (!fstat(fileno(fp), &st) && (buf = malloc((size_t)st.st_size + 1)) &&
        fread(buf, 1, (size_t)st.st_size, fp) != (size_t)st.st_size) {
        free(buf);
        buf = NULL;
    }
    fclose(fp);
    if (buf)
        *n = (size_t)st.st_size;
    return buf;
}

/* Makes the PKI (lite: only what the benchmark needs). Returns 0. */
__attribute__((unused)) static int pki_create(struct pki_fixture *f, bool lite)
{
    memset(f, 0, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/eimza-pki.XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    f->ocsp_port = pki_free_port();
    f->crl_port = pki_free_port();
    f->dead_port = pki_free_port(); /* nothing will listen there */
    if (f->ocsp_port < 0 || f->crl_port < 0 || f->dead_port < 0 || f->crl_port == f->ocsp_port ||
        f->dead_port == f->ocsp_port || f->dead_port == f->crl_port)
        return -1;
    if (pki_write(f, "ca.cnf", PKI_CA_CNF, sizeof PKI_CA_CNF - 1) ||
        pki_write(f, "make.sh", PKI_SCRIPT, sizeof PKI_SCRIPT - 1))
        return -1;
    return pki_sh(f, "OCSP_PORT=%d CRL_PORT=%d DEAD_PORT=%d sh make.sh %s", f->ocsp_port,
                  f->crl_port, f->dead_port, lite ? "lite" : "full");
}

/* Starts `openssl ocsp` answering from the sub-CA's index, signed by responder `name` (its
 * name.pem and name.key in the directory), nextUpdate `days` days after thisUpdate (0: ten
 * minutes). Returns 0 once it listens. */
__attribute__((unused)) static int pki_start_ocsp_as(struct pki_fixture *f, const char *name,
                                                     int days)
{
    char port[32], cert[64], key[64], ndays[16];
    snprintf(port, sizeof port, "%d", f->ocsp_port); /* 3.0 takes a bare port */
    snprintf(cert, sizeof cert, "%s.pem", name);
    snprintf(key, sizeof key, "%s.key", name);
    snprintf(ndays, sizeof ndays, "%d", days);
    char log_path[256];
    snprintf(log_path, sizeof log_path, "%s/ocsp.log", f->dir);
    unlink(log_path); /* a restart must not take the last one's "waiting" for its own */
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (chdir(f->dir) == 0 && freopen("ocsp.log", "w", stdout) &&
            freopen("ocsp.log", "a", stderr)) {
            if (days > 0)
                execlp("openssl", "openssl", "ocsp", "-index", "index.txt", "-port", port,
                       "-rsigner", cert, "-rkey", key, "-CA", "sub.pem", "-ndays", ndays,
                       (char *)NULL);
            else
                execlp("openssl", "openssl", "ocsp", "-index", "index.txt", "-port", port,
                       "-rsigner", cert, "-rkey", key, "-CA", "sub.pem", "-nmin", "10",
                       (char *)NULL);
        }
        _exit(127);
    }
    f->ocsp_pid = pid;
    /* Not a bare connect() to see whether it listens: OpenSSL 3.0's responder then hangs on
     * that connection. It says when it is ready. */
    for (int waited = 0; waited < 5000; waited += 20) {
        size_t n = 0;
        unsigned char *log = pki_read(f, "ocsp.log", &n);
        bool ready = log && memmem(log, n, "waiting for OCSP client", 23);
        free(log);
        if (ready)
            return 0;
        struct timespec ts = {0, 20 * 1000000L};
        nanosleep(&ts, NULL);
    }
    return -1;
}

/* Starts `openssl ocsp` answering from the sub-CA's index with the delegated responder. */
__attribute__((unused)) static int pki_start_ocsp(struct pki_fixture *f)
{
    return pki_start_ocsp_as(f, "ocsp", 0);
}

/* Stops the responder pki_start_ocsp(_as) started. */
__attribute__((unused)) static void pki_stop_ocsp(struct pki_fixture *f)
{
    if (f->ocsp_pid > 0) {
        kill(f->ocsp_pid, SIGTERM);
        waitpid(f->ocsp_pid, NULL, 0);
    }
    f->ocsp_pid = 0;
}

/* A minimal HTTP server in a child process: whatever the request, it answers 200 with the
 * bytes of sub.crl (libcurl needs http(s) for CRLs: file:// is refused by design). */
__attribute__((unused)) static int pki_start_crl_server(struct pki_fixture *f)
{
    size_t n = 0;
    unsigned char *crl = pki_read(f, "sub.crl", &n);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)f->crl_port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int one = 1, s = socket(AF_INET, SOCK_STREAM, 0);
    if (!crl || s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
        bind(s, (struct sockaddr *)&a, sizeof a) || listen(s, 16)) {
        free(crl);
        if (s >= 0)
            close(s);
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        free(crl);
        close(s);
        return -1;
    }
    if (pid == 0) {
        for (;;) {
            int c = accept(s, NULL, NULL);
            if (c < 0)
                continue;
            char req[2048], hdr[128];
            ssize_t got = read(c, req, sizeof req); /* one read holds a GET's header */
            (void)got;
            int hl = snprintf(hdr, sizeof hdr,
                              "HTTP/1.0 200 OK\r\nContent-Type: application/pkix-crl\r\n"
                              "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                              n);
            if (write(c, hdr, (size_t)hl) == hl && write(c, crl, n) == (ssize_t)n)
                shutdown(c, SHUT_WR);
            close(c);
        }
    }
    free(crl);
    close(s);
    f->crl_pid = pid;
    return 0;
}

/* Signs file `content` with leaf `name` into `out` (DER); extra: more openssl cms options
 * ("-nodetach", "-md sha1", "-certfile sub.pem"...). Returns 0. */
__attribute__((unused)) static int pki_sign(const struct pki_fixture *f, const char *name,
                                            const char *content, const char *out, const char *extra)
{
    return pki_sh(f,
                  "openssl cms -sign -cades -binary -in %s -signer %s.pem -inkey %s.key "
                  "-outform DER -out %s %s",
                  content, name, name, out, extra ? extra : "");
}

/* Stops the servers and removes the directory. */
__attribute__((unused)) static void pki_destroy(struct pki_fixture *f)
{
    pid_t pids[2] = {f->ocsp_pid, f->crl_pid};
    for (int i = 0; i < 2; i++) {
        if (pids[i] > 0) {
            kill(pids[i], SIGTERM);
            waitpid(pids[i], NULL, 0);
        }
    }
    f->ocsp_pid = f->crl_pid = 0;
    if (f->dir[0] && !getenv("EIMZA_KEEP_PKI")) {
        char cmd[200];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", f->dir);
    }
}

#endif
