/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the policy code needs beyond core/gk_shim.h: memory.  A parsed
 * policy is one block of up to a few hundred KiB, so the kernel side uses
 * kvmalloc() (falls back to vmalloc when the block is large); small
 * allocations go through kmalloc().  Both may sleep: policies are parsed in
 * process context (a securityfs write), never on the BPF_PROG_LOAD path.
 */
#ifndef GK_POLICY_SHIM_H
#define GK_POLICY_SHIM_H

#include "gk_shim.h"

#ifdef __KERNEL__
#include <linux/mm.h>
#include <linux/slab.h>

static inline void *gk_alloc(size_t n)
{
	return kmalloc(n, GFP_KERNEL);
}

static inline void gk_free(void *p)
{
	kfree(p);
}

static inline void *gk_kvalloc(size_t n)
{
	return kvmalloc(n, GFP_KERNEL);
}

static inline void gk_kvfree(void *p)
{
	kvfree(p);
}
#else
#include <stdlib.h>

static inline void *gk_alloc(size_t n)
{
	return malloc(n);
}

static inline void gk_free(void *p)
{
	free(p);
}

static inline void *gk_kvalloc(size_t n)
{
	return malloc(n);
}

static inline void gk_kvfree(void *p)
{
	free(p);
}
#endif

#define GK_U32_MAX ((u32)~0U)
#define GK_U64_MAX ((u64)~0ULL)

#endif /* GK_POLICY_SHIM_H */
