/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the whole gatekeeper module shares: the mode, and where a load came
 * from.  Each unit that others call declares its interface in its own
 * header, named after it:
 *   main.c    module lifecycle and parameters
 *   arm.h     loading and attaching the BPF LSM half, disarm, self-test
 *   hooks.h   the kfuncs the BPF half calls, and the decision
 *   bind.h    the digest of a program's kernel copy; on 6.1, binding to it
 *   target.h  what a program attaches to: nothing may aim at the gate
 *   rodata.h  what a manifest binds beyond the digest: target, maps, read-only data
 *   probes.h  loader feature probes admitted from the catalogue
 *   store.h   registered signatures (bundles checked against the keyring)
 *   keyring.h the keyrings, signature checks, publisher identity
 *   active_policy.h  the active policy: signed load, rollback refusal, lock
 *   app.h     the loading application's path and content digest
 *   audit.h   audit records and the decision log
 *   learn.h   learning sessions: what a workload loads, for signing
 *   attest.h  nonces and attestation results for confidential programs
 *   measure.h the measurement log, extended into a TPM PCR
 *   fs.h      securityfs interface
 *   compat.h  every difference between the kernels of the matrix
 */
#ifndef GK_GATEKEEPER_H
#define GK_GATEKEEPER_H

enum gk_mode {
	GK_MODE_ENFORCE,
	GK_MODE_AUDIT,
};

/*
 * main.c: set by the mode= parameter; changed by the policy, the lock and
 * learning (active_policy.h, learn.h)
 */
extern enum gk_mode gk_mode;

/* Where a load came from, as far as the hook can tell. */
#define GK_ORIGIN_USER 0
#define GK_ORIGIN_KERNEL 1
#define GK_ORIGIN_UNKNOWN 2

#endif /* GK_GATEKEEPER_H */
