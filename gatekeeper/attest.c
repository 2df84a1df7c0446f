// SPDX-License-Identifier: GPL-2.0
/*
 * TEE attestation for confidential programs (RFC 9334 roles: gkctl attest
 * is the attester, gk-verify the verifier, this module the relying party).
 *
 * The module hands out one-time nonces.  It accepts an attestation result
 * only if a verifier key that the active policy declares signed it, it
 * answers a nonce this module issued and nobody used yet, and it has not
 * expired.  Validity is counted on the boot clock from when the nonce was
 * issued, for as long as the verifier granted (expires_at - issued_at), so
 * setting the wall clock neither extends nor revives a result; at most a
 * day.  A result counts only while the active policy still declares its
 * verifier.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include "attest.h"
#include "active_policy.h"
#include "keyring.h"
#include "compat.h"
#include "measure.h"
#include "gk_attest_format.h"
#include "gk_format.h"
#include "gk_mlog_format.h"

#define GK_NONCES 8
#define GK_NONCE_TTL_NS (10ULL * 60 * NSEC_PER_SEC)
/* However long a verifier grants, a result is re-checked at least daily. */
#define GK_ATTEST_LIFETIME_MAX (24ULL * 60 * 60)

struct gk_nonce {
	u8 value[GK_ATTEST_NONCE_SIZE];
	u64 issued;		/* boot clock, ns; 0: slot free */
};

static struct gk_nonce gk_nonces[GK_NONCES];
static unsigned int gk_nonce_next;
static DEFINE_MUTEX(gk_nonce_lock);

/*
 * The result held, if any, and the error of the last result refused, for
 * the reason a confidential program is denied; readers in the decision
 * path take the spinlock.
 */
static struct gk_attestation gk_att;
static int gk_att_refused;
static DEFINE_SPINLOCK(gk_att_lock);

/**
 * gk_attest_nonce() - issue a fresh one-time nonce
 * @out: GK_ATTEST_NONCE_SIZE random bytes
 *
 * The oldest of GK_NONCES outstanding nonces is forgotten when a new one
 * is issued; each is valid for ten minutes.
 *
 * Context: process context; takes gk_nonce_lock.
 */
void gk_attest_nonce(u8 out[GK_ATTEST_NONCE_SIZE])
{
	struct gk_nonce *n;

	mutex_lock(&gk_nonce_lock);
	n = &gk_nonces[gk_nonce_next++ % GK_NONCES];
	get_random_bytes(n->value, sizeof(n->value));
	n->issued = ktime_get_boottime_ns();
	memcpy(out, n->value, sizeof(n->value));
	mutex_unlock(&gk_nonce_lock);
}

/* Context: gk_nonce_lock held.  Return: the nonce's issue time, or 0. */
static u64 gk_nonce_take(const u8 *value)
{
	u64 now = ktime_get_boottime_ns(), issued;
	unsigned int i;

	for (i = 0; i < GK_NONCES; i++) {
		struct gk_nonce *n = &gk_nonces[i];

		if (!n->issued || memcmp(n->value, value, sizeof(n->value)))
			continue;
		issued = n->issued;
		memset(n, 0, sizeof(*n));	/* once only */
		return now - issued < GK_NONCE_TTL_NS ? issued : 0;
	}
	return 0;
}

/* Measure the result @att is taken from, before it takes effect. */
static int gk_attest_measure(const struct gk_attest_result *res,
			     const struct gk_attestation *att)
{
	char name[GK_MLOG_TEXT] = "";
	u8 statement[GK_DIGEST_SIZE];
	gk_sha256_ctx ctx;
	const char *v;

	gk_sha256_init(&ctx);
	gk_sha256_update(&ctx, (const u8 *)res, sizeof(*res));
	gk_sha256_final(&ctx, statement);
	rcu_read_lock();
	v = gk_policy_verifier_name(att->verifier);
	strscpy(name, v ?: "", sizeof(name));
	rcu_read_unlock();
	return gk_measure(GK_MLOG_ATTEST, att->tee, gk_attest_get_le64(res->expires_at),
			  statement, att->verifier, name, current->comm);
}

/**
 * gk_attest_load() - accept a signed attestation result
 * @buf: the envelope (gk_attest_format.h)
 * @len: its size
 *
 * Context: process context, may sleep; takes gk_nonce_lock.
 * Return: 0; -EBADMSG, -EPROTONOSUPPORT (format, see
 * gk_attest_envelope_parse()); -ENOKEY, -EKEYREJECTED, -ENOPKG (signature,
 * see gk_verify_signer(), against .gatekeeper_verifier), -ENOKEY also if the
 * signing key is not a verifier the active policy declares, -EKEYREJECTED
 * also if the statement names another verifier than the key that signed it;
 * -ESTALE if the nonce was not issued here, was used already, or is older
 * than ten minutes; -ETIME if the result has already expired; -ENOMEM;
 * gk_measure()'s errors.
 */
static int gk_attest_accept(const u8 *buf, size_t len)
{
	const struct gk_attest_result *res;
	struct gk_attestation att = {};
	u64 issued, lifetime, now;
	const u8 *sig;
	size_t sig_len;
	unsigned long flags;
	int err;

	BUILD_BUG_ON(sizeof(att.measurement) != GK_ATTEST_MEAS_SIZE);
	BUILD_BUG_ON(sizeof(gk_nonces[0].value) != 32);
	err = gk_attest_envelope_parse(buf, len, &res, &sig, &sig_len);
	if (err)
		return err;
	err = gk_verify_signer(gk_verifier_keyring, res, sizeof(*res), sig, sig_len,
			       att.verifier);
	if (err)
		return err;
	rcu_read_lock();
	if (!gk_policy_verifier_name(att.verifier))
		err = -ENOKEY;
	rcu_read_unlock();
	if (err)
		return err;
	/* The statement names its signer; a mismatch is a forwarded result. */
	if (memcmp(res->verifier_id, att.verifier, GK_DIGEST_SIZE))
		return -EKEYREJECTED;

	mutex_lock(&gk_nonce_lock);
	issued = gk_nonce_take(res->nonce);
	mutex_unlock(&gk_nonce_lock);
	if (!issued)
		return -ESTALE;

	lifetime = gk_attest_get_le64(res->expires_at) - gk_attest_get_le64(res->issued_at);
	lifetime = min(lifetime, GK_ATTEST_LIFETIME_MAX);
	now = ktime_get_boottime_ns();
	if (issued + lifetime * NSEC_PER_SEC <= now)
		return -ETIME;
	att.valid_until = issued + lifetime * NSEC_PER_SEC;
	att.tee = gk_get_le32((const u8 *)&res->tee);
	err = gk_attest_measure(res, &att);
	if (err)
		return err;
	att.tcb_status = gk_get_le32((const u8 *)&res->tcb_status);
	memcpy(att.measurement, res->measurements[0], GK_ATTEST_MEAS_SIZE);

	spin_lock_irqsave(&gk_att_lock, flags);
	gk_att = att;
	spin_unlock_irqrestore(&gk_att_lock, flags);
	pr_info("attestation accepted: tee %u, valid for %llu s\n", att.tee,
		(att.valid_until - now) / NSEC_PER_SEC);
	return 0;
}

int gk_attest_load(const u8 *buf, size_t len)
{
	unsigned long flags;
	int err = gk_attest_accept(buf, len);

	spin_lock_irqsave(&gk_att_lock, flags);
	gk_att_refused = err;
	spin_unlock_irqrestore(&gk_att_lock, flags);
	return err;
}

/**
 * gk_attest_current() - the attestation in force now
 * @att: filled if one is
 *
 * Context: any; does not sleep.
 * Return: 0 if a fresh result is held; -ETIME if it expired; -EKEYREJECTED
 * if none is held and the last one offered was refused; -ENOENT if none
 * was ever offered.
 */
int gk_attest_current(struct gk_attestation *att)
{
	unsigned long flags;
	int refused;

	spin_lock_irqsave(&gk_att_lock, flags);
	*att = gk_att;
	refused = gk_att_refused;
	spin_unlock_irqrestore(&gk_att_lock, flags);
	if (!att->valid_until)
		return refused ? -EKEYREJECTED : -ENOENT;
	return ktime_get_boottime_ns() < att->valid_until ? 0 : -ETIME;
}

/**
 * gk_attest_in_force() - the attestation confidential programs go by now
 * @att: filled if one is held
 *
 * A result whose verifier the active policy no longer declares is void.
 *
 * Context: rcu_read_lock() held; does not sleep.
 * Return: gk_attest_current()'s, or -EKEYREJECTED for a result voided so.
 */
int gk_attest_in_force(struct gk_attestation *att)
{
	int err = gk_attest_current(att);

	if (!err && !gk_policy_verifier_name(att->verifier))
		err = -EKEYREJECTED;
	return err;
}

__bpf_kfunc_start_defs();

/**
 * gk_attestation_state() - for any BPF program: is the TEE attested now
 *
 * The verdict the gate applies to confidential programs, for programs
 * that act on it (an XDP or LSM program that serves only while the TEE
 * holds a fresh attestation result: tests/progs/attested.bpf.c).
 *
 * Context: any; does not sleep.
 * Return: the TEE (1 TDX, 2 SEV-SNP, 3 simulated) while a fresh result of a
 * verifier the active policy declares is held; 0 if none was ever
 * accepted; -ETIME if it expired; -EKEYREJECTED if it was voided or the
 * last one offered refused.
 */
__bpf_kfunc int gk_attestation_state(void)
{
	struct gk_attestation att;
	int err;

	rcu_read_lock();
	err = gk_attest_in_force(&att);
	rcu_read_unlock();
	if (err)
		return err == -ENOENT ? 0 : err;
	return att.tee;
}

__bpf_kfunc_end_defs();

GK_KFUNCS_START(gk_attest_kfunc_ids)
BTF_ID_FLAGS(func, gk_attestation_state)
GK_KFUNCS_END(gk_attest_kfunc_ids)

static const struct btf_kfunc_id_set gk_attest_kfunc_set = {
	.owner = THIS_MODULE,
	.set = &gk_attest_kfunc_ids,
};

/*
 * Offer gk_attestation_state() to the program types that act on traffic
 * or on the kernel: XDP, TC and syscall programs, and LSM and tracing
 * programs through the gate's own set (hooks.c: the kernel keeps one set
 * per module for both).
 * Context: module init.  Return: 0 or -errno from the BTF registry.
 */
int gk_attest_kfuncs_register(void)
{
	static const enum bpf_prog_type types[] = {
		BPF_PROG_TYPE_XDP, BPF_PROG_TYPE_SCHED_CLS, BPF_PROG_TYPE_SYSCALL,
	};
	int i, err;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		err = register_btf_kfunc_id_set(types[i], &gk_attest_kfunc_set);
		if (err)
			return err;
	}
	return 0;
}

/* Context: process context.  The attestation lines of status. */
void gk_attest_status(struct seq_file *m)
{
	static const char *const tees[] = { "-", "tdx", "snp", "sim" };
	struct gk_attestation att;
	const char *name;
	int err = gk_attest_current(&att);

	if (err == -ENOENT || err == -EKEYREJECTED) {
		seq_printf(m, "attestation: %s\n", err == -EKEYREJECTED ? "rejected" : "none");
		return;
	}
	seq_printf(m, "attestation: %s\n", err ? "expired" : "valid");
	seq_printf(m, "tee: %s\n", att.tee < ARRAY_SIZE(tees) ? tees[att.tee] : "?");
	seq_printf(m, "measurement: %*phN\n", GK_ATTEST_MEAS_SIZE, att.measurement);
	rcu_read_lock();
	name = gk_policy_verifier_name(att.verifier);
	seq_printf(m, "verifier: %s %*phN\n", name ? name : "-", GK_DIGEST_SIZE,
		   att.verifier);
	rcu_read_unlock();
	seq_printf(m, "attestation_seconds_left: %llu\n",
		   err ? 0 : (att.valid_until - ktime_get_boottime_ns()) / NSEC_PER_SEC);
}
