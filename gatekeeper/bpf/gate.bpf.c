// SPDX-License-Identifier: GPL-2.0
/*
 * The BPF half of the gate: forward each hook's arguments to the module's
 * kfuncs and turn their verdict into a constant return value (the LSM return
 * range is enforced from 6.12 on).  No policy lives here.
 *
 * Built once per hook flavour (GK_HOOK, see gatekeeper/compat.h) into a
 * light skeleton that the module loads from kernel context.
 */
#include <linux/types.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define GK_HOOK_FD 1
#define GK_HOOK_LOAD 2
#define GK_HOOK_LOAD_K 3

#define EPERM 1
#define ENOMEM 12

struct bpf_prog;
struct bpf_prog_aux;
struct bpf_token;
union bpf_attr;

extern int gk_kf_bpf_enter(int cmd, union bpf_attr *attr) __ksym;
extern int gk_kf_prog_fd(struct bpf_prog *prog) __ksym;

/*
 * Sleepable, at bpf() entry: where the loading application can be hashed,
 * attach commands checked, and loads refused once the gate was cut out.
 */
SEC("lsm.s/bpf")
int BPF_PROG(gk_bpf_enter, int cmd, union bpf_attr *attr)
{
	return gk_kf_bpf_enter(cmd, attr) ? -EPERM : 0;
}

/*
 * Every fd of a program is made here: where its attach target is known,
 * and its admission measured (sleepable: the TPM is extended).
 */
SEC("lsm.s/bpf_prog")
int BPF_PROG(gk_prog_fd, struct bpf_prog *prog)
{
	return gk_kf_prog_fd(prog) ? -EPERM : 0;
}

#if GK_HOOK == GK_HOOK_FD
extern int gk_kf_prog_alloc(struct bpf_prog_aux *aux) __ksym;
extern void gk_kf_prog_free(struct bpf_prog_aux *aux) __ksym;

SEC("lsm/bpf_prog_alloc_security")
int BPF_PROG(gk_prog_alloc, struct bpf_prog_aux *aux)
{
	return gk_kf_prog_alloc(aux) ? -ENOMEM : 0;
}

SEC("lsm/bpf_prog_free_security")
int BPF_PROG(gk_prog_free, struct bpf_prog_aux *aux)
{
	gk_kf_prog_free(aux);
	return 0;
}
#else
extern int gk_kf_prog_load(struct bpf_prog *prog, union bpf_attr *attr,
			   int origin) __ksym;
extern void gk_kf_prog_freed(__u64 prog) __ksym;

/*
 * The kernel frees a program: the inventory forgets it.  The verifier
 * takes this hook's pointer for untrusted, which no kfunc may be given:
 * the module gets its address.
 */
SEC("lsm/bpf_prog_free")
int gk_prog_free(__u64 *ctx)
{
	__u64 prog = 0;

	bpf_probe_read_kernel(&prog, sizeof(prog), ctx);
	gk_kf_prog_freed(prog);
	return 0;
}

#define GK_ORIGIN_USER 0
#define GK_ORIGIN_KERNEL 1
#define GK_ORIGIN_UNKNOWN 2

#if GK_HOOK == GK_HOOK_LOAD_K
SEC("lsm/bpf_prog_load")
int BPF_PROG(gk_prog_load, struct bpf_prog *prog, union bpf_attr *attr,
	     struct bpf_token *token, bool kernel)
{
	return gk_kf_prog_load(prog, attr, kernel ? GK_ORIGIN_KERNEL :
						    GK_ORIGIN_USER) ? -EPERM : 0;
}
#else
SEC("lsm/bpf_prog_load")
int BPF_PROG(gk_prog_load, struct bpf_prog *prog, union bpf_attr *attr,
	     struct bpf_token *token)
{
	return gk_kf_prog_load(prog, attr, GK_ORIGIN_UNKNOWN) ? -EPERM : 0;
}
#endif
#endif

char LICENSE[] SEC("license") = "GPL";
