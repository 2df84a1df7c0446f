// SPDX-License-Identifier: GPL-2.0
/*
 * The programs of a BPF ELF object with the instructions libbpf will send
 * to the kernel, computed without a kernel.
 *
 * libbpf is put in light-skeleton generation mode (bpf_object__gen_loader):
 * bpf_object__load() then runs its own relocation logic (subprograms
 * appended, maps and global data referenced from ld_imm64) but records
 * every map and program instead of issuing syscalls, and assumes a kernel
 * with every feature, which all supported kernels have.  Two things
 * differ from a normal load and are undone here: map references come out
 * by index instead of by fd, and the SEC()-derived load flags are not
 * visible through bpf_program__flags().
 *
 * The maps a program names come out in the order the kernel will list
 * them (first reference first), and the initial images of the read-only
 * ones (.rodata: libbpf creates them read-only to programs and freezes
 * them) are digested for the manifest to bind; "const volatile" settings
 * a loader makes before load can be given with --set.
 *
 * What libbpf resolves against the running kernel (CO-RE relocations,
 * __ksym and __kconfig externs, struct_ops members) cannot be known in
 * advance: such objects are refused, and their programs are learnt on the
 * target kernel (gkctl learn) and signed from that request (gk-sign
 * --request).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include "output.h"
#include "elfprog.h"

#define GK_HOWTO_TARGET \
	"Learn it on each target kernel (gkctl learn -o REQUEST -- LOADER, which runs the loader " \
	"with the gate in audit mode), then sign what was learnt for that kernel: " \
	"gk-sign --key KEY --cert CERT --request REQUEST -o BUNDLE"

/* libbpf's struct btf_ext_header, which it does not export. */
struct gk_btf_ext_hdr {
	__u16 magic;
	__u8 version;
	__u8 flags;
	__u32 hdr_len;
	__u32 func_info_off;
	__u32 func_info_len;
	__u32 line_info_off;
	__u32 line_info_len;
	__u32 core_relo_off;	/* only if hdr_len covers them */
	__u32 core_relo_len;
};

#define GK_BTF_MAGIC 0xeB9F

static Elf_Data *gk_elf_section(Elf *elf, const char *name)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	GElf_Shdr sh;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		const char *s;

		if (!gelf_getshdr(scn, &sh))
			return NULL;
		s = elf_strptr(elf, shstrndx, sh.sh_name);
		if (s && !strcmp(s, name))
			return elf_getdata(scn, NULL);
	}
	return NULL;
}

/*
 * Print the sections holding CO-RE relocation records to @f; return their
 * number of records, or -EBADMSG if .BTF.ext does not parse.  Layout: u32
 * record size, then per section a u32 name offset (into .BTF strings),
 * a u32 record count and the records.
 */
static int gk_core_relos(const u8 *p, size_t len, const struct btf *btf, FILE *f)
{
	u32 rec_size, sec_off, n;
	int total = 0;
	size_t size;

	if (len < 4)
		return -EBADMSG;
	memcpy(&rec_size, p, 4);
	for (p += 4, len -= 4; len; p += size, len -= size) {
		if (len < 8)
			return -EBADMSG;
		memcpy(&sec_off, p, 4);
		memcpy(&n, p + 4, 4);
		if ((len - 8) / (rec_size ? rec_size : 1) < n)
			return -EBADMSG;
		size = 8 + (size_t)n * rec_size;
		if (!n)
			continue;
		fprintf(f, "%s'%s'", total ? ", " : "",
			(btf ? btf__name_by_offset(btf, sec_off) : NULL) ?: "?");
		total += n;
	}
	return total;
}

/*
 * CO-RE relocations are resolved against the BTF of the kernel the object
 * is loaded on.  libbpf has no accessor for them, so the .BTF.ext header
 * is read directly.
 */
static int gk_check_core(const char *path, const struct btf *btf)
{
	const struct gk_btf_ext_hdr *h;
	char *secs = NULL;
	size_t secs_len;
	Elf_Data *data;
	int fd, n, err = 0;
	FILE *f;
	Elf *elf;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		gk_err("cannot open %s: %s", path, strerror(errno));
		return err;
	}
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf) {
		gk_err("%s: %s", path, elf_errmsg(-1));
		err = -EBADMSG;
		goto out_close;
	}
	data = gk_elf_section(elf, ".BTF.ext");
	if (!data || !data->d_buf)
		goto out_elf;
	h = data->d_buf;
	if (data->d_size < offsetof(struct gk_btf_ext_hdr, core_relo_off) ||
	    h->magic != GK_BTF_MAGIC || h->hdr_len > data->d_size) {
		gk_err("%s: malformed .BTF.ext section", path);
		err = -EBADMSG;
		goto out_elf;
	}
	if (h->hdr_len < sizeof(*h) || !h->core_relo_len)
		goto out_elf;
	if (h->core_relo_off > data->d_size - h->hdr_len ||
	    h->core_relo_len > data->d_size - h->hdr_len - h->core_relo_off) {
		gk_err("%s: malformed .BTF.ext section", path);
		err = -EBADMSG;
		goto out_elf;
	}

	f = open_memstream(&secs, &secs_len);
	if (!f) {
		err = -ENOMEM;
		goto out_elf;
	}
	n = gk_core_relos((const u8 *)data->d_buf + h->hdr_len + h->core_relo_off,
			  h->core_relo_len, btf, f);
	fclose(f);
	if (n < 0) {
		gk_err("%s: malformed .BTF.ext section", path);
		err = n;
	} else if (n > 0) {
		gk_err("%s: refused: %d CO-RE relocation(s) in section(s) %s make the instructions depend on the target kernel's BTF. "
		       GK_HOWTO_TARGET, path, n, secs);
		err = -EMEDIUMTYPE;
	}
	free(secs);
out_elf:
	elf_end(elf);
out_close:
	close(fd);
	return err;
}

/* __ksym and __kconfig externs are resolved from the running kernel. */
static int gk_check_externs(const char *path, const struct btf *btf)
{
	char *names = NULL;
	size_t names_len;
	u32 id, i, n = 0;
	FILE *f;

	if (!btf)
		return 0;
	f = open_memstream(&names, &names_len);
	if (!f)
		return -ENOMEM;
	for (id = 1; id < btf__type_cnt(btf); id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const struct btf_var_secinfo *vs;
		const char *sec;

		if (!btf_is_datasec(t))
			continue;
		sec = btf__name_by_offset(btf, t->name_off);
		if (strcmp(sec, ".ksyms") && strcmp(sec, ".kconfig"))
			continue;
		vs = btf_var_secinfos(t);
		for (i = 0; i < btf_vlen(t); i++, n++)
			fprintf(f, "%s%s (%s)", n ? ", " : "",
				btf__name_by_offset(btf, btf__type_by_id(btf, vs[i].type)->name_off),
				strcmp(sec, ".ksyms") ? "__kconfig" : "__ksym");
	}
	fclose(f);
	if (n)
		gk_err("%s: refused: extern(s) %s are resolved from the target kernel. " GK_HOWTO_TARGET,
		       path, names);
	free(names);
	return n ? -EMEDIUMTYPE : 0;
}

/*
 * A struct_ops program is loaded as a member of a kernel struct by its
 * index in the target kernel's struct, which kernels reorder (7.x moved
 * tcp_congestion_ops' ssthresh): its digest depends on the target kernel.
 */
static int gk_check_struct_ops(const char *path, const struct bpf_object *obj)
{
	const struct bpf_map *map;

	bpf_object__for_each_map(map, obj) {
		if (bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS)
			continue;
		gk_err("%s: refused: the struct_ops programs of map %s are numbered by their member's place in the target kernel's struct. " GK_HOWTO_TARGET,
		       path, bpf_map__name(map));
		return -EMEDIUMTYPE;
	}
	return 0;
}

/*
 * libbpf adds these to the load attributes from the SEC() name, out of
 * bpf_program__flags()' sight.  Its convention: a ".s" suffix on the part
 * before '/' (and SEC("syscall")) is sleepable, "xdp.frags" takes frags.
 */
static u32 gk_sec_flags(const struct bpf_program *prog)
{
	const char *sec = bpf_program__section_name(prog);
	size_t n = strcspn(sec, "/");
	u32 flags = 0;

	if ((n == 7 && !strncmp(sec, "syscall", n)) || (n > 2 && !strncmp(sec + n - 2, ".s", 2)))
		flags |= BPF_F_SLEEPABLE;
	if (bpf_program__type(prog) == BPF_PROG_TYPE_XDP && n == 9 && !strncmp(sec, "xdp.frags", n))
		flags |= BPF_F_XDP_HAS_FRAGS;
	return flags;
}

/*
 * The generated loader names maps by index; a normal load names them by fd
 * (zeroed by the digest anyway): rewrite to what a normal load sends.
 */
static struct bpf_insn *gk_as_loaded(const struct bpf_program *prog)
{
	size_t i, cnt = bpf_program__insn_cnt(prog);
	struct bpf_insn *insns;

	insns = malloc(cnt * sizeof(*insns));
	if (!insns)
		return NULL;
	memcpy(insns, bpf_program__insns(prog), cnt * sizeof(*insns));
	for (i = 0; i + 1 < cnt; i++) {
		if (insns[i].code != (BPF_LD | BPF_IMM | BPF_DW))
			continue;
		if (insns[i].src_reg == BPF_PSEUDO_MAP_IDX) {
			insns[i].src_reg = BPF_PSEUDO_MAP_FD;
			insns[i].imm = 0;
		} else if (insns[i].src_reg == BPF_PSEUDO_MAP_IDX_VALUE) {
			insns[i].src_reg = BPF_PSEUDO_MAP_VALUE;
			insns[i].imm = 0;
		}
		i++;
	}
	return insns;
}

void gk_elfprog_free(struct gk_elfprog *progs, u32 cnt)
{
	u32 i;

	u32 j;

	for (i = 0; i < cnt; i++) {
		free(progs[i].name);
		free(progs[i].sec);
		free(progs[i].attach);
		for (j = 0; j < progs[i].maps.bound_cnt; j++)
			free(progs[i].map_name[j]);
	}
	free(progs);
}

/*
 * The sections whose target libbpf resolves at load, from the kernel's BTF
 * (docs/formats.md, "Manifest"), and the prefix libbpf gives the name.
 */
static const struct gk_fixed_target {
	const char *sec, *func_prefix;
} gk_fixed_targets[] = {
	{ "fentry/", "" },	{ "fentry.s/", "" },	{ "fexit/", "" },
	{ "fexit.s/", "" },	{ "fmod_ret/", "" },	{ "fmod_ret.s/", "" },
	{ "lsm/", "bpf_lsm_" },	{ "lsm.s/", "bpf_lsm_" }, { "lsm_cgroup/", "bpf_lsm_" },
	{ "tp_btf/", "" },	{ "iter/", "bpf_iter_" }, { "iter.s/", "bpf_iter_" },
};

/*
 * "MODULE:FUNCTION" of a section that fixes the target at load: "vmlinux"
 * unless the section names the module ("fentry/MODULE:FUNCTION").
 * Return: 0 with *@attach set, or NULL if the section fixes none; -ENOMEM.
 */
static int gk_sec_attach(const char *sec, char **attach)
{
	const struct gk_fixed_target *t;
	const char *func;
	size_t i;
	int n;

	*attach = NULL;
	for (i = 0; i < sizeof(gk_fixed_targets) / sizeof(gk_fixed_targets[0]); i++) {
		t = &gk_fixed_targets[i];
		if (strncmp(sec, t->sec, strlen(t->sec)))
			continue;
		func = sec + strlen(t->sec);
		if (!*func)
			return 0;	/* the loader sets the target */
		n = strchr(func, ':') ? asprintf(attach, "%s", func) :
					asprintf(attach, "vmlinux:%s%s", t->func_prefix, func);
		return n < 0 ? -ENOMEM : 0;
	}
	return 0;
}

/*
 * An freplace program's instructions do not depend on the program it
 * replaces, but libbpf prepares one only when given that program's fd,
 * which exists at load time alone.  Prepared as a socket filter, it comes
 * out as libbpf will send it; gk_elfprog_fill() digests it as what it is:
 * an extension, expected attach type 0 (libbpf's for SEC("freplace/...")).
 */
static bool gk_is_freplace(const struct bpf_program *prog)
{
	return !strncmp(bpf_program__section_name(prog), "freplace/", 9);
}

static int gk_unbind_freplace(struct bpf_object *obj)
{
	struct bpf_program *prog;
	int err;

	bpf_object__for_each_program(prog, obj) {
		if (!gk_is_freplace(prog))
			continue;
		err = bpf_program__set_type(prog, BPF_PROG_TYPE_SOCKET_FILTER);
		if (err)
			return err;
	}
	return 0;
}

/* The map of index @idx in @obj (as the generated loader numbers them), or NULL. */
static struct bpf_map *gk_map_at(const struct bpf_object *obj, u32 idx)
{
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj)
		if (!idx--)
			return map;
	return NULL;
}

/*
 * Does libbpf create @map read-only to programs and freeze it after
 * writing its image: the contents a manifest can bind?
 */
static bool gk_map_frozen_rodata(const struct bpf_map *map)
{
	return bpf_map__is_internal(map) && bpf_map__type(map) == BPF_MAP_TYPE_ARRAY &&
	       (bpf_map__map_flags(map) & BPF_F_RDONLY_PROG) &&
	       (u64)bpf_map__value_size(map) * bpf_map__max_entries(map) <= GK_MAP_BIND_MAX;
}

static const void *gk_image_value(const void *ctx, u32 i)
{
	const struct bpf_map *map = ctx;
	size_t size;
	const u8 *image = bpf_map__initial_value((struct bpf_map *)map, &size);

	if (!image || (size_t)(i + 1) * bpf_map__value_size(map) > size)
		return NULL;
	return image + (size_t)i * bpf_map__value_size(map);
}

/* Bind @map in @slot of @p: the digest of its image. */
static int gk_bind_map(struct gk_elfprog *p, const struct bpf_map *map, u32 slot)
{
	struct gk_bound_map *m = &p->maps.map[p->maps.bound_cnt];
	const struct gk_map_desc desc = {
		.map_type = bpf_map__type(map),
		.value_size = bpf_map__value_size(map),
		.max_entries = bpf_map__max_entries(map),
		.value = gk_image_value,
		.ctx = map,
	};
	int err;

	m->slot = slot;
	p->map_name[p->maps.bound_cnt] = strdup(bpf_map__name(map));
	if (!p->map_name[p->maps.bound_cnt])
		return -ENOMEM;
	p->maps.bound_cnt++;
	err = gk_map_digest(&desc, m->digest);
	return err == -EFAULT ? -ENODATA : err;
}

/*
 * The maps @prog names, in the order the verifier lists them (each at its
 * first reference), and the read-only ones bound by their image.  Map
 * references still name the map by index here (gk_as_loaded()).
 */
static int gk_elfprog_maps(struct gk_elfprog *p, const struct bpf_program *prog,
			   const struct bpf_object *obj)
{
	const struct bpf_insn *insns = bpf_program__insns(prog);
	size_t i, cnt = bpf_program__insn_cnt(prog);
	s32 seen[GK_MAPS_MAX];
	const struct bpf_map *map;
	u32 j;
	int err;

	p->maps.bound = true;
	for (i = 0; i + 1 < cnt; i++) {
		const struct bpf_insn *insn = &insns[i];

		if (insn->code != (BPF_LD | BPF_IMM | BPF_DW))
			continue;
		i++;	/* its second half */
		if (insn->src_reg != BPF_PSEUDO_MAP_IDX && insn->src_reg != BPF_PSEUDO_MAP_IDX_VALUE)
			continue;
		for (j = 0; j < p->maps.map_cnt && seen[j] != insn->imm; j++)
			;
		if (j < p->maps.map_cnt)
			continue;
		if (p->maps.map_cnt == GK_MAPS_MAX)
			return -E2BIG;
		seen[p->maps.map_cnt] = insn->imm;
		map = gk_map_at(obj, insn->imm);
		if (!map)
			return -EBADMSG;
		if (gk_map_frozen_rodata(map)) {
			err = gk_bind_map(p, map, p->maps.map_cnt);
			if (err)
				return err;
		}
		p->maps.map_cnt++;
	}
	return 0;
}

static int gk_elfprog_fill(struct gk_elfprog *p, const struct bpf_program *prog,
			   const struct bpf_object *obj)
{
	struct gk_prog_desc desc = {
		.prog_type = gk_is_freplace(prog) ? BPF_PROG_TYPE_EXT : bpf_program__type(prog),
		.expected_attach_type = bpf_program__expected_attach_type(prog),
		.prog_flags = bpf_program__flags(prog) | gk_sec_flags(prog),
		.insn_cnt = bpf_program__insn_cnt(prog),
	};
	struct bpf_insn *insns;
	int err;

	p->name = strdup(bpf_program__name(prog));
	p->sec = strdup(bpf_program__section_name(prog));
	insns = gk_as_loaded(prog);
	if (!p->name || !p->sec || !insns || gk_sec_attach(p->sec, &p->attach)) {
		free(insns);
		return -ENOMEM;
	}
	desc.insns = insns;
	err = gk_prog_digest(&desc, p->digest);
	free(insns);
	return err ?: gk_elfprog_maps(p, prog, obj);
}

/* Write the @size low bytes of @v, little-endian, at @off of @map's image. */
static int gk_set_bytes(struct bpf_map *map, u32 off, u32 size, unsigned long long v)
{
	const u8 *image;
	size_t len;
	u8 *copy;
	int err;
	u32 i;

	image = bpf_map__initial_value(map, &len);
	if (!image || off + size > len)
		return -ENODATA;
	copy = malloc(len);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, image, len);
	for (i = 0; i < size; i++)
		copy[off + i] = v >> (8 * i);
	err = bpf_map__set_initial_value(map, copy, len);
	free(copy);
	return err;
}

/*
 * Set the read-only variable @var (a "const volatile" global) to @value in
 * the image of its map, as a skeleton does before load.  Errors reported.
 */
static int gk_set_var(struct bpf_object *obj, const char *path, const char *var,
		      const char *value)
{
	const struct btf *btf = bpf_object__btf(obj);
	const struct btf_var_secinfo *vs;
	const struct btf_type *sec;
	unsigned long long v;
	struct bpf_map *map;
	char *end;
	u32 i;

	bpf_object__for_each_map(map, obj) {
		if (!gk_map_frozen_rodata(map) || !btf)
			continue;
		sec = btf__type_by_id(btf, bpf_map__btf_value_type_id(map));
		if (!sec || !btf_is_datasec(sec))
			continue;
		vs = btf_var_secinfos(sec);
		for (i = 0; i < btf_vlen(sec); i++, vs++) {
			if (strcmp(btf__name_by_offset(btf, btf__type_by_id(btf, vs->type)->name_off), var))
				continue;
			errno = 0;
			v = strtoull(value, &end, 0);
			if (*value == '-')
				v = (unsigned long long)strtoll(value, &end, 0);
			if (errno || !*value || *end || (vs->size != 1 && vs->size != 2 &&
							 vs->size != 4 && vs->size != 8)) {
				gk_err("--set %s=%s: %s is a %u-byte variable of %s: give an integer",
				       var, value, var, vs->size, bpf_map__name(map));
				return -EINVAL;
			}
			return gk_set_bytes(map, vs->offset, vs->size, v);
		}
	}
	gk_err("--set %s: %s has no read-only variable %s (a \"const volatile\" global in .rodata)",
	       var, path, var);
	return -ENOENT;
}

/* --set VAR=VALUE[,VAR=VALUE...].  Errors reported. */
static int gk_set_vars(struct bpf_object *obj, const char *path, const char *set)
{
	char *copy = strdup(set), *item, *save = NULL, *eq;
	int err = copy ? 0 : -ENOMEM;

	for (item = copy ? strtok_r(copy, ",", &save) : NULL; !err && item;
	     item = strtok_r(NULL, ",", &save)) {
		eq = strchr(item, '=');
		if (!eq) {
			gk_err("--set %s: give VAR=VALUE", item);
			err = -EINVAL;
			break;
		}
		*eq = '\0';
		err = gk_set_var(obj, path, item, eq + 1);
	}
	free(copy);
	return err;
}

/**
 * gk_elfprog_read() - the loadable programs of a BPF object and their digests
 * @path: the ELF object
 * @set: "VAR=VALUE[,VAR=VALUE...]": read-only variables to set as the
 *       loader will before load, or NULL
 * @progs: set to a calloc()ed array, freed with gk_elfprog_free()
 * @cnt: set to its length
 *
 * Programs with autoload off are left out: libbpf does not load them.
 * Errors are reported.
 *
 * Return: 0; -EMEDIUMTYPE if the object depends on the target kernel;
 * -ENOENT if it has no program; or what libbpf, libelf or malloc failed with.
 */
int gk_elfprog_read(const char *path, const char *set, struct gk_elfprog **progs, u32 *cnt)
{
	struct gen_loader_opts gen = { .sz = sizeof(gen) };
	struct gk_elfprog *out = NULL;
	struct bpf_program *prog;
	struct bpf_object *obj;
	struct bpf_map *map;
	char msg[128];
	u32 n = 0;
	int err;

	if (elf_version(EV_CURRENT) == EV_NONE) {
		gk_err("libelf: %s", elf_errmsg(-1));
		return -ENOPKG;
	}
	obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		err = -errno;
		libbpf_strerror(err, msg, sizeof(msg));
		gk_err("cannot open BPF object %s: %s", path, msg);
		return err;
	}
	err = gk_check_core(path, bpf_object__btf(obj));
	if (!err)
		err = gk_check_externs(path, bpf_object__btf(obj));
	if (!err)
		err = gk_check_struct_ops(path, obj);
	if (err)
		goto out_close;

	/*
	 * Pinning happens at load and never changes the instructions (map
	 * references are not digested): gk-sign must not touch bpffs.
	 */
	bpf_object__for_each_map(map, obj) {
		err = bpf_map__set_pin_path(map, NULL);
		if (err)
			goto out_close;
	}
	err = set ? gk_set_vars(obj, path, set) : 0;
	if (err)
		goto out_close;
	err = gk_unbind_freplace(obj);
	if (!err)
		err = bpf_object__gen_loader(obj, &gen);
	if (!err)
		err = bpf_object__load(obj);
	if (err) {
		libbpf_strerror(err, msg, sizeof(msg));
		gk_err("libbpf cannot prepare %s for loading: %s", path, msg);
		goto out_close;
	}

	bpf_object__for_each_program(prog, obj)
		n++;
	out = calloc(n ? n : 1, sizeof(*out));
	if (!out) {
		err = -ENOMEM;
		goto out_close;
	}
	n = 0;
	bpf_object__for_each_program(prog, obj) {
		if (!bpf_program__autoload(prog))
			continue;
		err = gk_elfprog_fill(&out[n++], prog, obj);
		if (err) {
			gk_err("%s: cannot digest program %s: %s", path, bpf_program__name(prog),
			       strerror(-err));
			goto out_free;
		}
	}
	if (!n) {
		gk_err("%s has no program to sign", path);
		err = -ENOENT;
		goto out_free;
	}
	*progs = out;
	*cnt = n;
	bpf_object__close(obj);
	return 0;

out_free:
	gk_elfprog_free(out, n);
out_close:
	bpf_object__close(obj);
	return err;
}
