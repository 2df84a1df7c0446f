/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Constraints on evidence fields beyond the measurements: each TEE lists
 * the fields a relying party may constrain in its reference values, and
 * fills in what its evidence says; one checker appraises them all.
 */
#ifndef GKV_FIELDS_H
#define GKV_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "gk_shim.h"

enum gkv_field_kind {
	GKV_FIELD_HEX_SET,	/* ["hex", ...]: the bytes are one of these */
	GKV_FIELD_UINT_SET,	/* [N, ...]: the number is one of these */
	GKV_FIELD_UINT_MIN,	/* N: the number is at least N */
	GKV_FIELD_BYTES_MIN,	/* "hex": every byte at least the given one */
	GKV_FIELD_VERSION_MIN,	/* "MAJOR.MINOR.BUILD": at least this version */
	GKV_FIELD_BITS,		/* {"name": bool, ...}: each named bit so */
};

struct gkv_bit {
	const char *key;	/* in the reference values */
	unsigned int bit;
};

struct gkv_field {
	const char *key;	/* in the TEE's reference values object */
	const char *check;	/* the check's name in the verdict */
	const char *name;	/* as the vendor documents name it */
	enum gkv_field_kind kind;
	size_t size;		/* bytes, for HEX_SET and BYTES_MIN */
	const struct gkv_bit *bits;	/* for BITS, ends with a NULL key */
};

/* What the evidence says of one field: bytes, or a number. */
struct gkv_fact {
	const u8 *bytes;	/* HEX_SET, BYTES_MIN */
	u64 num;		/* the others */
};

/* How many fields each TEE has: the sizes of its table and of its facts. */
#define GKV_SNP_NFIELDS 11
#define GKV_TDX_NFIELDS 7
extern const struct gkv_field gkv_snp_fields[GKV_SNP_NFIELDS];
extern const struct gkv_field gkv_tdx_fields[GKV_TDX_NFIELDS];

/* A firmware version MAJOR.MINOR.BUILD as one number that orders them. */
static inline u64 gkv_version(unsigned int major, unsigned int minor, unsigned int build)
{
	return (u64)major << 16 | (u64)minor << 8 | build;
}

int gkv_fields_load(json_t *obj, const struct gkv_field *f, size_t n,
		    char *msg, size_t msglen);
bool gkv_fields_known(const char *key, const struct gkv_field *f, size_t n);
struct gkv_verdict;
void gkv_fields_check(struct gkv_verdict *v, json_t *obj,
		      const struct gkv_field *f, size_t n,
		      const struct gkv_fact *facts);

#endif /* GKV_FIELDS_H */
