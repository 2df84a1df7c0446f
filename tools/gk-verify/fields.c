// SPDX-License-Identifier: GPL-2.0
/*
 * Field constraints (docs/verifier.md, "Reference values").  A field the
 * reference values do not mention is not checked; one they mention is
 * checked, and a refusal names the field as the vendor documents do, the
 * value found and the value required.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "verifier.h"
#include "fields.h"

#define GKV_FIELD_MAX_BYTES 64

/* SEV-SNP ABI, ATTESTATION_REPORT: POLICY and PLATFORM_INFO bits. */
static const struct gkv_bit snp_policy_bits[] = {
	{ "smt", 16 }, { "migrate_ma", 18 }, { "single_socket", 20 },
	{ "cxl_allow", 21 }, { "mem_aes_256_xts", 22 }, { "rapl_dis", 23 },
	{ "ciphertext_hiding", 24 }, { "page_swap_disable", 25 }, { NULL, 0 },
};

static const struct gkv_bit snp_platform_bits[] = {
	{ "smt_en", 0 }, { "tsme_en", 1 }, { "ecc_en", 2 }, { "rapl_dis", 3 },
	{ "ciphertext_hiding_en", 4 }, { "alias_check_complete", 5 }, { NULL, 0 },
};

/* Intel TDX module ABI, TD_ATTRIBUTES (DEBUG is debug_forbidden's). */
static const struct gkv_bit tdx_attribute_bits[] = {
	{ "sept_ve_disable", 28 }, { "migratable", 29 }, { "pks", 30 },
	{ "kl", 31 }, { "perfmon", 63 }, { NULL, 0 },
};

#define GKV_VERSION_NAME "CURRENT_MAJOR.CURRENT_MINOR.CURRENT_BUILD"

/*
 * Order is the order of the facts gkv_snp_appraise() fills in.  The bit
 * checks have their own names: "policy" and "td_attributes" are the
 * checks of the bits every verdict looks at (reserved bits, DEBUG).
 */
const struct gkv_field gkv_snp_fields[GKV_SNP_NFIELDS] = {
	{ "vmpl", "vmpl", "VMPL", GKV_FIELD_UINT_SET, 0, NULL },
	{ "min_guest_svn", "guest_svn", "GUEST_SVN", GKV_FIELD_UINT_MIN, 0, NULL },
	{ "min_firmware", "firmware", GKV_VERSION_NAME, GKV_FIELD_VERSION_MIN, 0, NULL },
	{ "host_data", "host_data", "HOST_DATA", GKV_FIELD_HEX_SET, 32, NULL },
	{ "id_key_digest", "id_key_digest", "ID_KEY_DIGEST", GKV_FIELD_HEX_SET, 48, NULL },
	{ "author_key_digest", "author_key_digest", "AUTHOR_KEY_DIGEST", GKV_FIELD_HEX_SET, 48, NULL },
	{ "family_id", "family_id", "FAMILY_ID", GKV_FIELD_HEX_SET, 16, NULL },
	{ "image_id", "image_id", "IMAGE_ID", GKV_FIELD_HEX_SET, 16, NULL },
	{ "report_data", "report_data", "REPORT_DATA", GKV_FIELD_HEX_SET, 64, NULL },
	{ "policy", "policy_bits", "POLICY", GKV_FIELD_BITS, 0, snp_policy_bits },
	{ "platform_info", "platform_info", "PLATFORM_INFO", GKV_FIELD_BITS, 0, snp_platform_bits },
};

/* Order is the order of the facts gkv_tdx_appraise() fills in. */
const struct gkv_field gkv_tdx_fields[GKV_TDX_NFIELDS] = {
	{ "mr_config_id", "mr_config_id", "MRCONFIGID", GKV_FIELD_HEX_SET, 48, NULL },
	{ "mr_owner", "mr_owner", "MROWNER", GKV_FIELD_HEX_SET, 48, NULL },
	{ "mr_owner_config", "mr_owner_config", "MROWNERCONFIG", GKV_FIELD_HEX_SET, 48, NULL },
	{ "xfam", "xfam", "XFAM", GKV_FIELD_HEX_SET, 8, NULL },
	{ "min_tee_tcb_svn", "tee_tcb_svn", "TEE_TCB_SVN", GKV_FIELD_BYTES_MIN, 16, NULL },
	{ "report_data", "report_data", "REPORTDATA", GKV_FIELD_HEX_SET, 64, NULL },
	{ "td_attributes", "td_attributes_bits", "TD_ATTRIBUTES", GKV_FIELD_BITS, 0, tdx_attribute_bits },
};

/**
 * gkv_fields_known() - is @key one of the fields @f lists?
 * @key: a key of a TEE's reference values object
 * @f: the TEE's fields
 * @n: how many
 *
 * Return: true if it is.
 */
bool gkv_fields_known(const char *key, const struct gkv_field *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(key, f[i].key))
			return true;
	return false;
}

static const struct gkv_bit *find_bit(const struct gkv_bit *b, const char *key)
{
	for (; b->key; b++)
		if (!strcmp(b->key, key))
			return b;
	return NULL;
}

/* "MAJOR.MINOR.BUILD", each 0..255, as one number; -1 if malformed. */
static long long parse_version(const char *s)
{
	unsigned int a, b, c;
	char end;

	if (sscanf(s, "%3u.%3u.%3u%c", &a, &b, &c, &end) != 3 || a > 255 || b > 255 || c > 255)
		return -1;
	return (long long)gkv_version(a, b, c);
}

static bool is_uint32(json_t *v)
{
	return json_is_integer(v) && json_integer_value(v) >= 0 &&
	       json_integer_value(v) <= UINT32_MAX;
}

/* One field's constraint well-formed; msg says why not. */
static int load_one(json_t *val, const struct gkv_field *f, char *msg, size_t n)
{
	u8 buf[GKV_FIELD_MAX_BYTES];
	const char *key;
	json_t *e;
	size_t i;

	switch (f->kind) {
	case GKV_FIELD_HEX_SET:
	case GKV_FIELD_UINT_SET:
		if (!json_is_array(val))
			break;
		json_array_foreach(val, i, e) {
			if (f->kind == GKV_FIELD_UINT_SET ? !is_uint32(e) :
			    !json_is_string(e) || gk_unhex(json_string_value(e), buf, f->size)) {
				if (f->kind == GKV_FIELD_UINT_SET)
					snprintf(msg, n, "\"%s\"[%zu] is not a number 0..%" PRIu32, f->key, i, UINT32_MAX);
				else
					snprintf(msg, n, "\"%s\"[%zu] is not %zu bytes of hex", f->key, i, f->size);
				return -EINVAL;
			}
		}
		return 0;
	case GKV_FIELD_UINT_MIN:
		if (is_uint32(val))
			return 0;
		break;
	case GKV_FIELD_BYTES_MIN:
		if (json_is_string(val) && !gk_unhex(json_string_value(val), buf, f->size))
			return 0;
		break;
	case GKV_FIELD_VERSION_MIN:
		if (json_is_string(val) && parse_version(json_string_value(val)) >= 0)
			return 0;
		break;
	case GKV_FIELD_BITS:
		if (!json_is_object(val))
			break;
		json_object_foreach(val, key, e) {
			if (!find_bit(f->bits, key)) {
				snprintf(msg, n, "unknown key \"%s\" in \"%s\"", key, f->key);
				return -EINVAL;
			}
			if (!json_is_boolean(e)) {
				snprintf(msg, n, "\"%s\".\"%s\" must be true or false", f->key, key);
				return -EINVAL;
			}
		}
		return 0;
	}
	snprintf(msg, n, "\"%s\" must be %s", f->key,
		 f->kind == GKV_FIELD_HEX_SET ? "a list of hex strings" :
		 f->kind == GKV_FIELD_UINT_SET ? "a list of numbers" :
		 f->kind == GKV_FIELD_UINT_MIN ? "a number 0..4294967295" :
		 f->kind == GKV_FIELD_BYTES_MIN ? "a hex string" :
		 f->kind == GKV_FIELD_VERSION_MIN ? "\"MAJOR.MINOR.BUILD\", each 0..255" :
		 "an object of true/false");
	return -EINVAL;
}

/**
 * gkv_fields_load() - validate the field constraints of a TEE's object
 * @obj: the "tdx" or "snp" object of the reference values
 * @f: the TEE's fields
 * @n: how many
 * @msg: what is wrong, on failure
 * @msglen: room in @msg
 *
 * Keys that are not fields are left to the caller.  Return: 0 or -EINVAL.
 */
int gkv_fields_load(json_t *obj, const struct gkv_field *f, size_t n,
		    char *msg, size_t msglen)
{
	json_t *val;
	size_t i;
	int err;

	for (i = 0; i < n; i++) {
		val = json_object_get(obj, f[i].key);
		if (val && (err = load_one(val, &f[i], msg, msglen)))
			return err;
	}
	return 0;
}

static void check_hex_set(struct gkv_verdict *v, json_t *val, const struct gkv_field *f,
			  const struct gkv_fact *fact)
{
	u8 buf[GKV_FIELD_MAX_BYTES];
	char hex[2 * GKV_FIELD_MAX_BYTES + 1];
	json_t *e;
	size_t i;

	json_array_foreach(val, i, e)
		if (!gk_unhex(json_string_value(e), buf, f->size) && !memcmp(buf, fact->bytes, f->size)) {
			gkv_pass(v, f->check, "%s matches the reference values", f->name);
			return;
		}
	gk_hex_buf(fact->bytes, f->size, hex);
	gkv_fail(v, f->check, "%s %s is not in the reference values", f->name, hex);
}

static void check_uint_set(struct gkv_verdict *v, json_t *val, const struct gkv_field *f,
			   const struct gkv_fact *fact)
{
	char list[128] = "";
	size_t i, used = 0;
	json_t *e;

	json_array_foreach(val, i, e) {
		if ((u64)json_integer_value(e) == fact->num) {
			gkv_pass(v, f->check, "%s %" PRIu64 " is allowed by the reference values", f->name, fact->num);
			return;
		}
		if (used < sizeof(list))
			used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%" JSON_INTEGER_FORMAT,
						 i ? ", " : "", json_integer_value(e));
	}
	gkv_fail(v, f->check, "%s %" PRIu64 " is not one of the reference values [%s]", f->name, fact->num, list);
}

static void check_uint_min(struct gkv_verdict *v, json_t *val, const struct gkv_field *f,
			   const struct gkv_fact *fact)
{
	json_int_t min = json_integer_value(val);

	if (fact->num < (u64)min)
		gkv_fail(v, f->check, "%s %" PRIu64 " is below the minimum %" JSON_INTEGER_FORMAT,
			 f->name, fact->num, min);
	else
		gkv_pass(v, f->check, "%s %" PRIu64 " meets the minimum %" JSON_INTEGER_FORMAT,
			 f->name, fact->num, min);
}

static void check_version_min(struct gkv_verdict *v, json_t *val, const struct gkv_field *f,
			      const struct gkv_fact *fact)
{
	const char *min = json_string_value(val);

	if ((long long)fact->num < parse_version(min))
		gkv_fail(v, f->check, "%s %u.%u.%u is below the minimum %s", f->name,
			 (unsigned int)(fact->num >> 16 & 0xff), (unsigned int)(fact->num >> 8 & 0xff),
			 (unsigned int)(fact->num & 0xff), min);
	else
		gkv_pass(v, f->check, "%s meets the minimum %s", f->name, min);
}

static void check_bytes_min(struct gkv_verdict *v, json_t *val, const struct gkv_field *f,
			    const struct gkv_fact *fact)
{
	char found[2 * GKV_FIELD_MAX_BYTES + 1];
	u8 min[GKV_FIELD_MAX_BYTES];
	size_t i;

	gk_unhex(json_string_value(val), min, f->size);
	for (i = 0; i < f->size; i++)
		if (fact->bytes[i] < min[i]) {
			gk_hex_buf(fact->bytes, f->size, found);
			gkv_fail(v, f->check, "%s %s: byte %zu is %u, below the minimum %u (%s)",
				 f->name, found, i, fact->bytes[i], min[i], json_string_value(val));
			return;
		}
	gkv_pass(v, f->check, "%s meets the reference minimum %s", f->name, json_string_value(val));
}

static void check_bits(struct gkv_verdict *v, json_t *val, const struct gkv_field *f,
		       const struct gkv_fact *fact)
{
	const struct gkv_bit *b;
	const char *key;
	json_t *e;
	int have;

	json_object_foreach(val, key, e) {
		b = find_bit(f->bits, key);
		have = (int)(fact->num >> b->bit & 1);
		if (have != json_is_true(e)) {
			gkv_fail(v, f->check, "%s.%s (bit %u) is %d, the reference values require %d",
				 f->name, key, b->bit, have, !have);
			return;
		}
	}
	gkv_pass(v, f->check, "%s 0x%" PRIx64 ": the %zu bits the reference values name are as required",
		 f->name, fact->num, json_object_size(val));
}

/**
 * gkv_fields_check() - appraise the fields the reference values constrain
 * @v: the verdict; one check per constrained field, named by the table
 * @obj: the TEE's object of the reference values, or NULL (nothing checked)
 * @f: the TEE's fields
 * @n: how many
 * @facts: what the evidence says, in the order of @f, @n of them
 */
void gkv_fields_check(struct gkv_verdict *v, json_t *obj,
		      const struct gkv_field *f, size_t n,
		      const struct gkv_fact *facts)
{
	json_t *val;
	size_t i;

	for (i = 0; obj && i < n; i++) {
		val = json_object_get(obj, f[i].key);
		if (!val)
			continue;
		switch (f[i].kind) {
		case GKV_FIELD_HEX_SET:
			check_hex_set(v, val, &f[i], &facts[i]);
			break;
		case GKV_FIELD_UINT_SET:
			check_uint_set(v, val, &f[i], &facts[i]);
			break;
		case GKV_FIELD_UINT_MIN:
			check_uint_min(v, val, &f[i], &facts[i]);
			break;
		case GKV_FIELD_VERSION_MIN:
			check_version_min(v, val, &f[i], &facts[i]);
			break;
		case GKV_FIELD_BYTES_MIN:
			check_bytes_min(v, val, &f[i], &facts[i]);
			break;
		case GKV_FIELD_BITS:
			check_bits(v, val, &f[i], &facts[i]);
			break;
		}
	}
}
