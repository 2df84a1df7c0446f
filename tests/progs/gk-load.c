// SPDX-License-Identifier: GPL-2.0
/*
 * gk-load: load a BPF object with plain libbpf, as any loader would, for
 * the kernel tests.  Exit 0 if every program loaded; otherwise print
 * "load failed: ENAME (description)" and exit with the errno (1 for EPERM,
 * a refusal by the gate), or 255 for a libbpf error that is no errno.
 * With --target, freplace programs replace the function their section
 * names in the first program of another object, loaded first.  With
 * --attach-to PROG=FUNCTION, program PROG is aimed at another kernel
 * function than its section names (or, an freplace program, at another
 * function of the target; a struct_ops program, once loaded, is loaded
 * again as the same member of kernel struct FUNCTION): the instructions
 * stay the same.  With
 * --link-to OTHER, the freplace programs, once loaded, are attached to the
 * first program of OTHER (BPF_LINK_CREATE with target_fd), at --link-func.
 * With --set VAR=VALUE, a read-only variable ("const volatile" global in
 * .rodata) is set before load, as a skeleton does.  With --race-rodata N,
 * the object is loaded N times with its .rodata map given by the loader
 * (bpf_map__reuse_fd) while a second thread keeps swapping another map
 * with other contents under that fd number; it counts how each load came
 * out and exits 3 if a program was admitted with the other map (the
 * object's first program must return min(packet length, the first u32 of
 * .rodata), as maps.bpf.o's does).  --merge-data gives .data and .bss
 * one map of the loader's (one map where two were signed); --unfrozen
 * gives .rodata a copy of its image that is not frozen.  --run PROG
 * test-runs program PROG once loaded (XDP on a zeroed 64-byte packet) and
 * prints "PROG RETVAL".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

static bool verbose;

static int gk_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	return verbose ? vfprintf(stderr, fmt, ap) : 0;
}

static int gk_failed(const char *what, int err)
{
	const char *name = strerrorname_np(err);
	char msg[128];

	libbpf_strerror(-err, msg, sizeof(msg));
	if (name)
		fprintf(stderr, "%s failed: %s (%s)\n", what, name, msg);
	else
		fprintf(stderr, "%s failed: libbpf error %d (%s)\n", what, err, msg);
	return err > 0 && err < 255 ? err : 255;
}

/* The .rodata map of @obj (internal, read-only to programs), or NULL. */
static struct bpf_map *gk_rodata(struct bpf_object *obj)
{
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj)
		if (bpf_map__is_internal(map) && (bpf_map__map_flags(map) & BPF_F_RDONLY_PROG))
			return map;
	return NULL;
}

/* Set "VAR=VALUE" in the .rodata image of @obj.  Return: 0 or an errno. */
static int gk_set(struct bpf_object *obj, const char *assign)
{
	struct bpf_map *map = gk_rodata(obj);
	const struct btf *btf = bpf_object__btf(obj);
	const struct btf_var_secinfo *vs;
	const struct btf_type *sec;
	const char *eq = strchr(assign, '=');
	unsigned long long v;
	const void *image;
	size_t len;
	__u8 *copy;
	__u32 i, j;
	int err;

	if (!map || !btf || !eq)
		return EINVAL;
	v = strtoull(eq + 1, NULL, 0);
	sec = btf__type_by_id(btf, bpf_map__btf_value_type_id(map));
	vs = btf_var_secinfos(sec);
	for (i = 0; i < btf_vlen(sec); i++, vs++) {
		const char *name = btf__name_by_offset(btf, btf__type_by_id(btf, vs->type)->name_off);

		if (strlen(name) != (size_t)(eq - assign) || strncmp(name, assign, eq - assign))
			continue;
		image = bpf_map__initial_value(map, &len);
		copy = image ? malloc(len) : NULL;
		if (!copy)
			return ENOMEM;
		memcpy(copy, image, len);
		for (j = 0; j < vs->size && j < 8; j++)
			copy[vs->offset + j] = v >> (8 * j);
		err = bpf_map__set_initial_value(map, copy, len);
		free(copy);
		return err ? -err : 0;
	}
	return ENOENT;
}

/*
 * A copy of @map's image, read-only to programs and frozen unless
 * @unfrozen; @flip changes its first byte.
 */
static int gk_rodata_copy(struct bpf_map *map, bool flip, bool unfrozen)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_RDONLY_PROG);
	size_t len;
	const __u8 *image = bpf_map__initial_value(map, &len);
	__u8 *value = image ? malloc(len) : NULL;
	int fd, zero = 0;

	if (!value)
		return -ENOMEM;
	memcpy(value, image, len);
	value[0] ^= flip;
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "gk_race", 4, len, 1, &opts);
	if (fd >= 0 && (bpf_map_update_elem(fd, &zero, value, 0) || (!unfrozen && bpf_map_freeze(fd)))) {
		close(fd);
		fd = -errno;
	}
	free(value);
	return fd;
}

static volatile int gk_race_fd = -1, gk_race_good = -1, gk_race_other = -1;
static volatile bool gk_race_stop;

/* Swap the other map and the good one under the fd libbpf will use. */
static void *gk_race_thread(void *arg)
{
	(void)arg;
	while (!gk_race_stop) {
		int fd = gk_race_fd;

		if (fd < 0)
			continue;
		dup2(gk_race_other, fd);
		dup2(gk_race_good, fd);
	}
	return NULL;
}

/*
 * Does the first program of @obj run with the other map's data?  It must
 * return min(packet length, a .rodata limit) as maps.bpf.o's gk_maps_count
 * does: run on a packet longer than both, it returns the limit, whose
 * first byte the other map flips.  (Maps libbpf binds to the program after
 * load, BPF_PROG_BIND_MAP, are not what it reads: only running it tells.)
 */
static bool gk_runs_other(struct bpf_object *obj, __u32 good_limit)
{
	__u8 pkt[1024] = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = pkt, .data_size_in = sizeof(pkt));
	struct bpf_program *prog = bpf_object__next_program(obj, NULL);

	if (!prog || bpf_prog_test_run_opts(bpf_program__fd(prog), &run))
		return true;
	return run.retval != good_limit;
}

/* The good and the other map, made from @path's image; its first u32 in @limit. */
static int gk_race_maps(const char *path, __u32 *limit)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_map *map = obj ? gk_rodata(obj) : NULL;
	const void *image;
	size_t len;
	int err = 0;

	image = map ? bpf_map__initial_value(map, &len) : NULL;
	if (!image || len < sizeof(*limit)) {
		bpf_object__close(obj);
		return ENOENT;
	}
	memcpy(limit, image, sizeof(*limit));
	gk_race_good = gk_rodata_copy(map, false, false);
	gk_race_other = gk_rodata_copy(map, true, false);
	if (gk_race_good < 0 || gk_race_other < 0)
		err = errno;
	bpf_object__close(obj);
	return err;
}

/* --race-rodata: load @path @n times while the .rodata map is swapped. */
static int gk_race(const char *path, int n)
{
	int i, err, admitted = 0, wrong = 0, refused = 0;
	struct bpf_object *obj;
	struct bpf_map *map;
	__u32 limit;
	pthread_t t;

	err = gk_race_maps(path, &limit);
	if (err)
		return gk_failed("map create", err);
	if (pthread_create(&t, NULL, gk_race_thread, NULL))
		return gk_failed("thread", errno);
	for (i = 0; i < n; i++) {
		obj = bpf_object__open_file(path, NULL);
		map = obj ? gk_rodata(obj) : NULL;
		if (!map || bpf_map__reuse_fd(map, gk_race_good))
			break;
		gk_race_fd = bpf_map__fd(map);
		err = bpf_object__load(obj);
		gk_race_fd = -1;
		if (!err) {
			admitted++;
			wrong += gk_runs_other(obj, limit);
		} else {
			refused += err == -EPERM;
		}
		bpf_object__close(obj);
	}
	gk_race_stop = true;
	pthread_join(t, NULL);
	printf("loads %d admitted %d with-other-data %d refused %d\n", i, admitted, wrong, refused);
	return wrong ? 3 : i < n ? gk_failed("open", ENOENT) : 0;
}

/* The internal map of @obj whose name ends in @suffix (".data"), or NULL. */
static struct bpf_map *gk_internal(struct bpf_object *obj, const char *suffix)
{
	struct bpf_map *map;
	size_t n = strlen(suffix), len;

	bpf_object__for_each_map(map, obj) {
		len = strlen(bpf_map__name(map));
		if (bpf_map__is_internal(map) && len >= n &&
		    !strcmp(bpf_map__name(map) + len - n, suffix))
			return map;
	}
	return NULL;
}

/* --merge-data: one map of the loader's for both .data and .bss. */
static int gk_merge_data(struct bpf_object *obj)
{
	struct bpf_map *data = gk_internal(obj, ".data"), *bss = gk_internal(obj, ".bss");
	int fd;

	if (!data || !bss || bpf_map__value_size(data) != bpf_map__value_size(bss))
		return EINVAL;
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "gk_merged", 4, bpf_map__value_size(data), 1,
			    &(struct bpf_map_create_opts){ .sz = sizeof(struct bpf_map_create_opts),
							   .map_flags = bpf_map__map_flags(data) });
	if (fd < 0 || bpf_map__reuse_fd(data, fd) || bpf_map__reuse_fd(bss, fd))
		return errno;
	return 0;
}

/* --unfrozen: .rodata given as an unfrozen copy of its image. */
static int gk_unfrozen(struct bpf_object *obj)
{
	struct bpf_map *map = gk_rodata(obj);
	int fd = map ? gk_rodata_copy(map, false, true) : -ENOENT;

	if (fd < 0 || bpf_map__reuse_fd(map, fd))
		return fd < 0 ? -fd : errno;
	return 0;
}

/* Load @path; Return: its first program's fd, @obj set to close; or -errno. */
static int gk_load_first(const char *path, struct bpf_object **obj)
{
	struct bpf_program *prog;
	int err;

	*obj = bpf_object__open_file(path, NULL);
	if (!*obj)
		return -errno;
	err = bpf_object__load(*obj);
	prog = bpf_object__next_program(*obj, NULL);
	if (err || !prog) {
		bpf_object__close(*obj);
		*obj = NULL;
		return err ?: -ENOENT;
	}
	return bpf_program__fd(prog);
}

/*
 * --link-to: attach each extension of @obj to the first program of @path
 * (BPF_LINK_CREATE with target_fd), at function @func (--link-func), else
 * the one its section names.  Return: 0, or a positive errno.
 */
static int gk_link(struct bpf_object *obj, const char *path, const char *func)
{
	struct bpf_object *other;
	struct bpf_program *prog;
	struct bpf_link *link;
	const char *name;
	int fd, err = 0;

	fd = gk_load_first(path, &other);
	if (fd < 0)
		return -fd;
	bpf_object__for_each_program(prog, obj) {
		if (bpf_program__type(prog) != BPF_PROG_TYPE_EXT)
			continue;
		name = func ?: strchr(bpf_program__section_name(prog), '/') + 1;
		link = bpf_program__attach_freplace(prog, fd, name);
		if (!link) {
			err = errno;
			break;
		}
		bpf_link__destroy(link);
	}
	bpf_object__close(other);
	return err;
}

/*
 * Load the loaded struct_ops program @prog again, with its instructions, as
 * the same member (by index) of kernel struct @st.  Return: 0 or an errno.
 */
static int gk_load_as_member(const struct bpf_program *prog, const char *st)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts,
		    .expected_attach_type = bpf_program__expected_attach_type(prog));
	struct btf *vmlinux = btf__load_vmlinux_btf();
	int id, fd;

	if (!vmlinux)
		return errno;
	id = btf__find_by_name_kind(vmlinux, st, BTF_KIND_STRUCT);
	btf__free(vmlinux);
	if (id < 0)
		return ENOENT;
	opts.attach_btf_id = id;
	fd = bpf_prog_load(BPF_PROG_TYPE_STRUCT_OPS, bpf_program__name(prog), "GPL",
			   bpf_program__insns(prog), bpf_program__insn_cnt(prog), &opts);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* Test-run program @name of the loaded @obj once; print "NAME RETVAL".  Return: 0 or an errno. */
static int gk_run(const struct bpf_object *obj, const char *name)
{
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, name);
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	unsigned char packet[64] = {};

	if (!prog)
		return ENOENT;
	if (bpf_program__type(prog) == BPF_PROG_TYPE_XDP) {
		opts.data_in = packet;
		opts.data_size_in = sizeof(packet);
	}
	if (bpf_prog_test_run_opts(bpf_program__fd(prog), &opts))
		return errno;
	printf("%s %d\n", name, (int)opts.retval);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "target", required_argument, NULL, 't' },
		{ "attach-to", required_argument, NULL, 'a' },
		{ "set", required_argument, NULL, 's' },
		{ "race-rodata", required_argument, NULL, 'r' },
		{ "merge-data", no_argument, NULL, 'm' },
		{ "unfrozen", no_argument, NULL, 'u' },
		{ "link-to", required_argument, NULL, 'l' },
		{ "link-func", required_argument, NULL, 'f' },
		{ "run", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct bpf_object *obj, *target = NULL;
	const char *target_path = NULL, *link_path = NULL, *link_func = NULL;
	char *retarget = NULL, *func = NULL;
	const char *set = NULL, *run[4];
	int runs = 0, i;
	struct bpf_program *prog, *restruct = NULL;
	int c, err, target_fd = -1, race = 0;
	bool merge = false, unfrozen = false;

	while ((c = getopt_long(argc, argv, "vht:a:s:r:mul:f:R:", opts, NULL)) != -1) {
		switch (c) {
		case 'v':
			verbose = true;
			break;
		case 't':
			target_path = optarg;
			break;
		case 'a':
			retarget = optarg;
			func = strchr(optarg, '=');
			if (!func) {
				fprintf(stderr, "gk-load: --attach-to takes PROG=FUNCTION\n");
				return 2;
			}
			*func++ = '\0';
			break;
		case 's':
			set = optarg;
			break;
		case 'r':
			race = atoi(optarg);
			break;
		case 'm':
			merge = true;
			break;
		case 'u':
			unfrozen = true;
			break;
		case 'l':
			link_path = optarg;
			break;
		case 'f':
			link_func = optarg;
			break;
		case 'R':
			if (runs == 4) {
				fprintf(stderr, "gk-load: at most 4 --run\n");
				return 2;
			}
			run[runs++] = optarg;
			break;
		case 'h':
			printf("Usage: gk-load [--verbose] [--target TARGET.bpf.o]\n"
			       "               [--attach-to PROG=FUNCTION] [--set VAR=VALUE]\n"
			       "               [--race-rodata N] [--merge-data] [--unfrozen]\n"
			       "               [--link-to OTHER.bpf.o [--link-func FUNCTION]] [--run PROG]...\n"
			       "               OBJECT.bpf.o\n"
			       "Load every program of OBJECT with libbpf, then unload them.\n"
			       "--target loads TARGET first, for OBJECT's freplace programs to\n"
			       "replace a function of its first program.  --attach-to aims\n"
			       "program PROG at kernel function FUNCTION instead of its section's\n"
			       "(a struct_ops PROG is loaded again as its member of struct FUNCTION).\n"
			       "--set sets a .rodata variable before load.  --race-rodata loads N\n"
			       "times while another thread swaps the .rodata map for one with\n"
			       "other contents (exit 3 if a program was admitted with it).\n"
			       "--merge-data gives .data and .bss one map; --unfrozen gives .rodata\n"
			       "an unfrozen copy of its image.  --link-to attaches the loaded\n"
			       "freplace programs to the first program of OTHER (BPF_LINK_CREATE),\n"
			       "at FUNCTION or the function their section names.  --run test-runs\n"
			       "PROG once loaded and prints \"PROG RETVAL\".\n"
			       "Exit status: 0 loaded, the errno of the failure otherwise\n"
			       "(1: EPERM), 255 for a libbpf error; 2 also for a usage error.\n"
			       "--verbose shows libbpf's log on stderr.\n");
			return 0;
		default:
			return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "gk-load: give one OBJECT (see gk-load --help)\n");
		return 2;
	}
	libbpf_set_print(gk_print);
	if (race > 0)
		return gk_race(argv[optind], race);

	if (target_path) {
		target_fd = gk_load_first(target_path, &target);
		if (target_fd < 0)
			return gk_failed("target load", -target_fd);
	}
	obj = bpf_object__open_file(argv[optind], NULL);
	if (!obj) {
		err = errno;
		bpf_object__close(target);
		return gk_failed("open", err);
	}
	err = set ? gk_set(obj, set) : 0;
	if (!err && merge)
		err = gk_merge_data(obj);
	if (!err && unfrozen)
		err = gk_unfrozen(obj);
	if (err) {
		bpf_object__close(obj);
		bpf_object__close(target);
		return gk_failed("setting up the maps", err);
	}
	bpf_object__for_each_program(prog, obj) {
		bool ext = target && bpf_program__type(prog) == BPF_PROG_TYPE_EXT;
		bool named = retarget && !strcmp(bpf_program__name(prog), retarget);

		if (ext)
			bpf_program__set_attach_target(prog, target_fd, named ? func : NULL);
		else if (named && bpf_program__type(prog) == BPF_PROG_TYPE_STRUCT_OPS)
			restruct = prog;
		else if (named && bpf_program__set_attach_target(prog, 0, func)) {
			bpf_object__close(obj);
			bpf_object__close(target);
			return gk_failed("--attach-to", EINVAL);
		}
	}
	err = bpf_object__load(obj);
	if (!err && restruct) {
		err = gk_load_as_member(restruct, func);
		if (err) {
			bpf_object__close(obj);
			bpf_object__close(target);
			return gk_failed("load as a member of another struct", err);
		}
	}
	for (i = 0; !err && i < runs; i++) {
		err = gk_run(obj, run[i]);
		if (err) {
			bpf_object__close(obj);
			bpf_object__close(target);
			return gk_failed("run", err);
		}
	}
	if (!err && link_path)
		err = gk_link(obj, link_path, link_func);
	bpf_object__close(obj);
	bpf_object__close(target);
	return err > 0 ? gk_failed("link", err) : err ? gk_failed("load", -err) : 0;
}
