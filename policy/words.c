// SPDX-License-Identifier: GPL-2.0
/*
 * The words of the policy language (docs/policy.md): its keywords and the
 * BPF type names, in tables the parser reads and the printer writes from.
 */
#include "internal.h"

/*
 * Program and attach type names: the kernel's enum names, lower case and
 * without the BPF_PROG_TYPE_ / BPF_ prefix, as libbpf and bpftool print
 * them.  The index is the uapi number, which is ABI and never changes;
 * tests/policy/test_policy.c checks both tables against linux/bpf.h.
 * Types newer than these tables can still be written as numbers.
 */
const char *const gk_prog_types[] = {
	NULL,					/* 0 */
	"socket_filter",			/* 1 */
	"kprobe",				/* 2 */
	"sched_cls",				/* 3 */
	"sched_act",				/* 4 */
	"tracepoint",				/* 5 */
	"xdp",					/* 6 */
	"perf_event",				/* 7 */
	"cgroup_skb",				/* 8 */
	"cgroup_sock",				/* 9 */
	"lwt_in",				/* 10 */
	"lwt_out",				/* 11 */
	"lwt_xmit",				/* 12 */
	"sock_ops",				/* 13 */
	"sk_skb",				/* 14 */
	"cgroup_device",			/* 15 */
	"sk_msg",				/* 16 */
	"raw_tracepoint",			/* 17 */
	"cgroup_sock_addr",			/* 18 */
	"lwt_seg6local",			/* 19 */
	"lirc_mode2",				/* 20 */
	"sk_reuseport",				/* 21 */
	"flow_dissector",			/* 22 */
	"cgroup_sysctl",			/* 23 */
	"raw_tracepoint_writable",		/* 24 */
	"cgroup_sockopt",			/* 25 */
	"tracing",				/* 26 */
	"struct_ops",				/* 27 */
	"ext",					/* 28 */
	"lsm",					/* 29 */
	"sk_lookup",				/* 30 */
	"syscall",				/* 31 */
	"netfilter",				/* 32 */
};
_Static_assert(GK_ARRAY_SIZE(gk_prog_types) == GK_PROG_TYPES_N, "GK_PROG_TYPES_N");

const char *const gk_attach_types[] = {
	"cgroup_inet_ingress",			/* 0 */
	"cgroup_inet_egress",			/* 1 */
	"cgroup_inet_sock_create",		/* 2 */
	"cgroup_sock_ops",			/* 3 */
	"sk_skb_stream_parser",			/* 4 */
	"sk_skb_stream_verdict",		/* 5 */
	"cgroup_device",			/* 6 */
	"sk_msg_verdict",			/* 7 */
	"cgroup_inet4_bind",			/* 8 */
	"cgroup_inet6_bind",			/* 9 */
	"cgroup_inet4_connect",			/* 10 */
	"cgroup_inet6_connect",			/* 11 */
	"cgroup_inet4_post_bind",		/* 12 */
	"cgroup_inet6_post_bind",		/* 13 */
	"cgroup_udp4_sendmsg",			/* 14 */
	"cgroup_udp6_sendmsg",			/* 15 */
	"lirc_mode2",				/* 16 */
	"flow_dissector",			/* 17 */
	"cgroup_sysctl",			/* 18 */
	"cgroup_udp4_recvmsg",			/* 19 */
	"cgroup_udp6_recvmsg",			/* 20 */
	"cgroup_getsockopt",			/* 21 */
	"cgroup_setsockopt",			/* 22 */
	"trace_raw_tp",				/* 23 */
	"trace_fentry",				/* 24 */
	"trace_fexit",				/* 25 */
	"modify_return",			/* 26 */
	"lsm_mac",				/* 27 */
	"trace_iter",				/* 28 */
	"cgroup_inet4_getpeername",		/* 29 */
	"cgroup_inet6_getpeername",		/* 30 */
	"cgroup_inet4_getsockname",		/* 31 */
	"cgroup_inet6_getsockname",		/* 32 */
	"xdp_devmap",				/* 33 */
	"cgroup_inet_sock_release",		/* 34 */
	"xdp_cpumap",				/* 35 */
	"sk_lookup",				/* 36 */
	"xdp",					/* 37 */
	"sk_skb_verdict",			/* 38 */
	"sk_reuseport_select",			/* 39 */
	"sk_reuseport_select_or_migrate",	/* 40 */
	"perf_event",				/* 41 */
	"trace_kprobe_multi",			/* 42 */
	"lsm_cgroup",				/* 43 */
	"struct_ops",				/* 44 */
	"netfilter",				/* 45 */
	"tcx_ingress",				/* 46 */
	"tcx_egress",				/* 47 */
	"trace_uprobe_multi",			/* 48 */
	"cgroup_unix_connect",			/* 49 */
	"cgroup_unix_sendmsg",			/* 50 */
	"cgroup_unix_recvmsg",			/* 51 */
	"cgroup_unix_getpeername",		/* 52 */
	"cgroup_unix_getsockname",		/* 53 */
	"netkit_primary",			/* 54 */
	"netkit_peer",				/* 55 */
	"trace_kprobe_session",			/* 56 */
	"trace_uprobe_session",			/* 57 */
	"trace_fsession",			/* 58 */
	"trace_fentry_multi",			/* 59 */
	"trace_fexit_multi",			/* 60 */
	"trace_fsession_multi",			/* 61 */
};
_Static_assert(GK_ARRAY_SIZE(gk_attach_types) == GK_ATTACH_TYPES_N, "GK_ATTACH_TYPES_N");

const char *const gk_actions[GK_POLICY_DENY + 1] = {
	[GK_POLICY_ALLOW] = "allow",
	[GK_POLICY_AUDIT] = "audit",
	[GK_POLICY_DENY] = "deny",
};

const char *const gk_modes[GK_POLICY_AUDIT_ONLY + 1] = {
	[GK_POLICY_ENFORCE] = "enforce",
	[GK_POLICY_AUDIT_ONLY] = "audit",
};

const char *const gk_probes_words[GK_POLICY_PROBES_REFUSED + 1] = {
	[GK_POLICY_PROBES_TRUSTED] = "trusted",
	[GK_POLICY_PROBES_REFUSED] = "refused",
};

const char *const gk_source_kinds[GK_POLICY_SOURCE_GLOB + 1] = {
	[GK_POLICY_SOURCE_EXACT] = "exact",
	[GK_POLICY_SOURCE_PREFIX] = "prefix",
	[GK_POLICY_SOURCE_GLOB] = "glob",
};

/* Name lookups; the tables are short and only used while parsing. */
u32 gkp_lookup(const char *const *tab, u32 n, const char *s, size_t len)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (tab[i] && strlen(tab[i]) == len && !memcmp(tab[i], s, len))
			return i;
	return GK_U32_MAX;
}

static const char *gk_name(const char *const *tab, u32 n, u32 i)
{
	return i < n ? tab[i] : NULL;
}

/**
 * gk_policy_prog_type_name() - the policy's name of a BPF program type
 * @type: a BPF_PROG_TYPE_* number
 *
 * Context: any.
 * Return: a static string such as "kprobe", or NULL if the number has no
 * name here (too new, or BPF_PROG_TYPE_UNSPEC).
 */
const char *gk_policy_prog_type_name(u32 type)
{
	return gk_name(gk_prog_types, GK_PROG_TYPES_N, type);
}

/**
 * gk_policy_attach_type_name() - the policy's name of a BPF attach type
 * @type: a BPF_* attach type number
 *
 * Context: any.
 * Return: a static string such as "trace_fentry", or NULL if unknown.
 */
const char *gk_policy_attach_type_name(u32 type)
{
	return gk_name(gk_attach_types, GK_ATTACH_TYPES_N, type);
}

/**
 * gk_policy_action_name() - "allow", "audit" or "deny"
 * @action: an enum gk_policy_action
 *
 * Context: any.
 * Return: a static string, or NULL for a value that is not an action.
 */
const char *gk_policy_action_name(u32 action)
{
	return gk_name(gk_actions, GK_ARRAY_SIZE(gk_actions), action);
}
