/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command line of every tool, in bpftool's shape:
 *
 *   TOOL [OPTIONS] COMMAND [ARGS]
 *
 * with commands from tables, and the global options (-j/--json,
 * -h/--help, -V/--version, and -v/--verbose in the tools that use libbpf)
 * accepted before the command and by every command, anywhere among its
 * arguments.  Exit codes are output.h's: 0 done, 1 failed, 2 usage.
 */
#ifndef GK_LIB_CLI_H
#define GK_LIB_CLI_H

#include <getopt.h>	/* optind: where a command's arguments start */
#include <stdbool.h>

struct gk_cmd {
	const char *name;	/* NULL ends a table; its fn, if any, is the default */
	int (*fn)(int argc, char **argv);
};

/*
 * An option of one command besides the global ones: a flag (@flag set to
 * true) or an option with an argument (@arg set to it).
 */
struct gk_opt {
	const char *name;	/* long name, without "--" */
	char short_name;	/* 0: none */
	const char **arg;
	bool *flag;
};

/* Set by --verbose: libbpf's messages on stderr. */
extern bool gk_verbose;

int gk_main(int argc, char **argv, const struct gk_cmd *cmds, const char *help, bool verbose);
int gk_dispatch(const struct gk_cmd *cmds, int argc, char **argv, const char *cmd,
		const char *help);
int gk_opts(int argc, char **argv, const char *cmd, const char *help,
	    const struct gk_opt *extra, int min, int max);
void gk_libbpf_init(void);
const char *gk_tool_version(void);

#endif /* GK_LIB_CLI_H */
