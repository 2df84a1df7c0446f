// SPDX-License-Identifier: GPL-2.0
/*
 * securityfs interface, /sys/kernel/security/gatekeeper/:
 *   status      state, hook, mode, counters (read)
 *   mode        "enforce" or "audit" (read, write)
 *   keyring     serial of the .gatekeeper keyring (read)
 *   signatures  registered manifests (read); a bundle per write()
 *   disarm      write "1" to detach the gate
 * Writes need CAP_MAC_ADMIN; a rejected write changes nothing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/key.h>
#include <linux/security.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "gatekeeper.h"

#define GK_CTL_MAX 16	/* longest accepted word for mode and disarm */

static struct dentry *gk_dir;
static struct dentry *gk_files[5];

static const char *const gk_state_names[] = {
	[GK_ARMING] = "arming",
	[GK_ARMED] = "armed",
	[GK_ARM_FAILED] = "failed",
	[GK_DISARMED] = "disarmed",
};

static int gk_status_show(struct seq_file *m, void *v)
{
	enum gk_arm_state state = gk_arm_state();
	struct gk_stats s;

	gk_stats_read(&s);
	seq_printf(m, "state: %s\n", gk_state_names[state]);
	if (state == GK_ARM_FAILED)
		seq_printf(m, "error: %s\n", gk_arm_error());
	seq_printf(m, "hook: %s\n", gk_hook_name());
	seq_printf(m, "mode: %s\n", READ_ONCE(gk_mode) == GK_MODE_AUDIT ? "audit" : "enforce");
	seq_printf(m, "keyring: %d\n", key_serial(gk_keyring));
	seq_printf(m, "signatures: %u\n", gk_store_count());
	seq_printf(m, "allowed: %llu\ndenied: %llu\naudited: %llu\n",
		   s.allowed, s.denied, s.audited);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(gk_status);

static int gk_keyring_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%d\n", key_serial(gk_keyring));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(gk_keyring);

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

static ssize_t gk_mode_read(struct file *f, char __user *ubuf, size_t len,
			    loff_t *ppos)
{
	const char *s = READ_ONCE(gk_mode) == GK_MODE_AUDIT ? "audit\n" : "enforce\n";

	return simple_read_from_buffer(ubuf, len, ppos, s, strlen(s));
}

static ssize_t gk_mode_write(struct file *f, const char __user *ubuf,
			     size_t len, loff_t *ppos)
{
	char word[GK_CTL_MAX];
	int err;

	err = gk_read_word(ubuf, len, ppos, word);
	if (err)
		return err;
	if (sysfs_streq(word, "enforce"))
		WRITE_ONCE(gk_mode, GK_MODE_ENFORCE);
	else if (sysfs_streq(word, "audit"))
		WRITE_ONCE(gk_mode, GK_MODE_AUDIT);
	else
		return -EINVAL;
	pr_notice("mode set to %s by %s (pid %d)\n", strim(word), current->comm,
		  task_tgid_nr(current));
	return len;
}

static const struct file_operations gk_mode_fops = {
	.read = gk_mode_read,
	.write = gk_mode_write,
	.llseek = generic_file_llseek,
};

static ssize_t gk_disarm_write(struct file *f, const char __user *ubuf,
			       size_t len, loff_t *ppos)
{
	char word[GK_CTL_MAX];
	int err;

	err = gk_read_word(ubuf, len, ppos, word);
	if (err)
		return err;
	if (!sysfs_streq(word, "1"))
		return -EINVAL;
	err = gk_disarm();
	return err ? err : len;
}

static const struct file_operations gk_disarm_fops = {
	.write = gk_disarm_write,
	.llseek = generic_file_llseek,
};

static int gk_signatures_show(struct seq_file *m, void *v)
{
	return gk_store_show(m);
}

static int gk_signatures_open(struct inode *inode, struct file *f)
{
	return single_open(f, gk_signatures_show, NULL);
}

/* A bundle must arrive in one write() at offset 0. */
static ssize_t gk_signatures_write(struct file *f, const char __user *ubuf,
				   size_t len, loff_t *ppos)
{
	u8 *buf;
	int err;

	if (!capable(CAP_MAC_ADMIN))
		return -EPERM;
	if (*ppos)
		return -EINVAL;
	if (len > GK_BUNDLE_MAX_SIZE)
		return -EFBIG;
	buf = vmemdup_user(ubuf, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	err = gk_store_add_bundle(buf, len);
	kvfree(buf);
	if (err < 0) {
		pr_notice("bundle rejected (error %d) from %s (pid %d)\n", err,
			  current->comm, task_tgid_nr(current));
		return err;
	}
	pr_info("bundle registered: %d signature(s)\n", err);
	return len;
}

static const struct file_operations gk_signatures_fops = {
	.open = gk_signatures_open,
	.read = seq_read,
	.write = gk_signatures_write,
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
	} files[] = {
		{ "status", 0444, &gk_status_fops },
		{ "mode", 0600, &gk_mode_fops },
		{ "keyring", 0444, &gk_keyring_fops },
		{ "signatures", 0600, &gk_signatures_fops },
		{ "disarm", 0200, &gk_disarm_fops },
	};
	int i;

	BUILD_BUG_ON(ARRAY_SIZE(files) != ARRAY_SIZE(gk_files));
	gk_dir = securityfs_create_dir("gatekeeper", NULL);
	if (IS_ERR(gk_dir))
		return PTR_ERR(gk_dir);
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		gk_files[i] = securityfs_create_file(files[i].name, files[i].mode,
						     gk_dir, NULL, files[i].fops);
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
