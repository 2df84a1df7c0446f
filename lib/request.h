/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Signing requests: what "gkctl learn" recorded on one kernel, for
 * "gk-sign --request" to sign.  The JSON format is in docs/formats.md,
 * "Signing request".
 */
#ifndef GK_LIB_REQUEST_H
#define GK_LIB_REQUEST_H

#include <stdbool.h>
#include <jansson.h>
#include "gk_format.h"

#define GK_REQUEST_VERSION 1
#define GK_REQUEST_MAX_SIZE (16 << 20)

/* The maps a program uses, and the read-only ones by their contents. */
struct gk_prog_maps {
	bool bound;		/* map_cnt and map[] hold */
	u8 map_cnt, bound_cnt;
	struct gk_bound_map map[GK_MAPS_MAX];
};

struct gk_learnt_prog {
	u8 digest[GK_DIGEST_SIZE];
	char *name;		/* full BTF function name, or the kernel's name */
	u32 prog_type, attach_type, insns;
	u64 seen;
	char *loader;		/* executable path; NULL if unknown */
	bool has_loader_sha256;
	u8 loader_sha256[GK_DIGEST_SIZE];
	char *attach;		/* the attach target it was aimed at, or NULL */
	struct gk_prog_maps maps;	/* what it was loaded with */
	bool attach_varies, maps_vary;	/* other loads differed: not bound */
};

struct gk_request {
	char *kernel;		/* uname -r of the kernel it was learnt on */
	u64 dropped;		/* programs the module could not record */
	u32 cnt;
	struct gk_learnt_prog *progs;
};

json_t *gk_request_json(const struct gk_request *r);
json_t *gk_maps_json(const struct gk_prog_maps *m, char *const *names);
int gk_maps_parse(const char *s, struct gk_prog_maps *m);
int gk_request_read(const char *path, struct gk_request *r);
void gk_request_free(struct gk_request *r);

#endif /* GK_LIB_REQUEST_H */
