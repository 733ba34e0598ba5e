/*
 * openssl_ts_bench: replies and verifications per second through libcrypto's
 * TS API, the OpenSSL side of examples/bench.rs.
 *
 * Usage: openssl_ts_bench CONFIG SECTION REQUEST RESPONSE CAFILE SECONDS
 *
 * The response context is read from SECTION of CONFIG with the TS_CONF_*
 * functions, as `openssl ts -reply` reads it, except that the serial number
 * comes from a callback that always returns 1 instead of the serial file. The
 * clock is the system clock (libcrypto's default time callback).
 *
 * One reply is TS_RESP_create_response on the DER request in REQUEST plus
 * i2d_TS_RESP. One verification is d2i_TS_RESP on the DER response in
 * RESPONSE plus TS_RESP_verify_response, with a TS_VERIFY_CTX made once from
 * REQUEST (TS_REQ_to_TS_VERIFY_CTX, plus TS_VFY_SIGNATURE) and a store that
 * trusts CAFILE, as `openssl ts -verify -queryfile REQUEST -CAfile CAFILE`
 * sets it up. Each loop runs for SECONDS after a warm-up of a tenth of that.
 *
 * Prints "reply COUNT SECONDS" and "verify COUNT SECONDS" lines to stdout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/conf.h>
#include <openssl/err.h>
#include <openssl/ts.h>
#include <openssl/x509_vfy.h>

struct bytes {
    unsigned char *data;
    long len;
};

static void fail(const char *step)
{
    fprintf(stderr, "openssl_ts_bench: %s failed\n", step);
    ERR_print_errors_fp(stderr);
    exit(1);
}

static double now_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct bytes read_file(const char *path)
{
    struct bytes out = {NULL, 0};
    FILE *file = fopen(path, "rb");

    if (file == NULL) {
        perror(path);
        exit(1);
    }
    if (fseek(file, 0, SEEK_END) != 0 || (out.len = ftell(file)) <= 0 ||
        fseek(file, 0, SEEK_SET) != 0) {
        fprintf(stderr, "openssl_ts_bench: cannot read the size of %s\n", path);
        exit(1);
    }
    out.data = malloc((size_t)out.len);
    if (out.data == NULL || fread(out.data, 1, (size_t)out.len, file) != (size_t)out.len) {
        fprintf(stderr, "openssl_ts_bench: cannot read %s\n", path);
        exit(1);
    }
    fclose(file);
    return out;
}

static ASN1_INTEGER *constant_serial(TS_RESP_CTX *ctx, void *data)
{
    ASN1_INTEGER *serial = ASN1_INTEGER_new();

    (void)ctx;
    (void)data;
    if (serial == NULL || !ASN1_INTEGER_set(serial, 1)) {
        ASN1_INTEGER_free(serial);
        return NULL;
    }
    return serial;
}

/* The TS_CONF_* calls of `openssl ts -reply`, in its order, minus the serial file. */
static TS_RESP_CTX *load_response_ctx(const char *config_path, const char *section)
{
    CONF *conf = NCONF_new(NULL);
    long error_line = -1;
    TS_RESP_CTX *ctx = TS_RESP_CTX_new();

    if (conf == NULL || ctx == NULL)
        fail("allocation");
    if (NCONF_load(conf, config_path, &error_line) <= 0) {
        fprintf(stderr, "openssl_ts_bench: error on line %ld of %s\n", error_line, config_path);
        fail("NCONF_load");
    }
    if (!TS_CONF_set_signer_cert(conf, section, NULL, ctx) ||
        !TS_CONF_set_certs(conf, section, NULL, ctx) ||
        !TS_CONF_set_signer_key(conf, section, NULL, NULL, ctx) ||
        !TS_CONF_set_signer_digest(conf, section, NULL, ctx) ||
        !TS_CONF_set_ess_cert_id_digest(conf, section, ctx) ||
        !TS_CONF_set_def_policy(conf, section, NULL, ctx) ||
        !TS_CONF_set_policies(conf, section, ctx) || !TS_CONF_set_digests(conf, section, ctx) ||
        !TS_CONF_set_accuracy(conf, section, ctx) ||
        !TS_CONF_set_clock_precision_digits(conf, section, ctx) ||
        !TS_CONF_set_ordering(conf, section, ctx) || !TS_CONF_set_tsa_name(conf, section, ctx) ||
        !TS_CONF_set_ess_cert_id_chain(conf, section, ctx))
        fail("reading the TSA section");
    TS_RESP_CTX_set_serial_cb(ctx, constant_serial, NULL);
    NCONF_free(conf);
    return ctx;
}

static TS_VERIFY_CTX *load_verify_ctx(const struct bytes *request, const char *ca_file)
{
    const unsigned char *cursor = request->data;
    TS_REQ *req = d2i_TS_REQ(NULL, &cursor, request->len);
    TS_VERIFY_CTX *ctx;
    X509_STORE *store = X509_STORE_new();

    if (req == NULL)
        fail("d2i_TS_REQ");
    ctx = TS_REQ_to_TS_VERIFY_CTX(req, NULL);
    if (ctx == NULL || store == NULL)
        fail("TS_REQ_to_TS_VERIFY_CTX");
    TS_VERIFY_CTX_add_flags(ctx, TS_VFY_SIGNATURE);
    if (!X509_STORE_load_file(store, ca_file))
        fail("X509_STORE_load_file");
    TS_VERIFY_CTX_set_store(ctx, store);
    TS_REQ_free(req);
    return ctx;
}

/* One reply; returns 0 unless the response is granted. */
static int reply_once(TS_RESP_CTX *ctx, const struct bytes *request)
{
    BIO *input = BIO_new_mem_buf(request->data, (int)request->len);
    TS_RESP *resp;
    unsigned char *der = NULL;
    int granted;

    if (input == NULL)
        return 0;
    resp = TS_RESP_create_response(ctx, input);
    BIO_free(input);
    if (resp == NULL)
        return 0;
    granted = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(resp))) ==
              TS_STATUS_GRANTED;
    if (i2d_TS_RESP(resp, &der) <= 0)
        granted = 0;
    OPENSSL_free(der);
    TS_RESP_free(resp);
    return granted;
}

/* One verification; returns 1 on success. */
static int verify_once(TS_VERIFY_CTX *ctx, const struct bytes *response)
{
    const unsigned char *cursor = response->data;
    TS_RESP *resp = d2i_TS_RESP(NULL, &cursor, response->len);
    int ok;

    if (resp == NULL)
        return 0;
    ok = TS_RESP_verify_response(ctx, resp);
    TS_RESP_free(resp);
    return ok == 1;
}

typedef int (*operation)(void *ctx, const struct bytes *input);

static int reply_op(void *ctx, const struct bytes *input)
{
    return reply_once(ctx, input);
}

static int verify_op(void *ctx, const struct bytes *input)
{
    return verify_once(ctx, input);
}

/* Runs op for a warm-up, then for `seconds`, and prints the count and time. */
static void measure(const char *name, operation op, void *ctx, const struct bytes *input,
                    double seconds)
{
    double start = now_seconds();
    double elapsed;
    long count = 0;

    while (now_seconds() - start < seconds / 10) {
        if (!op(ctx, input))
            fail(name);
    }
    start = now_seconds();
    do {
        if (!op(ctx, input))
            fail(name);
        count++;
        elapsed = now_seconds() - start;
    } while (elapsed < seconds);
    printf("%s %ld %.6f\n", name, count, elapsed);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    struct bytes request, response;
    TS_RESP_CTX *resp_ctx;
    TS_VERIFY_CTX *verify_ctx;
    double seconds;

    if (argc != 7) {
        fprintf(stderr, "usage: %s CONFIG SECTION REQUEST RESPONSE CAFILE SECONDS\n", argv[0]);
        return 2;
    }
    seconds = atof(argv[6]);
    if (seconds <= 0) {
        fprintf(stderr, "openssl_ts_bench: SECONDS must be a positive number\n");
        return 2;
    }
    request = read_file(argv[3]);
    response = read_file(argv[4]);
    resp_ctx = load_response_ctx(argv[1], argv[2]);
    verify_ctx = load_verify_ctx(&request, argv[5]);

    measure("reply", reply_op, resp_ctx, &request, seconds);
    measure("verify", verify_op, verify_ctx, &response, seconds);

    TS_RESP_CTX_free(resp_ctx);
    TS_VERIFY_CTX_free(verify_ctx);
    free(request.data);
    free(response.data);
    return 0;
}
