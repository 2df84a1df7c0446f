/* SPDX-License-Identifier: GPL-2.0 */
/*
 * eBPF GateKeeper wire formats: the program digest, the signed manifest
 * and the signature bundle.  This header is the only definition of these
 * formats; the kernel module, gk-sign, gkctl, the unit tests and the fuzzers
 * all include it.  docs/formats.md describes the same bytes for people.
 *
 * All integers are little-endian and unaligned.  Reserved fields must be
 * zero; readers reject anything else so the fields can be given a meaning
 * later without old readers misinterpreting new data.
 */
#ifndef GK_FORMAT_H
#define GK_FORMAT_H

#include "gk_shim.h"

#define GK_DIGEST_SIZE 32	/* SHA-256 */

/*
 * Program digest, version 1: SHA-256 over struct gk_digest_hdr followed by
 * the program's instructions, 8 bytes each as struct bpf_insn lays them out
 * on a little-endian machine, with per-load values zeroed (see
 * gk_prog_digest()).
 */
#define GK_DIGEST_MAGIC "GKPROG\0\1"
#define GK_DIGEST_V1 1

struct gk_digest_hdr {
	u8 magic[8];
	__le32 version;
	__le32 prog_type;
	__le32 expected_attach_type;
	__le32 prog_flags;	/* attr->prog_flags & GK_DIGEST_PROG_FLAGS */
	__le32 insn_cnt;
	__le32 reserved;
};

/* bpf_attr.prog_flags bits that change what a program may do once loaded. */
#define GK_BPF_F_SLEEPABLE (1U << 4)
#define GK_BPF_F_XDP_HAS_FRAGS (1U << 5)
#define GK_BPF_F_XDP_DEV_BOUND_ONLY (1U << 6)
#define GK_DIGEST_PROG_FLAGS \
	(GK_BPF_F_SLEEPABLE | GK_BPF_F_XDP_HAS_FRAGS | GK_BPF_F_XDP_DEV_BOUND_ONLY)

/*
 * Manifest: the bytes a publisher signs.  It binds a program digest to what
 * the policy may match on.  Strings follow the fixed part in this order,
 * without terminators, and hold printable ASCII only.  Version 2 adds the
 * attach target (attach_len, then the string after the others); a version
 * 1 manifest has none and keeps its meaning: any target.  Version 3 binds
 * the program's maps: how many it uses, and the contents of the read-only
 * ones (map_cnt, bound_cnt, then bound_cnt struct gk_manifest_map after the
 * strings); its attach target may be empty.  Versions 1 and 2 keep their
 * meaning: any maps, any contents.
 */
#define GK_MANIFEST_MAGIC "GKMANI\0\1"
#define GK_MANIFEST_V1 1
#define GK_MANIFEST_V2 2
#define GK_MANIFEST_V3 3

#define GK_MANIFEST_CONFIDENTIAL (1U << 0)
#define GK_MANIFEST_FLAGS GK_MANIFEST_CONFIDENTIAL

#define GK_NAME_MAX 64		/* program name, as in the ELF object */
#define GK_PUBLISHER_MAX 128
#define GK_SOURCE_MAX 1024	/* provenance URI */
#define GK_TARGET_MAX 128	/* kernel release; empty: any kernel */
/* "MODULE:FUNCTION" a program fixed at load aims at; empty: not bound */
#define GK_ATTACH_MAX 256
#define GK_MAPS_MAX 64		/* maps one program may use (the kernel's MAX_USED_MAPS) */

struct gk_manifest_hdr {
	u8 magic[8];
	__le32 version;
	__le32 flags;
	u8 digest[GK_DIGEST_SIZE];
	__le16 name_len;
	__le16 publisher_len;
	__le16 source_len;
	__le16 target_len;
	__le16 attach_len;	/* versions 2 and 3; reserved (0) in version 1 */
	u8 map_cnt;		/* version 3: maps the program uses; else reserved (0) */
	u8 bound_cnt;		/* version 3: read-only maps bound; else reserved (0) */
	u8 reserved[4];
};

/*
 * A read-only map a version 3 manifest binds: its place among the maps the
 * verifier resolved for the program (the order in which the instructions
 * first name each), and the digest of its contents (gk_map_digest()).
 */
struct gk_manifest_map {
	u8 slot;		/* < map_cnt; increasing from one entry to the next */
	u8 reserved[3];
	u8 digest[GK_DIGEST_SIZE];
};

/*
 * Map contents digest, version 1: SHA-256 over struct gk_map_digest_hdr
 * followed by the value of each of max_entries elements in key order,
 * value_size bytes each.  Only arrays can be bound.
 */
#define GK_MAP_DIGEST_MAGIC "GKMAPD\0\1"
/* Largest contents bound (value_size * max_entries): hashed at a program's first fd. */
#define GK_MAP_BIND_MAX (4U << 20)
#define GK_MAP_DIGEST_V1 1
#define GK_BPF_MAP_TYPE_ARRAY 2

struct gk_map_digest_hdr {
	u8 magic[8];
	__le32 version;
	__le32 map_type;
	__le32 value_size;
	__le32 max_entries;
};

/*
 * Bundle, version 1: a header and @count entries, each an entry header, the
 * manifest and its detached PKCS#7 (CMS) signature in DER.  A bundle is
 * registered with a single write() to securityfs and is taken whole or not
 * at all.
 */
#define GK_BUNDLE_MAGIC "GKBUNDL1"
#define GK_BUNDLE_V1 1
#define GK_BUNDLE_MAX_ENTRIES 256
#define GK_BUNDLE_MAX_SIZE (1024 * 1024)
#define GK_SIG_MAX_SIZE (64 * 1024)

struct gk_bundle_hdr {
	u8 magic[8];
	__le32 version;
	__le32 count;
	__le32 size;		/* of the whole bundle, this header included */
	__le32 reserved;
};

struct gk_bundle_entry_hdr {
	__le32 manifest_len;
	__le32 sig_len;
};

/*
 * Signed policy, version 1: what `gkctl policy sign` writes and the
 * securityfs policy file takes in one write(): this header, the policy
 * text (see policy/gk_policy.h) and a detached PKCS#7 signature over the
 * text by a policy-admin key.
 */
#define GK_SPOLICY_MAGIC "GKPOLIC1"
#define GK_SPOLICY_V1 1
#define GK_SPOLICY_TEXT_MAX (256 * 1024)
#define GK_SPOLICY_MAX_SIZE (GK_SPOLICY_TEXT_MAX + GK_SIG_MAX_SIZE + 24)

struct gk_spolicy_hdr {
	u8 magic[8];
	__le32 version;
	__le32 text_len;
	__le32 sig_len;
	__le32 reserved;
};

/* A read-only map a manifest binds (struct gk_manifest_map, aligned). */
struct gk_bound_map {
	u8 slot;
	u8 digest[GK_DIGEST_SIZE];
};

/* A parsed manifest; pointers refer into the caller's buffer. */
struct gk_manifest {
	const u8 *raw;		/* the signed bytes */
	size_t raw_len;
	u32 flags;
	const u8 *digest;
	const char *name, *publisher, *source, *target, *attach;
	u16 name_len, publisher_len, source_len, target_len, attach_len;
	bool maps_bound;	/* version 3: the fields below hold */
	u8 map_cnt, bound_cnt;
	const u8 *maps;		/* bound_cnt struct gk_manifest_map, unaligned */
};

/* What gk_prog_digest() needs to know about a program. */
struct gk_prog_desc {
	u32 prog_type;
	u32 expected_attach_type;
	u32 prog_flags;
	const void *insns;	/* struct bpf_insn[insn_cnt] */
	u32 insn_cnt;
};

/* What gk_map_digest() needs to know about a map. */
struct gk_map_desc {
	u32 map_type;
	u32 value_size;
	u32 max_entries;
	/* the value of element @i, value_size bytes; NULL if it cannot be read */
	const void *(*value)(const void *ctx, u32 i);
	const void *ctx;
};

int gk_prog_digest(const struct gk_prog_desc *desc, u8 out[GK_DIGEST_SIZE]);
int gk_map_digest(const struct gk_map_desc *desc, u8 out[GK_DIGEST_SIZE]);
void gk_manifest_map_get(const struct gk_manifest *m, u32 i, u8 *slot, const u8 **digest);
int gk_manifest_parse(const u8 *buf, size_t len, struct gk_manifest *m);
bool gk_attach_valid(const char *s, size_t n);

typedef int (*gk_bundle_entry_fn)(void *ctx, const struct gk_manifest *m,
				  const u8 *sig, size_t sig_len);
int gk_bundle_parse(const u8 *buf, size_t len, gk_bundle_entry_fn fn,
		    void *ctx);
int gk_spolicy_parse(const u8 *buf, size_t len, const u8 **text,
		     size_t *text_len, const u8 **sig, size_t *sig_len);

#endif /* GK_FORMAT_H */
