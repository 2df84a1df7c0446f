// SPDX-License-Identifier: GPL-2.0
/*
 * gk-verify: command line.  Exit 0 only when the evidence is accepted (or
 * sim-evidence written), 1 when it is rejected or anything else fails, 2
 * for a usage error; the verdict goes to stdout, plain or (--json) as one
 * JSON object on a line, and errors to stderr or (--json) stdout, as in
 * every tool (lib/cli.c, lib/output.c).
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"
#include "output.h"
#include "collateral.h"
#include "ebpf.h"
#include "result.h"
#include "sim.h"
#include "snp.h"
#include "tdx.h"
#include "tpm.h"

static const char gkv_help[] =
"Usage: gk-verify [OPTIONS] tdx --quote QUOTE --collateral DIR --root CERT [COMMON] [QUOTE...]\n"
"       gk-verify [OPTIONS] snp --report REPORT --vcek CERT --chain CERTS [COMMON] [REPORT...]\n"
"       gk-verify [OPTIONS] sim --evidence EVIDENCE --cert CERT [COMMON] [EVIDENCE...]\n"
"       gk-verify [OPTIONS] sim-evidence --key KEY --cert CERT --report-data HEX\n"
"                 --measurement HEX [--debug] -o OUT\n"
"       gk-verify [OPTIONS] check-result --in RESULT --cert CERT [--nonce HEX] [--time T]\n"
"       gk-verify [OPTIONS] ebpf --log LOG [--quote QUOTE --sig SIG --ak AK --nonce HEX\n"
"                 | --pcr-value HEX] [--ref FILE]\n"
"\n"
"Appraise TEE evidence against vendor collateral and reference values, print\n"
"the verdict and, on accept, sign an attestation result for the module.\n"
"ebpf replays the gate's measurement log against a TPM quote of its PCR and\n"
"prints what it proves.  check-result checks such a result; sim-evidence makes evidence of the\n"
"software sim TEE, for tests.  More evidence after the options is appraised\n"
"against the same collateral, one verdict each; exit 0 only if all are\n"
"accepted.  See gk-verify(1) and docs/verifier.md.\n"
"\n"
"tdx:\n"
"  --quote QUOTE          the TDX quote (v4 or v5)\n"
"  --collateral DIR       Intel's TCB Info, QE Identity and CRLs (docs/verifier.md)\n"
"  --root CERT            the pinned Intel SGX Root CA certificate\n"
"snp:\n"
"  --report REPORT        the SEV-SNP attestation report\n"
"  --vcek CERT            the VCEK or VLEK certificate that signed it\n"
"  --vlek CERT            the same as --vcek\n"
"  --chain CERTS          the ARK and the ASK (or ASVK) certificates, PEM, in any order;\n"
"                         the other of ASK and ASVK may be there too\n"
"sim:\n"
"  --evidence EVIDENCE    the sim evidence\n"
"  --cert CERT            the sim TEE's certificate, trusted as is\n"
"COMMON (tdx, snp, sim):\n"
"  --ref FILE             reference values (docs/verifier.md)\n"
"  --time T               evaluate at T: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (default: now)\n"
"  --nonce HEX            32 bytes; REPORTDATA[0..31] must be SHA-256(\"GK-ATTEST-V1\" || nonce),\n"
"                         or 1-64 bytes bound as the reference values' nonce_binding says\n"
"  --result-out FILE      on accept, write a signed attestation result (needs --nonce)\n"
"  --sign-key KEY         the key that signs it (PEM or DER; passphrase in GK_SIGN_PIN)\n"
"  --sign-cert CERT       its certificate\n"
"  --validity SECONDS     how long the result is valid (default 300, at most 31536000)\n"
"  --repeat N             appraise N more times against the loaded collateral; report the mean\n"
"                         time, the signature checks' alone (the floor) and the throughput\n"
"sim-evidence:\n"
"  --key KEY              the sim TEE's private key\n"
"  --cert CERT            its certificate\n"
"  --report-data HEX      up to 64 bytes of REPORTDATA, zero-padded\n"
"  --measurement HEX      the simulated measurement, 48 bytes\n"
"  --debug                set the evidence's DEBUG flag (refused unless \"debug_forbidden\": false)\n"
"  -o, --output OUT       where to write the evidence\n"
"check-result:\n"
"  --in RESULT            the attestation result\n"
"  --cert CERT            the verifier certificate it must be signed with\n"
"  --nonce HEX            the nonce the result must carry, 32 bytes\n"
"  --time T               as above\n"
"ebpf:\n"
"  --log LOG              the measurement log (securityfs gatekeeper/measurements)\n"
"  --quote QUOTE          tpm2_quote -m: the TPMS_ATTEST of the log's PCR, SHA-256 bank\n"
"  --sig SIG              tpm2_quote -s: its TPMT_SIGNATURE (tss format)\n"
"  --ak AK                the trusted attestation key: PEM, DER or TPM2B_PUBLIC\n"
"  --nonce HEX            the quote's qualifying data (tpm2_quote -q), 1 to 64 bytes\n"
"  --pcr-value HEX        compare the replay with this PCR value (32 bytes) instead:\n"
"                         nothing is authenticated\n"
"  --ref FILE             reference values: their \"ebpf\" requirements (docs/verifier.md)\n"
"OPTIONS:\n"
"  -j, --json             the verdict, errors included, as one JSON object on stdout\n"
"  -V, --version          print the version\n"
"  -h, --help             this help\n"
"\n"
"Exit status: 0 accepted (sim-evidence: written), 1 rejected, failed or not verified, 2 usage error.\n";

/* Every command's options; each command takes its own. */
struct gkv_opts {
	const char *quote, *collateral, *root, *report, *vcek, *chain;
	const char *evidence, *cert, *key, *report_data, *measurement, *out;
	const char *ref, *time, *nonce, *result_out, *sign_key, *sign_cert;
	const char *validity, *repeat, *in;
	const char *log, *sig, *ak, *pcr_value;
	bool debug;
};

static int parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!*s || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* Options every appraisal shares, resolved. */
struct common {
	time_t now;
	unsigned long validity, repeat;
	struct gkv_ref ref;
	bool have_nonce;
	struct gkv_nonce nonce;
	X509 *sign_cert;
	EVP_PKEY *sign_key;
};

/* Resolve the common options; errors are reported.  Return: 0 or the exit code. */
static int common_setup(const struct gkv_opts *o, const char *cmd, struct common *cm)
{
	char msg[320];

	memset(cm, 0, sizeof(*cm));
	gkv_ref_defaults(&cm->ref);
	cm->now = time(NULL);
	cm->validity = GKV_DEFAULT_VALIDITY;
	if (o->time && gkv_parse_time(o->time, &cm->now))
		return gk_usage_err(cmd, "--time %s: want YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ",
				    o->time);
	if (o->nonce) {
		if (gk_unhex_upto(o->nonce, cm->nonce.bytes, GKV_NONCE_MAX, &cm->nonce.len) ||
		    !cm->nonce.len)
			return gk_usage_err(cmd, "--nonce %s: want hex, 1 to %d bytes", o->nonce, GKV_NONCE_MAX);
		cm->have_nonce = true;
	}
	if (o->validity && (parse_ulong(o->validity, 365UL * 86400, &cm->validity) ||
			    !cm->validity))
		return gk_usage_err(cmd, "--validity: 1..31536000 seconds");
	if (o->repeat && parse_ulong(o->repeat, 10000000UL, &cm->repeat))
		return gk_usage_err(cmd, "--repeat: a count");
	if (o->result_out || o->sign_key || o->sign_cert) {
		if (!o->result_out || !o->sign_key || !o->sign_cert)
			return gk_usage_err(cmd, "--result-out, --sign-key and --sign-cert go together");
		/* A result without a challenge could be replayed for its whole
		 * validity; the kernel side always issues one. */
		if (!o->nonce)
			return gk_usage_err(cmd, "--result-out needs --nonce");
	}
	if (o->ref && gkv_ref_load(o->ref, &cm->ref, msg, sizeof(msg))) {
		gk_err("reference values %s: %s", o->ref, msg);
		return GK_EXIT_FAIL;
	}
	/* The gate issues 32-byte nonces; other agents' bindings take others. */
	if (cm->have_nonce && cm->nonce.len != GK_ATTEST_NONCE_SIZE &&
	    (o->result_out || !cm->ref.binding_md))
		return gk_usage_err(cmd, "--nonce %s: want 64 hex digits (32 bytes) for %s", o->nonce,
				    o->result_out ? "an attestation result" : "the gate's nonce binding");
	if (o->result_out && (gk_load_cert(o->sign_cert, &cm->sign_cert) ||
			      gk_load_key(o->sign_key, &cm->sign_key)))
		return GK_EXIT_FAIL;
	return 0;
}

static void common_free(struct common *cm)
{
	gkv_ref_free(&cm->ref);
	X509_free(cm->sign_cert);
	EVP_PKEY_free(cm->sign_key);
}

/* Read @path, at most @max bytes; errors are reported.  Return: 0 or the exit code. */
static int read_sized(const char *path, size_t max, u8 **buf, size_t *len)
{
	int e = gk_read_file(path, max, buf, len);

	if (e)
		gk_err("cannot read %s: %s", path, strerror(-e));
	return e ? GK_EXIT_FAIL : 0;
}

/* Read evidence (or a result) at @path; errors are reported.  Return: 0 or the exit code. */
static int read_input(const char *path, u8 **buf, size_t *len)
{
	return read_sized(path, GKV_MAX_EVIDENCE, buf, len);
}

/* Resolve the common options and read @path; errors are reported. */
static int setup(const struct gkv_opts *o, const char *cmd, struct common *cm,
		 const char *path, u8 **buf, size_t *len)
{
	int rc = common_setup(o, cmd, cm);

	if (!rc)
		rc = read_input(path, buf, len);
	if (rc)
		common_free(cm);
	return rc;
}

static double mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* Print the verdict; Return: the exit code it makes. */
static int verdict_out(struct gkv_verdict *v, json_t *extra)
{
	if (gkv_verdict_print(v, extra))
		gkv_internal(v, -EIO, "internal error: cannot write the verdict");
	return gkv_accepted(v) && !fflush(stdout) ? GK_EXIT_OK : GK_EXIT_FAIL;
}

/* What a TEE appraises evidence against, loaded once for every --repeat. */
union tee_ctx {
	struct gkv_tdx_collateral tdx;
	struct gkv_snp_certs snp;
	X509 *sim;
};

/*
 * One TEE: all that tdx, snp and sim differ in.  The rest (the common
 * options, reading the evidence, --repeat, the result) is cmd_tee()'s.
 */
struct tee {
	const char *name;		/* the command, and the verdict's "tee" */
	u32 code;			/* GK_TEE_* of the attestation result */
	/* The TEE's own options, all required; the first names the evidence. */
	struct {
		const char *name;
		size_t field;		/* offsetof(struct gkv_opts, ...) */
	} opts[4];
	const char *missing;		/* the usage error without them */
	/* Return: 0, or the exit code (reported).  Findings go in the verdicts. */
	int (*load)(union tee_ctx *c, const struct gkv_opts *o, const struct common *cm);
	void (*free)(union tee_ctx *c);
	int (*appraise)(const union tee_ctx *c, const struct gkv_ref *ref, const struct gkv_nonce *nonce,
			const u8 *ev, size_t len, struct gkv_verdict *v);
	/* The signature checks alone, for --repeat; NULL: none measured. */
	int (*floor)(const union tee_ctx *c, const u8 *ev, size_t len, struct gkv_floor *f);
};

#define TEE_OPT(name, field) { name, offsetof(struct gkv_opts, field) }

/* The evidence of one command line, each file with its verdict. */
#define GKV_MAX_BATCH 64
struct batch {
	int n;
	const char *path[GKV_MAX_BATCH];
	u8 *ev[GKV_MAX_BATCH];
	size_t len[GKV_MAX_BATCH];
	struct gkv_verdict v[GKV_MAX_BATCH];
	double first_us;		/* appraising them all once */
};

static void appraise(const struct tee *t, const union tee_ctx *c, const struct common *cm,
		     const struct batch *b, int i, struct gkv_verdict *v)
{
	gkv_verdict_init(v, t->name, cm->now);
	t->appraise(c, &cm->ref, cm->have_nonce ? &cm->nonce : NULL, b->ev[i], b->len[i], v);
}

/* Make the floors of @b's evidence.  Return: how many (b->n: all); free them. */
static int floors_make(const struct tee *t, const union tee_ctx *c, const struct batch *b,
		       struct gkv_floor *f)
{
	int n;

	for (n = 0; t->floor && n < b->n; n++)
		if (t->floor(c, b->ev[n], b->len[n], &f[n]))
			break;
	return n;
}

/* One round of --repeat: appraise @b again, each verdict agreeing with the first. */
static void bench_round(const struct tee *t, const union tee_ctx *c, const struct common *cm,
			struct batch *b)
{
	struct gkv_verdict v;
	int k;

	for (k = 0; k < b->n; k++) {
		appraise(t, c, cm, b, k, &v);
		/* Every run must reach the same verdict, for the same reason. */
		if (gkv_accepted(&v) != gkv_accepted(&b->v[k]) ||
		    strcmp(gkv_reason(&v), gkv_reason(&b->v[k])))
			gkv_internal(&b->v[k], -EIO, "internal error: repeated appraisal disagreed");
		gkv_verdict_free(&v);
	}
}

/*
 * --repeat: appraise the batch again and again, and in the same rounds,
 * so that drift affects both alike, make the signature checks alone on the
 * same inputs with the same calls (the floor).  Report both means, their
 * ratio and the throughput of the whole batch on one collateral load.
 */
static void bench(const struct tee *t, const union tee_ctx *c, const struct common *cm,
		  struct batch *b, double load_us, json_t *extra)
{
	unsigned long r, runs = cm->repeat * (unsigned long)b->n;
	double t0, mean, floor = 0, qps, all = 0, sigs_us = 0;
	struct gkv_floor f[GKV_MAX_BATCH];
	json_t *names = json_array();
	char sigs[128] = "";
	int nf = floors_make(t, c, b, f), i;

	for (r = 0; r < cm->repeat; r++) {
		t0 = mono_us();
		bench_round(t, c, cm, b);
		all += mono_us() - t0;
		if (nf < b->n)
			continue;
		t0 = mono_us();
		for (i = 0; i < nf; i++)
			gkv_floor_run(&f[i]);
		sigs_us += mono_us() - t0;
	}
	mean = all / (double)runs;
	if (nf == b->n) {
		floor = sigs_us / (double)runs;
		for (i = 0; i < f[0].n; i++) {
			json_array_append_new(names, json_string(f[0].sig[i].name));
			snprintf(sigs + strlen(sigs), sizeof(sigs) - strlen(sigs), "%s%s",
				 i ? ", " : "", f[0].sig[i].name);
		}
	}
	for (i = 0; i < nf; i++)
		gkv_floor_free(&f[i]);
	/* The verifier-service case: the whole batch on one collateral load. */
	qps = (double)(runs + (unsigned long)b->n) * 1e6 / (load_us + b->first_us + all);
	json_object_set_new(extra, "bench", json_pack("{s:I, s:f, s:f, s:f, s:o, s:o, s:o, s:f}",
		"runs", (json_int_t)runs, "mean_us", mean, "collateral_load_us", load_us,
		"first_us", b->first_us / b->n, "floor_us", floor ? json_real(floor) : json_null(),
		"floor", names, "ratio", floor ? json_real(mean / floor) : json_null(),
		"quotes_per_s", qps));
	fprintf(stderr, "bench: %s: %lu appraisals, mean %.1f us each (collateral loaded once in %.1f us)\n",
		t->name, runs, mean, load_us);
	if (floor)
		fprintf(stderr, "bench: %s: floor %.1f us each (signatures alone: %s), appraisal/floor %.2f\n",
			t->name, floor, sigs, mean / floor);
	fprintf(stderr, "bench: %s: first appraisal %.1f us each, %lu in all on one collateral load: %.0f per second\n",
		t->name, b->first_us / b->n, runs + (unsigned long)b->n, qps);
}

/* On accept, --result-out: sign an attestation result and write it. */
static void result_out(const struct tee *t, const char *path, const struct common *cm,
		       struct gkv_verdict *v, json_t *extra)
{
	struct gk_attest_result res;
	size_t env_len;
	u8 *env;
	int e;

	e = gkv_result_build(v, t->code, cm->nonce.bytes, cm->validity, cm->sign_cert, &res);
	if (!e)
		e = gkv_result_sign(&res, cm->sign_cert, cm->sign_key, &env, &env_len);
	if (!e) {
		e = gk_write_file(path, env, env_len);
		free(env);
	}
	if (e)
		gkv_internal(v, e, "internal error: cannot write the attestation result: %s",
			     strerror(-e));
	else
		json_object_set_new(extra, "result_out", json_string(path));
}

/* Appraise, print every verdict (--repeat and --result-out with the last). */
static int run(const struct tee *t, const union tee_ctx *c, const struct gkv_opts *o,
	       const struct common *cm, struct batch *b, double load_us)
{
	struct gkv_verdict *last = &b->v[b->n - 1];
	json_t *extra = json_object();
	double t0 = mono_us();
	int rc = GK_EXIT_OK, i;

	for (i = 0; i < b->n; i++)
		appraise(t, c, cm, b, i, &b->v[i]);
	b->first_us = mono_us() - t0;
	if (cm->repeat)
		bench(t, c, cm, b, load_us, extra);
	if (gkv_accepted(last) && o->result_out)
		result_out(t, o->result_out, cm, last, extra);
	for (i = 0; i < b->n; i++) {
		if (verdict_out(&b->v[i], i == b->n - 1 && json_object_size(extra) ? extra : NULL))
			rc = GK_EXIT_FAIL;
		gkv_verdict_free(&b->v[i]);
	}
	json_decref(extra);
	return rc;
}

static int tdx_load(union tee_ctx *c, const struct gkv_opts *o, const struct common *cm)
{
	gkv_tdx_collateral_load(&c->tdx, o->collateral, o->root, &cm->ref, cm->now);
	return 0;
}

static void tdx_free(union tee_ctx *c)
{
	gkv_tdx_collateral_free(&c->tdx);
}

static int tdx_appraise(const union tee_ctx *c, const struct gkv_ref *ref, const struct gkv_nonce *nonce,
			const u8 *ev, size_t len, struct gkv_verdict *v)
{
	return gkv_tdx_appraise(&c->tdx, ref, nonce, ev, len, v);
}

static int tdx_floor(const union tee_ctx *c, const u8 *ev, size_t len, struct gkv_floor *f)
{
	(void)c;
	return gkv_tdx_floor(ev, len, f);
}

static int snp_load(union tee_ctx *c, const struct gkv_opts *o, const struct common *cm)
{
	gkv_snp_certs_load(&c->snp, o->vcek, o->chain, cm->now);
	return 0;
}

static void snp_free(union tee_ctx *c)
{
	gkv_snp_certs_free(&c->snp);
}

static int snp_appraise(const union tee_ctx *c, const struct gkv_ref *ref, const struct gkv_nonce *nonce,
			const u8 *ev, size_t len, struct gkv_verdict *v)
{
	return gkv_snp_appraise(&c->snp, ref, nonce, ev, len, v);
}

static int snp_floor(const union tee_ctx *c, const u8 *ev, size_t len, struct gkv_floor *f)
{
	return gkv_snp_floor(&c->snp, ev, len, f);
}

static int sim_load(union tee_ctx *c, const struct gkv_opts *o, const struct common *cm)
{
	(void)cm;
	c->sim = NULL;
	return gk_load_cert(o->cert, &c->sim) ? GK_EXIT_FAIL : 0;
}

static void sim_free(union tee_ctx *c)
{
	X509_free(c->sim);
}

static int sim_appraise(const union tee_ctx *c, const struct gkv_ref *ref, const struct gkv_nonce *nonce,
			const u8 *ev, size_t len, struct gkv_verdict *v)
{
	return gkv_sim_appraise(c->sim, ref, nonce, ev, len, v);
}

static const struct tee tees[] = {
	{
		.name = "tdx", .code = GK_TEE_TDX,
		.opts = { TEE_OPT("quote", quote), TEE_OPT("collateral", collateral),
			  TEE_OPT("root", root) },
		.missing = "tdx needs --quote, --collateral and --root",
		.load = tdx_load, .free = tdx_free, .appraise = tdx_appraise, .floor = tdx_floor,
	}, {
		.name = "snp", .code = GK_TEE_SNP,
		.opts = { TEE_OPT("report", report), TEE_OPT("vcek", vcek),
			  TEE_OPT("vlek", vcek), TEE_OPT("chain", chain) },
		.missing = "snp needs --report, --vcek (or --vlek) and --chain",
		.load = snp_load, .free = snp_free, .appraise = snp_appraise, .floor = snp_floor,
	}, {
		.name = "sim", .code = GK_TEE_SIM,
		.opts = { TEE_OPT("evidence", evidence), TEE_OPT("cert", cert) },
		.missing = "sim needs --evidence and --cert",
		.load = sim_load, .free = sim_free, .appraise = sim_appraise,
	},
};

#define TEE_NOPTS(t) (sizeof((t)->opts) / sizeof((t)->opts[0]))

static const char **tee_opt(const struct tee *t, struct gkv_opts *o, size_t i)
{
	return (const char **)((char *)o + t->opts[i].field);
}

/* The TEE's options, then the common ones: @opts ends with an empty entry. */
static void tee_opts(const struct tee *t, struct gkv_opts *o, struct gk_opt *opts)
{
	const struct gk_opt common[] = {
		{ "ref", 0, &o->ref, NULL },
		{ "time", 0, &o->time, NULL },
		{ "nonce", 0, &o->nonce, NULL },
		{ "result-out", 0, &o->result_out, NULL },
		{ "sign-key", 0, &o->sign_key, NULL },
		{ "sign-cert", 0, &o->sign_cert, NULL },
		{ "validity", 0, &o->validity, NULL },
		{ "repeat", 0, &o->repeat, NULL },
	};
	size_t i, n = 0;

	for (i = 0; i < TEE_NOPTS(t) && t->opts[i].name; i++)
		opts[n++] = (struct gk_opt){ t->opts[i].name, 0, tee_opt(t, o, i), NULL };
	memcpy(opts + n, common, sizeof(common));
	opts[n + sizeof(common) / sizeof(common[0])] = (struct gk_opt){ NULL, 0, NULL, NULL };
}

/* Read the evidence: @first (--quote, ...), then @more.  Return: 0 or the exit code. */
static int batch_read(struct batch *b, const char *first, char **more, int nmore)
{
	int rc = 0;

	for (b->n = 0; !rc && b->n <= nmore; b->n++) {
		b->path[b->n] = b->n ? more[b->n - 1] : first;
		rc = read_input(b->path[b->n], &b->ev[b->n], &b->len[b->n]);
	}
	return rc;
}

static void batch_free(struct batch *b)
{
	int i;

	for (i = 0; i < b->n; i++)
		free(b->ev[i]);
	free(b);
}

/* gk-verify tdx|snp|sim: @argv[0] names the TEE. */
static int cmd_tee(int argc, char **argv)
{
	const struct tee *t = tees;
	struct gk_opt opts[TEE_NOPTS(t) + 9];
	struct gkv_opts o = { NULL };
	struct batch *b;
	union tee_ctx c;
	struct common cm;
	char cmd[32];
	double t0;
	size_t i;
	int rc;

	while (strcmp(t->name, argv[0]))
		t++;
	snprintf(cmd, sizeof(cmd), "gk-verify %s", t->name);
	tee_opts(t, &o, opts);
	rc = gk_opts(argc, argv, cmd, gkv_help, opts, 0, GKV_MAX_BATCH - 1);
	if (rc >= 0)
		return rc;
	for (i = 0; i < TEE_NOPTS(t) && t->opts[i].name; i++)
		if (!*tee_opt(t, &o, i))
			return gk_usage_err(cmd, "%s", t->missing);
	if (o.result_out && optind < argc)
		return gk_usage_err(cmd, "--result-out is for one evidence");
	rc = common_setup(&o, cmd, &cm);
	if (rc)
		return rc;
	b = calloc(1, sizeof(*b));
	if (!b) {
		gk_err("out of memory");
		common_free(&cm);
		return GK_EXIT_FAIL;
	}
	rc = batch_read(b, *tee_opt(t, &o, 0), argv + optind, argc - optind);
	if (!rc) {
		t0 = mono_us();
		rc = t->load(&c, &o, &cm);
		if (!rc)
			rc = run(t, &c, &o, &cm, b, mono_us() - t0);
		t->free(&c);
	}
	batch_free(b);
	common_free(&cm);
	return rc;
}

static int cmd_sim_evidence(int argc, char **argv)
{
	static const char cmd[] = "gk-verify sim-evidence";
	struct gkv_opts o = { NULL };
	const struct gk_opt opts[] = {
		{ "key", 0, &o.key, NULL },
		{ "cert", 0, &o.cert, NULL },
		{ "report-data", 0, &o.report_data, NULL },
		{ "measurement", 0, &o.measurement, NULL },
		{ "debug", 0, NULL, &o.debug },
		{ "output", 'o', &o.out, NULL },
		{ NULL, 0, NULL, NULL },
	};
	u8 rd[64] = { 0 }, meas[GKV_MEAS_SIZE], *out;
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	size_t n, len;
	int e, rc;

	rc = gk_opts(argc, argv, cmd, gkv_help, opts, 0, 0);
	if (rc >= 0)
		return rc;
	if (!o.key || !o.cert || !o.report_data || !o.measurement || !o.out)
		return gk_usage_err(cmd, "sim-evidence needs --key, --cert, --report-data, --measurement and -o");
	if (gk_unhex_upto(o.report_data, rd, sizeof(rd), &n))
		return gk_usage_err(cmd, "--report-data: up to 64 bytes of hex (zero-padded)");
	if (gk_unhex(o.measurement, meas, sizeof(meas)))
		return gk_usage_err(cmd, "--measurement: exactly 48 bytes of hex");
	rc = GK_EXIT_FAIL;
	if (gk_load_key(o.key, &key) || gk_load_cert(o.cert, &cert))
		goto out;
	/* gk_sim_make() refuses a key that does not match the cert: no
	 * appraisal with that cert could accept the evidence. */
	e = gk_sim_make(key, cert, rd, meas, o.debug ? GK_SIM_FLAG_DEBUG : 0, &out, &len);
	if (e == -EKEYREJECTED) {
		gk_err("--key %s does not match --cert %s", o.key, o.cert);
		goto out;
	}
	if (e) {
		gk_err("cannot make sim evidence: %s", strerror(-e));
		goto out;
	}
	e = gk_write_file(o.out, out, len);
	free(out);
	if (e) {
		gk_err("cannot write %s: %s", o.out, strerror(-e));
		goto out;
	}
	if (gk_json)
		gk_json_print(json_pack("{s:s}", "output", o.out));
	rc = GK_EXIT_OK;
out:
	EVP_PKEY_free(key);
	X509_free(cert);
	return rc;
}

static int cmd_check_result(int argc, char **argv)
{
	static const char cmd[] = "gk-verify check-result";
	struct gkv_opts o = { NULL };
	const struct gk_opt opts[] = {
		{ "in", 0, &o.in, NULL },
		{ "cert", 0, &o.cert, NULL },
		{ "nonce", 0, &o.nonce, NULL },
		{ "time", 0, &o.time, NULL },
		{ NULL, 0, NULL, NULL },
	};
	struct gkv_verdict v;
	struct common cm;
	X509 *cert = NULL;
	u8 *buf;
	size_t len;
	int rc;

	rc = gk_opts(argc, argv, cmd, gkv_help, opts, 0, 0);
	if (rc >= 0)
		return rc;
	if (!o.in || !o.cert)
		return gk_usage_err(cmd, "check-result needs --in and --cert");
	rc = setup(&o, cmd, &cm, o.in, &buf, &len);
	if (rc)
		return rc;
	if (gk_load_cert(o.cert, &cert)) {
		rc = GK_EXIT_FAIL;
	} else {
		gkv_verdict_init(&v, "result", cm.now);
		gkv_result_check(buf, len, cert, cm.have_nonce ? cm.nonce.bytes : NULL,
				 cm.now, &v);
		rc = verdict_out(&v, NULL);
		gkv_verdict_free(&v);
	}
	X509_free(cert);
	free(buf);
	common_free(&cm);
	return rc;
}

static int cmd_ebpf(int argc, char **argv)
{
	static const char cmd[] = "gk-verify ebpf";
	struct gkv_opts o = { NULL };
	const struct gk_opt opts[] = {
		{ "log", 0, &o.log, NULL },
		{ "quote", 0, &o.quote, NULL },
		{ "sig", 0, &o.sig, NULL },
		{ "ak", 0, &o.ak, NULL },
		{ "nonce", 0, &o.nonce, NULL },
		{ "pcr-value", 0, &o.pcr_value, NULL },
		{ "ref", 0, &o.ref, NULL },
		{ NULL, 0, NULL, NULL },
	};
	u8 nonce[GKV_TPM_NONCE_MAX], pcr_value[32], *log = NULL, *quote = NULL, *sig = NULL;
	struct gkv_ebpf_in in = { NULL };
	struct gkv_ebpf_out out = { NULL };
	struct gkv_verdict v;
	struct gkv_ref ref;
	char msg[320];
	int rc;

	rc = gk_opts(argc, argv, cmd, gkv_help, opts, 0, 0);
	if (rc >= 0)
		return rc;
	if (!o.log)
		return gk_usage_err(cmd, "ebpf needs --log");
	if ((o.quote || o.sig || o.ak) && !(o.quote && o.sig && o.ak))
		return gk_usage_err(cmd, "--quote, --sig and --ak go together");
	/* A quote without a challenge could be an old one replayed. */
	if (o.quote && !o.nonce)
		return gk_usage_err(cmd, "--quote needs --nonce: the qualifying data it was made with");
	if (o.nonce && !o.quote)
		return gk_usage_err(cmd, "--nonce is for --quote");
	if (o.quote && o.pcr_value)
		return gk_usage_err(cmd, "--quote or --pcr-value, not both");
	if (o.nonce && (gk_unhex_upto(o.nonce, nonce, sizeof(nonce), &in.nonce_len) || !in.nonce_len))
		return gk_usage_err(cmd, "--nonce %s: want hex, 1 to %d bytes", o.nonce, GKV_TPM_NONCE_MAX);
	if (o.pcr_value && gk_unhex(o.pcr_value, pcr_value, sizeof(pcr_value)))
		return gk_usage_err(cmd, "--pcr-value %s: want 64 hex digits (SHA-256)", o.pcr_value);
	gkv_ref_defaults(&ref);
	if (o.ref && gkv_ref_load(o.ref, &ref, msg, sizeof(msg))) {
		gk_err("reference values %s: %s", o.ref, msg);
		gkv_ref_free(&ref);
		return GK_EXIT_FAIL;
	}
	rc = read_sized(o.log, GKV_MLOG_MAX, &log, &in.log_len);
	if (!rc && o.quote)
		rc = read_sized(o.quote, GKV_MAX_EVIDENCE, &quote, &in.quote_len) ?:
		     read_sized(o.sig, GKV_MAX_EVIDENCE, &sig, &in.sig_len);
	if (!rc && o.ak && gkv_tpm_ak_read(o.ak, &in.ak, msg, sizeof(msg))) {
		gk_err("--ak %s: %s", o.ak, msg);
		rc = GK_EXIT_FAIL;
	}
	if (!rc) {
		in.log = log;
		in.quote = quote;
		in.sig = sig;
		in.nonce = o.nonce ? nonce : NULL;
		in.pcr_value = o.pcr_value ? pcr_value : NULL;
		in.ref = &ref;
		gkv_verdict_init(&v, "ebpf", time(NULL));
		gkv_ebpf_appraise(&in, &v, &out);
		if (gkv_ebpf_print(&v, &out))
			gkv_internal(&v, -EIO, "internal error: cannot write the verdict");
		rc = gkv_accepted(&v) && !fflush(stdout) ? GK_EXIT_OK : GK_EXIT_FAIL;
		gkv_ebpf_out_free(&out);
		gkv_verdict_free(&v);
	}
	EVP_PKEY_free(in.ak);
	free(log);
	free(quote);
	free(sig);
	gkv_ref_free(&ref);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct gk_cmd cmds[] = {
		{ "tdx", cmd_tee },
		{ "snp", cmd_tee },
		{ "sim", cmd_tee },
		{ "sim-evidence", cmd_sim_evidence },
		{ "check-result", cmd_check_result },
		{ "ebpf", cmd_ebpf },
		{ NULL, NULL },
	};

	return gk_main(argc, argv, cmds, gkv_help, false);
}
