// SPDX-License-Identifier: GPL-2.0
/*
 * What a program attaches to.  No program may change the path that
 * decides, whatever its signature: a program that can change a return value
 * or skip a call (an LSM program; a tracing program of the fmod_ret kind)
 * aimed at the kernel's BPF security hooks could admit what the gate
 * refuses, and a program aimed at the module's functions or the gate's own
 * programs could change or watch the gate itself.
 *
 * A kernel function target is known only once the verifier resolved it
 * (attach_func_name), so the rule is applied where every fd of a program is
 * made (lsm/bpf_prog): at load, BPF_PROG_GET_FD_BY_ID and BPF_OBJ_GET alike.
 * Without an fd a program cannot be attached.  A process that held an fd
 * from before the gate armed is stopped at BPF_LINK_CREATE and
 * BPF_RAW_TRACEPOINT_OPEN instead, and the watch (arm.c) catches what a
 * race on that fd could still slip through.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/err.h>
#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/string.h>
#include "target.h"
#include "arm.h"
#include "inventory.h"
#include "compat.h"
#include "gk_format.h"

/*
 * Every kernel function through which a program load reaches the gate, on
 * every kernel of the matrix, starts with one of these: the security_bpf*()
 * callers of the LSM hooks (security_bpf, _prog, _prog_alloc, _prog_free,
 * _prog_load on 6.9+) and the bpf_lsm_bpf*() hooks the gate attaches to.
 * The BPF map and token hooks share the prefixes and are refused with them.
 */
static const char *const gk_decision_path[] = { "security_bpf", "bpf_lsm_bpf" };

/* Can @prog change the result of the function it is attached to? */
static bool gk_prog_can_modify(const struct bpf_prog *prog)
{
	return prog->type == BPF_PROG_TYPE_LSM ||
	       (prog->type == BPF_PROG_TYPE_TRACING &&
		prog->expected_attach_type == BPF_MODIFY_RETURN);
}

static bool gk_on_decision_path(const char *func)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(gk_decision_path); i++)
		if (!strncmp(func, gk_decision_path[i], strlen(gk_decision_path[i])))
			return true;
	return false;
}

/**
 * gk_target_refusal() - does a verified program aim at the gate
 * @prog: a program the verifier accepted
 * @buf: room for the reason
 * @size: size of @buf
 *
 * Context: any; does not sleep.
 * Return: NULL if the program may be attached wherever it aims (the gate's
 * own programs may), else the reason it may not, in @buf.
 */
const char *gk_target_refusal(const struct bpf_prog *prog, char *buf, size_t size)
{
	const struct bpf_prog_aux *aux = prog->aux;
	const char *func = aux->attach_func_name;

	if (gk_is_gate_prog(prog))
		return NULL;
	if (aux->dst_prog && gk_is_gate_prog(aux->dst_prog)) {
		strscpy(buf, "targets the gate's own programs", size);
		return buf;
	}
	if (prog->type != BPF_PROG_TYPE_LSM && prog->type != BPF_PROG_TYPE_TRACING)
		return NULL;
	if (gk_prog_targets_module(prog, THIS_MODULE)) {
		snprintf(buf, size, "attaches to the gate module's %s", func ? func : "code");
		return buf;
	}
	if (func && gk_prog_can_modify(prog) && gk_on_decision_path(func)) {
		snprintf(buf, size, "can change the result of %s, on the gate's decision path",
			 func);
		return buf;
	}
	return NULL;
}

/*
 * The module of a kernel text address, from its symbol ("name+off/size
 * [module]"); false for vmlinux or an unknown address.  Context: any.
 */
static bool __maybe_unused gk_symbol_module(void *addr, char *buf, size_t size)
{
	char sym[KSYM_SYMBOL_LEN];
	char *open, *close;

	sprint_symbol(sym, (unsigned long)addr);
	open = strrchr(sym, '[');
	close = open ? strchr(open, ']') : NULL;
	if (!close || close == open + 1 || close - open > size)
		return false;
	*close = '\0';
	strscpy(buf, open + 1, size);
	return true;
}

/*
 * "prog_DIGEST:FUNC": function @func of the BPF program @dst, by the digest
 * the gate admitted @dst under.  Context: any; does not sleep.
 */
static bool gk_prog_target_name(const struct bpf_prog *dst, const char *func, char *buf,
				size_t size)
{
	u8 digest[GK_DIGEST_SIZE];

	if (!func || !gk_inventory_digest(dst->aux, digest))
		return false;
	return snprintf(buf, size, "prog_%*phN:%s", GK_DIGEST_SIZE, digest, func) < size;
}

/*
 * "vmlinux:STRUCT.MEMBER" of a struct_ops program: the kernel struct
 * (attach_btf_id) and the member (expected_attach_type) the verifier
 * checked it for.  Only btf_type_by_id() of BTF is exported: the verifier
 * took attach_func_name from the one string section of the kernel's BTF at
 * the member's name offset, which locates the struct's name too.  A
 * module's struct is not named (its strings are split from the kernel's).
 * Context: any; does not sleep.
 */
static bool gk_struct_ops_name(const struct bpf_prog *prog, char *buf, size_t size)
{
	const struct bpf_prog_aux *aux = prog->aux;
	const struct btf_member *member;
	const struct btf_type *t;
	const char *strings;

	if (!aux->attach_func_name || !aux->attach_btf || !gk_is_vmlinux_btf(aux->attach_btf))
		return false;
	t = btf_type_by_id(aux->attach_btf, aux->attach_btf_id);
	if (!t || BTF_INFO_KIND(t->info) != BTF_KIND_STRUCT ||
	    prog->expected_attach_type >= BTF_INFO_VLEN(t->info))
		return false;
	member = (const struct btf_member *)(t + 1) + prog->expected_attach_type;
	strings = aux->attach_func_name - member->name_off;
	return snprintf(buf, size, "vmlinux:%s.%s", strings + t->name_off,
			aux->attach_func_name) < size;
}

/**
 * gk_target_name() - where a verified program is fixed to attach
 * @prog: a program the verifier accepted, before its first attach
 * @buf: room for "MODULE:FUNCTION" (GK_ATTACH_MAX + 1)
 * @size: size of @buf
 *
 * The name survives kernel rebuilds: the target's BTF name and its
 * module, "vmlinux" for the kernel itself, or "prog_DIGEST" for a function
 * of another BPF program (freplace, and tracing programs aimed at one),
 * known by the digest the gate admitted it under, and "STRUCT.MEMBER" for
 * a struct_ops program.  Only fentry, fexit, fmod_ret, LSM, BTF
 * tracepoint, iterator, struct_ops and those programs are fixed at load;
 * the others are aimed at attach time.
 *
 * Context: any; does not sleep.
 * Return: true with the name in @buf; false if the program has no such
 * target or it cannot be named (docs/formats.md, "Manifest").
 */
bool gk_target_name(const struct bpf_prog *prog, char *buf, size_t size)
{
	const struct bpf_prog_aux *aux = prog->aux;
	char module[MODULE_NAME_LEN];

	if ((prog->type == BPF_PROG_TYPE_EXT || prog->type == BPF_PROG_TYPE_TRACING) &&
	    aux->dst_prog)
		return gk_prog_target_name(aux->dst_prog, aux->attach_func_name, buf, size);
	if (prog->type == BPF_PROG_TYPE_STRUCT_OPS)
		return gk_struct_ops_name(prog, buf, size);
	if ((prog->type != BPF_PROG_TYPE_TRACING && prog->type != BPF_PROG_TYPE_LSM) ||
	    !aux->attach_func_name || !aux->attach_btf || aux->dst_prog)
		return false;
	if (gk_is_vmlinux_btf(aux->attach_btf))
		strscpy(module, "vmlinux", sizeof(module));
	else if (!gk_prog_target_module_name(prog, module, sizeof(module)))
		return false;
	return snprintf(buf, size, "%s:%s", module, aux->attach_func_name) < size;
}

/* The program an attach command names, if it is of a type that has a target. */
static struct bpf_prog *gk_prog_of_fd(u32 fd)
{
	static const enum bpf_prog_type types[] = {
		BPF_PROG_TYPE_LSM, BPF_PROG_TYPE_TRACING, BPF_PROG_TYPE_EXT,
	};
	struct bpf_prog *prog;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		prog = bpf_prog_get_type_dev(fd, types[i], false);
		if (!IS_ERR(prog))
			return prog;
	}
	return NULL;
}

/**
 * gk_attach_refusal() - may an attach command go ahead
 * @cmd: the bpf() command
 * @attr: its attributes, the kernel's copy
 * @buf: room for the reason
 * @size: size of @buf
 *
 * Programs that aim at the gate cannot get an fd once it is armed; this
 * stops a process holding one from before.  A thread swapping the fd
 * between this check and the kernel's own lookup is not stopped here: the
 * watch (arm.c) sees the result.
 *
 * Context: bpf() entry (sleepable BPF LSM program).
 * Return: NULL to let the command go ahead, else the program it would
 * attach, with a reference the caller drops, and the reason in @buf.
 */
struct bpf_prog *gk_attach_refusal(int cmd, const union bpf_attr *attr,
				   char *buf, size_t size)
{
	struct bpf_prog *prog, *target;
	u32 target_fd = 0;

	switch (cmd) {
	case BPF_LINK_CREATE:
		prog = gk_prog_of_fd(attr->link_create.prog_fd);
		target_fd = attr->link_create.target_fd;
		break;
	case BPF_RAW_TRACEPOINT_OPEN:
		prog = gk_prog_of_fd(attr->raw_tracepoint.prog_fd);
		break;
	default:
		return NULL;
	}
	if (!prog || gk_target_refusal(prog, buf, size))
		return prog;
	/* freplace and fentry may name another BPF program as target here. */
	if (target_fd && prog->type != BPF_PROG_TYPE_LSM) {
		target = bpf_prog_get_type_dev(target_fd, BPF_PROG_TYPE_LSM, false);
		if (!IS_ERR(target)) {
			bool gate = gk_is_gate_prog(target);

			bpf_prog_put(target);
			if (gate) {
				strscpy(buf, "targets the gate's own programs", size);
				return prog;
			}
		}
	}
	bpf_prog_put(prog);
	return NULL;
}

/* Past every program type of every kernel: the others only fail with EINVAL. */
#define GK_PROG_TYPES_MAX 64

/* The program behind @fd, whatever its type (bpf_prog_get() is not exported), or NULL. */
static struct bpf_prog *gk_prog_of_any_type(u32 fd)
{
	struct bpf_prog *prog;
	int type;

	for (type = BPF_PROG_TYPE_UNSPEC + 1; type < GK_PROG_TYPES_MAX; type++) {
		prog = bpf_prog_get_type_dev(fd, type, false);
		if (!IS_ERR(prog))
			return prog;
		if (PTR_ERR(prog) != -EINVAL)
			return NULL;
	}
	return NULL;
}

/**
 * gk_prog_btf_name() - the full BTF name of a program's function
 * @prog: a program (or subprogram) the kernel put in kallsyms
 * @buf: room for the name
 * @size: size of @buf
 *
 * The kernel names a program's symbol "bpf_prog_" TAG "_" NAME, NAME from
 * its BTF, where the program's own name holds 15 characters.
 *
 * Context: any.
 * Return: whether the symbol has that form, with NAME in @buf.
 */
bool gk_prog_btf_name(const struct bpf_prog *prog, char *buf, size_t size)
{
	const char *sym = prog->aux->ksym.name;
	const size_t pre = sizeof("bpf_prog_") - 1 + 2 * BPF_TAG_SIZE;

	if (strncmp(sym, "bpf_prog_", 9) || strnlen(sym, pre + 2) <= pre + 1 || sym[pre] != '_')
		return false;
	return strscpy(buf, sym + pre + 1, size) > 0;
}

/* The name of the function of type @btf_id in @prog. */
static bool gk_subprog_name(const struct bpf_prog *prog, u32 btf_id, char *buf, size_t size)
{
	const struct bpf_prog_aux *aux = prog->aux;
	u32 i;

	for (i = 0; i < aux->func_info_cnt; i++)
		if (aux->func_info[i].type_id == btf_id)
			break;
	if (i == aux->func_info_cnt || (aux->func_cnt ? i >= aux->func_cnt : i))
		return false;
	/* The main program is named in its own symbol; func[0] has none. */
	return gk_prog_btf_name(i ? aux->func[i] : prog, buf, size);
}

/**
 * gk_retarget_name() - where BPF_LINK_CREATE would aim a program at another
 * @attr: the command's attributes, the kernel's copy
 * @buf: room for the target's name (GK_ATTACH_MAX + 1)
 * @size: size of @buf
 *
 * An extension, or a tracing program, can be attached to another BPF
 * program than the one it was loaded for (target_fd, target_btf_id): the
 * name of that target as gk_target_name() spells it.
 *
 * Context: bpf() entry (sleepable BPF LSM program).
 * Return: the program being attached, with a reference the caller drops,
 * and the name in @buf ("" if the target cannot be named); NULL if the
 * command names no other program.
 */
struct bpf_prog *gk_retarget_name(const union bpf_attr *attr, char *buf, size_t size)
{
	char func[KSYM_NAME_LEN];
	struct bpf_prog *prog, *target;

	if (!attr->link_create.target_fd || !attr->link_create.target_btf_id)
		return NULL;
	prog = gk_prog_of_fd(attr->link_create.prog_fd);
	if (!prog)
		return NULL;
	if (prog->type == BPF_PROG_TYPE_LSM) {
		bpf_prog_put(prog);
		return NULL;
	}
	buf[0] = '\0';
	target = gk_prog_of_any_type(attr->link_create.target_fd);
	if (!target)
		return prog;
	if (!gk_subprog_name(target, attr->link_create.target_btf_id, func, sizeof(func)) ||
	    !gk_prog_target_name(target, func, buf, size))
		buf[0] = '\0';
	bpf_prog_put(target);
	return prog;
}
