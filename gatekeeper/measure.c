// SPDX-License-Identifier: GPL-2.0
/*
 * The measurement log: every change of what the gate trusts and the first
 * admission of each program, in order, each extended into a TPM PCR before
 * it takes effect (core/gk_mlog_format.h, docs/formats.md).  A relying party
 * replays the log against a quote of that PCR (gk-verify ebpf): an event
 * can be added to the PCR by anyone who can reach the TPM, but none of the
 * gate's can be left out or changed.
 *
 * A measurement that cannot be made refuses what it measures: the caller
 * gets an error before it changes anything.  The TPM is the kernel's
 * default chip, extended through tpm_pcr_extend() in every allocated bank
 * (each bank's digest of the event is computed with its own algorithm), as
 * IMA does.  tpm=auto (the default) runs with the log alone where the
 * platform has no TPM, tpm=required refuses to load then, tpm=off never
 * extends; "gkctl status" says which.  In a TDX guest on 6.16 and later,
 * rtmr=2|3 also extends each event's SHA-384 into that runtime measurement
 * register (untested here: QEMU has no TDX).
 *
 * Events are kept in pages, never freed before the module is unloaded:
 * the log is append-only for the module's lifetime.  One mutex orders
 * appends (and their extends) and readers.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/hash.h>
#include <crypto/hash_info.h>
#include <linux/jhash.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rhashtable.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/tpm.h>
#include <linux/utsname.h>
#include <linux/xarray.h>
#include "measure.h"
#include "compat.h"
#include "gk_format.h"
#include "gk_mlog_format.h"

#define GK_MLOG_PER_PAGE (PAGE_SIZE / GK_MLOG_EVENT_SIZE)

static char *tpm = "auto";
module_param(tpm, charp, 0400);
MODULE_PARM_DESC(tpm, "measure into the TPM: auto (if there is one; default), required, off");

static unsigned int pcr = 14;
module_param(pcr, uint, 0400);
MODULE_PARM_DESC(pcr, "the TPM PCR the measurement log is extended into (default 14)");

static unsigned int log_max = GK_MLOG_EVENTS_MAX;
module_param(log_max, uint, 0400);
MODULE_PARM_DESC(log_max, "events the measurement log holds; then every change and new admission is refused (default and most 1048576)");

static int rtmr = -1;
module_param(rtmr, int, 0400);
MODULE_PARM_DESC(rtmr, "also extend each event into this TDX RTMR, 2 or 3 (a TDX guest, kernel 6.16+); default -1: none");

static struct tpm_chip *gk_tpm;		/* NULL: the log alone */
static struct crypto_shash *gk_rtmr_tfm;	/* SHA-384, with rtmr= */
static u8 *gk_rtmr_data;		/* 64-byte aligned, for the TDCALL */
static struct crypto_shash **gk_bank_tfm;	/* one per allocated bank */
static struct tpm_digest *gk_bank_digest;	/* room for one extend */

static DEFINE_MUTEX(gk_mlog_lock);
static DEFINE_XARRAY(gk_mlog_pages);	/* page index -> GK_MLOG_PER_PAGE events */
static u32 gk_mlog_n;			/* events in the log */
static u64 gk_mlog_refused;		/* measurements that failed */

/*
 * Event @i, or NULL past the pages.  Context: gk_mlog_lock held, or an
 * event already in the log (events never change or leave it).
 */
static struct gk_mlog_event *gk_mlog_at(u32 i)
{
	struct gk_mlog_event *page = xa_load(&gk_mlog_pages, i / GK_MLOG_PER_PAGE);

	return page ? &page[i % GK_MLOG_PER_PAGE] : NULL;
}

/*
 * Events measured once (gk_measure_once()), by where they are in the log:
 * a table that grows with the log, so that the check costs the same with
 * 10 or 1,000,000 events.  Two events are the same if they differ at most
 * in seq and time.  Looked up without a lock (an event is taken in only
 * once it is in the log, and never changes or leaves it); changed under
 * gk_mlog_lock.
 */
struct gk_mlog_seen {
	struct rhash_head node;
	u32 seq;
};

/* What tells two events apart: their bytes but seq and time. */
#define GK_MLOG_KIND_OFF offsetof(struct gk_mlog_event, type)
#define GK_MLOG_KIND_LEN (offsetof(struct gk_mlog_event, time) - GK_MLOG_KIND_OFF)
#define GK_MLOG_BODY_OFF offsetof(struct gk_mlog_event, value)
#define GK_MLOG_BODY_LEN (GK_MLOG_EVENT_SIZE - GK_MLOG_BODY_OFF)

static u32 gk_mlog_identity_hash(const struct gk_mlog_event *ev, u32 seed)
{
	const u8 *p = (const u8 *)ev;

	BUILD_BUG_ON(GK_MLOG_KIND_OFF != sizeof(ev->seq) ||
		     GK_MLOG_BODY_OFF != offsetof(struct gk_mlog_event, time) + sizeof(ev->time));
	return jhash(p + GK_MLOG_BODY_OFF, GK_MLOG_BODY_LEN,
		     jhash(p + GK_MLOG_KIND_OFF, GK_MLOG_KIND_LEN, seed));
}

static bool gk_mlog_same(const struct gk_mlog_event *a, const struct gk_mlog_event *b)
{
	const u8 *p = (const u8 *)a, *q = (const u8 *)b;

	return !memcmp(p + GK_MLOG_KIND_OFF, q + GK_MLOG_KIND_OFF, GK_MLOG_KIND_LEN) &&
	       !memcmp(p + GK_MLOG_BODY_OFF, q + GK_MLOG_BODY_OFF, GK_MLOG_BODY_LEN);
}

static u32 gk_mlog_seen_hash(const void *ev, u32 len, u32 seed)
{
	return gk_mlog_identity_hash(ev, seed);
}

static u32 gk_mlog_seen_obj_hash(const void *seen, u32 len, u32 seed)
{
	return gk_mlog_identity_hash(gk_mlog_at(((const struct gk_mlog_seen *)seen)->seq), seed);
}

static int gk_mlog_seen_cmp(struct rhashtable_compare_arg *arg, const void *seen)
{
	return !gk_mlog_same(arg->key, gk_mlog_at(((const struct gk_mlog_seen *)seen)->seq));
}

static const struct rhashtable_params gk_mlog_seen_params = {
	.key_len = GK_MLOG_EVENT_SIZE,
	.head_offset = offsetof(struct gk_mlog_seen, node),
	.hashfn = gk_mlog_seen_hash,
	.obj_hashfn = gk_mlog_seen_obj_hash,
	.obj_cmpfn = gk_mlog_seen_cmp,
};

static struct rhashtable gk_mlog_seen;
static bool gk_mlog_seen_ready;

static const char *const gk_mlog_type_names[] = {
	[GK_MLOG_START] = "start",	[GK_MLOG_KEY] = "key",
	[GK_MLOG_POLICY] = "policy",	[GK_MLOG_LOCK] = "lock",
	[GK_MLOG_MODE] = "mode",	[GK_MLOG_DISARM] = "disarm",
	[GK_MLOG_PROBES] = "probes",	[GK_MLOG_ATTEST] = "attest",
	[GK_MLOG_ADMIT] = "admit",
};

/*
 * Extend @ev into every bank of the PCR: each with its own hash of the
 * event, or, where this kernel has no such hash, with its SHA-256, cut or
 * padded with zeros to the bank's size (as IMA does with SHA-1).
 * Context: gk_mlog_lock held.
 */
static int gk_mlog_extend(const struct gk_mlog_event *ev)
{
	u8 sha256[GK_DIGEST_SIZE];
	gk_sha256_ctx ctx;
	int i, err;

	if (!gk_tpm)
		return 0;
	gk_sha256_init(&ctx);
	gk_sha256_update(&ctx, (const u8 *)ev, sizeof(*ev));
	gk_sha256_final(&ctx, sha256);
	for (i = 0; i < gk_tpm->nr_allocated_banks; i++) {
		struct tpm_digest *d = &gk_bank_digest[i];

		d->alg_id = gk_tpm->allocated_banks[i].alg_id;
		memset(d->digest, 0, sizeof(d->digest));
		if (!gk_bank_tfm[i]) {
			memcpy(d->digest, sha256, min_t(u32, GK_DIGEST_SIZE,
						       gk_tpm->allocated_banks[i].digest_size));
			continue;
		}
		err = crypto_shash_tfm_digest(gk_bank_tfm[i], (const u8 *)ev, sizeof(*ev),
					      d->digest);
		if (err)
			return err;
	}
	err = tpm_pcr_extend(gk_tpm, pcr, gk_bank_digest);
	if (err) {
		pr_err("cannot extend PCR %u (TPM error %d)\n", pcr, err);
		return -EIO;
	}
	return 0;
}

/*
 * Extend @ev's SHA-384 into the TDX RTMR (rtmr=), before the TPM: a
 * failure of the TPM after it leaves the RTMR ahead of the log, which a
 * replay then shows.  Context: gk_mlog_lock held.
 */
static int gk_mlog_extend_rtmr(const struct gk_mlog_event *ev)
{
	int err;

	if (!gk_rtmr_tfm)
		return 0;
	err = crypto_shash_tfm_digest(gk_rtmr_tfm, (const u8 *)ev, sizeof(*ev), gk_rtmr_data);
	if (err)
		return err;
	err = gk_rtmr_extend(rtmr, gk_rtmr_data);
	if (err) {
		pr_err("cannot extend RTMR %d (error %d)\n", rtmr, err);
		return -EIO;
	}
	return 0;
}

/* Context: gk_mlog_lock held; may sleep. */
static int gk_mlog_append(struct gk_mlog_event *ev)
{
	struct gk_mlog_event *page;
	int err;

	if (gk_mlog_n == log_max)
		return -ENOSPC;
	/* Room first: once extended, an event must reach the log. */
	if (!gk_mlog_at(gk_mlog_n)) {
		page = (void *)get_zeroed_page(GFP_KERNEL);
		if (!page)
			return -ENOMEM;
		err = xa_err(xa_store(&gk_mlog_pages, gk_mlog_n / GK_MLOG_PER_PAGE, page,
				      GFP_KERNEL));
		if (err) {
			free_page((unsigned long)page);
			return err;
		}
	}
	gk_put_le32(ev->seq, gk_mlog_n);
	gk_mlog_put_le64(ev->time, ktime_get_real_ns());
	err = gk_mlog_extend_rtmr(ev) ?: gk_mlog_extend(ev);
	if (err)
		return err;
	*gk_mlog_at(gk_mlog_n) = *ev;
	gk_mlog_n++;
	return 0;
}

static void gk_mlog_text(char *dst, const char *src)
{
	strscpy_pad(dst, src ?: "", GK_MLOG_TEXT);
}

static void gk_mlog_fill(struct gk_mlog_event *ev, u16 type, u16 detail, u64 value,
			 const u8 *subject, const u8 *key, const char *name, const char *by)
{
	BUILD_BUG_ON(sizeof(*ev) != GK_MLOG_EVENT_SIZE);
	BUILD_BUG_ON(sizeof(struct gk_mlog_hdr) != GK_MLOG_HDR_SIZE);
	memset(ev, 0, sizeof(*ev));
	gk_mlog_put_le16(ev->type, type);
	gk_mlog_put_le16(ev->detail, detail);
	gk_mlog_put_le64(ev->value, value);
	if (subject)
		memcpy(ev->subject, subject, sizeof(ev->subject));
	if (key)
		memcpy(ev->key, key, sizeof(ev->key));
	gk_mlog_text(ev->name, name);
	gk_mlog_text(ev->by, by);
}

/* Context: process context, may sleep; takes gk_mlog_lock. */
static int gk_mlog_record(struct gk_mlog_event *ev)
{
	int err;

	mutex_lock(&gk_mlog_lock);
	err = gk_mlog_append(ev);
	if (err)
		gk_mlog_refused++;
	mutex_unlock(&gk_mlog_lock);
	return err;
}

/**
 * gk_measure() - record an event, extended into the PCR, before it takes effect
 * @type: GK_MLOG_*
 * @detail: the type's detail field
 * @value: the type's value field
 * @subject: its subject, or NULL
 * @key: its key fingerprint, or NULL
 * @name: its name, or NULL; longer than 63 bytes is cut
 * @by: its "by", or NULL
 *
 * Context: process context, may sleep; takes gk_mlog_lock.  A caller that
 * orders the change it measures with a lock of its own holds it.
 * Return: 0; -EIO (the TPM refused the extend), -ENOSPC (the log is full),
 * -ENOMEM: the caller refuses the change.
 */
int gk_measure(u16 type, u16 detail, u64 value, const u8 *subject, const u8 *key,
	       const char *name, const char *by)
{
	struct gk_mlog_event ev;

	gk_mlog_fill(&ev, type, detail, value, subject, key, name, by);
	return gk_mlog_record(&ev);
}

/**
 * gk_measure_once() - gk_measure(), unless the same event was measured
 * @type: as for gk_measure()
 * @detail: as for gk_measure()
 * @value: as for gk_measure()
 * @subject: as for gk_measure()
 * @key: as for gk_measure()
 * @name: as for gk_measure()
 * @by: as for gk_measure()
 *
 * For admissions: a program admitted again the same way is not measured
 * again (so that each later load or fd of it costs a hash of the event
 * and a lookup, without a lock).  An event measured while the table cannot
 * take it in (out of memory) may be measured again: the log then holds it
 * twice, which a replay accepts.
 *
 * Context: process context, may sleep; takes gk_mlog_lock.
 * Return: 0, or gk_measure()'s errors.
 */
int gk_measure_once(u16 type, u16 detail, u64 value, const u8 *subject, const u8 *key,
		    const char *name, const char *by)
{
	struct gk_mlog_seen *seen;
	struct gk_mlog_event ev;
	int err = 0;

	gk_mlog_fill(&ev, type, detail, value, subject, key, name, by);
	if (rhashtable_lookup_fast(&gk_mlog_seen, &ev, gk_mlog_seen_params))
		return 0;
	seen = kmalloc(sizeof(*seen), GFP_KERNEL);
	mutex_lock(&gk_mlog_lock);
	/* Measured meanwhile? */
	if (rhashtable_lookup_fast(&gk_mlog_seen, &ev, gk_mlog_seen_params))
		goto out;
	err = seen ? gk_mlog_append(&ev) : -ENOMEM;
	if (err) {
		gk_mlog_refused++;
		goto out;
	}
	seen->seq = gk_mlog_n - 1;
	if (!rhashtable_insert_fast(&gk_mlog_seen, &seen->node, gk_mlog_seen_params))
		seen = NULL;
out:
	mutex_unlock(&gk_mlog_lock);
	kfree(seen);
	return err;
}

/* The readable form of a text field: quoted, with odd bytes as \xHH. */
static void gk_mlog_show_text(struct seq_file *m, const char *field, const char *text)
{
	size_t i;

	if (!text[0])
		return;
	seq_printf(m, " %s=\"", field);
	for (i = 0; i < GK_MLOG_TEXT && text[i]; i++) {
		unsigned char c = text[i];

		if (c < 0x20 || c > 0x7e || c == '"' || c == '\\')
			seq_printf(m, "\\x%02x", c);
		else
			seq_putc(m, c);
	}
	seq_putc(m, '"');
}

static void gk_mlog_show_hex(struct seq_file *m, const char *field, const u8 *v)
{
	if (memchr_inv(v, 0, GK_DIGEST_SIZE))
		seq_printf(m, " %s=%*phN", field, GK_DIGEST_SIZE, v);
}

/* One event as a line of measurements.txt (docs/formats.md). */
static void gk_mlog_show_event(struct seq_file *m, const struct gk_mlog_event *ev)
{
	u16 type = gk_get_le16(ev->type), detail = gk_get_le16(ev->detail);
	u64 time = gk_mlog_get_le64(ev->time), value = gk_mlog_get_le64(ev->value);
	u8 digest[GK_DIGEST_SIZE];
	gk_sha256_ctx ctx;

	gk_sha256_init(&ctx);
	gk_sha256_update(&ctx, (const u8 *)ev, sizeof(*ev));
	gk_sha256_final(&ctx, digest);
	seq_printf(m, "%u %s %llu.%09llu %*phN", gk_get_le32(ev->seq),
		   type <= GK_MLOG_TYPE_MAX ? gk_mlog_type_names[type] : "?",
		   div_u64(time, NSEC_PER_SEC), time % NSEC_PER_SEC, GK_DIGEST_SIZE, digest);
	if (detail)
		seq_printf(m, " detail=%u", detail);
	if (value)
		seq_printf(m, " value=%llu", value);
	gk_mlog_show_hex(m, "subject", ev->subject);
	gk_mlog_show_hex(m, "key", ev->key);
	gk_mlog_show_text(m, "name", ev->name);
	gk_mlog_show_text(m, "by", ev->by);
	seq_putc(m, '\n');
}

/*
 * The log as a seq_file: record 0 of the binary form is the header, the
 * others are the events.  The reader holds gk_mlog_lock from start to
 * stop; a token is the record's index plus one.
 */
static void *gk_mlog_seq_start(struct seq_file *m, loff_t *pos)
{
	bool text = m->private;

	mutex_lock(&gk_mlog_lock);
	return *pos < gk_mlog_n + !text ? (void *)(uintptr_t)(*pos + 1) : NULL;
}

static void *gk_mlog_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	bool text = m->private;

	++*pos;
	return *pos < gk_mlog_n + !text ? (void *)(uintptr_t)(*pos + 1) : NULL;
}

static void gk_mlog_seq_stop(struct seq_file *m, void *v)
{
	mutex_unlock(&gk_mlog_lock);
}

static int gk_mlog_seq_show(struct seq_file *m, void *v)
{
	u32 i = (uintptr_t)v - 1;
	struct gk_mlog_hdr hdr = {};

	if (m->private) {
		gk_mlog_show_event(m, gk_mlog_at(i));
	} else if (i) {
		seq_write(m, gk_mlog_at(i - 1), GK_MLOG_EVENT_SIZE);
	} else {
		memcpy(hdr.magic, GK_MLOG_MAGIC, sizeof(hdr.magic));
		gk_put_le32(hdr.version, GK_MLOG_V1);
		gk_put_le32(hdr.pcr, gk_tpm ? pcr : GK_MLOG_NO_PCR);
		seq_write(m, &hdr, sizeof(hdr));
	}
	return 0;
}

static const struct seq_operations gk_mlog_seq_ops = {
	.start = gk_mlog_seq_start,
	.next = gk_mlog_seq_next,
	.stop = gk_mlog_seq_stop,
	.show = gk_mlog_seq_show,
};

/* securityfs "measurements" (i_private NULL) and "measurements.txt" (non-NULL). */
static int gk_mlog_open(struct inode *inode, struct file *file)
{
	int err = seq_open(file, &gk_mlog_seq_ops);

	if (!err)
		((struct seq_file *)file->private_data)->private = inode->i_private;
	return err;
}

const struct file_operations gk_measure_fops = {
	.owner = THIS_MODULE,
	.open = gk_mlog_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = seq_release,
};

/* Context: process context.  The status lines of the measurement log. */
void gk_measure_status(struct seq_file *m)
{
	mutex_lock(&gk_mlog_lock);
	if (gk_tpm)
		seq_printf(m, "tpm: pcr %u\n", pcr);
	else
		seq_printf(m, "tpm: none, log only (tpm=%s)\n", tpm);
	if (gk_rtmr_tfm)
		seq_printf(m, "rtmr: %d\n", rtmr);
	seq_printf(m, "measured_events: %u\nmeasured_max: %u\nmeasure_refused: %llu\n",
		   gk_mlog_n, log_max, gk_mlog_refused);
	mutex_unlock(&gk_mlog_lock);
}

/*
 * The hash of each of the TPM's banks (NULL: the SHA-256 bank, and banks
 * this kernel cannot hash, see gk_mlog_extend()).  Return: 0; -ENOPKG
 * without a SHA-256 bank, which a relying party replays; -ENOMEM.
 */
static int gk_measure_banks(struct tpm_chip *chip)
{
	bool sha256 = false;
	int i;

	gk_bank_tfm = kcalloc(chip->nr_allocated_banks, sizeof(*gk_bank_tfm), GFP_KERNEL);
	gk_bank_digest = kcalloc(chip->nr_allocated_banks, sizeof(*gk_bank_digest), GFP_KERNEL);
	if (!gk_bank_tfm || !gk_bank_digest)
		return -ENOMEM;
	for (i = 0; i < chip->nr_allocated_banks; i++) {
		const struct tpm_bank_info *bank = &chip->allocated_banks[i];
		struct crypto_shash *tfm = NULL;

		if (bank->alg_id == TPM_ALG_SHA256)
			sha256 = true;
		else if (bank->crypto_id < HASH_ALGO__LAST)
			tfm = crypto_alloc_shash(hash_algo_name[bank->crypto_id], 0, 0);
		if (IS_ERR(tfm))
			tfm = NULL;
		if (!tfm && bank->alg_id != TPM_ALG_SHA256)
			pr_info("TPM bank 0x%x: extended with the SHA-256 of each event (no hash for it here)\n",
				bank->alg_id);
		gk_bank_tfm[i] = tfm;
	}
	return sha256 ? 0 : -ENOPKG;
}

static void gk_measure_free_banks(void)
{
	int i;

	for (i = 0; gk_bank_tfm && gk_tpm && i < gk_tpm->nr_allocated_banks; i++)
		crypto_free_shash(gk_bank_tfm[i]);
	kfree(gk_bank_tfm);
	kfree(gk_bank_digest);
	gk_bank_tfm = NULL;
	gk_bank_digest = NULL;
}

/* The PCR's SHA-256 value now.  Context: module init. */
static int gk_measure_pcr_read(u8 value[GK_DIGEST_SIZE])
{
	struct tpm_digest d = { .alg_id = TPM_ALG_SHA256 };
	int err = tpm_pcr_read(gk_tpm, pcr, &d);

	if (!err)
		memcpy(value, d.digest, GK_DIGEST_SIZE);
	return err;
}

/*
 * The TDX RTMR of rtmr=, if one is asked for: only in a TDX guest, on a
 * kernel that can extend it.  Context: module init.  Return: 0 or -errno.
 */
static int gk_measure_rtmr(void)
{
	if (rtmr < 0)
		return 0;
	if (rtmr < 2 || rtmr > 3) {
		pr_err("rtmr=%d: 2 or 3 (0 and 1 hold the firmware's and the boot's measurements)\n",
		       rtmr);
		return -EINVAL;
	}
	if (!GK_HAVE_RTMR || !gk_tdx_guest()) {
		pr_err("rtmr=%d: %s\n", rtmr, GK_HAVE_RTMR ? "not a TDX guest" :
		       "this kernel cannot extend TDX RTMRs (6.16 and later can)");
		return -ENODEV;
	}
	gk_rtmr_data = kzalloc(64, GFP_KERNEL);
	if (!gk_rtmr_data)
		return -ENOMEM;
	gk_rtmr_tfm = crypto_alloc_shash("sha384", 0, 0);
	if (IS_ERR(gk_rtmr_tfm)) {
		int err = PTR_ERR(gk_rtmr_tfm);

		gk_rtmr_tfm = NULL;
		return err;
	}
	return 0;
}

/* Take the default TPM, with a SHA-256 bank.  Context: module init. */
static int gk_measure_tpm(void)
{
	int err;

	gk_tpm = tpm_default_chip();
	if (!gk_tpm)
		return -ENODEV;
	err = gk_measure_banks(gk_tpm);
	if (err) {
		gk_measure_free_banks();
		put_device(&gk_tpm->dev);
		gk_tpm = NULL;
	}
	return err;
}

/**
 * gk_measure_init() - find the TPM and begin the log with its START event
 *
 * Context: module init, before any key, policy or program is measured.
 * Return: 0; -EINVAL for a bad tpm=, pcr=, log_max= or rtmr=; -ENODEV for
 * rtmr= outside a TDX guest of a kernel that can extend it; with tpm=required, -ENODEV
 * without a TPM, -ENOPKG if its banks cannot be extended (no SHA-256 bank,
 * or one this kernel cannot hash); -EIO, -ENOMEM.
 */
int gk_measure_init(void)
{
	u8 start[GK_DIGEST_SIZE] = {};
	struct gk_mlog_event ev;
	bool required = !strcmp(tpm, "required");
	int err;

	if (!required && strcmp(tpm, "auto") && strcmp(tpm, "off")) {
		pr_err("tpm=%s: must be auto, required or off\n", tpm);
		return -EINVAL;
	}
	if (!log_max || log_max > GK_MLOG_EVENTS_MAX) {
		pr_err("log_max=%u: must be 1 to %u\n", log_max, GK_MLOG_EVENTS_MAX);
		return -EINVAL;
	}
	if (pcr >= TPM2_PLATFORM_PCR) {
		pr_err("pcr=%u: must be below %u\n", pcr, TPM2_PLATFORM_PCR);
		return -EINVAL;
	}
	err = rhashtable_init(&gk_mlog_seen, &gk_mlog_seen_params);
	if (err)
		return err;
	gk_mlog_seen_ready = true;
	err = gk_measure_rtmr();
	if (err) {
		gk_measure_exit();
		return err;
	}
	if (strcmp(tpm, "off")) {
		err = gk_measure_tpm();
		if (err && required) {
			pr_err("tpm=required: no TPM the gate can extend (error %d)\n", err);
			gk_measure_exit();
			return err;
		}
		if (err)
			pr_notice("no TPM the gate can extend (error %d): the measurement log is kept, not extended\n",
				  err);
	}
	if (gk_tpm) {
		err = gk_measure_pcr_read(start);
		if (err) {
			pr_err("cannot read PCR %u (TPM error %d)\n", pcr, err);
			gk_measure_exit();
			return -EIO;
		}
	}
	gk_mlog_fill(&ev, GK_MLOG_START, 0, ktime_get_boottime_ns(), start, NULL,
		     init_utsname()->release, GK_VERSION);
	err = gk_mlog_record(&ev);
	if (err)
		gk_measure_exit();
	return err;
}

static void gk_mlog_seen_free(void *seen, void *arg)
{
	kfree(seen);
}

/* Context: module exit, or a failed init; nothing measures any more. */
void gk_measure_exit(void)
{
	unsigned long index;
	void *page;

	if (gk_mlog_seen_ready)
		rhashtable_free_and_destroy(&gk_mlog_seen, gk_mlog_seen_free, NULL);
	gk_mlog_seen_ready = false;
	xa_for_each(&gk_mlog_pages, index, page)
		free_page((unsigned long)page);
	xa_destroy(&gk_mlog_pages);
	gk_mlog_n = 0;
	gk_measure_free_banks();
	if (gk_tpm)
		put_device(&gk_tpm->dev);
	gk_tpm = NULL;
	crypto_free_shash(gk_rtmr_tfm);
	gk_rtmr_tfm = NULL;
	kfree(gk_rtmr_data);
	gk_rtmr_data = NULL;
}
