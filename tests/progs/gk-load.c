// SPDX-License-Identifier: GPL-2.0
/*
 * gk-load: load a BPF object with plain libbpf, as any loader would, for
 * the kernel tests.  Exit 0 if every program loaded; otherwise print
 * "load failed: ENAME (description)" and exit with the errno (1 for EPERM,
 * a refusal by the gate), or 255 for a libbpf error that is no errno.
 * With --target, freplace programs replace the function their section
 * names in the first program of another object, loaded first.  With
 * --attach-to PROG=FUNCTION, program PROG is aimed at another kernel
 * function than its section names: the instructions stay the same.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
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

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "target", required_argument, NULL, 't' },
		{ "attach-to", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct bpf_object *obj, *target = NULL;
	const char *target_path = NULL;
	char *retarget = NULL, *func = NULL;
	struct bpf_program *prog;
	int c, err, target_fd = -1;

	while ((c = getopt_long(argc, argv, "vht:a:", opts, NULL)) != -1) {
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
		case 'h':
			printf("Usage: gk-load [--verbose] [--target TARGET.bpf.o]\n"
			       "               [--attach-to PROG=FUNCTION] OBJECT.bpf.o\n"
			       "Load every program of OBJECT with libbpf, then unload them.\n"
			       "--target loads TARGET first, for OBJECT's freplace programs to\n"
			       "replace a function of its first program.  --attach-to aims\n"
			       "program PROG at kernel function FUNCTION instead of its section's.\n"
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

	if (target_path) {
		target = bpf_object__open_file(target_path, NULL);
		if (!target)
			return gk_failed("open", errno);
		err = bpf_object__load(target);
		prog = bpf_object__next_program(target, NULL);
		if (err || !prog) {
			bpf_object__close(target);
			return gk_failed("target load", err ? -err : ENOENT);
		}
		target_fd = bpf_program__fd(prog);
	}
	obj = bpf_object__open_file(argv[optind], NULL);
	if (!obj) {
		err = errno;
		bpf_object__close(target);
		return gk_failed("open", err);
	}
	bpf_object__for_each_program(prog, obj) {
		if (target && bpf_program__type(prog) == BPF_PROG_TYPE_EXT)
			bpf_program__set_attach_target(prog, target_fd, NULL);
		if (retarget && !strcmp(bpf_program__name(prog), retarget) &&
		    bpf_program__set_attach_target(prog, 0, func)) {
			bpf_object__close(obj);
			bpf_object__close(target);
			return gk_failed("--attach-to", EINVAL);
		}
	}
	err = bpf_object__load(obj);
	bpf_object__close(obj);
	bpf_object__close(target);
	return err ? gk_failed("load", -err) : 0;
}
