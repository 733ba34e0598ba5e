/*
 * conf_probe: prints what libcrypto's configuration reader makes of a file,
 * in a line format that tests/conf_openssl.rs reproduces with the Rust reader.
 *
 *   conf_probe load FILE QUERY...
 *   conf_probe list TEXT...
 *
 * `load` reads FILE with NCONF_load and prints `loaded`, or on failure
 * `error line=N reason=TEXT` (N is the line libcrypto reports, -1 when the
 * file could not be opened) and nothing else. Then it prints the result of
 * each QUERY:
 *
 *   get SECTION NAME     NCONF_get_string; SECTION `(null)` passes NULL
 *   section NAME         NCONF_get_section, entries in stack order
 *   number SECTION NAME  _CONF_get_number (0 when missing or too large)
 *   oid                  the oid_file and oid_section steps of `openssl ts`
 *   obj TEXT             OBJ_txt2obj(TEXT, 0), printed by long name and dotted
 *
 * `list` splits each TEXT with X509V3_parse_list.
 *
 * Values are printed in hex, so that any byte survives the comparison. The
 * open-file limit is lowered to 64 before loading, so that an include cycle
 * ends after a few dozen levels instead of exhausting memory.
 */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include <openssl/bio.h>
#include <openssl/conf.h>
#include <openssl/conf_api.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

static void print_hex(const char *text)
{
    const unsigned char *p = (const unsigned char *)text;

    if (*p == '\0')
        fputs("-", stdout);
    for (; *p != '\0'; p++)
        printf("%02x", *p);
}

static const char *section_arg(const char *arg)
{
    return strcmp(arg, "(null)") == 0 ? NULL : arg;
}

/* The oid_file and oid_section steps of load_config_file in apps/ts.c. */
static void apply_oid_config(CONF *conf)
{
    const char *oid_file = NCONF_get_string(conf, NULL, "oid_file");
    const char *section_name;
    STACK_OF(CONF_VALUE) *section;
    int i;

    if (oid_file != NULL) {
        BIO *in = BIO_new_file(oid_file, "r");

        if (in == NULL) {
            printf("oid open-failed\n");
        } else {
            OBJ_create_objects(in);
            BIO_free(in);
        }
    }
    ERR_clear_error();

    section_name = NCONF_get_string(conf, NULL, "oid_section");
    if (section_name == NULL) {
        ERR_clear_error();
        printf("oid done\n");
        return;
    }
    section = NCONF_get_section(conf, section_name);
    if (section == NULL) {
        printf("oid problem loading oid section %s\n", section_name);
        return;
    }
    for (i = 0; i < sk_CONF_VALUE_num(section); i++) {
        CONF_VALUE *value = sk_CONF_VALUE_value(section, i);

        if (OBJ_create(value->value, value->name, value->name) == NID_undef) {
            printf("oid problem creating object %s=%s\n", value->name, value->value);
            return;
        }
    }
    printf("oid done\n");
}

static void print_object(const char *text)
{
    ASN1_OBJECT *object = OBJ_txt2obj(text, 0);
    char name[256], dotted[256];

    if (object == NULL) {
        printf("obj %s unknown\n", text);
        ERR_clear_error();
        return;
    }
    OBJ_obj2txt(name, sizeof(name), object, 0);
    OBJ_obj2txt(dotted, sizeof(dotted), object, 1);
    printf("obj %s = %s %s\n", text, name, dotted);
    ASN1_OBJECT_free(object);
}

static int answer_queries(CONF *conf, int argc, char **argv)
{
    int i = 0;

    while (i < argc) {
        const char *query = argv[i];

        if (strcmp(query, "get") == 0 && i + 2 < argc) {
            const char *value = NCONF_get_string(conf, section_arg(argv[i + 1]), argv[i + 2]);

            printf("get %s %s ", argv[i + 1], argv[i + 2]);
            if (value == NULL) {
                printf("missing\n");
            } else {
                printf("= ");
                print_hex(value);
                printf("\n");
            }
            i += 3;
        } else if (strcmp(query, "section") == 0 && i + 1 < argc) {
            STACK_OF(CONF_VALUE) *section = NCONF_get_section(conf, argv[i + 1]);
            int j;

            printf("section %s", argv[i + 1]);
            if (section == NULL) {
                printf(" missing\n");
            } else {
                for (j = 0; j < sk_CONF_VALUE_num(section); j++) {
                    CONF_VALUE *value = sk_CONF_VALUE_value(section, j);

                    printf(" ");
                    print_hex(value->name);
                    printf("=");
                    print_hex(value->value);
                }
                printf("\n");
            }
            i += 2;
        } else if (strcmp(query, "number") == 0 && i + 2 < argc) {
            long number = 0;

            /* _CONF_get_number is not exported; this is its body. */
            if (NCONF_get_number_e(conf, section_arg(argv[i + 1]), argv[i + 2], &number) == 0)
                number = 0;

            printf("number %s %s = %ld\n", argv[i + 1], argv[i + 2], number);
            i += 3;
        } else if (strcmp(query, "oid") == 0) {
            apply_oid_config(conf);
            i += 1;
        } else if (strcmp(query, "obj") == 0 && i + 1 < argc) {
            print_object(argv[i + 1]);
            i += 2;
        } else {
            fprintf(stderr, "conf_probe: invalid query at %s\n", query);
            return 2;
        }
        ERR_clear_error();
    }
    return 0;
}

static int load(const char *path, int argc, char **argv)
{
    CONF *conf = NCONF_new(NULL);
    long line = -1;
    struct rlimit limit = { 64, 64 };
    int ret;

    if (conf == NULL)
        return 2;
    setrlimit(RLIMIT_NOFILE, &limit);
    if (NCONF_load(conf, path, &line) <= 0) {
        unsigned long err = ERR_peek_last_error();
        const char *reason = err == 0 ? NULL : ERR_reason_error_string(err);

        printf("error line=%ld reason=%s\n", line, reason == NULL ? "none" : reason);
        NCONF_free(conf);
        return 0;
    }
    ERR_clear_error();
    printf("loaded\n");
    ret = answer_queries(conf, argc, argv);
    NCONF_free(conf);
    return ret;
}

static int split_lists(int argc, char **argv)
{
    int i, j;

    for (i = 0; i < argc; i++) {
        STACK_OF(CONF_VALUE) *list = X509V3_parse_list(argv[i]);

        if (list == NULL) {
            printf("list error\n");
            ERR_clear_error();
            continue;
        }
        printf("list");
        for (j = 0; j < sk_CONF_VALUE_num(list); j++) {
            CONF_VALUE *item = sk_CONF_VALUE_value(list, j);

            printf(" ");
            print_hex(item->name);
            printf(":");
            if (item->value == NULL)
                printf("(none)");
            else
                print_hex(item->value);
        }
        printf("\n");
        sk_CONF_VALUE_pop_free(list, X509V3_conf_free);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "load") == 0)
        return load(argv[2], argc - 3, argv + 3);
    if (argc >= 2 && strcmp(argv[1], "list") == 0)
        return split_lists(argc - 2, argv + 2);
    fprintf(stderr, "usage: conf_probe load FILE QUERY... | conf_probe list TEXT...\n");
    return 2;
}
