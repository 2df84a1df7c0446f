// SPDX-License-Identifier: GPL-2.0
/*
 * Options and commands, parsed the same way in every tool.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "output.h"

bool gk_verbose;

/* Whether this tool takes --verbose: only the ones libbpf speaks in. */
static bool gk_has_verbose;

#define GK_OPTS_MAX 16

/* The release of the tools, as --version prints it: VERSION, as MODULE_VERSION. */
const char *gk_tool_version(void)
{
	return GK_VERSION;
}

static void gk_version(void)
{
	if (gk_json)
		gk_json_print(json_pack("{s:s, s:s}", "name", program_invocation_short_name,
					"version", GK_VERSION));
	else
		printf("%s %s\n", program_invocation_short_name, GK_VERSION);
}

/**
 * gk_opts() - parse the options of a command and count its arguments
 * @argc: the command's words, @argv[0] its name
 * @argv: them
 * @cmd: how usage errors name the command ("gkctl policy sign")
 * @help: what --help prints
 * @extra: the command's own options, ended by one without a name; may be NULL
 * @min: fewest arguments
 * @max: most arguments
 *
 * The global options are parsed with the command's, wherever they are,
 * and --json applies to the whole command line: every option is parsed
 * before anything is printed.  Then the first of --help (the usage on
 * stdout), --version and a usage error decides; a usage error is
 * reported, with --json as JSON.
 *
 * Return: -1 to go on with the arguments at optind, or the exit code.
 */
int gk_opts(int argc, char **argv, const char *cmd, const char *help,
	    const struct gk_opt *extra, int min, int max)
{
	struct option opts[GK_OPTS_MAX + 5] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
	};
	char shortopts[3 * GK_OPTS_MAX + 8] = ":jhV";
	char *why = NULL;
	size_t n = 3, i;
	int c, first = 0, ret;

	if (gk_has_verbose) {
		opts[n++] = (struct option){ "verbose", no_argument, NULL, 'v' };
		strcat(shortopts, "v");
	}
	for (i = 0; extra && extra[i].name && i < GK_OPTS_MAX; i++, n++) {
		opts[n].name = extra[i].name;
		opts[n].has_arg = extra[i].arg ? required_argument : no_argument;
		opts[n].val = extra[i].short_name ? extra[i].short_name : 0x100 + (int)i;
		if (extra[i].short_name) {
			size_t l = strlen(shortopts);

			shortopts[l] = extra[i].short_name;
			shortopts[l + 1] = extra[i].arg ? ':' : '\0';
			shortopts[l + 2] = '\0';
		}
	}
	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			gk_json = true;
			continue;
		case 'v':
			gk_verbose = true;
			continue;
		case 'h':
		case 'V':
			first = first ?: c;
			continue;
		case ':':
		case '?':
			if (first)
				continue;
			first = c;
			if (asprintf(&why, c == ':' ? "option %s needs an argument" :
				     "unknown option %s", argv[optind - 1]) < 0)
				why = NULL;
			continue;
		}
		for (i = 0; extra && extra[i].name; i++) {
			if (c != (extra[i].short_name ? extra[i].short_name : 0x100 + (int)i))
				continue;
			if (extra[i].arg)
				*extra[i].arg = optarg;
			else
				*extra[i].flag = true;
			break;
		}
	}
	switch (first) {
	case 'h':
		fputs(help, stdout);
		return GK_EXIT_OK;
	case 'V':
		gk_version();
		return GK_EXIT_OK;
	case ':':
	case '?':
		ret = gk_usage_err(cmd, "%s", why ? why : "usage error");
		free(why);
		return ret;
	}
	if (argc - optind < min)
		return gk_usage_err(cmd, "missing argument");
	if (argc - optind > max)
		return gk_usage_err(cmd, "unexpected argument %s", argv[optind + max]);
	return -1;
}

/* Take @arg if it is --json or --verbose: the global options that do not end a command line. */
static bool gk_global_opt(const char *arg)
{
	if (!strcmp(arg, "-j") || !strcmp(arg, "--json"))
		gk_json = true;
	else if (gk_has_verbose && (!strcmp(arg, "-v") || !strcmp(arg, "--verbose")))
		gk_verbose = true;
	else
		return false;
	return true;
}

/**
 * gk_dispatch() - run the command @argv[0] names
 * @cmds: the commands; the fn of the entry that ends the table, if any,
 *        takes command lines that name none (gk-sign's signing)
 * @argc: the words from the command on
 * @argv: them
 * @cmd: what they are the commands of ("gkctl", "gkctl policy")
 * @help: the usage, for --help without a command
 *
 * --json and --verbose before the command apply to it; any other option
 * there is the default command's, or ends the command line (--help,
 * --version, a usage error).
 *
 * Return: the command's exit code, or GK_EXIT_USAGE.
 */
int gk_dispatch(const struct gk_cmd *cmds, int argc, char **argv, const char *cmd,
		const char *help)
{
	int ret;

	for (; argc > 0 && gk_global_opt(argv[0]); argc--, argv++)
		;
	for (; cmds->name; cmds++)
		if (argc > 0 && !strcmp(argv[0], cmds->name))
			return cmds->fn(argc, argv);
	/* @argv[-1], the word before, stands for the command's name. */
	if (cmds->fn)
		return cmds->fn(argc + 1, argv - 1);
	if (argc < 1 || argv[0][0] == '-') {
		/* Only options: --help, --version, or an error. */
		ret = gk_opts(argc + 1, argv - 1, cmd, help, NULL, 0, 0);
		return ret >= 0 ? ret : gk_usage_err(cmd, "missing command");
	}
	return gk_usage_err(cmd, "unknown command %s", argv[0]);
}

/**
 * gk_main() - a tool's command line
 * @argc: main()'s
 * @argv: main()'s
 * @cmds: the tool's commands, as gk_dispatch() takes them
 * @help: the tool's usage
 * @verbose: the tool takes --verbose (it uses libbpf: gk_libbpf_init())
 *
 * Return: the exit code.
 */
int gk_main(int argc, char **argv, const struct gk_cmd *cmds, const char *help, bool verbose)
{
	gk_has_verbose = verbose;
	return gk_dispatch(cmds, argc - 1, argv + 1, program_invocation_short_name, help);
}
