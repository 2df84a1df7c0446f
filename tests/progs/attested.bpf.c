// SPDX-License-Identifier: GPL-2.0
/*
 * Programs that act on the TEE's attestation, read through the gate's
 * gk_attestation_state() kfunc: an XDP program that lets traffic in only
 * while the TEE holds a fresh attestation result from a verifier the
 * policy declares, and a syscall program that returns the state (the TEE
 * type, 0, or a negative errno) for the tests to read.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern int gk_attestation_state(void) __ksym;

SEC("xdp")
int gk_serve_attested(struct xdp_md *ctx)
{
	return gk_attestation_state() > 0 ? XDP_PASS : XDP_DROP;
}

SEC("syscall")
int gk_attestation(void *ctx)
{
	return gk_attestation_state();
}

char LICENSE[] SEC("license") = "GPL";
