// SPDX-License-Identifier: GPL-2.0
/*
 * eBPF GateKeeper: admit a BPF program only if a trusted key signed it.
 *
 * The module owns the .gatekeeper keyring and the securityfs interface from
 * insmod on; the gate itself is armed when the module goes live, because
 * the BPF verifier accepts a module's kfuncs only from then on.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/string.h>
#include "gatekeeper.h"
#include "active_policy.h"
#include "app.h"
#include "arm.h"
#include "attest.h"
#include "audit.h"
#include "fs.h"
#include "hooks.h"
#include "keyring.h"
#include "learn.h"
#include "measure.h"
#include "probes.h"
#include "store.h"
#include "compat.h"

enum gk_mode gk_mode = GK_MODE_ENFORCE;

static char *mode = "enforce";
module_param(mode, charp, 0400);
MODULE_PARM_DESC(mode, "initial mode: enforce (default) or audit");

static bool probes = true;
module_param(probes, bool, 0400);
MODULE_PARM_DESC(probes, "admit the loader probes of the catalogue without a signature (default 1)");

static int gk_module_notify(struct notifier_block *nb, unsigned long val,
			    void *data)
{
	if (data == THIS_MODULE && val == MODULE_STATE_LIVE)
		gk_arm();
	return NOTIFY_DONE;
}

static struct notifier_block gk_module_nb = {
	.notifier_call = gk_module_notify,
};

static int __init gk_init(void)
{
	int err;

	if (!strcmp(mode, "audit")) {
		gk_mode = GK_MODE_AUDIT;
	} else if (strcmp(mode, "enforce")) {
		pr_err("mode=%s: must be enforce or audit\n", mode);
		return -EINVAL;
	}

	err = gk_probes_init(probes);
	if (err)
		return err;
	err = gk_log_init();
	if (err)
		return err;
	err = gk_store_init();
	if (err)
		goto out_log;
	err = gk_measure_init();
	if (err)
		goto out_store;
	err = gk_keyring_init(gk_locked);
	if (err)
		goto out_measure;
	err = gk_fs_init();
	if (err)
		goto out_keyring;
	err = gk_kfuncs_register() ?: gk_attest_kfuncs_register();
	if (err) {
		pr_err("cannot register kfuncs (error %d): is module BTF present?\n", err);
		goto out_fs;
	}
	err = register_module_notifier(&gk_module_nb);
	if (err)
		goto out_fs;
	return 0;

out_fs:
	gk_fs_exit();
out_keyring:
	gk_keyring_exit();
out_measure:
	gk_measure_exit();
out_store:
	gk_store_exit();
out_log:
	gk_log_exit();
	return err;
}

static void __exit gk_exit(void)
{
	unregister_module_notifier(&gk_module_nb);
	gk_fs_exit();
	gk_arm_exit();
	gk_learn_exit();
	gk_store_exit();
	gk_policy_exit();
	gk_app_exit();
	gk_keyring_exit();
	gk_measure_exit();
	gk_log_exit();
}

module_init(gk_init);
module_exit(gk_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("eBPF GateKeeper developers");
MODULE_DESCRIPTION("Admit eBPF programs only if signed by a trusted key");
MODULE_VERSION(GK_VERSION);
