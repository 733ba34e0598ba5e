/* Time-stamps a file with a TSA configuration, verifies the response and
 * prints the token, through libtsrs.
 *
 *   cc -Iinclude docs/example.c -Ltarget/release -ltsrs -o example
 *   LD_LIBRARY_PATH=target/release ./example demo/tsa.cnf demo/ca.pem README.md
 */
#include <stdio.h>
#include <stdlib.h>

#include "tsrs.h"

static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *file = fopen(path, "rb");
    unsigned char *data = NULL;
    long size;

    if (file == NULL)
        return NULL;
    if (fseek(file, 0, SEEK_END) == 0 && (size = ftell(file)) >= 0 &&
        fseek(file, 0, SEEK_SET) == 0 && (data = malloc((size_t)size + 1)) != NULL) {
        *len = fread(data, 1, (size_t)size, file);
    }
    fclose(file);
    return data;
}

int main(int argc, char **argv)
{
    size_t data_len = 0, req_len = 0, text_len = 0;
    unsigned char *data, *req_der = NULL;
    char *text = NULL;
    tsrs_req *req = NULL;
    tsrs_resp_ctx *tsa = NULL;
    tsrs_resp *resp = NULL;
    tsrs_x509_store *store = NULL;
    tsrs_verify_ctx *verify = NULL;
    int ok = 0;

    if (argc != 4) {
        fprintf(stderr, "usage: %s TSA_CONFIG CA_FILE DATA_FILE\n", argv[0]);
        return 2;
    }
    if ((data = read_file(argv[3], &data_len)) == NULL) {
        perror(argv[3]);
        return 1;
    }

    /* The request: a SHA-256 imprint of the data, a nonce, certReq. */
    if ((req = tsrs_req_create("sha256", data, data_len, NULL, 1, 1)) == NULL ||
        !tsrs_req_to_der(req, &req_der, &req_len))
        goto end;

    /* The TSA: the default section of the configuration, as `ts -reply` reads it. */
    if ((tsa = tsrs_resp_ctx_new_from_config(argv[1], NULL, NULL)) == NULL ||
        (resp = tsrs_resp_create_response(tsa, req_der, req_len)) == NULL)
        goto end;

    /* Verification against the request, with the root as the trust anchor. */
    if ((store = tsrs_x509_store_new()) == NULL ||
        !tsrs_x509_store_load_file(store, argv[2]) ||
        (verify = tsrs_req_to_verify_ctx(req, NULL)) == NULL ||
        !tsrs_verify_ctx_add_flags(verify, TSRS_VFY_SIGNATURE) ||
        !tsrs_verify_ctx_set0_store(verify, store))
        goto end;
    store = NULL; /* the verify context owns it now */
    if (!tsrs_resp_verify_response(verify, resp))
        goto end;
    printf("Verification: OK\n");

    if (!tsrs_resp_print(resp, &text, &text_len))
        goto end;
    fwrite(text, 1, text_len, stdout);
    ok = 1;

end:
    if (!ok)
        tsrs_err_print_errors();
    tsrs_free((uint8_t *)text);
    tsrs_free(req_der);
    tsrs_verify_ctx_free(verify);
    tsrs_x509_store_free(store);
    tsrs_resp_free(resp);
    tsrs_resp_ctx_free(tsa);
    tsrs_req_free(req);
    free(data);
    return ok ? 0 : 1;
}
