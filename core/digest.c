// SPDX-License-Identifier: GPL-2.0
/*
 * Program digest: what a publisher signs and what the gate recomputes from
 * the kernel's own copy of the instructions.
 */
#include "gk_format.h"

#define GK_INSN_SIZE 8
#define GK_LD_IMM64 0x18	/* BPF_LD | BPF_IMM | BPF_DW */
#define GK_PSEUDO_MAP_FD 1
#define GK_PSEUDO_MAP_VALUE 2
#define GK_PSEUDO_BTF_ID 3

/* Instructions are normalised and hashed in chunks of this many. */
#define GK_DIGEST_CHUNK 64

/*
 * The loader chooses file descriptor numbers, so they cannot be signed:
 * zero the fd of a map reference (first half of ld_imm64) and the BTF
 * object fd of a ksym reference (second half).  Index-based references
 * (BPF_PSEUDO_MAP_IDX, kfunc calls through fd_array) are stable and kept.
 */
static void gk_normalise(u8 *insn, u8 *next)
{
	u8 src;

	if (insn[0] != GK_LD_IMM64 || !next)
		return;
	src = insn[1] >> 4;
	if (src == GK_PSEUDO_MAP_FD || src == GK_PSEUDO_MAP_VALUE)
		memset(insn + 4, 0, 4);
	else if (src == GK_PSEUDO_BTF_ID)
		memset(next + 4, 0, 4);
}

/**
 * gk_prog_digest() - compute the version 1 digest of a program
 * @desc: program type, flags and instructions
 * @out: the SHA-256 digest
 *
 * Context: any; does not sleep or allocate in the kernel.
 * Return: 0, or -ENOMEM if the userspace hash context cannot be allocated.
 */
int gk_prog_digest(const struct gk_prog_desc *desc, u8 out[GK_DIGEST_SIZE])
{
	u8 chunk[(GK_DIGEST_CHUNK + 1) * GK_INSN_SIZE];
	const u8 *insns = desc->insns;
	struct gk_digest_hdr hdr;
	gk_sha256_ctx ctx;
	u32 i, n;
	int err;

	memset(&hdr, 0, sizeof(hdr));
	memcpy(hdr.magic, GK_DIGEST_MAGIC, sizeof(hdr.magic));
	gk_put_le32((u8 *)&hdr.version, GK_DIGEST_V1);
	gk_put_le32((u8 *)&hdr.prog_type, desc->prog_type);
	gk_put_le32((u8 *)&hdr.expected_attach_type, desc->expected_attach_type);
	gk_put_le32((u8 *)&hdr.prog_flags, desc->prog_flags & GK_DIGEST_PROG_FLAGS);
	gk_put_le32((u8 *)&hdr.insn_cnt, desc->insn_cnt);

	err = gk_sha256_init(&ctx);
	if (err)
		return err;
	gk_sha256_update(&ctx, &hdr, sizeof(hdr));

	for (i = 0; i < desc->insn_cnt; i += n) {
		u32 j, copy;

		n = desc->insn_cnt - i;
		if (n > GK_DIGEST_CHUNK)
			n = GK_DIGEST_CHUNK;
		/* Copy one more so an ld_imm64 split across chunks is seen whole. */
		copy = n + (i + n < desc->insn_cnt);
		memcpy(chunk, insns + (size_t)i * GK_INSN_SIZE, copy * GK_INSN_SIZE);
		for (j = 0; j < n; j++) {
			u8 *insn = chunk + j * GK_INSN_SIZE;

			gk_normalise(insn, j + 1 < copy ? insn + GK_INSN_SIZE : NULL);
			if (insn[0] == GK_LD_IMM64 && j + 1 < copy)
				j++;
		}
		/* An ld_imm64 whose second half opens the next chunk. */
		if (j > n)
			n++;
		gk_sha256_update(&ctx, chunk, (size_t)n * GK_INSN_SIZE);
	}
	gk_sha256_final(&ctx, out);
	return 0;
}

/**
 * gk_map_digest() - compute the version 1 digest of a map's contents
 * @desc: the map's shape, and how to read each element's value
 * @out: the SHA-256 digest
 *
 * Context: any; does not sleep or allocate in the kernel.
 * Return: 0; -EFAULT if an element cannot be read; -ENOMEM if the
 * userspace hash context cannot be allocated.
 */
int gk_map_digest(const struct gk_map_desc *desc, u8 out[GK_DIGEST_SIZE])
{
	struct gk_map_digest_hdr hdr;
	gk_sha256_ctx ctx;
	const void *v;
	u32 i;
	int err;

	memset(&hdr, 0, sizeof(hdr));
	memcpy(hdr.magic, GK_MAP_DIGEST_MAGIC, sizeof(hdr.magic));
	gk_put_le32((u8 *)&hdr.version, GK_MAP_DIGEST_V1);
	gk_put_le32((u8 *)&hdr.map_type, desc->map_type);
	gk_put_le32((u8 *)&hdr.value_size, desc->value_size);
	gk_put_le32((u8 *)&hdr.max_entries, desc->max_entries);

	err = gk_sha256_init(&ctx);
	if (err)
		return err;
	gk_sha256_update(&ctx, &hdr, sizeof(hdr));
	for (i = 0; i < desc->max_entries; i++) {
		v = desc->value(desc->ctx, i);
		if (!v)
			break;
		gk_sha256_update(&ctx, v, desc->value_size);
	}
	gk_sha256_final(&ctx, out);
	return i == desc->max_entries ? 0 : -EFAULT;
}
