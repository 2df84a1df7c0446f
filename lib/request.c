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

/**
 * gk_maps_json() - {"count", "bound": [{"slot", "sha256", "map"}]}
 * @m: the maps; NULL or unbound gives NULL
 * @names: the bound maps' names, or NULL (no "map" key)
 *
 * Return: the object, or NULL (also when out of memory).
 */
json_t *gk_maps_json(const struct gk_prog_maps *m, char *const *names)
{
	char hex[GK_HEX_SIZE(GK_DIGEST_SIZE)];
	json_t *bound;
	u32 i;

	if (!m || !m->bound)
		return NULL;
	bound = json_array();
	for (i = 0; bound && i < m->bound_cnt; i++) {
		gk_hex_buf(m->map[i].digest, GK_DIGEST_SIZE, hex);
		if (json_array_append_new(bound, json_pack("{s:i, s:s, s:s*}", "slot",
							   m->map[i].slot, "sha256", hex, "map",
							   names ? names[i] : NULL))) {
			json_decref(bound);
			return NULL;
		}
	}
	return json_pack("{s:i, s:o*}", "count", m->map_cnt, "bound", bound);
}

/*
 * Back from gk_maps_json() (without names).  Return: 0, or -EINVAL after
 * an error message naming @what.
 */
static int gk_maps_from_json(json_t *o, struct gk_prog_maps *m, const char *what)
{
	json_int_t count, slot;
	const char *sha;
	json_t *bound, *b;
	json_error_t e;
	size_t i;

	if (json_unpack_ex(o, &e, JSON_STRICT, "{s:I, s:o}", "count", &count, "bound", &bound) ||
	    !json_is_array(bound) || count < 0 || count > GK_MAPS_MAX ||
	    json_array_size(bound) > (size_t)count) {
		gk_err("%s: maps: a count of 0 to %d and at most as many bound maps", what,
		       GK_MAPS_MAX);
		return -EINVAL;
	}
	m->bound = true;
	m->map_cnt = count;
	json_array_foreach(bound, i, b) {
		if (json_unpack_ex(b, &e, JSON_STRICT, "{s:I, s:s}", "slot", &slot, "sha256", &sha) ||
		    slot < (i ? m->map[i - 1].slot + 1 : 0) || slot >= count ||
		    gk_unhex(sha, m->map[i].digest, GK_DIGEST_SIZE)) {
			gk_err("%s: maps.bound[%zu]: increasing slots below count, sha256 of %d hex digits",
			       what, i, 2 * GK_DIGEST_SIZE);
			return -EINVAL;
		}
		m->map[i].slot = slot;
		m->bound_cnt = i + 1;
	}
	return 0;
}

/**
 * gk_maps_parse() - the maps column of the module's files
 * @s: "-", or "COUNT", then ":SLOT=HEX" and ",SLOT=HEX" for each bound map
 * @m: filled in
 *
 * Return: 0, or -EINVAL if @s is none of these.
 */
int gk_maps_parse(const char *s, struct gk_prog_maps *m)
{
	unsigned int count, slot;
	char hex[2 * GK_DIGEST_SIZE + 1];
	int n;

	memset(m, 0, sizeof(*m));
	if (!strcmp(s, "-"))
		return 0;
	if (sscanf(s, "%u%n", &count, &n) != 1 || count > GK_MAPS_MAX)
		return -EINVAL;
	m->bound = true;
	m->map_cnt = count;
	for (s += n; *s; s += n) {
		if (*s != (m->bound_cnt ? ',' : ':') || m->bound_cnt == count ||
		    sscanf(s + 1, "%u=%64[0-9a-f]%n", &slot, hex, &n) != 2 || slot >= count ||
		    (m->bound_cnt && slot <= m->map[m->bound_cnt - 1].slot) ||
		    gk_unhex(hex, m->map[m->bound_cnt].digest, GK_DIGEST_SIZE))
			return -EINVAL;
		m->map[m->bound_cnt++].slot = slot;
		n++;
	}
	return 0;
}

/* The binding that varied between loads, as the "varies" array names it. */
static json_t *gk_varies_json(const struct gk_learnt_prog *p)
{
	if (!p->attach_varies && !p->maps_vary)
		return NULL;
	return json_pack("[s*, s*]", p->attach_varies ? "attach" : NULL,
			 p->maps_vary ? "maps" : NULL);
}

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
		o = json_pack("{s:s, s:s, s:s*, s:I, s:s*, s:I, s:I, s:I, s:s*, s:s*, s:s*, s:o*, s:o*}",
			      "digest", digest, "name", p->name,
			      "prog_type", libbpf_bpf_prog_type_str(p->prog_type),
			      "prog_type_id", (json_int_t)p->prog_type,
			      "attach_type", p->attach_type ?
			      libbpf_bpf_attach_type_str(p->attach_type) : NULL,
			      "attach_type_id", (json_int_t)p->attach_type,
			      "insns", (json_int_t)p->insns, "seen", (json_int_t)p->seen,
			      "loader", p->loader, "loader_sha256", sha,
			      "attach", p->attach_varies ? NULL : p->attach,
			      "maps", p->maps_vary ? NULL : gk_maps_json(&p->maps, NULL),
			      "varies", gk_varies_json(p));
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

/* "varies": ["attach"] and/or ["maps"]; Return: 0 or -EINVAL, reported. */
static int gk_varies_parse(json_t *varies, struct gk_learnt_prog *p, const char *what)
{
	const char *s;
	json_t *v;
	size_t i;

	if (!json_is_array(varies))
		goto bad;
	json_array_foreach(varies, i, v) {
		s = json_string_value(v);
		if (s && !strcmp(s, "attach"))
			p->attach_varies = true;
		else if (s && !strcmp(s, "maps"))
			p->maps_vary = true;
		else
			goto bad;
	}
	return 0;
bad:
	gk_err("%s: varies must be an array of \"attach\" and \"maps\"", what);
	return -EINVAL;
}

/* One entry of "programs"; @what names it in errors. */
static int gk_learnt_parse(json_t *o, struct gk_learnt_prog *p, const char *what)
{
	const char *digest = NULL, *name = NULL, *loader = NULL, *sha = NULL, *target = NULL;
	json_int_t type = 0, attach = 0, insns = 0, seen = 0;
	json_t *ignored, *maps = NULL, *varies = NULL;
	json_error_t e;

	/* The type names are for reviewers; the numbers are what counts. */
	if (json_unpack_ex(o, &e, JSON_STRICT,
			   "{s:s, s:s, s?o, s:I, s?o, s:I, s:I, s:I, s?s, s?s, s?s, s?o, s?o}",
			   "digest", &digest, "name", &name, "prog_type", &ignored,
			   "prog_type_id", &type, "attach_type", &ignored, "attach_type_id", &attach,
			   "insns", &insns, "seen", &seen, "loader", &loader, "loader_sha256", &sha,
			   "attach", &target, "maps", &maps, "varies", &varies)) {
		gk_err("%s: %s", what, e.text);
		return -EINVAL;
	}
	if (target && !gk_attach_valid(target, strlen(target))) {
		gk_err("%s: attach must be MODULE:FUNCTION", what);
		return -EINVAL;
	}
	if (maps && gk_maps_from_json(maps, &p->maps, what))
		return -EINVAL;
	if (varies && gk_varies_parse(varies, p, what))
		return -EINVAL;
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
	p->attach = target ? strdup(target) : NULL;
	if (!p->name || (loader && !p->loader) || (target && !p->attach)) {
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
		free(r->progs[i].attach);
	}
	free(r->progs);
	free(r->kernel);
	memset(r, 0, sizeof(*r));
}
