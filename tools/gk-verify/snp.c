// SPDX-License-Identifier: GPL-2.0
/*
 * AMD SEV-SNP appraisal.
 *
 * Trust runs ARK (self-signed, the anchor the operator supplies with
 * --chain, fetched from AMD out of band) -> ASK, or ASVK for VLEKs ->
 * VCEK/VLEK -> report, the first two links RSASSA-PSS SHA-384 (salt 48),
 * the last ECDSA P-384 SHA-384.  A VCEK is derived for one chip at one TCB,
 * so the report's REPORTED_TCB and CHIP_ID must equal what its certificate
 * says; a VLEK is issued per cloud provider and says only the TCB.
 */
#include <stdio.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include "snp.h"
#include "snp_report.h"
#include "fields.h"

#define AMD_OID "1.3.6.1.4.1.3704.1."
#define AMD_OID_PRODUCT AMD_OID "2"
#define AMD_OID_HWID AMD_OID "4"

/* Products this verifier knows the TCB layout and CPUID family of. */
static const struct {
	const char *name;
	u8 family;
	bool turin_tcb;
} products[] = {
	{ "Milan", 0x19, false },
	{ "Genoa", 0x19, false },
	{ "Bergamo", 0x19, false },
	{ "Siena", 0x19, false },
	{ "Turin", 0x1a, true },
};

/* The extension with this OID, if present exactly once. */
static const ASN1_OCTET_STRING *amd_ext(X509 *c, const char *oid, int *count)
{
	ASN1_OBJECT *o = OBJ_txt2obj(oid, 1);
	int idx, n = 0, first = -1;

	for (idx = -1; o && (idx = X509_get_ext_by_OBJ(c, o, idx)) >= 0; n++)
		if (first < 0)
			first = idx;
	ASN1_OBJECT_free(o);
	*count = n;
	return n == 1 ? X509_EXTENSION_get_data(X509_get_ext(c, first)) : NULL;
}

/* An extension whose value is a DER INTEGER (the SPLs): -1 if absent. */
static int amd_spl(X509 *c, const char *oid, int *out)
{
	const ASN1_OCTET_STRING *d;
	const unsigned char *p;
	ASN1_TYPE *t;
	int64_t v;
	int n, err = -EBADMSG;

	d = amd_ext(c, oid, &n);
	if (!n) {
		*out = -1;
		return 0;
	}
	if (!d)
		return -EBADMSG;
	p = ASN1_STRING_get0_data(d);
	t = d2i_ASN1_TYPE(NULL, &p, ASN1_STRING_length(d));
	if (t && p == ASN1_STRING_get0_data(d) + ASN1_STRING_length(d) &&
	    t->type == V_ASN1_INTEGER &&
	    ASN1_INTEGER_get_int64(&v, t->value.integer) == 1 && v >= 0 &&
	    v <= 255) {
		*out = (int)v;
		err = 0;
	}
	ASN1_TYPE_free(t);
	ERR_clear_error();
	return err;
}

/* The productName extension, an IA5String such as "Milan-B0". */
static int amd_product(X509 *c, char *buf, size_t n)
{
	const ASN1_OCTET_STRING *d;
	const unsigned char *p;
	ASN1_TYPE *t;
	int cnt, len, err = -EBADMSG;

	d = amd_ext(c, AMD_OID_PRODUCT, &cnt);
	if (!d)
		return -EBADMSG;
	p = ASN1_STRING_get0_data(d);
	t = d2i_ASN1_TYPE(NULL, &p, ASN1_STRING_length(d));
	if (t && t->type == V_ASN1_IA5STRING) {
		len = ASN1_STRING_length(t->value.ia5string);
		if (len > 0 && (size_t)len < n) {
			memcpy(buf, ASN1_STRING_get0_data(t->value.ia5string),
			       (size_t)len);
			buf[len] = 0;
			err = strlen(buf) == (size_t)len ? 0 : -EBADMSG;
		}
	}
	ASN1_TYPE_free(t);
	ERR_clear_error();
	return err;
}

/*
 * The certificate's signature must be RSASSA-PSS with SHA-384, MGF1-SHA-384
 * and a 48-byte salt, as AMD specifies, not merely whatever verifies.
 */
static bool pss_sha384(X509 *c)
{
	const ASN1_BIT_STRING *sig;
	const X509_ALGOR *alg;
	const ASN1_OBJECT *aobj;
	const void *pval;
	RSA_PSS_PARAMS *pss;
	X509_ALGOR *mgf_md = NULL;
	int ptype;
	bool ok = false;

	X509_get0_signature(&sig, &alg, c);
	X509_ALGOR_get0(&aobj, &ptype, &pval, alg);
	if (OBJ_obj2nid(aobj) != NID_rsassaPss || ptype != V_ASN1_SEQUENCE)
		return false;
	/* The outer and the to-be-signed algorithm must say the same. */
	if (X509_ALGOR_cmp(alg, X509_get0_tbs_sigalg(c)))
		return false;
	pss = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(RSA_PSS_PARAMS),
					alg->parameter);
	if (!pss)
		goto out;
	/* MGF1's own parameter is the AlgorithmIdentifier of its digest. */
	if (pss->maskGenAlgorithm &&
	    OBJ_obj2nid(pss->maskGenAlgorithm->algorithm) == NID_mgf1 &&
	    pss->maskGenAlgorithm->parameter &&
	    pss->maskGenAlgorithm->parameter->type == V_ASN1_SEQUENCE)
		mgf_md = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(X509_ALGOR),
						   pss->maskGenAlgorithm->parameter);
	ok = pss->hashAlgorithm &&
	     OBJ_obj2nid(pss->hashAlgorithm->algorithm) == NID_sha384 &&
	     mgf_md && OBJ_obj2nid(mgf_md->algorithm) == NID_sha384 &&
	     pss->saltLength && ASN1_INTEGER_get(pss->saltLength) == 48 &&
	     (!pss->trailerField || ASN1_INTEGER_get(pss->trailerField) == 1);
	X509_ALGOR_free(mgf_md);
	RSA_PSS_PARAMS_free(pss);
out:
	ERR_clear_error();
	return ok;
}

/*
 * The ARK and the ASK (VCEK) or ASVK (VLEK) from @chain_path, in any
 * order: AMD KDS's cert_chain (ASK or ASVK, then ARK), or one file with
 * all three, as some verifiers keep them.  The ARK is the self-issued
 * certificate; the intermediate is the one that issued the endorsement
 * key, else the first other one, which the checks then refuse.
 */
static int load_chain(struct gkv_snp_certs *c, const char *chain_path)
{
	struct gkv_verdict *v = &c->load;
	X509 *x, *ark = NULL, *ask = NULL, *other = NULL;
	STACK_OF(X509) *sk;
	int e, i, n, arks = 0;

	e = gk_read_certs(chain_path, &sk);
	if (e)
		return gkv_fail(v, "ark_certificate", "ARK/ASK chain %s unreadable: %s",
				chain_path, strerror(-e));
	n = sk_X509_num(sk);
	for (i = 0; i < n; i++) {
		x = sk_X509_value(sk, i);
		if (X509_check_issued(x, x) == X509_V_OK) {
			ark = x;
			arks++;
		} else if (!ask && X509_check_issued(x, c->ek) == X509_V_OK) {
			ask = x;
		} else if (!other) {
			other = x;
		}
	}
	ERR_clear_error();
	if (!ask)
		ask = other;
	if (n < 2 || n > 3 || arks != 1 || !ask) {
		sk_X509_pop_free(sk, X509_free);
		return gkv_fail(v, "ark_certificate", "ARK/ASK chain %s must hold the ARK and the ASK or ASVK "
				"(the other of those may follow): it holds %d certificates, %d of them self-issued",
				chain_path, n, arks);
	}
	X509_up_ref(ark);
	X509_up_ref(ask);
	c->ark = ark;
	c->ask = ask;
	sk_X509_pop_free(sk, X509_free);
	return 0;
}

/* How checks name the endorsement key and its signer, by kind. */
static const char *ek_name(const struct gkv_snp_certs *c)
{
	return c->kind == GKV_SNP_KEY_VCEK ? "VCEK" : "VLEK";
}

static const char *ek_check(const struct gkv_snp_certs *c)
{
	return c->kind == GKV_SNP_KEY_VCEK ? "vcek_certificate" : "vlek_certificate";
}

static const char *ask_name(const struct gkv_snp_certs *c)
{
	return c->kind == GKV_SNP_KEY_VCEK ? "ASK" : "ASVK";
}

/* The VCEK or VLEK: its kind, and a P-384 key.  Return: 0 or -errno (in @v). */
static int load_ek(struct gkv_snp_certs *c, const char *ek_path)
{
	struct gkv_verdict *v = &c->load;
	int e;

	e = gkv_read_cert(ek_path, &c->ek);
	if (e)
		return gkv_fail(v, "endorsement_key", "VCEK/VLEK %s unreadable: %s",
				ek_path, strerror(-e));
	if (gkv_cert_cn_is(c->ek, "SEV-VCEK"))
		c->kind = GKV_SNP_KEY_VCEK;
	else if (gkv_cert_cn_is(c->ek, "SEV-VLEK"))
		c->kind = GKV_SNP_KEY_VLEK;
	else
		return gkv_fail(v, "endorsement_key", "certificate is neither a VCEK nor a VLEK");
	if (!gkv_is_ec_key(X509_get0_pubkey(c->ek), NID_secp384r1))
		return gkv_fail(v, "endorsement_key", "%s key is not ECDSA P-384", ek_name(c));
	c->ek_usable = true;
	gkv_pass(v, "endorsement_key", "%s with a P-384 key", ek_name(c));
	return 0;
}

/* ARK: self-signed RSA-PSS, inside its validity; ASK/ASVK: signed by the ARK. */
static int check_ark_ask(struct gkv_snp_certs *c)
{
	struct gkv_verdict *v = &c->load;
	EVP_PKEY *ark_key = X509_get0_pubkey(c->ark);
	char msg[320];

	if (X509_check_issued(c->ark, c->ark) != X509_V_OK ||
	    X509_verify(c->ark, ark_key) != 1 || !pss_sha384(c->ark)) {
		ERR_clear_error();
		return gkv_fail(v, "ark_certificate", "ARK is not a self-signed RSA-PSS SHA-384 certificate");
	}
	if (!EVP_PKEY_is_a(ark_key, "RSA") || EVP_PKEY_get_bits(ark_key) < 4096)
		return gkv_fail(v, "ark_certificate", "ARK key is not RSA-4096");
	if (gkv_cert_window(c->ark, c->now, "ARK", msg, sizeof(msg)))
		return gkv_fail(v, "ark_certificate", "%s", msg);
	gkv_pass(v, "ark_certificate", "ARK self-signed with RSA-PSS SHA-384; %s", msg);

	if (X509_check_issued(c->ark, c->ask) != X509_V_OK ||
	    X509_verify(c->ask, ark_key) != 1 || !pss_sha384(c->ask)) {
		ERR_clear_error();
		return gkv_fail(v, "ask_certificate", "%s is not signed by the ARK with RSA-PSS SHA-384",
				ask_name(c));
	}
	if (gkv_cert_window(c->ask, c->now, ask_name(c), msg, sizeof(msg)))
		return gkv_fail(v, "ask_certificate", "%s", msg);
	gkv_pass(v, "ask_certificate", "%s signed by the ARK; %s", ask_name(c), msg);
	return 0;
}

/*
 * VCEK/VLEK: signed by the ASK/ASVK; the whole chain once more through
 * OpenSSL's verifier for issuer names, CA flags and path length.
 */
static int check_ek_chain(struct gkv_snp_certs *c)
{
	struct gkv_verdict *v = &c->load;
	STACK_OF(X509) *u;
	char msg[320];
	int e;

	if (gkv_cert_window(c->ek, c->now, ek_name(c), msg, sizeof(msg)))
		return gkv_fail(v, ek_check(c), "%s", msg);
	if (!pss_sha384(c->ek) ||
	    X509_verify(c->ek, X509_get0_pubkey(c->ask)) != 1) {
		ERR_clear_error();
		return gkv_fail(v, ek_check(c), "%s is not signed by the %s with RSA-PSS SHA-384",
				ek_name(c), ask_name(c));
	}
	u = sk_X509_new_null();
	if (!u || !sk_X509_push(u, c->ask)) {
		sk_X509_free(u);
		return gkv_internal(v, -ENOMEM, "out of memory");
	}
	e = gkv_verify_chain(c->ek, u, c->ark, NULL, c->now, true, msg, sizeof(msg));
	sk_X509_free(u);
	if (e)
		return gkv_fail(v, ek_check(c), "%s chain: %s", ek_name(c), msg);
	gkv_cert_window(c->ek, c->now, ek_name(c), msg, sizeof(msg));
	gkv_pass(v, ek_check(c), "%s chains to the ARK; %s", ek_name(c), msg);
	return 0;
}

/* Names must agree: ARK-<p>, SEV-<p> or SEV-VLEK-<p>, productName <p>[-stepping]. */
static int check_product(struct gkv_snp_certs *c)
{
	struct gkv_verdict *v = &c->load;
	char prod[64], want[80], cn[128];
	size_t i;

	if (amd_product(c->ek, prod, sizeof(prod)))
		return gkv_fail(v, "product", "%s has no readable productName", ek_name(c));
	prod[strcspn(prod, "-")] = 0;
	for (i = 0; i < sizeof(products) / sizeof(products[0]); i++)
		if (!strcmp(prod, products[i].name))
			break;
	if (i == sizeof(products) / sizeof(products[0]))
		return gkv_fail(v, "product", "unknown AMD product \"%s\"", prod);
	snprintf(c->product, sizeof(c->product), "%s", prod);
	c->turin_tcb = products[i].turin_tcb;
	snprintf(want, sizeof(want), c->kind == GKV_SNP_KEY_VCEK ? "SEV-%s" :
		 "SEV-VLEK-%s", prod);
	gkv_cert_cn(c->ask, cn, sizeof(cn));
	if (strcmp(cn, want))
		return gkv_fail(v, "product", "%s is for %s but its issuer is \"%s\", not \"%s\"",
				ek_name(c), prod, cn, want);
	snprintf(want, sizeof(want), "ARK-%s", prod);
	if (!gkv_cert_cn_is(c->ark, want))
		return gkv_fail(v, "product", "ARK is not \"%s\"", want);
	gkv_pass(v, "product", "%s, %s and ARK all for %s", ek_name(c), ask_name(c), prod);
	return 0;
}

/**
 * gkv_snp_certs_load() - load and verify the endorsement certificates
 * @c: filled; free with gkv_snp_certs_free() whatever the result
 * @ek_path: the VCEK or VLEK, DER or PEM
 * @chain_path: ASK (or ASVK) and ARK, PEM, in any order; the other of
 *	ASK and ASVK may be there too
 * @now: evaluation time
 *
 * Problems are failed checks in @c->load, not errors; the first ends the
 * loading.
 *
 * Return: 0; -errno for an internal failure.
 */
int gkv_snp_certs_load(struct gkv_snp_certs *c, const char *ek_path,
		       const char *chain_path, time_t now)
{
	memset(c, 0, sizeof(*c));
	c->now = now;
	gkv_verdict_init(&c->load, "snp", now);

	if (!load_ek(c, ek_path) && !load_chain(c, chain_path) && !check_ark_ask(c) &&
	    !check_ek_chain(c))
		check_product(c);
	return c->load.internal;
}

void gkv_snp_certs_free(struct gkv_snp_certs *c)
{
	X509_free(c->ek);
	X509_free(c->ask);
	X509_free(c->ark);
	gkv_verdict_free(&c->load);
	memset(c, 0, sizeof(*c));
}

/* Components of a TCB_VERSION; which byte is which depends on the product. */
struct snp_tcb {
	int c[GKV_SNP_NCOMP];		/* -1: no such component */
	bool reserved_zero;
};

static void decode_tcb(u64 raw, bool turin, struct snp_tcb *t)
{
	u8 b[8];
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (u8)(raw >> (8 * i));
	if (turin) {
		t->c[GKV_SNP_FMC] = b[0];
		t->c[GKV_SNP_BL] = b[1];
		t->c[GKV_SNP_TEE] = b[2];
		t->c[GKV_SNP_SNP] = b[3];
		t->reserved_zero = !b[4] && !b[5] && !b[6];
	} else {
		t->c[GKV_SNP_FMC] = -1;
		t->c[GKV_SNP_BL] = b[0];
		t->c[GKV_SNP_TEE] = b[1];
		t->c[GKV_SNP_SNP] = b[6];
		t->reserved_zero = !b[2] && !b[3] && !b[4] && !b[5];
	}
	t->c[GKV_SNP_UCODE] = b[7];
}

static void check_reported_tcb(const struct gkv_snp_certs *c,
			       const struct gk_snp_report *r,
			       struct gkv_verdict *v)
{
	static const char *const oid[GKV_SNP_NCOMP] = {
		[GKV_SNP_BL] = AMD_OID "3.1", [GKV_SNP_TEE] = AMD_OID "3.2",
		[GKV_SNP_SNP] = AMD_OID "3.3", [GKV_SNP_UCODE] = AMD_OID "3.8",
		[GKV_SNP_FMC] = AMD_OID "3.9",
	};
	static const char *const reserved_oid[] = {
		AMD_OID "3.4", AMD_OID "3.5", AMD_OID "3.6", AMD_OID "3.7",
	};
	struct snp_tcb t;
	int i, val;

	decode_tcb(r->reported_tcb, c->turin_tcb, &t);
	if (!t.reserved_zero) {
		gkv_fail(v, "reported_tcb", "REPORTED_TCB has reserved bytes set (0x%016llx)",
			 (unsigned long long)r->reported_tcb);
		return;
	}
	for (i = 0; i < 4; i++) {
		if (amd_spl(c->ek, reserved_oid[i], &val) || val > 0) {
			gkv_fail(v, "reported_tcb", "certificate has a non-zero or malformed reserved SPL %s",
				 reserved_oid[i]);
			return;
		}
	}
	for (i = 0; i < GKV_SNP_NCOMP; i++) {
		if (t.c[i] < 0)
			continue;
		if (amd_spl(c->ek, oid[i], &val) || val < 0) {
			gkv_fail(v, "reported_tcb", "certificate lacks a readable %s SPL (%s)",
				 gkv_snp_comp_names[i], oid[i]);
			return;
		}
		if (val != t.c[i]) {
			gkv_fail(v, "reported_tcb", "REPORTED_TCB %s %d differs from the certificate's %d",
				 gkv_snp_comp_names[i], t.c[i], val);
			return;
		}
	}
	gkv_pass(v, "reported_tcb", "REPORTED_TCB 0x%016llx equals the certificate's TCB",
		 (unsigned long long)r->reported_tcb);
}

static void check_chip_id(const struct gkv_snp_certs *c,
			  const struct gk_snp_report *r, struct gkv_verdict *v)
{
	const ASN1_OCTET_STRING *hw;
	int n, len;

	if (c->kind == GKV_SNP_KEY_VLEK) {
		gkv_skip(v, "chip_id", "VLEK certificates carry no hwID");
		return;
	}
	hw = amd_ext(c->ek, AMD_OID_HWID, &n);
	len = hw ? ASN1_STRING_length(hw) : 0;
	/* Milan/Genoa hwIDs are 64 bytes, Turin's 8 with CHIP_ID zero after. */
	if (!hw || len <= 0 || len > 64) {
		gkv_fail(v, "chip_id", "VCEK has no usable hwID extension");
		return;
	}
	if (memcmp(r->chip_id, ASN1_STRING_get0_data(hw), (size_t)len) ||
	    memcmp(r->chip_id + len, (u8[64]){ 0 }, (size_t)(64 - len))) {
		gkv_fail(v, "chip_id", "CHIP_ID does not match the VCEK hwID");
		return;
	}
	gkv_pass(v, "chip_id", "CHIP_ID equals the VCEK hwID");
}

static void check_policy(const struct gkv_ref *ref,
			 const struct gk_snp_report *r, struct gkv_verdict *v)
{
	u64 known = r->version >= 5 ? SNP_POLICY_KNOWN_V5 : SNP_POLICY_KNOWN_V2;

	if (!(r->policy & SNP_POLICY_RESERVED_MBO))
		gkv_fail(v, "policy", "POLICY bit 17 (must be one) is zero");
	else if (r->policy & ~known)
		gkv_fail(v, "policy", "POLICY has bits this verifier does not know (0x%016llx)",
			 (unsigned long long)(r->policy & ~known));
	else
		gkv_pass(v, "policy", "POLICY 0x%llx", (unsigned long long)r->policy);
	if (!(r->policy & SNP_POLICY_DEBUG))
		gkv_pass(v, "policy_debug", "POLICY debug bit clear");
	else if (ref->debug_forbidden)
		gkv_fail(v, "policy_debug", "POLICY debug bit set");
	else
		gkv_pass(v, "policy_debug", "POLICY debug bit set, allowed by the reference values");
}

/* Returns 1 if a configured minimum is met, 0 if none is configured, -1
 * if it is not met. */
static int check_min_tcb(const struct gkv_snp_certs *c,
			  const struct gkv_ref *ref,
			  const struct gk_snp_report *r, struct gkv_verdict *v)
{
	struct snp_tcb t;
	bool any = false;
	int i;

	if (!c->product[0]) {
		gkv_skip(v, "min_tcb", "endorsement certificates unusable");
		return -1;
	}
	decode_tcb(r->reported_tcb, c->turin_tcb, &t);
	for (i = 0; i < GKV_SNP_NCOMP; i++) {
		if (!ref->snp_min_set[i])
			continue;
		any = true;
		if (t.c[i] < 0) {
			gkv_fail(v, "min_tcb", "minimum set for %s, which %s has no such component",
				 gkv_snp_comp_names[i], c->product);
			return -1;
		}
		if ((unsigned int)t.c[i] < ref->snp_min[i]) {
			gkv_fail(v, "min_tcb", "REPORTED_TCB %s %d is below the minimum %u",
				 gkv_snp_comp_names[i], t.c[i], ref->snp_min[i]);
			return -1;
		}
	}
	if (!any) {
		gkv_skip(v, "min_tcb", "no minimum TCB in the reference values: TCB not graded");
		return 0;
	}
	gkv_pass(v, "min_tcb", "REPORTED_TCB meets the reference minimum");
	return 1;
}

/* The fields the reference values may constrain (gkv_snp_fields' order). */
static void check_fields(const struct gkv_ref *ref, const struct gk_snp_report *r,
			 struct gkv_verdict *v)
{
	const struct gkv_fact facts[GKV_SNP_NFIELDS] = {
		{ .num = r->vmpl },
		{ .num = r->guest_svn },
		{ .num = gkv_version(r->current_major, r->current_minor, r->current_build) },
		{ .bytes = r->host_data },
		{ .bytes = r->id_key_digest },
		{ .bytes = r->author_key_digest },
		{ .bytes = r->family_id },
		{ .bytes = r->image_id },
		{ .bytes = r->report_data },
		{ .num = r->policy },
		{ .num = r->platform_info },
	};

	gkv_fields_check(v, ref->snp, gkv_snp_fields, GKV_SNP_NFIELDS, facts);
}

static void set_info(const struct gkv_snp_certs *c,
		     const struct gk_snp_report *r, struct gkv_verdict *v)
{
	json_t *i = v->info;
	char hex[129];

	json_object_set_new(i, "report_version", json_integer(r->version));
	json_object_set_new(i, "signing_key", json_string(
		r->signing_key == SNP_SIGNING_VCEK ? "VCEK" : "VLEK"));
	json_object_set_new(i, "policy", json_integer((json_int_t)r->policy));
	json_object_set_new(i, "vmpl", json_integer(r->vmpl));
	json_object_set_new(i, "guest_svn", json_integer(r->guest_svn));
	/* 64 bits, above JSON's safe integers: 16 hex digits of the value. */
	snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)r->reported_tcb);
	json_object_set_new(i, "reported_tcb", json_string(hex));
	json_object_set_new(i, "platform_info", json_integer((json_int_t)r->platform_info));
	json_object_set_new(i, "product", json_string(c->product));
	gkv_info_hex(v, "host_data", r->host_data, 32);
	gkv_info_hex(v, "chip_id", r->chip_id, 64);
	gkv_info_hex(v, "id_key_digest", r->id_key_digest, 48);
	gkv_info_hex(v, "author_key_digest", r->author_key_digest, 48);
	gkv_info_hex(v, "family_id", r->family_id, 16);
	gkv_info_hex(v, "image_id", r->image_id, 16);
	snprintf(hex, sizeof(hex), "%u.%u.%u", r->current_major, r->current_minor, r->current_build);
	json_object_set_new(i, "firmware", json_string(hex));
	if (r->has_cpuid) {
		json_object_set_new(i, "cpuid_family", json_integer(r->cpuid_fam));
		json_object_set_new(i, "cpuid_model", json_integer(r->cpuid_mod));
	}
}

/**
 * gkv_snp_appraise() - appraise one SEV-SNP attestation report
 * @c: loaded endorsement certificates (their checks join every verdict)
 * @ref: reference values
 * @nonce: the nonce the report must answer, or NULL
 * @report: the report
 * @len: its size
 * @v: verdict, initialised by the caller
 *
 * Return: 0 when the verdict is complete; -errno on an internal failure.
 */
int gkv_snp_appraise(const struct gkv_snp_certs *c, const struct gkv_ref *ref,
		     const struct gkv_nonce *nonce, const u8 *report, size_t len,
		     struct gkv_verdict *v)
{
	struct gk_snp_report r;
	char why[200];
	int graded;
	int i;

	if (gk_snp_report_parse(report, len, &r, why, sizeof(why))) {
		gkv_fail(v, "report_parse", "report parse error: %s", why);
		return 0;
	}
	gkv_pass(v, "report_parse", "SEV-SNP report version %u signed by %s",
		 r.version, r.signing_key == SNP_SIGNING_VCEK ? "VCEK" : "VLEK");
	gkv_set_meas(v, "measurement", r.measurement);
	memcpy(v->report_data, r.report_data, 64);
	v->have_report_data = true;

	if (!c->ek_usable)
		gkv_skip(v, "report_signature", "no usable VCEK/VLEK key");
	else if (gkv_ecdsa_verify_rs(X509_get0_pubkey(c->ek), EVP_sha384(),
				     report, SNP_SIGNED_SIZE, r.sig_r, r.sig_s,
				     48, true))
		gkv_fail(v, "report_signature", "report signature invalid");
	else
		gkv_pass(v, "report_signature", "report signed by the %s",
			 c->kind == GKV_SNP_KEY_VCEK ? "VCEK" : "VLEK");

	for (i = 0; i < c->load.nchecks; i++)
		gkv_add_check(v, &c->load.checks[i]);
	if (c->load.internal)
		return gkv_internal(v, c->load.internal, "%s", c->load.internal_msg);
	set_info(c, &r, v);

	if (c->kind == GKV_SNP_KEY_UNKNOWN || !c->product[0]) {
		gkv_skip(v, "signing_key", "endorsement certificates unusable");
		goto td;
	}
	if ((r.signing_key == SNP_SIGNING_VCEK) != (c->kind == GKV_SNP_KEY_VCEK))
		gkv_fail(v, "signing_key", "report says it is signed by the %s but a %s was given",
			 r.signing_key == SNP_SIGNING_VCEK ? "VCEK" : "VLEK",
			 c->kind == GKV_SNP_KEY_VCEK ? "VCEK" : "VLEK");
	else
		gkv_pass(v, "signing_key", "SIGNING_KEY matches the certificate");
	if (r.has_cpuid) {
		for (i = 0; i < (int)(sizeof(products) / sizeof(products[0])); i++)
			if (!strcmp(products[i].name, c->product))
				break;
		if (r.cpuid_fam != products[i].family)
			gkv_fail(v, "cpuid", "report CPUID family 0x%x is not %s's 0x%x",
				 r.cpuid_fam, c->product, products[i].family);
		else
			gkv_pass(v, "cpuid", "CPUID family 0x%x model 0x%x stepping %u",
				 r.cpuid_fam, r.cpuid_mod, r.cpuid_step);
	}
	check_reported_tcb(c, &r, v);
	check_chip_id(c, &r, v);
td:
	check_policy(ref, &r, v);
	graded = check_min_tcb(c, ref, &r, v);
	if (graded >= 0) {
		snprintf(v->tcb_status, sizeof(v->tcb_status), "%s",
			 graded ? "MinimumMet" : "Ungraded");
		v->tcb_code = graded ? GK_TCB_MINIMUM_MET : GK_TCB_UNGRADED;
	}
	check_fields(ref, &r, v);
	gkv_check_measurement(v, ref, ref->snp_measurement, r.measurement, "MEASUREMENT");
	gkv_check_nonce(v, ref, nonce, r.report_data, "REPORT_DATA");
	return v->internal;
}

/**
 * gkv_snp_floor() - the signature check an SEV-SNP appraisal cannot do without
 * @c: loaded endorsement certificates
 * @report: the report
 * @len: its size
 * @f: filled with the report's signature by the VCEK or VLEK
 *
 * Return: 0; -EBADMSG if the report or the certificate is unusable.
 */
int gkv_snp_floor(const struct gkv_snp_certs *c, const u8 *report, size_t len,
		  struct gkv_floor *f)
{
	struct gk_snp_report r;
	char why[200];

	memset(f, 0, sizeof(*f));
	if (!c->ek_usable || gk_snp_report_parse(report, len, &r, why, sizeof(why)))
		return -EBADMSG;
	f->sig[0] = (struct gkv_floor_sig){ .name = "report", .key = X509_get0_pubkey(c->ek),
		.md = EVP_sha384(), .msg = report, .len = SNP_SIGNED_SIZE,
		.r = r.sig_r, .s = r.sig_s, .rs_len = 48, .le = true };
	f->n = 1;
	return 0;
}
