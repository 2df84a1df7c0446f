/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels in the matrix (6.1, 6.12, 7.x) lives
 * here, so that the logic reads the same on all of them.
 */
#ifndef GK_COMPAT_H
#define GK_COMPAT_H

#include <linux/version.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <crypto/sha2.h>
#include <linux/fs.h>
#include <linux/mm_types.h>
#include <linux/rcupdate.h>

/*
 * Which LSM hook decides (docs/design.md, "Which hook"):
 *  GK_HOOK_FD:     < 6.9, lsm/bpf_prog at fd creation, bound to a digest
 *                  taken by a kprobe on bpf_check() before verification;
 *  GK_HOOK_LOAD:   6.9+, lsm/bpf_prog_load on the kernel's own copy;
 *  GK_HOOK_LOAD_K: as GK_HOOK_LOAD, and the hook says whether the load was
 *                  issued from kernel context (6.18+).
 * The values must match gatekeeper/bpf/gate.bpf.c.
 */
#define GK_HOOK_FD 1
#define GK_HOOK_LOAD 2
#define GK_HOOK_LOAD_K 3

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 18, 0)
#define GK_HOOK GK_HOOK_LOAD_K
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
#define GK_HOOK GK_HOOK_LOAD
#else
#define GK_HOOK GK_HOOK_FD
#endif

/* Kfunc sets: the KFUNCS flavour is required from 6.9 on. */
#ifdef BTF_KFUNCS_START
#define GK_KFUNCS_START BTF_KFUNCS_START
#define GK_KFUNCS_END BTF_KFUNCS_END
#else
#define GK_KFUNCS_START BTF_SET8_START
#define GK_KFUNCS_END BTF_SET8_END
#endif

#ifndef __bpf_kfunc_start_defs
#define __bpf_kfunc_start_defs()					\
	__diag_push();							\
	__diag_ignore_all("-Wmissing-prototypes",			\
			  "kfuncs are called from BPF programs only")
#define __bpf_kfunc_end_defs() __diag_pop()
#endif
#ifndef __bpf_kfunc
#define __bpf_kfunc __used noinline
#endif

/*
 * A kfunc set may name a filter that refuses other programs its kfuncs
 * (6.12 at the latest; 6.1 has none).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define GK_KFUNC_FILTER(f) .filter = (f),
#else
#define GK_KFUNC_FILTER(f)
#endif

/*
 * 6.1 does not treat LSM hook arguments as trusted pointers, so the kfuncs
 * cannot demand it there; 7.x trusts kfunc arguments by default and dropped
 * the flag.
 */
#if GK_HOOK != GK_HOOK_FD && defined(KF_TRUSTED_ARGS)
#define GK_KF_FLAGS KF_TRUSTED_ARGS
#else
#define GK_KF_FLAGS 0
#endif

/* SHA-256 library: struct sha256_ctx replaced struct sha256_state in 6.17. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 17, 0)
typedef struct sha256_ctx gk_sha256_ctx;
#else
typedef struct sha256_state gk_sha256_ctx;
#endif

static inline int gk_sha256_init(gk_sha256_ctx *c)
{
	sha256_init(c);
	return 0;
}

static inline void gk_sha256_update(gk_sha256_ctx *c, const void *p, size_t n)
{
	sha256_update(c, p, n);
}

static inline void gk_sha256_final(gk_sha256_ctx *c, u8 *out)
{
	sha256_final(c, out);
}

/* bin2hex() moved to <linux/hex.h>, which 7.3's kernel.h no longer includes. */
#if __has_include(<linux/hex.h>)
#include <linux/hex.h>
#endif

/*
 * A reference to a process's executable; get_mm_exe_file() is not
 * exported, and get_file_rcu() changed from a macro to an exported function
 * in 6.7.
 */
static inline struct file *gk_get_exe_file(struct mm_struct *mm)
{
	struct file *exe;

	rcu_read_lock();
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
	exe = get_file_rcu(&mm->exe_file);
#else
	exe = rcu_dereference(mm->exe_file);
	if (exe && !get_file_rcu(exe))
		exe = NULL;
#endif
	rcu_read_unlock();
	return exe;
}

/*
 * Does a verified program aim at a function of a module?  Since 6.12 at the
 * latest the verifier records the target's module in the program; before,
 * only the trampoline it prepared knows the target's address, until the
 * first attach.  (Macros: the users include <linux/bpf.h>, this header
 * does not.)
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define gk_prog_targets_module(prog, module) ((prog)->aux->mod == (module))
#else
#define gk_prog_targets_module(prog, module)				\
	((prog)->aux->dst_trampoline &&					\
	 within_module((unsigned long)(prog)->aux->dst_trampoline->func.addr, (module)))
#endif

/*
 * The name of the module a verified program's target function lies in,
 * into @buf (MODULE_NAME_LEN); false if it is unknown.  Before 6.12 the
 * trampoline's address is looked up with gk_symbol_module() (target.c).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define gk_prog_target_module_name(prog, buf, size)			\
	((prog)->aux->mod && strscpy((buf), (prog)->aux->mod->name, (size)) > 0)
#else
#define gk_prog_target_module_name(prog, buf, size)			\
	((prog)->aux->dst_trampoline &&					\
	 gk_symbol_module((prog)->aux->dst_trampoline->func.addr, (buf), (size)))
#endif

/*
 * A TDX guest's runtime measurement registers can be extended from a
 * module from 6.16 on (tdx_mcall_extend_rtmr()); not on 6.1 or 6.12.
 */
#if IS_ENABLED(CONFIG_INTEL_TDX_GUEST) && LINUX_VERSION_CODE >= KERNEL_VERSION(6, 16, 0)
#include <asm/cpufeature.h>
#include <asm/tdx.h>
#define GK_HAVE_RTMR 1
#define gk_tdx_guest() cpu_feature_enabled(X86_FEATURE_TDX_GUEST)
#define gk_rtmr_extend(index, data) tdx_mcall_extend_rtmr((index), (data))
#else
#define GK_HAVE_RTMR 0
#define gk_tdx_guest() false
#define gk_rtmr_extend(index, data) (-EOPNOTSUPP)
#endif

#endif /* GK_COMPAT_H */
