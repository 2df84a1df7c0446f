// SPDX-License-Identifier: GPL-2.0
/*
 * The active policy: loaded signed, versioned, swapped atomically.
 *
 * Readers (the decision, under RCU) see either the old or the new policy,
 * never half of one.  A policy is installed only if its PKCS#7 signature
 * verifies against .gatekeeper_admin, it parses, and its version is higher
 * than the active one's; a failed load leaves the active policy as it was.
 * The lock is sticky until reboot.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include "active_policy.h"
#include "gatekeeper.h"
#include "audit.h"
#include "keyring.h"
#include "measure.h"
#include "gk_format.h"
#include "gk_mlog_format.h"
#include "gk_policy.h"

static struct gk_policy __rcu *gk_active;
static DEFINE_MUTEX(gk_policy_lock);	/* serialises loads */
static bool gk_is_locked;
static bool gk_wants_app;		/* the active policy has app rules */

bool gk_locked(void)
{
	return READ_ONCE(gk_is_locked);
}

/*
 * Context: process context; takes gk_policy_lock.  Return: 0, or
 * gk_measure()'s errors (not locked then).  A locked gate enforces: audit
 * mode ends with the lock.
 */
int gk_lock(void)
{
	int err = 0;

	mutex_lock(&gk_policy_lock);
	if (!gk_is_locked) {
		err = gk_measure(GK_MLOG_LOCK, 0, 0, NULL, NULL, NULL, current->comm);
		if (err)
			goto out;
		pr_notice("locked by %s (pid %d) until reboot\n", current->comm,
			  task_tgid_nr(current));
		gk_audit_change("lock", "locked until reboot");
	}
	WRITE_ONCE(gk_mode, GK_MODE_ENFORCE);
	WRITE_ONCE(gk_is_locked, true);
out:
	mutex_unlock(&gk_policy_lock);
	return err;
}

/**
 * gk_set_mode() - switch between enforce and audit
 * @mode: the new mode
 *
 * Context: process context; takes gk_policy_lock, so that no switch to
 * audit lands after the lock.
 * Return: 0, -EPERM for audit once locked, or gk_measure()'s errors.
 */
int gk_set_mode(enum gk_mode mode)
{
	int err = 0;

	mutex_lock(&gk_policy_lock);
	if (mode == GK_MODE_AUDIT && gk_is_locked) {
		err = -EPERM;
	} else if (READ_ONCE(gk_mode) != mode) {
		err = gk_measure(GK_MLOG_MODE, mode == GK_MODE_AUDIT ? GK_MLOG_MODE_AUDIT :
				 GK_MLOG_MODE_ENFORCE, 0, NULL, NULL, NULL, current->comm);
		if (!err) {
			WRITE_ONCE(gk_mode, mode);
			gk_audit_change("mode", mode == GK_MODE_AUDIT ? "audit" : "enforce");
		}
	}
	mutex_unlock(&gk_policy_lock);
	return err;
}

bool gk_policy_wants_app(void)
{
	return READ_ONCE(gk_wants_app);
}

static bool gk_has_app_rules(const struct gk_policy *pol)
{
	u32 i;

	for (i = 0; i < pol->n_rules; i++)
		if (pol->rules[i].match & (GK_POLICY_M_APP | GK_POLICY_M_APP_SHA256))
			return true;
	return false;
}

/**
 * gk_policy_load() - verify, parse and install a signed policy
 * @buf: the signed policy (core/gk_format.h, struct gk_spolicy_hdr)
 * @len: its size
 *
 * Context: process context, may sleep; takes gk_policy_lock.
 * Return: 0; -EFBIG, -EBADMSG, -EPROTONOSUPPORT (container, see
 * gk_spolicy_parse()); -ENOKEY, -EKEYREJECTED, -ENOPKG (signature, see
 * gk_verify_admin()); the parser's errnos (see gk_policy_parse()), with the line
 * and column logged; -ESTALE if the version is not higher than the active
 * policy's; -ENOMEM; gk_measure()'s errors.
 */
int gk_policy_load(const u8 *buf, size_t len)
{
	char what[GK_POLICY_NAME_MAX + 48];
	u8 text_sha256[GK_DIGEST_SIZE];
	struct gk_policy *pol, *old;
	gk_sha256_ctx ctx;
	bool audit;
	struct gk_policy_error perr;
	const u8 *text, *sig;
	size_t text_len, sig_len;
	int err;

	err = gk_spolicy_parse(buf, len, &text, &text_len, &sig, &sig_len);
	if (err)
		return err;
	err = gk_verify_admin(text, text_len, sig, sig_len);
	if (err)
		return err;
	err = gk_policy_parse((const char *)text, text_len, &pol, &perr);
	if (err) {
		pr_notice("policy rejected: line %u column %u: %s\n", perr.line,
			  perr.column, perr.msg);
		return err;
	}

	mutex_lock(&gk_policy_lock);
	old = rcu_dereference_protected(gk_active, lockdep_is_held(&gk_policy_lock));
	if (old && pol->version <= old->version) {
		pr_notice("policy %s version %llu refused: active version is %llu\n",
			  pol->name, pol->version, old->version);
		mutex_unlock(&gk_policy_lock);
		gk_policy_free(pol);
		return -ESTALE;
	}
	audit = pol->mode == GK_POLICY_AUDIT_ONLY && !gk_is_locked;
	gk_sha256_init(&ctx);
	gk_sha256_update(&ctx, text, text_len);
	gk_sha256_final(&ctx, text_sha256);
	err = gk_measure(GK_MLOG_POLICY, audit ? GK_MLOG_MODE_AUDIT : GK_MLOG_MODE_ENFORCE,
			 pol->version, text_sha256, NULL, pol->name, current->comm);
	if (err) {
		mutex_unlock(&gk_policy_lock);
		gk_policy_free(pol);
		return err;
	}
	/* Loads racing the swap may miss their app identity: fail closed. */
	WRITE_ONCE(gk_wants_app, gk_has_app_rules(pol));
	rcu_assign_pointer(gk_active, pol);
	WRITE_ONCE(gk_mode, audit ? GK_MODE_AUDIT : GK_MODE_ENFORCE);
	/* Once unlocked, a newer load may free pol: describe it now. */
	snprintf(what, sizeof(what), "%s version %llu mode %s", pol->name, pol->version,
		 READ_ONCE(gk_mode) == GK_MODE_AUDIT ? "audit" : "enforce");
	mutex_unlock(&gk_policy_lock);

	synchronize_rcu();
	gk_policy_free(old);
	pr_info("policy %s loaded by %s (pid %d)\n", what, current->comm,
		task_tgid_nr(current));
	gk_audit_change("policy", what);
	return 0;
}

/**
 * gk_policy_eval_active() - evaluate a load against the active policy
 * @in: what is known about the load
 * @v: the verdict
 *
 * Context: rcu_read_lock() held.
 * Return: true if a policy is active (and @v filled).
 */
bool gk_policy_eval_active(const struct gk_eval_input *in, struct gk_verdict *v)
{
	const struct gk_policy *pol = rcu_dereference(gk_active);

	if (!pol)
		return false;
	gk_policy_eval(pol, in, v);
	return true;
}

/**
 * gk_policy_refuses_probes() - does the active policy turn the catalogue off
 *
 * Context: rcu_read_lock() held.
 */
bool gk_policy_refuses_probes(void)
{
	const struct gk_policy *pol = rcu_dereference(gk_active);

	return pol && pol->probes == GK_POLICY_PROBES_REFUSED;
}

/**
 * gk_policy_revokes() - does the active policy's revocation list name it
 * @digest: a program digest, or NULL
 * @key: a signer key's fingerprint, or NULL
 *
 * Context: rcu_read_lock() held.
 * Return: true if either is revoked.
 */
bool gk_policy_revokes(const u8 *digest, const u8 *key)
{
	const struct gk_policy *pol = rcu_dereference(gk_active);

	return pol && ((digest && gk_policy_revokes_digest(pol, digest)) ||
		       (key && gk_policy_revokes_key(pol, key)));
}

/**
 * gk_policy_publisher_name() - the active policy's name for a signer key
 * @fp: the key's fingerprint
 *
 * Context: rcu_read_lock() held; the name is valid until it is dropped.
 * Return: the publisher's name, or NULL.
 */
const char *gk_policy_publisher_name(const u8 *fp)
{
	const struct gk_policy *pol = rcu_dereference(gk_active);
	int i;

	if (!pol)
		return NULL;
	i = gk_policy_find_publisher(pol, fp);
	return i < 0 ? NULL : pol->publishers[i].name;
}

/**
 * gk_policy_verifier_name() - the active policy's name for a verifier key
 * @fp: the key's fingerprint
 *
 * Context: rcu_read_lock() held; the name is valid until it is dropped.
 * Return: the verifier's name, or NULL.
 */
const char *gk_policy_verifier_name(const u8 *fp)
{
	const struct gk_policy *pol = rcu_dereference(gk_active);
	int i;

	if (!pol)
		return NULL;
	i = gk_policy_find_verifier(pol, fp);
	return i < 0 ? NULL : pol->verifiers[i].name;
}

/* Context: process context; takes gk_policy_lock. */
int gk_policy_show(struct seq_file *m)
{
	const struct gk_policy *pol;
	size_t len = 0;
	char *buf;
	int err = 0;

	mutex_lock(&gk_policy_lock);
	pol = rcu_dereference_protected(gk_active, lockdep_is_held(&gk_policy_lock));
	if (pol) {
		gk_policy_dump(pol, NULL, 0, &len);
		buf = kvmalloc(len + 1, GFP_KERNEL);
		if (buf) {
			gk_policy_dump(pol, buf, len + 1, &len);
			seq_write(m, buf, len);
			kvfree(buf);
		} else {
			err = -ENOMEM;
		}
	}
	mutex_unlock(&gk_policy_lock);
	return err;
}

/* Context: process context.  Writes "NAME version N" or "none". */
void gk_policy_status(struct seq_file *m)
{
	const struct gk_policy *pol;

	rcu_read_lock();
	pol = rcu_dereference(gk_active);
	if (pol)
		seq_printf(m, "policy: %s version %llu\n", pol->name, pol->version);
	else
		seq_puts(m, "policy: none\n");
	rcu_read_unlock();
}

/* Context: module exit, no reader left. */
void gk_policy_exit(void)
{
	gk_policy_free(rcu_dereference_protected(gk_active, true));
}
