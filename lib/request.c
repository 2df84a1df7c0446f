// SPDX-License-Identifier: GPL-2.0
/*
 * Signing requests in JSON, written by "gkctl learn" and read by
 * "gk-sign --request"; the format is in docs/formats.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "file.h"
#include "hex.h"
#include "output.h"
#include "request.h"

static json_t *gk_learnt_json(const struct gk_learnt_prog *p)
{
	char *digest = gk_hex(p->digest, GK_DIGEST_SIZE);
	char *sha = p->has_loader_sha256 ? gk_hex(p->loader_sha256, GK_DIGEST_SIZE) : NULL;
	json_t *o = NULL;

	/*
	 * Left out: names libbpf does not know, the name of attach type 0 (most
	 * program types leave it unset), an unknown loader.
	 */
	if (digest && (sha || !p->has_loader_sha256))
		o = json_pack("{s:s, s:s, s:s*, s:I, s:s*, s:I, s:I, s:I, s:s*, s:s*}",
			      "digest", digest, "name", p->name,
			      "prog_type", libbpf_bpf_prog_type_str(p->prog_type),
			      "prog_type_id", (json_int_t)p->prog_type,
			      "attach_type", p->attach_type ?
			      libbpf_bpf_attach_type_str(p->attach_type) : NULL,
			      "attach_type_id", (json_int_t)p->attach_type,
			      "insns", (json_int_t)p->insns, "seen", (json_int_t)p->seen,
			      "loader", p->loader, "loader_sha256", sha);
	free(digest);
	free(sha);
	return o;
}

/* Return: the request as a JSON object, or NULL when out of memory. */
json_t *gk_request_json(const struct gk_request *r)
{
	json_t *progs = json_array();
	u32 i;

	if (!progs)
		return NULL;
	for (i = 0; i < r->cnt; i++) {
		if (json_array_append_new(progs, gk_learnt_json(&r->progs[i]))) {
			json_decref(progs);
			return NULL;
		}
	}
	return json_pack("{s:s, s:i, s:s, s:I, s:o}", "format", "gatekeeper-signing-request",
			 "version", GK_REQUEST_VERSION, "kernel", r->kernel,
			 "dropped", (json_int_t)r->dropped, "programs", progs);
}

/* One entry of "programs"; @what names it in errors. */
static int gk_learnt_parse(json_t *o, struct gk_learnt_prog *p, const char *what)
{
	const char *digest = NULL, *name = NULL, *loader = NULL, *sha = NULL;
	json_int_t type = 0, attach = 0, insns = 0, seen = 0;
	json_t *ignored;
	json_error_t e;

	/* The type names are for reviewers; the numbers are what counts. */
	if (json_unpack_ex(o, &e, JSON_STRICT, "{s:s, s:s, s?o, s:I, s?o, s:I, s:I, s:I, s?s, s?s}",
			   "digest", &digest, "name", &name, "prog_type", &ignored,
			   "prog_type_id", &type, "attach_type", &ignored, "attach_type_id", &attach,
			   "insns", &insns, "seen", &seen, "loader", &loader, "loader_sha256", &sha)) {
		gk_err("%s: %s", what, e.text);
		return -EINVAL;
	}
	if (gk_unhex(digest, p->digest, GK_DIGEST_SIZE)) {
		gk_err("%s: digest must be %d hex digits", what, 2 * GK_DIGEST_SIZE);
		return -EINVAL;
	}
	if (!*name || type < 0 || type > UINT32_MAX || attach < 0 || attach > UINT32_MAX ||
	    insns < 0 || insns > UINT32_MAX || seen < 0) {
		gk_err("%s: empty name, or a number out of range", what);
		return -EINVAL;
	}
	if (sha && gk_unhex(sha, p->loader_sha256, GK_DIGEST_SIZE)) {
		gk_err("%s: loader_sha256 must be %d hex digits", what, 2 * GK_DIGEST_SIZE);
		return -EINVAL;
	}
	p->has_loader_sha256 = sha;
	p->prog_type = type;
	p->attach_type = attach;
	p->insns = insns;
	p->seen = seen;
	p->name = strdup(name);
	p->loader = loader ? strdup(loader) : NULL;
	if (!p->name || (loader && !p->loader)) {
		gk_err("out of memory");
		return -ENOMEM;
	}
	return 0;
}

/**
 * gk_request_read() - read and check a signing request
 * @path: the JSON file
 * @r: filled in; gk_request_free() it, also after an error
 *
 * Return: 0, or -errno after an error message naming the file and field.
 */
int gk_request_read(const char *path, struct gk_request *r)
{
	const char *format, *kernel;
	json_t *root, *progs, *o;
	json_int_t version, dropped;
	json_error_t e;
	size_t i, len;
	char what[64];
	u8 *buf;
	int err;

	memset(r, 0, sizeof(*r));
	err = gk_read_file(path, GK_REQUEST_MAX_SIZE, &buf, &len);
	if (err)
		return err;
	root = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, &e);
	free(buf);
	if (!root) {
		gk_err("%s: not JSON: %s (line %d)", path, e.text, e.line);
		return -EINVAL;
	}
	err = -EINVAL;
	if (json_unpack_ex(root, &e, JSON_STRICT, "{s:s, s:I, s:s, s:I, s:o}", "format", &format,
			   "version", &version, "kernel", &kernel, "dropped", &dropped,
			   "programs", &progs)) {
		gk_err("%s: not a signing request: %s", path, e.text);
		goto out;
	}
	if (strcmp(format, "gatekeeper-signing-request") || version != GK_REQUEST_VERSION) {
		gk_err("%s: format %s version %lld: only gatekeeper-signing-request version %d is known",
		       path, format, (long long)version, GK_REQUEST_VERSION);
		goto out;
	}
	if (!json_is_array(progs) || dropped < 0) {
		gk_err("%s: \"programs\" must be an array, \"dropped\" a count", path);
		goto out;
	}
	r->kernel = strdup(kernel);
	r->dropped = dropped;
	r->progs = calloc(json_array_size(progs) + 1, sizeof(*r->progs));
	if (!r->kernel || !r->progs) {
		gk_err("out of memory");
		err = -ENOMEM;
		goto out;
	}
	json_array_foreach(progs, i, o) {
		snprintf(what, sizeof(what), "%s: programs[%zu]", path, i);
		r->cnt = i + 1;
		err = gk_learnt_parse(o, &r->progs[i], what);
		if (err)
			goto out;
	}
	err = 0;
out:
	json_decref(root);
	return err;
}

void gk_request_free(struct gk_request *r)
{
	u32 i;

	for (i = 0; i < r->cnt; i++) {
		free(r->progs[i].name);
		free(r->progs[i].loader);
	}
	free(r->progs);
	free(r->kernel);
	memset(r, 0, sizeof(*r));
}
