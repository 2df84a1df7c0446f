// SPDX-License-Identifier: GPL-2.0
/*
 * Keyrings and signature checks.
 *
 * .gatekeeper holds the X.509 certificates whose keys (or whose issuers'
 * keys) may sign program manifests; root manages it with keyutils (gkctl
 * key add, or keyctl padd asymmetric "" ID).  .gatekeeper_admin holds the
 * policy-admin keys: the one given at insmod (admin_cert=), and keys whose
 * certificate an admin key signed.  With trust_kernel_keys=1, policies
 * signed by the kernel's builtin or secondary trusted keys are accepted too.
 *
 * A publisher is whoever holds the key that verified a signature, never a
 * name a manifest claims.  The kernel's PKCS#7 API only says "some key in
 * this keyring vouches", so the key is found by checking the signature
 * against each recorded key alone, in a one-key keyring.  Keys are recorded
 * (fingerprint and key id) as they are linked, by the keyring's link
 * restriction, which also refuses keys once the gate is locked.
 *
 * A key's fingerprint is SHA-256 of its public key as the X.509 parser
 * stores it (the subjectPublicKey BIT STRING contents); gkctl key
 * fingerprint prints it, and the policy names publishers and verifiers by it.
 *
 * A manifest admits only while the key that vouched for it is linked to
 * .gatekeeper.  Keys leave a keyring (keyctl unlink, revoke, expiry) with
 * no word to the module, and searching a keyring may sleep, which the
 * decision may not: the set of linked keys is taken again at bpf() entry
 * (gk_keys_refresh()) whenever the keyring's number of keys is not what it
 * was when the set was taken plus the keys linked since.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/public_key.h>
#include <keys/asymmetric-type.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/kernel_read_file.h>
#include <linux/key.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/verification.h>
#include "keyring.h"
#include "audit.h"
#include "compat.h"
#include "measure.h"
#include "gk_format.h"
#include "gk_mlog_format.h"

#define GK_KNOWN_KEYS_MAX 256
#define GK_KEY_ID_MAX 256	/* bytes of an asymmetric key id */
#define GK_CERT_MAX (64 * 1024)

struct key *gk_keyring, *gk_admin_keyring, *gk_verifier_keyring;

struct gk_known_key {
	u8 fp[GK_DIGEST_SIZE];
	char match[3 + 2 * GK_KEY_ID_MAX + 1];	/* "ex:" + hex id */
};

static DEFINE_MUTEX(gk_known_lock);
static struct gk_known_key *gk_known;
static unsigned int gk_n_known;

/*
 * The recorded keys linked to .gatekeeper when it held @leaves keys, with a
 * reference each: a revoked key stays linked for a while, unusable.
 */
struct gk_linked {
	struct rcu_head rcu;
	unsigned long leaves;
	unsigned int links;		/* gk_links then */
	unsigned int n;
	struct gk_linked_key {
		struct key *key;
		u8 fp[GK_DIGEST_SIZE];
	} keys[];
};

static struct gk_linked __rcu *gk_linked;
static DEFINE_MUTEX(gk_linked_lock);	/* serialises gk_linked_take() */
static atomic_t gk_links;		/* keys linked to .gatekeeper so far */

/* Is the gate locked?  Then the keyrings take no key (gk_keyring_init()). */
static bool (*gk_keys_locked)(void) __ro_after_init;

static char *admin_cert;
module_param(admin_cert, charp, 0400);
MODULE_PARM_DESC(admin_cert, "X.509 certificate (DER) of the first policy-admin key");

/*
 * The secondary keyring can hold machine-owner (MOK) keys, which in a
 * confidential VM may come from the untrusted host: opt in explicitly.
 */
static bool trust_kernel_keys;
module_param(trust_kernel_keys, bool, 0400);
MODULE_PARM_DESC(trust_kernel_keys,
		 "also accept policies signed by the kernel's builtin and secondary trusted keys (default: no)");

static void gk_key_fp(const struct public_key *pub, u8 fp[GK_DIGEST_SIZE])
{
	gk_sha256_ctx ctx;

	gk_sha256_init(&ctx);
	gk_sha256_update(&ctx, pub->key, pub->keylen);
	gk_sha256_final(&ctx, fp);
}

/* Context: process context. */
static void gk_audit_key(const char *keyring, const u8 fp[GK_DIGEST_SIZE])
{
	char detail[64 + 2 * GK_DIGEST_SIZE];

	snprintf(detail, sizeof(detail), "key %*phN for %s", GK_DIGEST_SIZE, fp, keyring);
	gk_audit_change("key", detail);
}

/*
 * Context: process context of the task adding the key, keyring semaphore
 * held by the keys core.
 */
static int gk_restrict_link(struct key *keyring, const struct key_type *type,
			    const union key_payload *payload,
			    struct key *restriction_key)
{
	const struct asymmetric_key_ids *ids = payload->data[asym_key_ids];
	const struct public_key *pub = payload->data[asym_crypto];
	const struct asymmetric_key_id *id;
	struct gk_known_key *k;
	unsigned int i;
	int err = 0;

	if (gk_keys_locked())
		return -EPERM;
	if (!capable(CAP_MAC_ADMIN))
		return -EPERM;
	if (type != &key_type_asymmetric || !pub || !ids)
		return -EOPNOTSUPP;
	id = ids->id[0] ? ids->id[0] : ids->id[1];
	if (!id || id->len > GK_KEY_ID_MAX)
		return -EOPNOTSUPP;

	mutex_lock(&gk_known_lock);
	if (gk_n_known == GK_KNOWN_KEYS_MAX) {
		err = -ENOSPC;
		goto out;
	}
	k = &gk_known[gk_n_known];
	gk_key_fp(pub, k->fp);
	memcpy(k->match, "ex:", 3);
	bin2hex(k->match + 3, id->data, id->len);
	k->match[3 + 2 * id->len] = '\0';
	/* Another key under a recorded id could borrow that key's identity. */
	for (i = 0; i < gk_n_known; i++) {
		if (!strcmp(gk_known[i].match, k->match)) {
			if (memcmp(gk_known[i].fp, k->fp, GK_DIGEST_SIZE))
				err = -EEXIST;
			goto out;
		}
	}
	err = gk_measure(GK_MLOG_KEY, keyring == gk_keyring ? GK_MLOG_KEYRING_PUBLISHERS :
			 GK_MLOG_KEYRING_VERIFIERS, 0, NULL, k->fp, NULL, current->comm);
	if (err)
		goto out;
	gk_n_known++;
	gk_audit_key(keyring->description, k->fp);
out:
	/* Counted even if the link then fails: that only takes the set again. */
	if (!err && keyring == gk_keyring)
		atomic_inc(&gk_links);
	mutex_unlock(&gk_known_lock);
	return err;
}

/*
 * .gatekeeper_admin takes a certificate only if a key already in it signed
 * the certificate: trust grows from the key given at insmod.
 */
static int gk_restrict_admin(struct key *keyring, const struct key_type *type,
			     const union key_payload *payload,
			     struct key *restriction_key)
{
	const struct public_key_signature *sig = payload->data[asym_auth];
	const struct public_key *pub = payload->data[asym_crypto];
	u8 fp[GK_DIGEST_SIZE];
	struct key *issuer;
	int err;

	if (gk_keys_locked())
		return -EPERM;
	if (type != &key_type_asymmetric || !sig || !pub)
		return -EOPNOTSUPP;
	if (!sig->auth_ids[0] && !sig->auth_ids[1] && !sig->auth_ids[2])
		return -ENOKEY;
	issuer = find_asymmetric_key(keyring, sig->auth_ids[0], sig->auth_ids[1],
				     sig->auth_ids[2], false);
	if (IS_ERR(issuer))
		return -ENOKEY;
	err = verify_signature(issuer, sig);
	key_put(issuer);
	if (err)
		return err;
	gk_key_fp(pub, fp);
	err = gk_measure(GK_MLOG_KEY, GK_MLOG_KEYRING_ADMIN, 0, NULL, fp, NULL, current->comm);
	if (!err)
		gk_audit_change("key", "certificate for .gatekeeper_admin");
	return err;
}

/*
 * A bad signature yields different errnos depending on where it breaks
 * (DER, padding, digest) and on the kernel version: report one.
 */
static int gk_sig_errno(int err)
{
	/* A revoked keyring (keyctl revoke) holds no key that vouches. */
	if (err == -EKEYREVOKED)
		return -ENOKEY;
	if (!err || err == -ENOKEY || err == -ENOPKG || err == -ENOMEM)
		return err;
	pr_notice_ratelimited("signature rejected (error %d)\n", err);
	return -EKEYREJECTED;
}

/**
 * gk_verify() - check a detached PKCS#7 signature against a keyring
 * @data: the signed bytes
 * @len: their number
 * @sig: DER PKCS#7
 * @sig_len: its size
 * @keyring: the keys that may vouch for the signer
 *
 * Context: process context, may sleep.
 * Return: 0; -ENOKEY (no key in @keyring vouches for the signer);
 * -EKEYREJECTED (not valid PKCS#7, or does not verify); -ENOPKG
 * (unsupported algorithm); -ENOMEM.
 */
static int gk_verify(const void *data, size_t len, const void *sig, size_t sig_len,
		     struct key *keyring)
{
	return gk_sig_errno(verify_pkcs7_signature(data, len, sig, sig_len, keyring,
						   VERIFYING_UNSPECIFIED_SIGNATURE,
						   NULL, NULL));
}

/**
 * gk_verify_admin() - check a policy-admin signature
 * @data: the signed bytes
 * @len: their number
 * @sig: DER PKCS#7
 * @sig_len: its size
 *
 * Context: process context, may sleep.
 * Return: as gk_verify(), against .gatekeeper_admin and then, with
 * trust_kernel_keys=1, the kernel's builtin and secondary trusted keys.
 */
int gk_verify_admin(const void *data, size_t len, const void *sig, size_t sig_len)
{
	int err = gk_verify(data, len, sig, sig_len, gk_admin_keyring);

	if (err == -ENOKEY && trust_kernel_keys)
		err = gk_verify(data, len, sig, sig_len, VERIFY_USE_SECONDARY_KEYRING);
	return err;
}

/*
 * Recorded key @i, copied into @k, if it is in @keyring.
 * Context: process context, may sleep; takes gk_known_lock.
 * Return: the key, referenced; NULL if it is not there; ERR_PTR(-ENOENT)
 * past the last record.
 */
static struct key *gk_known_in(struct key *keyring, unsigned int i, struct gk_known_key *k)
{
	u8 found[GK_DIGEST_SIZE];
	key_ref_t ref;
	bool past;

	/*
	 * Copy one record at a time: the link restriction takes gk_known_lock
	 * under the keyring's semaphore, which the search below takes too.
	 */
	mutex_lock(&gk_known_lock);
	past = i >= gk_n_known;
	if (!past)
		*k = gk_known[i];
	mutex_unlock(&gk_known_lock);
	if (past)
		return ERR_PTR(-ENOENT);

	ref = keyring_search(make_key_ref(keyring, true), &key_type_asymmetric, k->match, false);
	if (IS_ERR(ref))
		return NULL;
	/* The key found under the id must be the one fingerprinted. */
	gk_key_fp(asymmetric_key_public_key(key_ref_to_ptr(ref)), found);
	if (memcmp(found, k->fp, GK_DIGEST_SIZE)) {
		key_ref_put(ref);
		return NULL;
	}
	return key_ref_to_ptr(ref);
}

/*
 * Which recorded key of @keyring alone vouches for a signature: each is
 * tried in a keyring of its own; a key whose id the signer does not name
 * fails without any crypto.
 * Context: process context, may sleep; takes gk_known_lock.
 * Return: 0 and its fingerprint in @fp; -ENOKEY if none does; -ENOMEM.
 */
static int gk_identify(struct key *keyring, const void *data, size_t len, const void *sig,
		       size_t sig_len, u8 fp[GK_DIGEST_SIZE])
{
	struct gk_known_key *k;
	unsigned int i;
	int err = -ENOKEY;

	k = kmalloc(sizeof(*k), GFP_KERNEL);
	if (!k)
		return -ENOMEM;
	for (i = 0; err == -ENOKEY; i++) {
		struct key *one, *key = gk_known_in(keyring, i, k);

		if (IS_ERR(key))
			break;
		if (!key)
			continue;
		one = keyring_alloc(".gatekeeper_one", GLOBAL_ROOT_UID, GLOBAL_ROOT_GID,
				    current_cred(), KEY_POS_SEARCH | KEY_POS_VIEW,
				    KEY_ALLOC_NOT_IN_QUOTA, NULL, NULL);
		if (IS_ERR(one)) {
			key_put(key);
			err = PTR_ERR(one);
			break;
		}
		err = key_link(one, key);
		key_put(key);
		if (!err)
			/* Raw: a failure here is only "not this key". */
			err = verify_pkcs7_signature(data, len, sig, sig_len, one,
						     VERIFYING_UNSPECIFIED_SIGNATURE, NULL, NULL);
		key_revoke(one);
		key_put(one);
		if (!err)
			memcpy(fp, k->fp, GK_DIGEST_SIZE);
		else if (err != -ENOMEM)
			err = -ENOKEY;
	}
	kfree(k);
	return err;
}

/**
 * gk_verify_signer() - check a signature against a keyring and name its key
 * @keyring: .gatekeeper or .gatekeeper_verifier
 * @data: the signed bytes
 * @len: their number
 * @sig: DER PKCS#7
 * @sig_len: its size
 * @fp: the fingerprint of the recorded key that vouches
 *
 * Both keyrings take only keys that gk_restrict_link() records, and a
 * recorded key that vouches alone also vouches in @keyring (it is found
 * there, under an id no other key may take), so the signature is checked
 * once, against the recorded key its signer names.  The whole keyring is
 * tried only if no recorded key vouches, for the error that says why
 * (unknown signer, bad signature, algorithm); should it vouch all the same,
 * through a key no record holds, the signature is refused.
 *
 * Context: process context, may sleep; takes gk_known_lock.
 * Return: 0 and @fp; -ENOKEY if no recorded key vouches, or as gk_verify().
 */
int gk_verify_signer(struct key *keyring, const void *data, size_t len, const void *sig,
		     size_t sig_len, u8 fp[GK_DIGEST_SIZE])
{
	int err = gk_identify(keyring, data, len, sig, sig_len, fp);

	if (err != -ENOKEY)
		return err;
	return gk_verify(data, len, sig, sig_len, keyring) ?: -ENOKEY;
}

/* Has .gatekeeper changed since the linked set was taken?  Context: any. */
static bool gk_linked_stale(const struct gk_linked *l)
{
	return !l || l->leaves != READ_ONCE(gk_keyring->keys.nr_leaves_on_tree) ||
	       l->links != atomic_read(&gk_links);
}

static void gk_linked_put(struct gk_linked *l)
{
	unsigned int i;

	for (i = 0; i < l->n; i++)
		key_put(l->keys[i].key);
	kfree(l);
}

/* Context: RCU callback. */
static void gk_linked_free(struct rcu_head *rcu)
{
	gk_linked_put(container_of(rcu, struct gk_linked, rcu));
}

/*
 * Take the set of recorded keys linked to .gatekeeper.
 * Context: process context, may sleep; gk_linked_lock held.
 * Return: 0 or -ENOMEM (the old set stays, stale).
 */
static int gk_linked_take(void)
{
	struct gk_linked *old, *l;
	struct gk_known_key *k;
	unsigned int i;
	struct key *key;

	k = kmalloc(sizeof(*k), GFP_KERNEL);
	l = kzalloc(struct_size(l, keys, GK_KNOWN_KEYS_MAX), GFP_KERNEL);
	if (!k || !l) {
		kfree(k);
		kfree(l);
		return -ENOMEM;
	}
	/* Read before searching: a change while searching leaves it stale. */
	l->links = atomic_read(&gk_links);
	l->leaves = READ_ONCE(gk_keyring->keys.nr_leaves_on_tree);
	for (i = 0; !IS_ERR(key = gk_known_in(gk_keyring, i, k)); i++) {
		if (!key)
			continue;
		l->keys[l->n].key = key;
		memcpy(l->keys[l->n++].fp, k->fp, GK_DIGEST_SIZE);
	}
	kfree(k);
	old = rcu_replace_pointer(gk_linked, l, lockdep_is_held(&gk_linked_lock));
	if (old)
		call_rcu(&old->rcu, gk_linked_free);
	return 0;
}

/**
 * gk_keys_refresh() - take the set of linked keys again if .gatekeeper changed
 *
 * Context: process context, may sleep (bpf() entry).
 */
void gk_keys_refresh(void)
{
	bool stale;

	rcu_read_lock();
	stale = gk_linked_stale(rcu_dereference(gk_linked));
	rcu_read_unlock();
	if (!stale)
		return;
	mutex_lock(&gk_linked_lock);
	if (gk_linked_stale(rcu_dereference_protected(gk_linked,
						      lockdep_is_held(&gk_linked_lock))))
		gk_linked_take();
	mutex_unlock(&gk_linked_lock);
}

/**
 * gk_key_linked() - is a key still in .gatekeeper
 * @fp: its fingerprint
 *
 * Context: RCU read side, no sleeping.
 * Return: 1 if it is, and neither revoked, invalidated nor expired; 0 if
 * not; -ESTALE if the keyring changed since the set was last taken
 * (gk_keys_refresh()), so that it cannot be told.
 */
int gk_key_linked(const u8 fp[GK_DIGEST_SIZE])
{
	const struct gk_linked *l = rcu_dereference(gk_linked);
	unsigned int i;

	if (gk_linked_stale(l))
		return -ESTALE;
	for (i = 0; i < l->n; i++)
		if (!memcmp(l->keys[i].fp, fp, GK_DIGEST_SIZE))
			return !key_validate(l->keys[i].key);
	return 0;
}

static int gk_load_admin_cert(void)
{
	const struct public_key *pub;
	u8 fp[GK_DIGEST_SIZE];
	void *buf = NULL;
	key_ref_t ref;
	ssize_t len;
	int err;

	len = kernel_read_file_from_path_initns(admin_cert, 0, &buf, GK_CERT_MAX,
						NULL, READING_X509_CERTIFICATE);
	if (len < 0) {
		pr_err("admin_cert=%s: cannot read it (error %zd)\n", admin_cert, len);
		return len;
	}
	ref = key_create_or_update(make_key_ref(gk_admin_keyring, true), "asymmetric",
				   NULL, buf, len, KEY_POS_ALL | KEY_USR_VIEW | KEY_USR_READ,
				   KEY_ALLOC_NOT_IN_QUOTA | KEY_ALLOC_BYPASS_RESTRICTION);
	vfree(buf);
	if (IS_ERR(ref)) {
		pr_err("admin_cert=%s: not an X.509 certificate the kernel can use (error %ld)\n",
		       admin_cert, PTR_ERR(ref));
		return PTR_ERR(ref);
	}
	pub = key_ref_to_ptr(ref)->payload.data[asym_crypto];
	gk_key_fp(pub, fp);
	key_ref_put(ref);
	/* Linked already: a failed measurement fails the module's load. */
	err = gk_measure(GK_MLOG_KEY, GK_MLOG_KEYRING_ADMIN, 0, NULL, fp, NULL, current->comm);
	if (err)
		return err;
	pr_info("policy-admin key loaded from %s\n", admin_cert);
	return 0;
}

/* A keyring of publisher or verifier keys.  Return: it, or an ERR_PTR. */
static struct key *gk_trust_keyring(const char *name)
{
	const key_perm_t perm = (KEY_POS_ALL & ~KEY_POS_SETATTR) | KEY_USR_VIEW |
				KEY_USR_READ | KEY_USR_WRITE | KEY_USR_SEARCH;
	struct key_restriction *restriction;
	struct key *keyring;

	restriction = kzalloc(sizeof(*restriction), GFP_KERNEL);
	if (!restriction)
		return ERR_PTR(-ENOMEM);
	restriction->check = gk_restrict_link;
	keyring = keyring_alloc(name, GLOBAL_ROOT_UID, GLOBAL_ROOT_GID, current_cred(),
				perm, KEY_ALLOC_NOT_IN_QUOTA, restriction, NULL);
	if (IS_ERR(keyring))
		kfree(restriction);
	return keyring;
}

static void gk_keyring_drop(struct key *keyring)
{
	key_revoke(keyring);
	key_put(keyring);
}

/**
 * gk_keyring_init() - create the .gatekeeper, .gatekeeper_verifier and
 * .gatekeeper_admin keyrings
 * @locked: whether the gate is locked (the lock belongs to the active
 *          policy, which checks its own signature here); once it is, the
 *          keyrings take no key
 *
 * Publishers' and verifiers' keys live apart, so that a verifier's key
 * cannot sign programs, nor a publisher's attestation results.
 *
 * Context: module init.
 * Return: 0, -ENOMEM, an admin_cert= error, or what keyring_alloc() returned.
 */
int gk_keyring_init(bool (*locked)(void))
{
	const key_perm_t perm = (KEY_POS_ALL & ~KEY_POS_SETATTR) | KEY_USR_VIEW |
				KEY_USR_READ | KEY_USR_WRITE | KEY_USR_SEARCH;
	struct key_restriction *admin_restriction;
	int err = -ENOMEM;

	gk_keys_locked = locked;
	gk_known = kcalloc(GK_KNOWN_KEYS_MAX, sizeof(*gk_known), GFP_KERNEL);
	admin_restriction = kzalloc(sizeof(*admin_restriction), GFP_KERNEL);
	if (!gk_known || !admin_restriction)
		goto out_free;
	admin_restriction->check = gk_restrict_admin;

	gk_keyring = gk_trust_keyring(".gatekeeper");
	if (IS_ERR(gk_keyring)) {
		err = PTR_ERR(gk_keyring);
		goto out_free;
	}
	gk_verifier_keyring = gk_trust_keyring(".gatekeeper_verifier");
	if (IS_ERR(gk_verifier_keyring)) {
		err = PTR_ERR(gk_verifier_keyring);
		goto out_keyring;
	}
	gk_admin_keyring = keyring_alloc(".gatekeeper_admin", GLOBAL_ROOT_UID,
					 GLOBAL_ROOT_GID, current_cred(), perm,
					 KEY_ALLOC_NOT_IN_QUOTA, admin_restriction, NULL);
	if (IS_ERR(gk_admin_keyring)) {
		err = PTR_ERR(gk_admin_keyring);
		goto out_verifier;
	}
	admin_restriction = NULL;	/* owned by the keyring */
	if (admin_cert) {
		err = gk_load_admin_cert();
		if (err)
			goto out_admin;
	}
	mutex_lock(&gk_linked_lock);
	err = gk_linked_take();
	mutex_unlock(&gk_linked_lock);
	if (err)
		goto out_admin;
	return 0;

out_admin:
	gk_keyring_drop(gk_admin_keyring);
out_verifier:
	gk_keyring_drop(gk_verifier_keyring);
out_keyring:
	gk_keyring_drop(gk_keyring);
out_free:
	kfree(admin_restriction);
	kfree(gk_known);
	return err;
}

/*
 * The keyrings can outlive the module if userspace holds a reference:
 * revoked, they can no longer be searched or linked to, so neither their
 * keys nor this module's restriction callback is used again.
 */
void gk_keyring_exit(void)
{
	gk_keyring_drop(gk_admin_keyring);
	gk_keyring_drop(gk_verifier_keyring);
	gk_keyring_drop(gk_keyring);
	kfree(gk_known);
	rcu_barrier();	/* the sets replaced before */
	gk_linked_put(rcu_dereference_protected(gk_linked, true));
}
