/* SPDX-License-Identifier: GPL-2.0 */
/*
 * eBPF GateKeeper measurement log: what the gate let in and every change of
 * what it trusts, each event extended into a TPM PCR before it takes
 * effect.  The module writes it (securityfs "measurements"); gk-verify
 * replays it against a quoted PCR.  This header is the only definition of
 * the format; docs/formats.md ("Measurement log") describes the same bytes
 * for people.  It needs nothing but gk_shim.h so the kernel can include it.
 *
 * The log is a header followed by fixed-size events.  All integers are
 * little-endian and unaligned (byte arrays, read with gk_get_le16/32 and
 * gk_mlog_get_le64()).  Text fields hold at most 63 bytes followed by NUL
 * padding.  Reserved bytes are zero; readers reject anything else.
 *
 * Each event is measured as the hash of its GK_MLOG_EVENT_SIZE bytes with
 * each PCR bank's algorithm; the SHA-256 bank replays as
 *
 *     pcr = SHA-256(pcr || SHA-256(event))
 *
 * starting from the value the START event (always event 0) records.
 */
#ifndef GK_MLOG_FORMAT_H
#define GK_MLOG_FORMAT_H

#include "gk_shim.h"

#define GK_MLOG_MAGIC "GKMLOG\0\1"
#define GK_MLOG_V1 1
#define GK_MLOG_NO_PCR 0xffffffffu	/* hdr.pcr: measured into no TPM */

struct gk_mlog_hdr {
	u8 magic[8];		/* GK_MLOG_MAGIC */
	u8 version[4];		/* GK_MLOG_V1 */
	u8 pcr[4];		/* the PCR index extended, or GK_MLOG_NO_PCR */
};

#define GK_MLOG_TEXT 64
#define GK_MLOG_EVENTS_MAX (1u << 20)	/* then every measurement fails */

struct gk_mlog_event {
	u8 seq[4];		/* 0 for the START event, then one more each */
	u8 type[2];		/* GK_MLOG_* below */
	u8 detail[2];		/* per type */
	u8 time[8];		/* CLOCK_REALTIME when recorded, ns */
	u8 value[8];		/* per type */
	u8 subject[32];		/* per type: a SHA-256 */
	u8 key[32];		/* per type: a key's fingerprint (SHA-256 of its public key) */
	char name[GK_MLOG_TEXT];	/* per type */
	char by[GK_MLOG_TEXT];	/* per type */
	u8 reserved[40];
};

#define GK_MLOG_HDR_SIZE 16
#define GK_MLOG_EVENT_SIZE 256

/*
 * Event types; a field not named is zero.
 *
 * START: the log begins (the gate armed).  value: CLOCK_BOOTTIME then, ns;
 *   subject: the SHA-256 PCR's value before the first extend (zero without
 *   a TPM); name: the kernel release; by: the module's version.
 * KEY: a key joins a keyring of the gate.  detail: GK_MLOG_KEYRING_*;
 *   key: its fingerprint; by: the adding task's comm.
 * POLICY: a signed policy becomes active.  detail: GK_MLOG_MODE_* it sets;
 *   value: its version; subject: SHA-256 of its text; name: its name;
 *   by: the loading task's comm.
 * LOCK: the gate is locked until reboot.  by: the locking task's comm.
 * MODE: the mode changes.  detail: GK_MLOG_MODE_*; by: the cause
 *   ("gkctl", "learn", "policy").
 * DISARM: program loads are no longer checked.  name: why; by: the
 *   disarming task's comm ("watch": the gate found itself bypassed).
 * PROBES: the loader probe catalogue is trusted (detail 1) or refused (0).
 *   by: the task's comm.
 *   (A measurement that fails refuses what it measures.)
 * ATTEST: an attestation result is accepted.  detail: its TEE (GK_TEE_*);
 *   value: when it expires, CLOCK_REALTIME seconds; subject: SHA-256 of the
 *   result statement; key: the verifier's key; name: the verifier's name;
 *   by: the task that handed the result over.
 * ADMIT: the first admission of a program as this event says (a program
 *   admitted again the same way is not measured again).  detail:
 *   GK_MLOG_HOW_*; value: program type, and expected attach type << 32;
 *   subject: its digest; key: the signer's key (zero if no manifest);
 *   name: the program's name; by: the publisher, policy rule ("rule N")
 *   or catalogue entry that admitted it.
 */
#define GK_MLOG_START 1
#define GK_MLOG_KEY 2
#define GK_MLOG_POLICY 3
#define GK_MLOG_LOCK 4
#define GK_MLOG_MODE 5
#define GK_MLOG_DISARM 6
#define GK_MLOG_PROBES 7
#define GK_MLOG_ATTEST 8
#define GK_MLOG_ADMIT 9
#define GK_MLOG_TYPE_MAX GK_MLOG_ADMIT

#define GK_MLOG_KEYRING_PUBLISHERS 1	/* .gatekeeper */
#define GK_MLOG_KEYRING_ADMIN 2		/* .gatekeeper_admin */
#define GK_MLOG_KEYRING_VERIFIERS 3	/* .gatekeeper_verifier */

#define GK_MLOG_MODE_ENFORCE 0
#define GK_MLOG_MODE_AUDIT 1

#define GK_MLOG_HOW_SIGNATURE 1		/* a registered manifest */
#define GK_MLOG_HOW_RULE 2		/* a policy rule, without a manifest */
#define GK_MLOG_HOW_PROBE 3		/* the loader probe catalogue */
#define GK_MLOG_HOW_AUDIT 4		/* audit mode let a refusal through */

static inline void gk_mlog_put_le16(u8 *p, u16 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
}

static inline u64 gk_mlog_get_le64(const u8 *p)
{
	return (u64)gk_get_le32(p) | (u64)gk_get_le32(p + 4) << 32;
}

static inline void gk_mlog_put_le64(u8 *p, u64 v)
{
	gk_put_le32(p, (u32)v);
	gk_put_le32(p + 4, (u32)(v >> 32));
}

#endif /* GK_MLOG_FORMAT_H */
