// SPDX-License-Identifier: GPL-2.0
/*
 * securityfs interface, /sys/kernel/security/gatekeeper/:
 *   status      state, hook, mode, counters (read)
 *   mode        "enforce" or "audit" (read, write)
 *   keyring     serial of the .gatekeeper keyring (read)
 *   signatures  registered manifests (read); a bundle per write()
 *   disarm      write "1" to detach the gate
 *   policy      the active policy (read); a signed policy per write()
 *   admin_keyring  serial of the .gatekeeper_admin keyring (read)
 *   verifier_keyring  serial of the .gatekeeper_verifier keyring (read)
 *   probes      "1" while the probe catalogue is trusted, else "0" (read, write)
 *   lock        "0" or "1" (read); write "1" to lock until reboot
 *   log         the decision log (read)
 *   programs    how each program loaded since arming was admitted (read)
 *   learn       what the last learning session recorded (read); write
 *               "start SECONDS" to start one, owned by the open file,
 *               and "stop" (or close the file) to end it
 *   attest_nonce  a fresh one-time nonce, hex, at each open (read)
 *   attest_result  an attestation result envelope per write()
 * Writes need CAP_MAC_ADMIN; a rejected write changes nothing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/key.h>
#include <linux/module.h>
#include <linux/security.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "fs.h"
#include "gatekeeper.h"
#include "active_policy.h"
#include "arm.h"
#include "attest.h"
#include "audit.h"
#include "hooks.h"
#include "inventory.h"
#include "keyring.h"
#include "learn.h"
#include "measure.h"
#include "probes.h"
#include "store.h"
#include "gk_attest_format.h"
#include "gk_format.h"

#define GK_CTL_MAX 16	/* longest accepted word for mode and disarm */

static struct dentry *gk_dir;
static struct dentry *gk_files[18];

static const char *const gk_state_names[] = {
	[GK_ARMING] = "arming",
	[GK_ARMED] = "armed",
	[GK_ARM_FAILED] = "failed",
	[GK_DISARMED] = "disarmed",
	[GK_BYPASSED] = "bypassed",
};

static int gk_status_show(struct seq_file *m, void *v)
{
	enum gk_arm_state state;
	struct gk_stats s;

	gk_watch_now();
	state = gk_arm_state();
	gk_stats_read(&s);
	seq_printf(m, "state: %s\n", gk_state_names[state]);
	if (state == GK_ARM_FAILED || state == GK_BYPASSED)
		seq_printf(m, "error: %s\n", gk_arm_error());
	seq_printf(m, "hook: %s\n", gk_hook_name());
	seq_printf(m, "mode: %s\n", READ_ONCE(gk_mode) == GK_MODE_AUDIT ? "audit" : "enforce");
	seq_printf(m, "locked: %s\n", gk_locked() ? "yes" : "no");
	rcu_read_lock();
	seq_printf(m, "probes: %s\n", gk_policy_refuses_probes() ? "refused (policy)" :
		   gk_probes_trusted() ? "trusted" : "refused");
	rcu_read_unlock();
	gk_policy_status(m);
	seq_printf(m, "keyring: %d\n", key_serial(gk_keyring));
	seq_printf(m, "admin_keyring: %d\n", key_serial(gk_admin_keyring));
	seq_printf(m, "verifier_keyring: %d\n", key_serial(gk_verifier_keyring));
	seq_printf(m, "signatures: %u\n", gk_store_count());
	seq_printf(m, "allowed: %llu\ndenied: %llu\naudited: %llu\n",
		   s.allowed, s.denied, s.audited);
	seq_printf(m, "audit_suppressed: %llu\n", gk_audit_suppressed_count());
	gk_learn_status(m);
	gk_attest_status(m);
	gk_measure_status(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(gk_status);

/* The keyring files: the serial of the keyring the inode's data points at. */
static int gk_serial_show(struct seq_file *m, void *v)
{
	struct key *const *keyring = m->private;

	seq_printf(m, "%d\n", key_serial(*keyring));
	return 0;
}

static int gk_serial_open(struct inode *inode, struct file *file)
{
	return single_open(file, gk_serial_show, inode->i_private);
}

static const struct file_operations gk_serial_fops = {
	.owner = THIS_MODULE,
	.open = gk_serial_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

static int gk_log_file_show(struct seq_file *m, void *v)
{
	return gk_log_show(m);
}
DEFINE_SHOW_ATTRIBUTE(gk_log_file);

static int gk_programs_show(struct seq_file *m, void *v)
{
	return gk_inventory_show(m);
}
DEFINE_SHOW_ATTRIBUTE(gk_programs);

/* Copy a short control word; trailing newline allowed. */
static int gk_read_word(const char __user *ubuf, size_t len, loff_t *ppos,
			char *word)
{
	if (!capable(CAP_MAC_ADMIN))
		return -EPERM;
	if (*ppos)
		return -EINVAL;
	if (!len || len >= GK_CTL_MAX)
		return -EINVAL;
	if (copy_from_user(word, ubuf, len))
		return -EFAULT;
	word[len] = '\0';
	return 0;
}

static bool gk_audit_on(void)
{
	return READ_ONCE(gk_mode) == GK_MODE_AUDIT;
}

static int gk_set_audit(bool audit)
{
	int err = gk_set_mode(audit ? GK_MODE_AUDIT : GK_MODE_ENFORCE);

	if (!err)
		pr_notice("mode set to %s by %s (pid %d)\n", audit ? "audit" : "enforce",
			  current->comm, task_tgid_nr(current));
	return err;
}

static int gk_disarm_on(bool on)
{
	return gk_disarm();
}

static int gk_lock_on(bool on)
{
	return gk_lock();
}

/*
 * A switch file: reads as the word for its state (@get; none: write-only),
 * takes @on, or @off unless it is @one_way, and hands the choice to @set.
 */
struct gk_switch {
	const char *on, *off;
	bool one_way;
	bool (*get)(void);
	int (*set)(bool on);
};

static const struct gk_switch gk_mode_switch = {
	.on = "audit", .off = "enforce", .get = gk_audit_on, .set = gk_set_audit,
};
static const struct gk_switch gk_disarm_switch = { .on = "1", .one_way = true, .set = gk_disarm_on };
static const struct gk_switch gk_lock_switch = {
	.on = "1", .off = "0", .one_way = true, .get = gk_locked, .set = gk_lock_on,
};
static const struct gk_switch gk_probes_switch = {
	.on = "1", .off = "0", .get = gk_probes_trusted, .set = gk_probes_trust,
};

static ssize_t gk_switch_read(struct file *f, char __user *ubuf, size_t len,
			      loff_t *ppos)
{
	const struct gk_switch *sw = file_inode(f)->i_private;
	char buf[GK_CTL_MAX];
	int n;

	if (!sw->get)
		return -EINVAL;
	n = scnprintf(buf, sizeof(buf), "%s\n", sw->get() ? sw->on : sw->off);
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static ssize_t gk_switch_write(struct file *f, const char __user *ubuf,
			       size_t len, loff_t *ppos)
{
	const struct gk_switch *sw = file_inode(f)->i_private;
	char word[GK_CTL_MAX];
	bool on;
	int err;

	err = gk_read_word(ubuf, len, ppos, word);
	if (err)
		return err;
	if (sysfs_streq(word, sw->on))
		on = true;
	else if (!sw->one_way && sysfs_streq(word, sw->off))
		on = false;
	else
		return -EINVAL;
	err = sw->set(on);
	return err ? err : len;
}

static const struct file_operations gk_switch_fops = {
	.owner = THIS_MODULE,
	.read = gk_switch_read,
	.write = gk_switch_write,
	.llseek = generic_file_llseek,
};

static int gk_learn_file_show(struct seq_file *m, void *v)
{
	return gk_learn_show(m);
}

static int gk_learn_open(struct inode *inode, struct file *f)
{
	return single_open(f, gk_learn_file_show, NULL);
}

/* "start SECONDS" or "stop"; the session belongs to this open file. */
static ssize_t gk_learn_write(struct file *f, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	char word[GK_CTL_MAX];
	unsigned int seconds;
	int err;

	err = gk_read_word(ubuf, len, ppos, word);
	if (err)
		return err;
	if (sysfs_streq(word, "stop"))
		err = gk_learn_stop(f, "stopped");
	else if (!strncmp(word, "start ", 6) && !kstrtouint(word + 6, 10, &seconds))
		err = gk_learn_start(f, seconds);
	else
		return -EINVAL;
	return err ? err : len;
}

static int gk_learn_release(struct inode *inode, struct file *f)
{
	gk_learn_stop(f, "closed");
	return single_release(inode, f);
}

static const struct file_operations gk_learn_fops = {
	.owner = THIS_MODULE,
	.open = gk_learn_open,
	.read = seq_read,
	.write = gk_learn_write,
	.llseek = seq_lseek,
	.release = gk_learn_release,
};

/* Bundles and policies arrive whole, in one write() at offset 0. */
static ssize_t gk_write_blob(const char __user *ubuf, size_t len, loff_t *ppos,
			     size_t max, int (*take)(const u8 *buf, size_t len),
			     const char *what)
{
	u8 *buf;
	int err;

	if (!capable(CAP_MAC_ADMIN))
		return -EPERM;
	if (*ppos)
		return -EINVAL;
	if (len > max)
		return -EFBIG;
	buf = vmemdup_user(ubuf, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	err = take(buf, len);
	kvfree(buf);
	if (err < 0) {
		pr_notice("%s rejected (error %d) from %s (pid %d)\n", what, err,
			  current->comm, task_tgid_nr(current));
		return err;
	}
	return len;
}

static int gk_attest_nonce_show(struct seq_file *m, void *v)
{
	u8 nonce[32];

	gk_attest_nonce(nonce);
	seq_printf(m, "%*phN\n", (int)sizeof(nonce), nonce);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(gk_attest_nonce);

static int gk_take_bundle(const u8 *buf, size_t len)
{
	int n = gk_store_add_bundle(buf, len);

	if (n > 0)
		pr_info("bundle registered: %d signature(s)\n", n);
	return n;
}

static int gk_take_removal(const u8 *buf, size_t len)
{
	char detail[96];	/* "key HEX removed=N" */
	int n = gk_store_remove(buf, len);

	if (n > 0) {
		snprintf(detail, sizeof(detail), "%.*s removed=%d",
			 (int)(len && buf[len - 1] == '\n' ? len - 1 : len), buf, n);
		gk_audit_change("sig_remove", detail);
		pr_info("signatures removed: %s\n", detail);
	}
	return n;
}

/* Files that take a whole signed object per write() and may show state. */
struct gk_blob_file {
	const char *what;
	size_t max;
	int (*take)(const u8 *buf, size_t len);
	int (*show)(struct seq_file *m);
};

static const struct gk_blob_file gk_signatures_file = {
	"bundle", GK_BUNDLE_MAX_SIZE, gk_take_bundle, gk_store_show,
};

/* "digest HEX\n" or "key HEX\n": 4 + 64 + 2 bytes at the most. */
static const struct gk_blob_file gk_unregister_file = {
	"removal", 72, gk_take_removal, NULL,
};

static const struct gk_blob_file gk_policy_file = {
	"policy", GK_SPOLICY_MAX_SIZE, gk_policy_load, gk_policy_show,
};

static const struct gk_blob_file gk_attest_result_file = {
	"attestation result",
	sizeof(struct gk_attest_envelope_hdr) + GK_ATTEST_RESULT_SIZE + GK_ATTEST_SIG_MAX,
	gk_attest_load, NULL,
};

static int gk_blob_show(struct seq_file *m, void *v)
{
	const struct gk_blob_file *b = m->private;

	return b->show ? b->show(m) : 0;
}

static int gk_blob_open(struct inode *inode, struct file *f)
{
	return single_open(f, gk_blob_show, inode->i_private);
}

static ssize_t gk_blob_write(struct file *f, const char __user *ubuf,
			     size_t len, loff_t *ppos)
{
	const struct gk_blob_file *b = file_inode(f)->i_private;

	return gk_write_blob(ubuf, len, ppos, b->max, b->take, b->what);
}

static const struct file_operations gk_blob_fops = {
	.owner = THIS_MODULE,
	.open = gk_blob_open,
	.read = seq_read,
	.write = gk_blob_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/**
 * gk_fs_init() - create /sys/kernel/security/gatekeeper/
 *
 * Context: module init.
 * Return: 0 or the securityfs error.
 */
int gk_fs_init(void)
{
	static const struct {
		const char *name;
		umode_t mode;
		const struct file_operations *fops;
		const void *data;
	} files[] = {
		{ "status", 0444, &gk_status_fops },
		{ "mode", 0600, &gk_switch_fops, &gk_mode_switch },
		{ "keyring", 0444, &gk_serial_fops, &gk_keyring },
		{ "signatures", 0600, &gk_blob_fops, &gk_signatures_file },
		{ "disarm", 0200, &gk_switch_fops, &gk_disarm_switch },
		{ "policy", 0600, &gk_blob_fops, &gk_policy_file },
		{ "admin_keyring", 0444, &gk_serial_fops, &gk_admin_keyring },
		{ "verifier_keyring", 0444, &gk_serial_fops, &gk_verifier_keyring },
		{ "probes", 0600, &gk_switch_fops, &gk_probes_switch },
		{ "lock", 0600, &gk_switch_fops, &gk_lock_switch },
		{ "log", 0400, &gk_log_file_fops },
		{ "programs", 0400, &gk_programs_fops },
		{ "learn", 0600, &gk_learn_fops },
		{ "attest_nonce", 0400, &gk_attest_nonce_fops },
		{ "attest_result", 0200, &gk_blob_fops, &gk_attest_result_file },
		{ "unregister", 0200, &gk_blob_fops, &gk_unregister_file },
		{ "measurements", 0440, &gk_measure_fops },
		{ "measurements.txt", 0440, &gk_measure_fops, "text" },
	};
	int i;

	BUILD_BUG_ON(ARRAY_SIZE(files) != ARRAY_SIZE(gk_files));
	gk_dir = securityfs_create_dir("gatekeeper", NULL);
	if (IS_ERR(gk_dir))
		return PTR_ERR(gk_dir);
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		gk_files[i] = securityfs_create_file(files[i].name, files[i].mode, gk_dir,
						     (void *)files[i].data, files[i].fops);
		if (IS_ERR(gk_files[i])) {
			int err = PTR_ERR(gk_files[i]);

			gk_files[i] = NULL;
			gk_fs_exit();
			return err;
		}
	}
	return 0;
}

void gk_fs_exit(void)
{
	int i;

	for (i = ARRAY_SIZE(gk_files) - 1; i >= 0; i--) {
		securityfs_remove(gk_files[i]);
		gk_files[i] = NULL;
	}
	securityfs_remove(gk_dir);
}
