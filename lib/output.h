/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the tools print: results as JSON documents, one a line, and errors,
 * one line on stderr or, with --json, an {"error": "..."} object on stdout;
 * and the exit codes they end with.
 */
#ifndef GK_LIB_OUTPUT_H
#define GK_LIB_OUTPUT_H

#include <stdbool.h>
#include <jansson.h>

/* Exit codes of every tool. */
#define GK_EXIT_OK 0
#define GK_EXIT_FAIL 1
#define GK_EXIT_USAGE 2

/* Set by --json: results and errors as JSON on stdout. */
extern bool gk_json;

void gk_json_print(json_t *j);
void gk_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int gk_usage_err(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void gk_ossl_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* GK_LIB_OUTPUT_H */
