/*
 * Helpers shared by the C tests: fixture files made by make-fixtures.sh,
 * byte comparisons that report the first difference, and checks of the
 * tsrs error queue.
 */
#ifndef TSRS_TEST_COMMON_H
#define TSRS_TEST_COMMON_H

#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tsrs.h"

/* 2024-01-02 03:04:05 UTC, the time make-fixtures.sh freezes. */
#define FROZEN_TIME INT64_C(1704164645)

/* Changes into the fixture folder ($TSRS_FIXTURES), so that the relative
 * paths of cnf/tsa.cnf work; a cmocka group setup. */
int enter_fixtures(void **state);

/* Reads a fixture file, failing the test when it cannot; free with free(). */
uint8_t *read_fixture(const char *name, size_t *len);

/* Fails the test unless `actual` equals the bytes of fixture `name`,
 * naming the first differing offset. */
void assert_same_as_fixture(const uint8_t *actual, size_t len, const char *name);

/* Fails the test unless the two buffers are equal, naming `what` and the
 * first differing offset. */
void assert_same_bytes(const uint8_t *actual, size_t actual_len, const uint8_t *expected,
                       size_t expected_len, const char *what);

/* Fails the test unless this thread's error queue contains exactly one
 * entry, with reason `reason`. Empties the queue. */
void assert_one_error(uint32_t reason);

/* Fails the test unless this thread's error queue is empty. */
void assert_no_error(void);

/* The serial number callback of the tests: always 0x01, as a fresh serial
 * file gives. */
int serial_one(void *data, uint8_t *serial, size_t *serial_len);

/* The time callback of the tests: FROZEN_TIME with 0 microseconds. */
int frozen_time(void *data, int64_t *seconds, uint32_t *microseconds);

/* Creates a response context for a section of cnf/tsa.cnf through the
 * setters ("min", "full", "v1" or "ec"), with the two callbacks above. */
tsrs_resp_ctx *make_ctx(const char *section);

/* Creates the response of `ctx` to fixture request `request`, failing the
 * test on NULL. */
tsrs_resp *respond(const tsrs_resp_ctx *ctx, const char *request);

/* Encodes `resp` and compares it with fixture `name`.tsr, and its text
 * with `name`.txt. */
void assert_resp_matches(const tsrs_resp *resp, const char *name);

/* Adds the object names of cnf/tsa.cnf's oid_section, once per process. */
void add_policy_names(void);

#endif
