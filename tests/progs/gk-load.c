// SPDX-License-Identifier: GPL-2.0
/*
 * gk-load: load a BPF object with plain libbpf, as any loader would, for
 * the kernel tests.  Exit 0 if every program loaded; otherwise print
 * "load failed: ENAME (description)" and exit with the errno (1 for EPERM,
 * a refusal by the gate), or 255 for a libbpf error that is no errno.
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
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct bpf_object *obj;
	int c, err;

	while ((c = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (c) {
		case 'v':
			verbose = true;
			break;
		case 'h':
			printf("Usage: gk-load [--verbose] OBJECT.bpf.o\n"
			       "Load every program of OBJECT with libbpf, then unload them.\n"
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

	obj = bpf_object__open_file(argv[optind], NULL);
	if (!obj)
		return gk_failed("open", errno);
	err = bpf_object__load(obj);
	bpf_object__close(obj);
	return err ? gk_failed("load", -err) : 0;
}
