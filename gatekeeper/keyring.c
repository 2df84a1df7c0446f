// SPDX-License-Identifier: GPL-2.0
/*
 * The .gatekeeper keyring: the X.509 certificates whose keys (or whose
 * issuers' keys) may sign program manifests.  Root manages it with keyutils
 * (gkctl key add, or keyctl padd asymmetric "" ID); its serial is in
 * securityfs.
 *
 * No link restriction is set: a restriction is a callback into this module,
 * and the keyring can outlive the module if userspace holds a reference.
 * Keys of other types are harmless, as signatures are only ever checked
 * against asymmetric keys.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/key.h>
#include "gatekeeper.h"

struct key *gk_keyring;

/**
 * gk_keyring_init() - create the .gatekeeper keyring
 *
 * Context: module init.
 * Return: 0, or what keyring_alloc() returned.
 */
int gk_keyring_init(void)
{
	gk_keyring = keyring_alloc(".gatekeeper", GLOBAL_ROOT_UID, GLOBAL_ROOT_GID,
				   current_cred(),
				   (KEY_POS_ALL & ~KEY_POS_SETATTR) | KEY_USR_VIEW |
				   KEY_USR_READ | KEY_USR_WRITE | KEY_USR_SEARCH,
				   KEY_ALLOC_NOT_IN_QUOTA, NULL, NULL);
	return PTR_ERR_OR_ZERO(gk_keyring);
}

/* A reference kept by userspace must not keep trusting these keys. */
void gk_keyring_exit(void)
{
	key_revoke(gk_keyring);
	key_put(gk_keyring);
}
