// SPDX-License-Identifier: GPL-2.0
/*
 * Loader feature probes: programs of the reviewed catalogue
 * (core/probe_catalogue.c) are admitted without a signature while the
 * operator trusts the catalogue (probes=1, the default; docs/design.md,
 * "Loader feature probes").  Only an exact match admits: the catalogue's
 * digests are computed here from its instruction listings.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mutex.h>
#include <linux/string.h>
#include "probes.h"
#include "active_policy.h"
#include "audit.h"
#include "measure.h"
#include "gk_format.h"
#include "gk_mlog_format.h"
#include "gk_probes.h"

#define GK_PROBES_MAX 64

static u8 gk_probe_digests[GK_PROBES_MAX][GK_DIGEST_SIZE];
static bool gk_probes_on = true;
static DEFINE_MUTEX(gk_probes_lock);	/* orders switches against the lock */

/**
 * gk_probe_find() - is a digest a catalogue entry's
 * @digest: a program digest
 *
 * Context: any.
 * Return: the entry if it is and the catalogue is trusted, else NULL.
 */
const struct gk_probe *gk_probe_find(const u8 *digest)
{
	unsigned int i;

	if (!READ_ONCE(gk_probes_on))
		return NULL;
	for (i = 0; i < gk_probes_n; i++)
		if (!memcmp(gk_probe_digests[i], digest, GK_DIGEST_SIZE))
			return &gk_probes[i];
	return NULL;
}

bool gk_probes_trusted(void)
{
	return READ_ONCE(gk_probes_on);
}

/**
 * gk_probes_trust() - trust the catalogue or stop trusting it
 * @on: the new setting
 *
 * Context: process context; takes gk_probes_lock.
 * Return: 0, -EPERM to trust it once the gate is locked, or gk_measure()'s
 * errors.
 */
int gk_probes_trust(bool on)
{
	int err = 0;

	mutex_lock(&gk_probes_lock);
	if (on && !READ_ONCE(gk_probes_on) && gk_locked()) {
		err = -EPERM;
	} else if (on != READ_ONCE(gk_probes_on)) {
		err = gk_measure(GK_MLOG_PROBES, on, 0, NULL, NULL, NULL, current->comm);
		if (!err) {
			WRITE_ONCE(gk_probes_on, on);
			gk_audit_change("probes", on ? "trusted" : "refused");
		}
	}
	mutex_unlock(&gk_probes_lock);
	return err;
}

/**
 * gk_probes_init() - derive the catalogue's digests
 * @on: whether to trust it from the start (the probes= parameter)
 *
 * Context: module init.  Return: 0 or -ENOMEM.
 */
int gk_probes_init(bool on)
{
	unsigned int i;
	int err;

	BUILD_BUG_ON(sizeof(struct gk_insn) != 8);
	if (WARN_ON_ONCE(gk_probes_n > GK_PROBES_MAX))
		return -ENOMEM;
	for (i = 0; i < gk_probes_n; i++) {
		err = gk_probe_digest(&gk_probes[i], gk_probe_digests[i]);
		if (err)
			return err;
	}
	gk_probes_on = on;
	return 0;
}
