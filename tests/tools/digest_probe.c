/*
 * digest_probe: prints how libcrypto resolves message digest names and OIDs,
 * in a line format that tests/digests.rs reproduces with tsrs's lookups.
 *
 *   digest_probe names
 *   digest_probe resolve NAME...
 *   digest_probe oids
 *
 * `names` lists every name libcrypto knows for a digest: `provided NAME` for
 * each name of each digest that EVP_MD_do_all_provided finds in the default
 * library context, and `objname NAME` for each EVP_get_digestbyname entry
 * that OBJ_NAME_do_all lists (aliases included).
 *
 * `resolve` prints, for each NAME, one line
 *
 *   NAME fetch=MD legacy=MD
 *
 * where `fetch` is EVP_MD_fetch(NULL, NAME, NULL) and `legacy` is
 * EVP_get_digestbyname(NAME). `openssl ts` takes `-NAME` through opt_md,
 * which is `fetch`, then `legacy` unless a provider option was given, and
 * the TSA configuration keys through `legacy` alone.
 *
 * `oids` prints, for every object libcrypto knows with an OID, one line
 *
 *   DOTTED TEXT verify=MD accepts=SN,SN...
 *
 * TEXT is OBJ_obj2txt(obj, 0), the long name or the dotted form; `verify`
 * is what the verifier computes an imprint with (EVP_MD_fetch(TEXT), else
 * EVP_get_digestbyname(TEXT)); `accepts` lists the short names of the
 * digests, as EVP_get_digestbyname returns them, for which the responder's
 * EVP_MD_is_a(md, TEXT) holds. An OID that is no object's gives the last line
 * of the listing through the same steps with TEXT in dotted form.
 *
 * MD is `-` when the lookup fails, otherwise `SN/SIZE/OID/FLAGS/USABLE`:
 * the short name of EVP_MD_get_type, EVP_MD_get_size, the dotted OID that
 * OBJ_nid2obj gives for the type (`-` when it has none), EVP_MD_get_flags in
 * hex, and whether EVP_DigestInit_ex succeeds with it (`ok` or `fails`).
 */
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>

/* More than the NIDs of OpenSSL 3.0 (about 1250). */
#define MAX_NID 4096

static void print_md(const char *label, const EVP_MD *md)
{
    char oid[128] = "-";
    const ASN1_OBJECT *obj;
    EVP_MD_CTX *ctx;
    int usable;

    printf(" %s=", label);
    if (md == NULL) {
        fputs("-", stdout);
        return;
    }
    obj = OBJ_nid2obj(EVP_MD_get_type(md));
    if (obj != NULL && OBJ_length(obj) > 0)
        OBJ_obj2txt(oid, sizeof(oid), obj, 1);
    ctx = EVP_MD_CTX_new();
    ERR_set_mark();
    usable = ctx != NULL && EVP_DigestInit_ex(ctx, md, NULL);
    ERR_pop_to_mark();
    EVP_MD_CTX_free(ctx);
    printf("%s/%d/%s/%lx/%s", OBJ_nid2sn(EVP_MD_get_type(md)), EVP_MD_get_size(md), oid,
           EVP_MD_get_flags(md), usable ? "ok" : "fails");
}

static void print_provided_name(const char *name, void *arg)
{
    (void)arg;
    printf("provided %s\n", name);
}

static void list_provided(EVP_MD *md, void *arg)
{
    (void)arg;
    EVP_MD_names_do_all(md, print_provided_name, NULL);
}

static void list_objname(const OBJ_NAME *name, void *arg)
{
    (void)arg;
    printf("objname %s\n", name->name);
}

static int list_names(void)
{
    EVP_MD_do_all_provided(NULL, list_provided, NULL);
    OBJ_NAME_do_all(OBJ_NAME_TYPE_MD_METH, list_objname, NULL);
    return 0;
}

static int resolve(int count, char **names)
{
    int i;

    for (i = 0; i < count; i++) {
        EVP_MD *fetched;

        ERR_set_mark();
        fetched = EVP_MD_fetch(NULL, names[i], NULL);
        ERR_pop_to_mark();
        printf("%s", names[i]);
        print_md("fetch", fetched);
        print_md("legacy", EVP_get_digestbyname(names[i]));
        printf("\n");
        EVP_MD_free(fetched);
    }
    return 0;
}

/* The digests EVP_get_digestbyname returns, one per type, for `accepts`. */
static const EVP_MD *legacy_mds[MAX_NID];
static int legacy_md_count;

static void collect_legacy(const OBJ_NAME *name, void *arg)
{
    const EVP_MD *md = EVP_get_digestbyname(name->name);
    int i;

    (void)arg;
    if (md == NULL)
        return;
    for (i = 0; i < legacy_md_count; i++)
        if (EVP_MD_get_type(legacy_mds[i]) == EVP_MD_get_type(md))
            return;
    if (legacy_md_count < MAX_NID)
        legacy_mds[legacy_md_count++] = md;
}

static void print_oid(const ASN1_OBJECT *obj)
{
    char dotted[128], text[128];
    const EVP_MD *legacy;
    EVP_MD *fetched;
    const char *separator = "";
    int i;

    OBJ_obj2txt(dotted, sizeof(dotted), obj, 1);
    OBJ_obj2txt(text, sizeof(text), obj, 0);
    printf("%s %s", dotted, text);
    ERR_set_mark();
    fetched = EVP_MD_fetch(NULL, text, NULL);
    legacy = fetched != NULL ? NULL : EVP_get_digestbyname(text);
    ERR_pop_to_mark();
    print_md("verify", fetched != NULL ? fetched : legacy);
    EVP_MD_free(fetched);
    printf(" accepts=");
    for (i = 0; i < legacy_md_count; i++) {
        if (EVP_MD_is_a(legacy_mds[i], text)) {
            printf("%s%s", separator, OBJ_nid2sn(EVP_MD_get_type(legacy_mds[i])));
            separator = ",";
        }
    }
    if (*separator == '\0')
        fputs("-", stdout);
    printf("\n");
}

static void ignore_md(EVP_MD *md, void *arg)
{
    (void)md;
    (void)arg;
}

static int list_oids(void)
{
    ASN1_OBJECT *unknown;
    int nid;

    /*
     * `openssl ts -reply` has fetched digests before it checks a request (the
     * signer certificate's SHA-1 hash, at least), so the provider's names are
     * in the namemap that EVP_MD_is_a consults.
     */
    EVP_MD_do_all_provided(NULL, ignore_md, NULL);
    OBJ_NAME_do_all(OBJ_NAME_TYPE_MD_METH, collect_legacy, NULL);
    for (nid = 1; nid < MAX_NID; nid++) {
        const ASN1_OBJECT *obj;

        ERR_set_mark();
        obj = OBJ_nid2obj(nid);
        ERR_pop_to_mark();
        if (obj != NULL && OBJ_length(obj) > 0)
            print_oid(obj);
    }
    unknown = OBJ_txt2obj("1.3.6.1.4.1.55555.1.2.3", 1);
    if (unknown == NULL)
        return 1;
    print_oid(unknown);
    ASN1_OBJECT_free(unknown);
    return 0;
}

int main(int argc, char **argv)
{
    /* EVP_get_digestbyname does this itself; OBJ_NAME_do_all does not. */
    OPENSSL_init_crypto(OPENSSL_INIT_ADD_ALL_DIGESTS, NULL);
    if (argc == 2 && strcmp(argv[1], "names") == 0)
        return list_names();
    if (argc >= 2 && strcmp(argv[1], "resolve") == 0)
        return resolve(argc - 2, argv + 2);
    if (argc == 2 && strcmp(argv[1], "oids") == 0)
        return list_oids();
    fprintf(stderr, "usage: digest_probe names | resolve NAME... | oids\n");
    return 2;
}
