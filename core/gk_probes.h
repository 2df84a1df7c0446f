/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The catalogue of loader feature probes: the small programs that loaders
 * load, and close again, to learn what the kernel supports before they
 * load an object (docs/probes.md).  Every entry's instructions are listed
 * in gk_probes.c; its digest is computed from them, never written down.
 */
#ifndef GK_PROBES_H
#define GK_PROBES_H

#include "gk_shim.h"
#include "gk_format.h"

/* One instruction, laid out as struct bpf_insn on a little-endian machine. */
struct gk_insn {
	u8 code;
	u8 regs;	/* dst_reg | src_reg << 4 */
	s16 off;
	s32 imm;
};

struct gk_probe {
	const char *id;		/* short, for logs: "libbpf-trivial" */
	const char *loader;	/* who issues it, since which version */
	const char *feature;	/* what it finds out */
	const char *harmless;	/* why admitting it cannot do harm */
	u32 prog_type;
	u32 expected_attach_type;
	const struct gk_insn *insns;
	u32 insn_cnt;
};

extern const struct gk_probe gk_probes[];
extern const unsigned int gk_probes_n;

int gk_probe_digest(const struct gk_probe *p, u8 out[GK_DIGEST_SIZE]);

#endif /* GK_PROBES_H */
