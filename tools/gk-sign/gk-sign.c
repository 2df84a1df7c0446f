// SPDX-License-Identifier: GPL-2.0
/*
 * gk-sign: sign the programs of a BPF object (or one digest recorded on a
 * target kernel) into a bundle for /sys/kernel/security/gatekeeper/,
 * print program digests, and verify a bundle offline.
 *
 * Each signature is a detached CMS SignedData over the manifest bytes,
 * SHA-256, no signed attributes, signer certificate included: what
 * "openssl cms -sign -binary -noattr -md sha256 -outform DER" makes and
 * the kernel's verify_pkcs7_signature() takes (gk_cms_sign(), shared with
 * "gkctl policy sign").
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/cms.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/x509_vfy.h>
#include "cli.h"
#include "cms.h"
#include "file.h"
#include "hex.h"
#include "output.h"
#include "x509.h"
#include "elfprog.h"
#include "request.h"

static const char gk_usage[] =
	"Usage: gk-sign [--json] --key KEY --cert CERT [OPTIONS] -o BUNDLE OBJECT.bpf.o\n"
	"       gk-sign [--json] --key KEY --cert CERT --request REQUEST [OPTIONS] -o BUNDLE\n"
	"       gk-sign [--json] --key KEY --cert CERT --name NAME --digest-hex HEX [OPTIONS] -o BUNDLE\n"
	"       gk-sign [--json] --digest OBJECT.bpf.o\n"
	"       gk-sign [--json] verify --cert CERT BUNDLE\n"
	"\n"
	"Sign every program of a BPF object into one bundle, to be registered with\n"
	"\"gkctl sig add BUNDLE\".  Objects whose instructions depend on the target\n"
	"kernel (CO-RE relocations, __ksym or __kconfig externs) are refused: sign\n"
	"those per kernel, from a signing request that \"gkctl learn\" wrote on the\n"
	"target kernel (--request: every program in it, each listed before it is\n"
	"signed, for that kernel release), or one digest at a time (--digest-hex).\n"
	"\n"
	"  -k, --key KEY         private key, PEM or DER (or an OpenSSL store URI)\n"
	"  -c, --cert CERT       its X.509 certificate, PEM or DER\n"
	"  -o, --output BUNDLE   the bundle to write\n"
	"      --request REQUEST sign the programs of a gkctl learn request; --target\n"
	"                        defaults to the release it was learnt on\n"
	"      --name NAME       program name, with --digest-hex (1-64 characters)\n"
	"      --digest-hex HEX  program digest, 64 hex digits, with --name\n"
	"      --publisher NAME  who publishes the program (up to 128 characters)\n"
	"      --source URI      where the program comes from (up to 1024 characters)\n"
	"      --target RELEASE  the only kernel release (uname -r) to accept the\n"
	"                        signature (up to 128 characters); default: any\n"
	"      --confidential    the gate admits the program only with TEE attestation\n"
	"      --attach MODULE:FUNCTION\n"
	"                        the one program's attach target, which the gate\n"
	"                        enforces (vmlinux for the kernel, prog_DIGEST for\n"
	"                        another BPF program); default: the one the\n"
	"                        section of a program fixed at load names (fentry,\n"
	"                        fexit, fmod_ret, lsm, tp_btf, iter), or as learnt\n"
	"      --no-attach       bind no attach target: any target is admitted\n"
	"      --set VAR=VALUE[,VAR=VALUE...]\n"
	"                        set read-only variables (\"const volatile\" globals\n"
	"                        in .rodata) as the loader will before load; the\n"
	"                        signature binds the image with these values\n"
	"      --no-maps         bind neither the program's maps nor its read-only\n"
	"                        data (default: bind how many maps it uses and the\n"
	"                        contents of each read-only one, e.g. .rodata)\n"
	"      --digest          only print DIGEST<TAB>NAME for each program of OBJECT\n"
	"  -j, --json            the result, errors included, as JSON on stdout:\n"
	"                        {\"output\", \"programs\"}, or with --digest an array\n"
	"                        of {\"digest\", \"name\", \"attach\", \"maps\"}\n"
	"  -v, --verbose         also libbpf's messages about OBJECT, on stderr\n"
	"  -V, --version         print the version\n"
	"  -h, --help            this help; \"gk-sign verify --help\" for verify\n"
	"\n"
	"Strings are printable ASCII.  Environment: GK_SIGN_PIN, the passphrase of\n"
	"an encrypted KEY (or a token PIN).  See gk-sign(1).\n"
	"Exit status: 0 done, 1 failed, 2 usage error.\n";

static const char gk_verify_usage[] =
	"Usage: gk-sign verify [--json] --cert CERT BUNDLE\n"
	"\n"
	"Check a bundle offline: its structure, and each entry's signature against\n"
	"CERT as the trust anchor (the signing certificate itself, or the CA that\n"
	"issued it).  As in the kernel, validity dates and key usage are not\n"
	"checked.  Prints one line per entry, as \"gkctl sig list\" does:\n"
	"  DIGEST<TAB>confidential|-<TAB>NAME<TAB>PUBLISHER<TAB>SOURCE<TAB>TARGET<TAB>ATTACH<TAB>MAPS\n"
	"with \"-\" for an empty string (with --json, an array of objects).\n"
	"\n"
	"  -c, --cert CERT  the trusted certificate, PEM or DER\n"
	"\n"
	"Exit status: 0 every entry verifies, 1 otherwise, 2 usage error.\n";

/* What every manifest of a bundle shares. */
struct gk_meta {
	const char *publisher;
	const char *source;
	const char *target;
	const char *attach;	/* --attach, or NULL: each program's own */
	bool no_attach;
	bool no_maps;		/* --no-maps: bind no maps, whatever a program uses */
	u32 flags;
};

struct gk_signer {
	X509 *cert;
	EVP_PKEY *key;
};

/* Return: whether @s is 1..@max (0..@max if @may_be_empty) printable ASCII. */
static bool gk_valid_str(const char *s, size_t max, bool may_be_empty)
{
	size_t n = strlen(s);

	if (n > max || (!n && !may_be_empty))
		return false;
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e)
			return false;
	return true;
}

/* A digest in lower-case hex, as "gkctl sig list" prints it. */
static void gk_print_digest(FILE *f, const u8 digest[GK_DIGEST_SIZE])
{
	char hex[GK_HEX_SIZE(GK_DIGEST_SIZE)];

	gk_hex_buf(digest, GK_DIGEST_SIZE, hex);
	fputs(hex, f);
}

/*
 * {"digest", "name", "attach", "maps"}: one program, as --digest and
 * signing print it with --json; attach and maps (@maps) are null where
 * none is bound.
 */
static json_t *gk_prog_json(const struct gk_elfprog *p, const char *attach,
			    const struct gk_elfprog *maps)
{
	char hex[GK_HEX_SIZE(GK_DIGEST_SIZE)];

	gk_hex_buf(p->digest, GK_DIGEST_SIZE, hex);
	return json_pack("{s:s, s:s, s:s?, s:o?}", "digest", hex, "name", p->name, "attach",
			 attach, "maps", maps ? gk_maps_json(&maps->maps, maps->map_name) : NULL);
}

/*
 * The manifest bytes, laid out as struct gk_manifest_hdr, its strings and
 * its bound maps: version 3 if @maps binds the program's maps, else
 * version 2 if @attach binds a target, else version 1.
 */
static u8 *gk_manifest_build(const struct gk_elfprog *prog, const char *attach,
			     const struct gk_elfprog *maps, const struct gk_meta *meta,
			     size_t *len)
{
	const char *str[] = { prog->name, meta->publisher, meta->source, meta->target,
			      attach ? attach : "" };
	u32 bound_cnt = maps ? maps->maps.bound_cnt : 0;
	struct gk_manifest_map mm;
	struct gk_manifest_hdr h;
	size_t n[5], i;
	u8 *buf, *p;

	memset(&h, 0, sizeof(h));
	memcpy(h.magic, GK_MANIFEST_MAGIC, sizeof(h.magic));
	h.version = htole32(maps ? GK_MANIFEST_V3 : attach ? GK_MANIFEST_V2 : GK_MANIFEST_V1);
	h.flags = htole32(meta->flags);
	memcpy(h.digest, prog->digest, GK_DIGEST_SIZE);
	*len = sizeof(h) + bound_cnt * sizeof(mm);
	for (i = 0; i < 5; i++) {
		n[i] = strlen(str[i]);
		*len += n[i];
	}
	h.name_len = htole16(n[0]);
	h.publisher_len = htole16(n[1]);
	h.source_len = htole16(n[2]);
	h.target_len = htole16(n[3]);
	h.attach_len = htole16(n[4]);
	h.map_cnt = maps ? maps->maps.map_cnt : 0;
	h.bound_cnt = bound_cnt;

	buf = malloc(*len);
	if (!buf)
		return NULL;
	memcpy(buf, &h, sizeof(h));
	for (p = buf + sizeof(h), i = 0; i < 5; p += n[i], i++)
		memcpy(p, str[i], n[i]);
	for (i = 0; i < bound_cnt; i++, p += sizeof(mm)) {
		memset(&mm, 0, sizeof(mm));
		mm.slot = maps->maps.map[i].slot;
		memcpy(mm.digest, maps->maps.map[i].digest, GK_DIGEST_SIZE);
		memcpy(p, &mm, sizeof(mm));
	}
	return buf;
}

/*
 * The maps to bind for @prog, and a line on stderr saying what its
 * signature binds.  Return: @prog, or NULL for none.
 */
static const struct gk_elfprog *gk_maps_of(const struct gk_meta *meta,
					   const struct gk_elfprog *prog)
{
	char hex[GK_HEX_SIZE(GK_DIGEST_SIZE)];
	u32 i;

	const struct gk_prog_maps *m = &prog->maps;

	if (meta->no_maps || !m->bound)
		return NULL;
	if (!m->map_cnt)
		return prog;
	fprintf(stderr, "%s: %s: bound to %u map(s)%s\n", program_invocation_short_name,
		prog->name, m->map_cnt,
		m->bound_cnt ? ", and the read-only data of:" : "; none is read-only");
	for (i = 0; i < m->bound_cnt; i++) {
		gk_hex_buf(m->map[i].digest, GK_DIGEST_SIZE, hex);
		fprintf(stderr, "  map %u %s sha256 %s\n", m->map[i].slot,
			prog->map_name[i] ? prog->map_name[i] : "-", hex);
	}
	return prog;
}

/*
 * The attach target to bind for @prog, and a line on stderr saying what
 * its signature binds.  Return: the target, or NULL for none.
 */
static const char *gk_attach_of(const struct gk_meta *meta, const struct gk_elfprog *prog)
{
	const char *attach = meta->no_attach ? NULL : meta->attach ? meta->attach : prog->attach;

	if (attach)
		fprintf(stderr, "%s: %s: bound to attach target %s\n",
			program_invocation_short_name, prog->name, attach);
	else if (prog->sec && !meta->no_attach && !strncmp(prog->sec, "freplace/", 9))
		fprintf(stderr, "%s: note: %s (SEC \"%s\"): its target is a function of another BPF program, known at load: the signature does not bind it; bind it with --attach prog_DIGEST:FUNCTION (that program's digest), or learn it (gkctl learn)\n",
			program_invocation_short_name, prog->name, prog->sec);
	else if (prog->sec && !meta->no_attach)
		fprintf(stderr, "%s: note: %s (SEC \"%s\"): its target is not fixed at load (chosen at attach time): the signature does not bind it\n",
			program_invocation_short_name, prog->name, prog->sec);
	return attach;
}

struct gk_bundle {
	FILE *f;
	u8 *buf;
	size_t len;
	u32 count;
	json_t *progs;		/* with --json: what was signed */
};

static int gk_bundle_add(struct gk_bundle *b, const struct gk_signer *s,
			 const struct gk_meta *meta, const struct gk_elfprog *prog)
{
	const char *name = prog->name, *attach = gk_attach_of(meta, prog);
	const struct gk_elfprog *maps = gk_maps_of(meta, prog);
	struct gk_bundle_entry_hdr e;
	size_t man_len, sig_len;
	u8 *man, *sig;
	int err;

	if (b->count == GK_BUNDLE_MAX_ENTRIES) {
		gk_err("more than %d programs: a bundle cannot hold them, sign them in several",
		       GK_BUNDLE_MAX_ENTRIES);
		return -E2BIG;
	}
	man = gk_manifest_build(prog, attach, maps, meta, &man_len);
	if (!man) {
		gk_err("out of memory");
		return -ENOMEM;
	}
	err = gk_cms_sign(s->cert, s->key, man, man_len, &sig, &sig_len);
	if (err) {
		gk_ossl_err("cannot sign the manifest of %s", name);
		goto out_man;
	}
	if (sig_len > GK_SIG_MAX_SIZE) {
		gk_err("signature of %s is %zu bytes, more than the %d a bundle allows: use a shorter certificate",
		       name, sig_len, GK_SIG_MAX_SIZE);
		err = -E2BIG;
		goto out_sig;
	}
	e.manifest_len = htole32(man_len);
	e.sig_len = htole32(sig_len);
	fwrite(&e, sizeof(e), 1, b->f);
	fwrite(man, man_len, 1, b->f);
	fwrite(sig, sig_len, 1, b->f);
	b->count++;
	if (b->progs &&
	    json_array_append_new(b->progs, gk_prog_json(prog, attach, maps))) {
		gk_err("out of memory");
		err = -ENOMEM;
	}
out_sig:
	OPENSSL_free(sig);
out_man:
	free(man);
	return err;
}

/* Start a bundle in memory, its header left to gk_bundle_write(); errors reported. */
static int gk_bundle_open(struct gk_bundle *b)
{
	struct gk_bundle_hdr h;

	b->f = open_memstream((char **)&b->buf, &b->len);
	if (!b->f || (gk_json && !(b->progs = json_array()))) {
		gk_err("out of memory");
		return -ENOMEM;
	}
	memset(&h, 0, sizeof(h));
	fwrite(&h, sizeof(h), 1, b->f);
	return 0;
}

static void gk_bundle_close(struct gk_bundle *b)
{
	if (b->f)
		fclose(b->f);
	json_decref(b->progs);
	free(b->buf);
}

/* Add each distinct digest of @progs; errors reported. */
static int gk_bundle_add_all(struct gk_bundle *b, const struct gk_signer *s,
			     const struct gk_meta *meta, const struct gk_elfprog *progs, u32 cnt)
{
	u32 i, j;
	int err;

	for (i = 0; i < cnt; i++) {
		/* The kernel takes a bundle whole or not at all, and refuses repeats. */
		for (j = 0; j < i; j++)
			if (!memcmp(progs[j].digest, progs[i].digest, GK_DIGEST_SIZE))
				break;
		if (j < i) {
			fprintf(stderr, "%s: note: %s has the same digest as %s: signed once, as %s\n",
				program_invocation_short_name, progs[i].name, progs[j].name,
				progs[j].name);
			continue;
		}
		if (!gk_valid_str(progs[i].name, GK_NAME_MAX, false)) {
			gk_err("program name %s is longer than %d characters: rename it, or sign with --name and --digest-hex",
			       progs[i].name, GK_NAME_MAX);
			return -ENAMETOOLONG;
		}
		err = gk_bundle_add(b, s, meta, &progs[i]);
		if (err)
			return err;
	}
	return 0;
}

/* Finish the bundle with its header and write it to @out; errors reported. */
static int gk_bundle_write(struct gk_bundle *b, const char *out)
{
	struct gk_bundle_hdr h;
	int err;

	err = fclose(b->f) ? -ENOMEM : 0;
	b->f = NULL;
	if (err) {
		gk_err("out of memory");
		return err;
	}
	if (b->len > GK_BUNDLE_MAX_SIZE) {
		gk_err("the bundle would be %zu bytes, more than the kernel's limit of %d: sign fewer programs per bundle",
		       b->len, GK_BUNDLE_MAX_SIZE);
		return -EFBIG;
	}
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, GK_BUNDLE_MAGIC, sizeof(h.magic));
	h.version = htole32(GK_BUNDLE_V1);
	h.count = htole32(b->count);
	h.size = htole32(b->len);
	memcpy(b->buf, &h, sizeof(h));
	err = gk_write_file(out, b->buf, b->len);
	if (err)
		gk_err("cannot write %s: %s", out, strerror(-err));
	else if (b->progs)
		gk_json_print(json_pack("{s:s, s:O}", "output", out, "programs", b->progs));
	return err;
}

/* Sign each distinct digest of @progs, or the single --digest-hex one. */
static int gk_sign(const char *key, const char *cert, const struct gk_meta *meta,
		   const struct gk_elfprog *progs, u32 cnt, const char *out)
{
	struct gk_bundle b = { NULL };
	struct gk_signer s;
	int err;

	if (meta->attach && cnt > 1) {
		gk_err("--attach binds the target of one program; there are %u: sign them one by one",
		       cnt);
		return -EINVAL;
	}
	err = gk_load_key(key, &s.key);
	if (err)
		return err;
	err = gk_load_cert(cert, &s.cert);
	if (err)
		goto out_key;
	err = gk_bundle_open(&b);
	if (!err)
		err = gk_bundle_add_all(&b, &s, meta, progs, cnt);
	if (!err)
		err = gk_bundle_write(&b, out);
	gk_bundle_close(&b);
	X509_free(s.cert);
out_key:
	EVP_PKEY_free(s.key);
	return err;
}

/*
 * What a learnt program was aimed at and loaded with, for its manifest to
 * bind; what varied between its loads is not bound, and said so.
 */
static void gk_request_binding(struct gk_elfprog *p, const struct gk_learnt_prog *l)
{
	p->attach = l->attach_varies ? NULL : l->attach;
	if (!l->maps_vary)
		p->maps = l->maps;
	if (l->attach_varies || l->maps_vary)
		fprintf(stderr, "%s: note: %s was loaded %s%s%s: its signature does not bind %s\n",
			program_invocation_short_name, p->name,
			l->attach_varies ? "aimed at different targets" : "",
			l->attach_varies && l->maps_vary ? " and " : "",
			l->maps_vary ? "with different maps or read-only data" : "",
			l->attach_varies && l->maps_vary ? "either" : l->maps_vary ? "them" : "it");
}

/*
 * Sign every program of a learnt request, for the kernel it was learnt on,
 * after listing each one.  Return: 0 or -errno, reported.
 */
static int gk_sign_request(const char *key, const char *cert, const struct gk_meta *meta,
			   const char *path, const char *out)
{
	struct gk_meta m = *meta;
	struct gk_elfprog *progs;
	struct gk_request r;
	char *hex;
	u32 i;
	int err;

	err = gk_request_read(path, &r);
	if (err)
		goto out;
	err = -EINVAL;
	if (!r.cnt) {
		gk_err("%s: no programs: nothing to sign", path);
		goto out;
	}
	if (*m.target && strcmp(m.target, r.kernel)) {
		gk_err("%s was learnt on %s, not on --target %s: learn on the target kernel",
		       path, r.kernel, m.target);
		goto out;
	}
	m.target = r.kernel;
	if (!gk_valid_str(m.target, GK_TARGET_MAX, false)) {
		gk_err("%s: kernel release is not 1 to %d printable ASCII characters", path,
		       GK_TARGET_MAX);
		goto out;
	}
	progs = calloc(r.cnt, sizeof(*progs));
	if (!progs) {
		err = -ENOMEM;
		gk_err("out of memory");
		goto out;
	}
	fprintf(stderr, "gk-sign: signing %u program(s) from %s for kernel %s:\n", r.cnt, path,
		m.target);
	for (i = 0; i < r.cnt; i++) {
		progs[i].name = r.progs[i].name;
		/* A manifest holds 64 characters: longer BTF names are cut. */
		if (strlen(progs[i].name) > GK_NAME_MAX)
			progs[i].name[GK_NAME_MAX] = '\0';
		memcpy(progs[i].digest, r.progs[i].digest, GK_DIGEST_SIZE);
		hex = gk_hex(r.progs[i].digest, GK_DIGEST_SIZE);
		fprintf(stderr, "  %s %s (type %u, %u insns, loader %s)\n", hex ? hex : "?",
			progs[i].name, r.progs[i].prog_type, r.progs[i].insns,
			r.progs[i].loader ? r.progs[i].loader : "unknown");
		free(hex);
		gk_request_binding(&progs[i], &r.progs[i]);
	}
	err = gk_sign(key, cert, &m, progs, r.cnt, out);
	free(progs);
out:
	gk_request_free(&r);
	return err;
}

struct gk_verify {
	X509_STORE *store;
	STACK_OF(X509) *certs;
	const char *bundle;
	const char *cert;
	FILE *out;		/* the lines, or with --json: */
	json_t *entries;
	u32 n;
	bool reported;
};

/*
 * The maps a manifest binds as "gkctl sig list" shows them: "-", or the
 * map count and each bound "SLOT=DIGEST" (":" before the first, "," between).
 */
static char *gk_manifest_maps_str(const struct gk_manifest *m)
{
	char hex[GK_HEX_SIZE(GK_DIGEST_SIZE)], *out = NULL;
	const u8 *digest;
	size_t len;
	FILE *f;
	u8 slot;
	u32 i;

	f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	if (!m->maps_bound)
		fputs("-", f);
	else
		fprintf(f, "%u", m->map_cnt);
	for (i = 0; i < m->bound_cnt; i++) {
		gk_manifest_map_get(m, i, &slot, &digest);
		gk_hex_buf(digest, GK_DIGEST_SIZE, hex);
		fprintf(f, "%c%u=%s", i ? ',' : ':', slot, hex);
	}
	if (fclose(f)) {
		free(out);
		return NULL;
	}
	return out;
}

static void gk_print_field(FILE *f, const char *s, u16 len)
{
	fprintf(f, "\t%.*s", len ? (int)len : 1, len ? s : "-");
}

/* An entry as "gkctl sig list --json" shows a registered signature. */
static json_t *gk_entry_json(const struct gk_manifest *m)
{
	char hex[GK_HEX_SIZE(GK_DIGEST_SIZE)], *maps = gk_manifest_maps_str(m);
	json_t *o;

	if (!maps)
		return NULL;
	gk_hex_buf(m->digest, GK_DIGEST_SIZE, hex);
	o = json_pack("{s:s, s:b, s:s%, s:s%, s:s%, s:s%, s:s%, s:s}", "digest", hex,
		      "confidential", !!(m->flags & GK_MANIFEST_CONFIDENTIAL),
		      "name", m->name, (size_t)m->name_len,
		      "publisher", m->publisher, (size_t)m->publisher_len,
		      "source", m->source, (size_t)m->source_len,
		      "target", m->target, (size_t)m->target_len,
		      "attach", m->attach, (size_t)m->attach_len,
		      "maps", strcmp(maps, "-") ? maps : "");
	free(maps);
	return o;
}

static int gk_verify_entry(void *ctx, const struct gk_manifest *m, const u8 *sig, size_t sig_len)
{
	struct gk_verify *v = ctx;
	CMS_ContentInfo *cms;
	const u8 *p = sig;
	char *maps;
	int err = 0;
	BIO *content;

	v->n++;
	content = BIO_new_mem_buf(m->raw, m->raw_len);
	if (!content)
		return -ENOMEM;
	cms = d2i_CMS_ContentInfo(NULL, &p, sig_len);
	if (!cms || p != sig + sig_len) {
		gk_ossl_err("%s: entry %u (%.*s): the signature is not one DER CMS message", v->bundle,
			    v->n, m->name_len, m->name);
		err = -EBADMSG;
	} else if (CMS_verify(cms, v->certs, v->store, content, NULL, CMS_BINARY) != 1) {
		gk_ossl_err("%s: entry %u (%.*s): signature does not verify against %s", v->bundle,
			    v->n, m->name_len, m->name, v->cert);
		err = -EKEYREJECTED;
	} else if (v->entries) {
		if (json_array_append_new(v->entries, gk_entry_json(m))) {
			gk_err("out of memory");
			err = -ENOMEM;
		}
	} else {
		gk_print_digest(v->out, m->digest);
		fprintf(v->out, "\t%s", m->flags & GK_MANIFEST_CONFIDENTIAL ? "confidential" : "-");
		gk_print_field(v->out, m->name, m->name_len);
		gk_print_field(v->out, m->publisher, m->publisher_len);
		gk_print_field(v->out, m->source, m->source_len);
		gk_print_field(v->out, m->target, m->target_len);
		gk_print_field(v->out, m->attach, m->attach_len);
		maps = gk_manifest_maps_str(m);
		fprintf(v->out, "\t%s\n", maps ? maps : "?");
		free(maps);
	}
	v->reported = err != 0;
	CMS_ContentInfo_free(cms);
	BIO_free(content);
	return err;
}

static int gk_cmd_verify(int argc, char **argv)
{
	struct gk_verify v = { NULL };
	const struct gk_opt opts[] = {
		{ "cert", 'c', &v.cert, NULL },
		{ NULL, 0, NULL, NULL },
	};
	char *lines = NULL;
	size_t lines_len;
	X509 *cert;
	size_t len;
	int err;
	u8 *buf;

	err = gk_opts(argc, argv, "gk-sign verify", gk_verify_usage, opts, 0, INT_MAX);
	if (err >= 0)
		return err;
	if (!v.cert)
		return gk_usage_err("gk-sign verify", "--cert is required");
	if (optind != argc - 1)
		return gk_usage_err("gk-sign verify", "give exactly one BUNDLE");
	v.bundle = argv[optind];

	err = gk_read_file(v.bundle, GK_BUNDLE_MAX_SIZE, &buf, &len);
	if (err) {
		gk_err("cannot read %s: %s", v.bundle,
		       err == -EFBIG ? "larger than the kernel's 1 MiB limit" : strerror(-err));
		return GK_EXIT_FAIL;
	}
	err = gk_load_cert(v.cert, &cert);
	if (err)
		goto out_buf;
	v.store = X509_STORE_new();
	v.certs = sk_X509_new_null();
	v.out = open_memstream(&lines, &lines_len);
	v.entries = gk_json ? json_array() : NULL;
	if (!v.store || !v.certs || !v.out || (gk_json && !v.entries) ||
	    !X509_STORE_add_cert(v.store, cert) || !sk_X509_push(v.certs, cert)) {
		gk_err("out of memory");
		err = -ENOMEM;
		goto out_free;
	}
	X509_up_ref(cert);
	/* A non-root CERT is a trust anchor too; the kernel checks neither time nor usage. */
	X509_STORE_set_flags(v.store, X509_V_FLAG_PARTIAL_CHAIN | X509_V_FLAG_NO_CHECK_TIME);
	X509_STORE_set_purpose(v.store, X509_PURPOSE_ANY);

	err = gk_bundle_parse(buf, len, gk_verify_entry, &v);
	fclose(v.out);
	v.out = NULL;
	if (!err && v.entries)
		gk_json_print(json_incref(v.entries));
	else if (!err)
		fputs(lines, stdout);
	else if (!v.reported)
		gk_err("%s: %s", v.bundle,
		       err == -EPROTONOSUPPORT ? "unsupported bundle or manifest version" :
		       err == -EBADMSG ? "malformed or truncated bundle" : strerror(-err));

out_free:
	if (v.out)
		fclose(v.out);
	json_decref(v.entries);
	free(lines);
	sk_X509_pop_free(v.certs, X509_free);
	X509_STORE_free(v.store);
	X509_free(cert);
out_buf:
	free(buf);
	return err ? GK_EXIT_FAIL : GK_EXIT_OK;
}

static int gk_cmd_digest(const char *path, const char *set)
{
	struct gk_elfprog *progs;
	json_t *arr = NULL;
	u32 cnt, i;

	if (gk_elfprog_read(path, set, &progs, &cnt))
		return GK_EXIT_FAIL;
	if (gk_json)
		arr = json_array();
	for (i = 0; i < cnt; i++) {
		if (arr) {
			json_array_append_new(arr, gk_prog_json(&progs[i], progs[i].attach,
								&progs[i]));
			continue;
		}
		gk_print_digest(stdout, progs[i].digest);
		printf("\t%s\n", progs[i].name);
	}
	if (gk_json)
		gk_json_print(arr);
	gk_elfprog_free(progs, cnt);
	return GK_EXIT_OK;
}

/* gk-sign's options, without a command. */
struct gk_sign_opts {
	struct gk_meta meta;
	const char *key, *cert, *out, *name, *hex, *request, *set;
	bool digest_only, confidential, no_attach, no_maps;
};

/* --digest: it takes nothing else. */
static int gk_sign_digest_only(const struct gk_sign_opts *o, int argc, char **argv)
{
	const struct gk_meta *m = &o->meta;

	if (o->key || o->cert || o->out || o->name || o->hex || o->request || m->flags ||
	    *m->publisher || *m->source || *m->target || m->attach || o->no_attach ||
	    o->no_maps)
		return gk_usage_err("gk-sign", "--digest takes no other option");
	if (optind != argc - 1)
		return gk_usage_err("gk-sign", "--digest takes exactly one OBJECT");
	return gk_cmd_digest(argv[optind], o->set);
}

/* What every manifest shares.  Return: -1 if it is valid, else the exit code. */
static int gk_sign_check_meta(const struct gk_sign_opts *o)
{
	const struct gk_meta *m = &o->meta;

	if (!o->key || !o->cert || !o->out)
		return gk_usage_err("gk-sign", "signing needs --key, --cert and -o");
	if (!gk_valid_str(m->publisher, GK_PUBLISHER_MAX, true))
		return gk_usage_err("gk-sign", "--publisher must be at most %d printable ASCII characters",
				    GK_PUBLISHER_MAX);
	if (!gk_valid_str(m->source, GK_SOURCE_MAX, true))
		return gk_usage_err("gk-sign", "--source must be at most %d printable ASCII characters",
				    GK_SOURCE_MAX);
	if (!gk_valid_str(m->target, GK_TARGET_MAX, true))
		return gk_usage_err("gk-sign", "--target must be at most %d printable ASCII characters",
				    GK_TARGET_MAX);
	if (m->attach && (o->no_attach || strlen(m->attach) > GK_ATTACH_MAX ||
			  !gk_attach_valid(m->attach, strlen(m->attach))))
		return gk_usage_err("gk-sign", "--attach must be MODULE:FUNCTION (vmlinux for the kernel), at most %d characters, and not with --no-attach",
				    GK_ATTACH_MAX);
	return -1;
}

/* --name and --digest-hex: the one program.  Return: -1, or the exit code. */
static int gk_sign_one(const struct gk_sign_opts *o, int argc, struct gk_elfprog *one)
{
	if (!o->name || !o->hex)
		return gk_usage_err("gk-sign", "--name and --digest-hex go together");
	if (optind != argc)
		return gk_usage_err("gk-sign", "--digest-hex signs no OBJECT");
	if (!gk_valid_str(o->name, GK_NAME_MAX, false))
		return gk_usage_err("gk-sign", "--name must be 1 to %d printable ASCII characters",
				    GK_NAME_MAX);
	if (gk_unhex(o->hex, one->digest, GK_DIGEST_SIZE))
		return gk_usage_err("gk-sign", "--digest-hex must be %d hex digits",
				    2 * GK_DIGEST_SIZE);
	one->name = (char *)o->name;
	return -1;
}

/* Sign, or with --digest print digests: what gk-sign does without a command. */
static int gk_cmd_sign(int argc, char **argv)
{
	struct gk_sign_opts o = { .meta = { .publisher = "", .source = "", .target = "" } };
	struct gk_elfprog one = { NULL }, *progs = &one;
	const struct gk_opt opts[] = {
		{ "key", 'k', &o.key, NULL },
		{ "cert", 'c', &o.cert, NULL },
		{ "output", 'o', &o.out, NULL },
		{ "name", 0, &o.name, NULL },
		{ "digest-hex", 0, &o.hex, NULL },
		{ "publisher", 0, &o.meta.publisher, NULL },
		{ "source", 0, &o.meta.source, NULL },
		{ "target", 0, &o.meta.target, NULL },
		{ "confidential", 0, NULL, &o.confidential },
		{ "attach", 0, &o.meta.attach, NULL },
		{ "no-attach", 0, NULL, &o.no_attach },
		{ "set", 0, &o.set, NULL },
		{ "no-maps", 0, NULL, &o.no_maps },
		{ "digest", 0, NULL, &o.digest_only },
		{ "request", 0, &o.request, NULL },
		{ NULL, 0, NULL, NULL },
	};
	u32 cnt = 1;
	int err;

	err = gk_opts(argc, argv, "gk-sign", gk_usage, opts, 0, INT_MAX);
	if (err >= 0)
		return err;
	if (o.confidential)
		o.meta.flags |= GK_MANIFEST_CONFIDENTIAL;
	o.meta.no_attach = o.no_attach;
	o.meta.no_maps = o.no_maps;
	if (o.digest_only)
		return gk_sign_digest_only(&o, argc, argv);
	err = gk_sign_check_meta(&o);
	if (err >= 0)
		return err;

	if (o.request) {
		if (o.name || o.hex || o.set || optind != argc)
			return gk_usage_err("gk-sign", "--request signs no OBJECT, --name, --digest-hex or --set");
		return gk_sign_request(o.key, o.cert, &o.meta, o.request, o.out) ?
		       GK_EXIT_FAIL : GK_EXIT_OK;
	}
	if (o.name || o.hex) {
		if (o.set)
			return gk_usage_err("gk-sign", "--set is for an OBJECT's read-only variables");
		err = gk_sign_one(&o, argc, &one);
		if (err >= 0)
			return err;
	} else {
		if (optind != argc - 1)
			return gk_usage_err("gk-sign", "give exactly one OBJECT, or --name and --digest-hex");
		if (gk_elfprog_read(argv[optind], o.set, &progs, &cnt))
			return GK_EXIT_FAIL;
	}

	err = gk_sign(o.key, o.cert, &o.meta, progs, cnt, o.out);
	if (progs != &one)
		gk_elfprog_free(progs, cnt);
	return err ? GK_EXIT_FAIL : GK_EXIT_OK;
}

int main(int argc, char **argv)
{
	static const struct gk_cmd cmds[] = {
		{ "verify", gk_cmd_verify },
		{ NULL, gk_cmd_sign },
	};

	gk_libbpf_init();
	return gk_main(argc, argv, cmds, gk_usage, true);
}
