// SPDX-License-Identifier: GPL-2.0
/*
 * gkctl key: trust certificates, and print the key fingerprints policies
 * name keys by.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <keyutils.h>
#include "gkctl.h"

static const char gk_help_key[] =
	"Usage: gkctl key add [--json] [--admin | --verifier] CERT\n"
	"       gkctl key fingerprint [--json] CERT\n"
	"\n"
	"add: add the X.509 certificate CERT (PEM or DER) to the .gatekeeper keyring\n"
	"and print its key serial.  Signatures made with its key, or with a key it\n"
	"issued the certificate of, are then accepted.  Remove it with keyctl unlink.\n"
	"A locked gate refuses new keys.\n"
	"\n"
	"  --admin   add CERT to the .gatekeeper_admin keyring instead: the keys that\n"
	"            may sign policies (gkctl policy sign).  The kernel takes only a\n"
	"            certificate signed by a key already in it; the first admin key\n"
	"            is given at insmod with admin_cert=PATH.  Policies signed by a\n"
	"            key in the kernel's builtin or secondary trusted keyring are\n"
	"            accepted without one.\n"
	"  --verifier  add CERT to the .gatekeeper_verifier keyring instead: the keys\n"
	"            that may sign attestation results (gk-verify --sign-cert).  They\n"
	"            cannot sign programs, and publishers' keys cannot sign results.\n"
	"\n"
	"fingerprint: print the SHA-256, in lower-case hex, of CERT's public key as the\n"
	"kernel stores it (the contents of the SubjectPublicKeyInfo BIT STRING: for\n"
	"RSA the PKCS#1 RSAPublicKey DER, for EC the uncompressed point).  It is the\n"
	"HEX of \"publisher NAME key HEX\" and \"verifier NAME key HEX\" in a policy.\n"
	"With --json: {\"fingerprint\": HEX, \"subject\": DN}.\n";

/* Whether keyring @ring still exists, as far as we can tell. */
static bool gk_ring_alive(key_serial_t ring)
{
	char *desc;

	if (keyctl_describe_alloc(ring, &desc) >= 0) {
		free(desc);
		return true;
	}
	return errno != ENOKEY && errno != EKEYREVOKED && errno != EKEYEXPIRED;
}

static void gk_add_key_err(const char *path, const char *ringname, key_serial_t ring,
			   bool admin)
{
	static const char admin_msg[] =
		"admin keys must be signed by a key already in the .gatekeeper_admin keyring, the first one being given at insmod with admin_cert=PATH (policies signed by a key in the kernel's builtin or secondary trusted keyring need no admin key)";
	int err = errno;

	switch (err) {
	case EBADMSG:
	case EINVAL:
		gk_err("%s: the kernel cannot parse this certificate or its key", path);
		break;
	case ENOPKG:
		gk_err("%s: the kernel lacks the algorithm of this certificate's key or signature", path);
		break;
	case EOPNOTSUPP:
		gk_err("%s: the %s keyring takes only X.509 certificates with key identifiers", path,
		       ringname);
		break;
	case ENOSPC:
		gk_err("%s: the module's table of keys is full: reload the module to start again",
		       path);
		break;
	case EACCES:
		gk_err("%s: permission denied on the %s keyring: run as root", path, ringname);
		break;
	case EPERM:
		if (gk_locked() == 1)
			gk_err("%s: the gate is locked: no key can be added until the next boot", path);
		else if (admin)
			gk_err("%s: refused (is the gate locked? see gkctl status): %s", path, admin_msg);
		else
			gk_err("%s: permission denied on the %s keyring: run as root", path, ringname);
		break;
	case ENOKEY:
	case EKEYREJECTED:
	case EKEYREVOKED:
		if (!gk_ring_alive(ring)) {
			gk_err("the %s keyring (%d) is gone: was the module reloaded?", ringname, ring);
			break;
		}
		if (admin) {
			gk_err("%s: %s: %s", path,
			       err == EKEYREJECTED ? "its signature does not verify" :
			       "no key in the .gatekeeper_admin keyring signed it", admin_msg);
			break;
		}
		/* fall through */
	default:
		gk_err("%s: cannot add the key: %s", path, strerror(err));
	}
}

static int gk_cmd_key_add(int argc, char **argv)
{
	bool admin = false, verifier = false;
	const struct gk_opt opts[] = {
		{ "admin", 0, NULL, &admin },
		{ "verifier", 0, NULL, &verifier },
		{ NULL, 0, NULL, NULL },
	};
	const char *path, *file, *ringname;
	key_serial_t ring, key;
	unsigned char *der = NULL;
	char *buf, *end;
	X509 *cert;
	int len, ret;

	ret = gk_opts(argc, argv, "gkctl key add", gk_help_key, opts, 1, 1);
	if (ret >= 0)
		return ret;
	if (admin && verifier)
		return gk_usage_err("gkctl key add", "--admin and --verifier name different keyrings");
	path = argv[optind];
	file = admin ? "admin_keyring" : verifier ? "verifier_keyring" : "keyring";
	ringname = admin ? ".gatekeeper_admin" : verifier ? ".gatekeeper_verifier" : ".gatekeeper";
	if (gk_load_cert(path, &cert))
		return GK_EXIT_FAIL;
	len = i2d_X509(cert, &der);
	X509_free(cert);
	if (len <= 0) {
		gk_ossl_err("cannot encode %s as DER", path);
		return GK_EXIT_FAIL;
	}
	ret = GK_EXIT_FAIL;
	if (gk_fs_read(file, &buf))
		goto out;
	buf[strcspn(buf, "\n")] = '\0';
	ring = strtol(buf, &end, 10);
	if (end == buf || *end) {
		gk_err("%s/%s holds no key serial: %s", gk_dir(), file, buf);
		goto out_buf;
	}
	key = add_key("asymmetric", NULL, der, len, ring);
	if (key < 0) {
		gk_add_key_err(path, ringname, ring, admin);
		goto out_buf;
	}
	if (gk_json)
		gk_json_print(json_pack("{s:i}", "serial", key));
	else
		printf("%d\n", key);
	ret = GK_EXIT_OK;
out_buf:
	free(buf);
out:
	OPENSSL_free(der);
	return ret;
}

static int gk_cmd_key_fingerprint(int argc, char **argv)
{
	u8 fpr[GK_KEY_FPR_SIZE];
	char *hex = NULL, *subject = NULL;
	X509 *cert;
	int ret;

	ret = gk_opts(argc, argv, "gkctl key fingerprint", gk_help_key, NULL, 1, 1);
	if (ret >= 0)
		return ret;
	if (gk_load_cert(argv[optind], &cert))
		return GK_EXIT_FAIL;
	ret = GK_EXIT_FAIL;
	if (gk_key_fingerprint(cert, fpr))
		goto out;
	hex = gk_hex(fpr, sizeof(fpr));
	subject = gk_x509_subject(cert);
	if (!hex || !subject) {
		gk_err("out of memory");
		goto out;
	}
	if (gk_json)
		gk_json_print(json_pack("{s:s, s:s}", "fingerprint", hex, "subject", subject));
	else
		puts(hex);
	ret = GK_EXIT_OK;
out:
	free(subject);
	free(hex);
	X509_free(cert);
	return ret;
}

int gk_cmd_key(int argc, char **argv)
{
	static const struct gk_cmd cmds[] = {
		{ "add", gk_cmd_key_add },
		{ "fingerprint", gk_cmd_key_fingerprint },
		{ NULL, NULL },
	};

	return gk_dispatch(cmds, argc - 1, argv + 1, "gkctl key", gk_help_key);
}
