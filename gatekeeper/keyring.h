/* SPDX-License-Identifier: GPL-2.0 */
/* keyring.c: the keyrings, signature checks, publisher identity */
#ifndef GATEKEEPER_KEYRING_H
#define GATEKEEPER_KEYRING_H

#include <linux/types.h>
#include "gk_format.h"

struct key;

extern struct key *gk_keyring, *gk_admin_keyring, *gk_verifier_keyring;

int gk_keyring_init(bool (*locked)(void));
void gk_keyring_exit(void);
int gk_verify_admin(const void *data, size_t len, const void *sig, size_t sig_len);
void gk_keys_refresh(void);
int gk_key_linked(const u8 fp[GK_DIGEST_SIZE]);
int gk_verify_signer(struct key *keyring, const void *data, size_t len, const void *sig,
		     size_t sig_len, u8 fp[GK_DIGEST_SIZE]);

#endif /* GATEKEEPER_KEYRING_H */
