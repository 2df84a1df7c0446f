// SPDX-License-Identifier: GPL-2.0
/*
 * gkctl attest: the attester of RFC 9334.  It takes a one-time nonce from
 * the module, gets evidence that answers it from the TEE (TDX or SEV-SNP
 * through configfs-tsm, SEV-SNP through /dev/sev-guest on kernels without
 * configfs-tsm, or the software sim TEE for tests), and hands the
 * verifier's signed result back to the module.
 *
 * What the evidence must say is lib/'s, shared with gk-verify: the nonce
 * binding (gk_report_data()), the sim evidence format (sim_evidence.c),
 * and the TDX quote and SEV-SNP report parsers, with which the evidence is
 * checked before it is handed over.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include "gkctl.h"
#include "gk_attest_format.h"
#include "gk_policy.h"
#include "nonce.h"
#include "sim_evidence.h"
#include "snp_report.h"
#include "tdx_quote.h"
/* GK_NO_SEV_GUEST: build as where the uapi header is missing (tests). */
#if !defined(GK_NO_SEV_GUEST) && __has_include(<linux/sev-guest.h>)
#include <linux/sev-guest.h>
#define GK_HAVE_SEV_GUEST 1
#endif

/* configfs-tsm (Linux 6.7+): Documentation/ABI/testing/configfs-tsm. */
#define GK_CONFIGFS_ROOT "/sys/kernel/config"
#define GK_TSM_REPORT_DIR GK_CONFIGFS_ROOT "/tsm/report"
#define GK_CONFIGFS_MAGIC 0x62656570	/* fs/configfs/mount.c */
#define GK_TSM_INBLOB_SIZE 64
#define GK_SEV_GUEST_DEV "/dev/sev-guest"

/* Evidence is a few KiB (configfs-tsm caps outblob and auxblob at 32 KiB). */
#define GK_EVIDENCE_MAX (1024 * 1024)
#define GK_ATTEST_ENV_MAX (sizeof(struct gk_attest_envelope_hdr) + \
			   GK_ATTEST_RESULT_SIZE + GK_ATTEST_SIG_MAX)

#define GK_REPORT_DATA_SIZE 64
_Static_assert(GK_REPORT_DATA_SIZE == GK_TSM_INBLOB_SIZE &&
	       GK_REPORT_DATA_SIZE == GK_ATTEST_REPORT_DATA_SIZE,
	       "REPORTDATA is 64 bytes everywhere");

static const char gk_help_attest[] =
	"Usage: gkctl attest nonce [--json]\n"
	"       gkctl attest evidence [--json] --tee tdx|snp|sim [--nonce HEX] -o EVIDENCE\n"
	"                [--sim-key KEY --sim-cert CERT --sim-measurement HEX [--sim-debug]]\n"
	"       gkctl attest result [--json] RESULT\n"
	"\n"
	"Confidential programs load only while the module holds a fresh attestation\n"
	"result.  One round:\n"
	"\n"
	"  N=$(gkctl attest evidence --tee snp -o ev.bin)       # on the guest\n"
	"  gk-verify snp --report ev.bin ... --nonce $N --result-out res.bin ...\n"
	"  gkctl attest result res.bin                          # on the guest\n"
	"\n"
	"nonce: print a fresh one-time nonce from the module, 64 hex digits.  It is\n"
	"valid ten minutes, once; the module forgets the oldest of eight.\n"
	"\n"
	"evidence: get evidence from the TEE whose 64-byte REPORTDATA is\n"
	"SHA-256(\"GK-ATTEST-V1\" || nonce) followed by 32 zero bytes, and write it to\n"
	"EVIDENCE.  Without --nonce a fresh nonce is taken from the module and\n"
	"printed, for gk-verify --nonce.  Evidence that gk-verify could not parse, or\n"
	"that lacks this report data, is written but fails the command.  With\n"
	"--json: {\"tee\", \"evidence\", \"certs\", \"nonce\", \"report_data\", \"via\"}.\n"
	"  --tee tdx|snp|sim      tdx and snp through configfs-tsm (Linux 6.7+; configfs\n"
	"                         is mounted on " GK_CONFIGFS_ROOT " if need be), snp\n"
	"                         through " GK_SEV_GUEST_DEV " on older kernels; sim is a\n"
	"                         software TEE for tests, which gk-verify accepts only\n"
	"                         with \"allow_sim\": true\n"
	"  --nonce HEX            answer this nonce (64 hex digits) instead\n"
	"  -o, --output EVIDENCE  where to write the evidence; for snp the host's\n"
	"                         certificates (the configfs-tsm auxblob), if it\n"
	"                         gave any, go to EVIDENCE.certs\n"
	"  --sim-key KEY          the sim TEE's private key (PEM or DER; passphrase in\n"
	"                         GK_SIGN_PIN)\n"
	"  --sim-cert CERT        its certificate, the one gk-verify sim --cert trusts\n"
	"  --sim-measurement HEX  the simulated measurement, 96 hex digits\n"
	"  --sim-debug            mark the sim TEE debuggable (gk-verify rejects that\n"
	"                         unless \"debug_forbidden\": false)\n"
	"\n"
	"result: hand RESULT, the attestation result gk-verify signed (--result-out),\n"
	"to the module in a single write; its errors say what to do.\n";

enum gk_tee { GK_ATT_TDX, GK_ATT_SNP, GK_ATT_SIM };

static const char *const gk_tee_names[] = { "tdx", "snp", "sim" };
/* The configfs-tsm provider (the guest driver's module name) of each TEE. */
static const char *const gk_tee_providers[] = { "tdx_guest", "sev_guest", NULL };

/* ---- nonces ---- */

/* Take a fresh nonce from the module; errors are reported. */
static int gk_take_nonce(u8 nonce[GK_ATTEST_NONCE_SIZE], char hex[2 * GK_ATTEST_NONCE_SIZE + 1])
{
	char *buf;
	size_t i;
	int err;

	err = gk_fs_read("attest_nonce", &buf);
	if (err)
		return err;
	err = -EBADMSG;
	if (strlen(buf) != 2 * GK_ATTEST_NONCE_SIZE + 1 || buf[2 * GK_ATTEST_NONCE_SIZE] != '\n')
		goto bad;
	for (i = 0; i < 2 * GK_ATTEST_NONCE_SIZE; i++)
		if (!strchr("0123456789abcdef", buf[i]))
			goto bad;
	buf[2 * GK_ATTEST_NONCE_SIZE] = '\0';
	if (gk_unhex(buf, nonce, GK_ATTEST_NONCE_SIZE))
		goto bad;
	memcpy(hex, buf, 2 * GK_ATTEST_NONCE_SIZE + 1);
	free(buf);
	return 0;
bad:
	gk_err("%s/attest_nonce holds no nonce (64 lower-case hex digits and a newline expected): is the module of another version than gkctl?",
	       gk_dir());
	free(buf);
	return err;
}

static int gk_cmd_attest_nonce(int argc, char **argv)
{
	char hex[2 * GK_ATTEST_NONCE_SIZE + 1];
	u8 nonce[GK_ATTEST_NONCE_SIZE];
	int ret;

	ret = gk_opts(argc, argv, "gkctl attest nonce", gk_help_attest, NULL, 0, 0);
	if (ret >= 0)
		return ret;
	if (gk_take_nonce(nonce, hex))
		return GK_EXIT_FAIL;
	if (gk_json)
		gk_json_print(json_pack("{s:s}", "nonce", hex));
	else
		puts(hex);
	return GK_EXIT_OK;
}

/* ---- small file helpers for configfs ---- */

/* Read a short text attribute, without its trailing newline. */
static int gk_read_attr(const char *dir, const char *name, char **val)
{
	char *path;
	size_t len;
	int err;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return -ENOMEM;
	err = gk_read_file(path, 4096, (u8 **)val, &len);
	free(path);
	if (!err)
		(*val)[strcspn(*val, "\n")] = '\0';
	return err;
}

static int gk_read_ulong_attr(const char *dir, const char *name, unsigned long *v)
{
	char *val, *end;
	int err = gk_read_attr(dir, name, &val);

	if (err)
		return err;
	errno = 0;
	*v = strtoul(val, &end, 10);
	err = (!*val || *end || errno) ? -EBADMSG : 0;
	free(val);
	return err;
}

/*
 * Write @len bytes in one write().  configfs takes a binary attribute
 * (inblob) when the file is closed and cannot report an error then, so the
 * caller checks the generation counter instead.
 */
static int gk_write_attr(const char *dir, const char *name, const void *buf, size_t len)
{
	char *path;
	ssize_t n;
	int fd, err = 0;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return -ENOMEM;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	free(path);
	if (fd < 0)
		return -errno;
	n = write(fd, buf, len);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

/* ---- configfs-tsm ---- */

struct gk_blob {
	u8 *buf;
	size_t len;
};

static const char *gk_tsm_dir(void)
{
	const char *d = getenv("GK_CONFIGFS_TSM");

	return d && *d ? d : GK_TSM_REPORT_DIR;
}

/*
 * Find configfs-tsm, mounting configfs first if it is not.
 * Return: 0 it is there; -ENOENT it is not (nothing reported); another
 * -errno, reported.
 */
static int gk_tsm_locate(void)
{
	const char *dir = gk_tsm_dir();
	struct statfs sfs;
	struct stat st;

	if (!stat(dir, &st))
		return 0;
	if (errno != ENOENT && errno != ENOTDIR) {
		gk_err("%s: %s", dir, strerror(errno));
		return -errno;
	}
	/* Tests name another directory and never mount anything. */
	if (getenv("GK_CONFIGFS_TSM") && *getenv("GK_CONFIGFS_TSM"))
		return -ENOENT;
	/* No mount point: the kernel has no configfs (CONFIG_CONFIGFS_FS). */
	if (stat(GK_CONFIGFS_ROOT, &st) || !S_ISDIR(st.st_mode))
		return -ENOENT;
	if (!statfs(GK_CONFIGFS_ROOT, &sfs) && sfs.f_type == GK_CONFIGFS_MAGIC)
		return -ENOENT;
	if (mount("configfs", GK_CONFIGFS_ROOT, "configfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL)) {
		int err = errno;

		if (err == EPERM)
			gk_err("configfs is not mounted on %s and mounting it needs root: run as root, or mount -t configfs configfs %s",
			       GK_CONFIGFS_ROOT, GK_CONFIGFS_ROOT);
		else
			gk_err("configfs is not mounted on %s and mounting it failed: %s",
			       GK_CONFIGFS_ROOT, strerror(err));
		return -err;
	}
	return stat(dir, &st) ? -ENOENT : 0;
}

/* What to do when configfs-tsm has no TEE driver, or none of the kind asked. */
static const char *gk_tsm_driver_hint(enum gk_tee tee)
{
	return tee == GK_ATT_TDX ?
		"is this a TDX guest? load its driver: modprobe tdx_guest (CONFIG_TDX_GUEST_DRIVER)" :
		"is this an SEV-SNP guest? load its driver: modprobe sev_guest (CONFIG_SEV_GUEST)";
}

/* The entry's provider must be the TEE's driver.  Return: 0 or -errno, reported. */
static int gk_tsm_provider(const char *entry, enum gk_tee tee, char **provider)
{
	int err;

	err = gk_read_attr(entry, "provider", provider);
	if (err) {
		*provider = NULL;
		if (err == -ENXIO)
			gk_err("configfs-tsm has no TEE driver registered: %s", gk_tsm_driver_hint(tee));
		else
			gk_err("cannot read %s/provider: %s", entry, strerror(-err));
		return err;
	}
	if (strcmp(*provider, gk_tee_providers[tee])) {
		gk_err("this guest's TEE driver is %s, not %s: %s", *provider, gk_tee_providers[tee],
		       !strcmp(*provider, "tdx_guest") ? "it is a TDX guest, use --tee tdx" :
		       !strcmp(*provider, "sev_guest") ? "it is an SEV-SNP guest, use --tee snp" :
		       "gkctl knows tdx_guest (--tee tdx) and sev_guest (--tee snp) only");
		return -EMEDIUMTYPE;
	}
	return 0;
}

/*
 * A guest below VMPL0 (under an SVSM) may only ask for reports of its
 * own level or above: ask at the lowest level it may.
 * Return: 0 or -errno, reported.
 */
static int gk_tsm_privlevel(const char *entry)
{
	unsigned long floor = 0;
	char word[24];
	int err;

	err = gk_read_ulong_attr(entry, "privlevel_floor", &floor);
	if (err && err != -ENOENT) {
		gk_err("cannot read %s/privlevel_floor: %s", entry, strerror(-err));
		return err;
	}
	if (!floor)
		return 0;
	snprintf(word, sizeof(word), "%lu", floor);
	err = gk_write_attr(entry, "privlevel", word, strlen(word));
	if (err)
		gk_err("cannot write %s/privlevel: %s", entry, strerror(-err));
	return err;
}

/* Write the report data, and check configfs-tsm took it: its generation now @gen. */
static int gk_tsm_inblob(const char *entry, const u8 rd[GK_REPORT_DATA_SIZE], unsigned long *gen)
{
	unsigned long gen0;
	int err;

	err = gk_read_ulong_attr(entry, "generation", &gen0);
	if (err) {
		gk_err("cannot read %s/generation: %s", entry, strerror(-err));
		return err;
	}
	err = gk_write_attr(entry, "inblob", rd, GK_REPORT_DATA_SIZE);
	if (err) {
		gk_err("cannot write the report data to %s/inblob: %s", entry, strerror(-err));
		return err;
	}
	err = gk_read_ulong_attr(entry, "generation", gen);
	if (!err && *gen != gen0 + 1)
		err = -EBUSY;
	if (err)
		gk_err("configfs-tsm did not take the report data in %s (generation %lu, then %lu): another process may be using the entry; try again",
		       entry, gen0, err == -EBUSY ? *gen : gen0);
	return err;
}

/* Read the evidence (outblob) and, for SEV-SNP, the host's certificates (auxblob). */
static int gk_tsm_read_blobs(const char *entry, enum gk_tee tee, const char *provider,
			     struct gk_blob *ev, struct gk_blob *aux)
{
	char *path;
	int err;

	if (asprintf(&path, "%s/outblob", entry) < 0)
		return -ENOMEM;
	err = gk_read_file(path, GK_EVIDENCE_MAX, &ev->buf, &ev->len);
	if (!err && !ev->len)
		err = -ENODATA;
	if (err)
		gk_err("the %s driver produced no evidence: reading %s: %s (see the kernel log%s)",
		       provider, path, strerror(-err),
		       tee == GK_ATT_TDX ? "; TDX quotes come from the host's quote generation service (QGS): is it running and reachable from the VMM?" : "");
	free(path);
	if (err || tee != GK_ATT_SNP)
		return err;
	if (asprintf(&path, "%s/auxblob", entry) < 0)
		return -ENOMEM;
	err = gk_read_file(path, GK_EVIDENCE_MAX, &aux->buf, &aux->len);
	if (err == -ENOENT)
		err = 0;	/* a kernel without auxblob: no certificates */
	else if (err)
		gk_err("cannot read the host's certificates from %s: %s", path, strerror(-err));
	free(path);
	return err;
}

/*
 * One report request in the entry @entry that the caller made and removes:
 * check the provider, write the report data, read the evidence (and for
 * SEV-SNP the host's certificates), and make sure nobody else changed the
 * entry meanwhile (configfs-tsm's generation counter).
 */
static int gk_tsm_request(const char *entry, enum gk_tee tee, const u8 rd[GK_REPORT_DATA_SIZE],
			  struct gk_blob *ev, struct gk_blob *aux)
{
	unsigned long gen1, gen2;
	char *provider;
	int err;

	err = gk_tsm_provider(entry, tee, &provider);
	if (!err && tee == GK_ATT_SNP)
		err = gk_tsm_privlevel(entry);
	if (!err)
		err = gk_tsm_inblob(entry, rd, &gen1);
	if (!err)
		err = gk_tsm_read_blobs(entry, tee, provider, ev, aux);
	if (err)
		goto out;
	err = gk_read_ulong_attr(entry, "generation", &gen2);
	if (!err && gen2 != gen1)
		err = -EBUSY;
	if (err)
		gk_err("the report entry %s changed while it was read (generation %lu, then %lu): another process wrote to it; try again",
		       entry, gen1, err == -EBUSY ? gen2 : gen1);
out:
	free(provider);
	return err;
}

/* Make a fresh entry under configfs-tsm, request, and remove the entry whatever happened. */
static int gk_tsm_evidence(enum gk_tee tee, const u8 rd[GK_REPORT_DATA_SIZE], struct gk_blob *ev,
			   struct gk_blob *aux)
{
	const char *dir = gk_tsm_dir();
	char *entry = NULL;
	u64 rnd;
	int i, err = 0;

	for (i = 0; i < 8; i++) {
		if (getrandom(&rnd, sizeof(rnd), 0) != sizeof(rnd)) {
			err = -errno;
			gk_err("getrandom: %s", strerror(errno));
			return err;
		}
		if (asprintf(&entry, "%s/gkctl-%d-%016llx", dir, (int)getpid(),
			     (unsigned long long)rnd) < 0) {
			gk_err("out of memory");
			return -ENOMEM;
		}
		if (!mkdir(entry, 0700))
			break;
		err = -errno;
		free(entry);
		entry = NULL;
		if (err != -EEXIST)
			break;
	}
	if (!entry) {
		if (err == -ENXIO)
			gk_err("configfs-tsm has no TEE driver registered: %s", gk_tsm_driver_hint(tee));
		else if (err == -EACCES || err == -EPERM)
			gk_err("creating a report entry under %s needs root: run as root", dir);
		else
			gk_err("cannot create a report entry under %s: %s", dir, strerror(-err));
		return err;
	}
	err = gk_tsm_request(entry, tee, rd, ev, aux);
	if (rmdir(entry)) {
		gk_err("cannot remove the report entry %s: %s; remove it with rmdir", entry,
		       strerror(errno));
		if (!err)
			err = -errno;
	}
	free(entry);
	return err;
}

/* ---- /dev/sev-guest, for SEV-SNP guests on kernels without configfs-tsm ---- */

static const char *gk_sev_guest_dev(void)
{
	const char *d = getenv("GK_SEV_GUEST");

	return d && *d ? d : GK_SEV_GUEST_DEV;
}

#ifdef GK_HAVE_SEV_GUEST
/*
 * The SNP_GET_REPORT response is the firmware's MSG_REPORT_RSP (SEV Secure
 * Nested Paging Firmware ABI Specification, "MSG_REPORT_RSP Message
 * Structure"), passed through in snp_report_resp.data: STATUS (u32),
 * REPORT_SIZE (u32), 24 reserved bytes, then the report.  The uapi header
 * has no struct for it; the kernel's sev-guest.c calls this header struct
 * snp_msg_report_resp_hdr.
 */
#define GK_SNP_RSP_STATUS 0x00
#define GK_SNP_RSP_REPORT_SIZE 0x04
#define GK_SNP_RSP_REPORT 0x20
#define GK_SNP_STATUS_INVALID_PARAM 0x16
#define GK_SNP_STATUS_INVALID_KEY 0x27
_Static_assert(sizeof(((struct snp_report_resp *)0)->data) > GK_SNP_RSP_REPORT,
	       "the response holds its header");

/* Return: 0; -ENOENT if there is no device (nothing reported); another -errno, reported. */
static int gk_sev_guest_evidence(const u8 rd[GK_REPORT_DATA_SIZE], struct gk_blob *ev)
{
	const char *dev = gk_sev_guest_dev();
	struct snp_guest_request_ioctl io;
	struct snp_report_resp resp;
	struct snp_report_req req;
	u32 status, size;
	u64 exitinfo2;
	int fd, err;

	_Static_assert(sizeof(req.user_data) == GK_REPORT_DATA_SIZE, "REPORT_DATA is 64 bytes");
	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		if (err == -EACCES || err == -EPERM)
			gk_err("%s: permission denied: run as root", dev);
		else if (err != -ENOENT)
			gk_err("cannot open %s: %s", dev, strerror(-err));
		return err;
	}
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	memset(&io, 0, sizeof(io));
	memcpy(req.user_data, rd, GK_REPORT_DATA_SIZE);
	req.vmpl = 0;
	io.msg_version = 1;
	io.req_data = (__u64)(uintptr_t)&req;
	io.resp_data = (__u64)(uintptr_t)&resp;
	if (ioctl(fd, SNP_GET_REPORT, &io) < 0) {
		err = -errno;
#ifdef SNP_GUEST_VMM_ERR_SHIFT
		exitinfo2 = io.exitinfo2;
#else
		exitinfo2 = io.fw_err;
#endif
		gk_err("SNP_GET_REPORT on %s failed: %s (firmware error 0x%x, VMM error 0x%x; see the kernel log)",
		       dev, strerror(-err), (unsigned int)(exitinfo2 & 0xffffffffU),
		       (unsigned int)(exitinfo2 >> 32));
		close(fd);
		return err;
	}
	close(fd);
	status = gk_get_le32(resp.data + GK_SNP_RSP_STATUS);
	size = gk_get_le32(resp.data + GK_SNP_RSP_REPORT_SIZE);
	if (status) {
		gk_err("the SEV-SNP firmware refused the report request: status 0x%x%s", status,
		       status == GK_SNP_STATUS_INVALID_PARAM ? " (invalid parameters)" :
		       status == GK_SNP_STATUS_INVALID_KEY ? " (invalid key selection)" : "");
		return -EIO;
	}
	/* Compare against what remains; never trust the size it states. */
	if (!size || size > sizeof(resp.data) - GK_SNP_RSP_REPORT) {
		gk_err("the SEV-SNP firmware's response is malformed: a %u-byte report in a %zu-byte response",
		       size, sizeof(resp.data));
		return -EBADMSG;
	}
	ev->buf = malloc(size);
	if (!ev->buf) {
		gk_err("out of memory");
		return -ENOMEM;
	}
	memcpy(ev->buf, resp.data + GK_SNP_RSP_REPORT, size);
	ev->len = size;
	return 0;
}
#else
static int gk_sev_guest_evidence(const u8 rd[GK_REPORT_DATA_SIZE], struct gk_blob *ev)
{
	struct stat st;

	(void)rd;
	(void)ev;
	if (stat(gk_sev_guest_dev(), &st))
		return -ENOENT;
	gk_err("this gkctl was built without <linux/sev-guest.h>: it cannot use %s; rebuild it with the kernel's uapi headers installed",
	       gk_sev_guest_dev());
	return -EOPNOTSUPP;
}
#endif

/* ---- evidence ---- */

/*
 * The evidence must parse as gk-verify will parse it and carry exactly the
 * report data asked for; else the TEE interface misbehaved and the
 * verifier would refuse it anyway.
 */
static int gk_evidence_check(enum gk_tee tee, const struct gk_blob *ev,
			     const u8 rd[GK_REPORT_DATA_SIZE], const char *path)
{
	struct gk_tdx_quote q;
	struct gk_snp_report r;
	const u8 *got;
	char why[256];
	int err;

	if (tee == GK_ATT_TDX) {
		err = gk_tdx_quote_parse(ev->buf, ev->len, &q, why, sizeof(why));
		got = q.report_data;
	} else {
		err = gk_snp_report_parse(ev->buf, ev->len, &r, why, sizeof(why));
		got = r.report_data;
	}
	if (err) {
		gk_err("%s: the TEE returned evidence that gk-verify cannot parse (%s); kept for inspection, it will not be accepted",
		       path, why);
		return err;
	}
	if (memcmp(got, rd, GK_REPORT_DATA_SIZE)) {
		gk_err("%s: the evidence's REPORTDATA is not the report data gkctl asked for; kept for inspection, it will not be accepted",
		       path);
		return -EBADMSG;
	}
	return 0;
}

struct gk_evidence_opts {
	const char *tee, *nonce, *out, *sim_key, *sim_cert, *sim_meas;
	bool sim_debug;
};

/* One run of gkctl attest evidence. */
struct gk_evidence {
	enum gk_tee tee;
	bool have_tsm;			/* configfs-tsm, else /dev/sev-guest */
	bool taken;			/* the nonce is the module's, to print */
	u8 nonce[GK_ATTEST_NONCE_SIZE], rd[GK_REPORT_DATA_SIZE], meas[GK_ATTEST_MEAS_SIZE];
	char nonce_hex[2 * GK_ATTEST_NONCE_SIZE + 1];
	EVP_PKEY *key;			/* sim */
	X509 *cert;
	struct gk_blob ev, aux;
	char *certs;			/* EVIDENCE.certs, if written */
	const char *via;
};

static const char gk_evidence_cmd[] = "gkctl attest evidence";

/* The options, checked.  Return: -1 if they are valid, else the exit code. */
static int gk_evidence_usage(const struct gk_evidence_opts *o, struct gk_evidence *e)
{
	const char *cmd = gk_evidence_cmd;

	if (!o->tee)
		return gk_usage_err(cmd, "missing --tee tdx|snp|sim");
	for (e->tee = GK_ATT_TDX; e->tee <= GK_ATT_SIM; e->tee++)
		if (!strcmp(o->tee, gk_tee_names[e->tee]))
			break;
	if (e->tee > GK_ATT_SIM)
		return gk_usage_err(cmd, "--tee is tdx, snp or sim, not %s", o->tee);
	if (!o->out)
		return gk_usage_err(cmd, "missing -o EVIDENCE");
	if (o->nonce && gk_unhex(o->nonce, e->nonce, sizeof(e->nonce)))
		return gk_usage_err(cmd, "--nonce wants 64 hex digits (32 bytes), as gkctl attest nonce prints, not %s",
				    o->nonce);
	if (e->tee == GK_ATT_SIM) {
		if (!o->sim_key || !o->sim_cert || !o->sim_meas)
			return gk_usage_err(cmd, "--tee sim needs --sim-key, --sim-cert and --sim-measurement");
		if (gk_unhex(o->sim_meas, e->meas, sizeof(e->meas)))
			return gk_usage_err(cmd, "--sim-measurement wants 96 hex digits (48 bytes)");
	} else if (o->sim_key || o->sim_cert || o->sim_meas || o->sim_debug) {
		return gk_usage_err(cmd, "--sim-key, --sim-cert, --sim-measurement and --sim-debug go with --tee sim only");
	}
	return -1;
}

/* The sim key, or the TEE's interface: what can fail before a nonce is spent. */
static int gk_evidence_prepare(const struct gk_evidence_opts *o, struct gk_evidence *e)
{
	int err;

	if (e->tee == GK_ATT_SIM) {
		if (gk_load_key(o->sim_key, &e->key) || gk_load_cert(o->sim_cert, &e->cert))
			return -EINVAL;
		if (X509_check_private_key(e->cert, e->key) != 1) {
			gk_err("--sim-key %s does not match --sim-cert %s", o->sim_key, o->sim_cert);
			return -EKEYREJECTED;
		}
		return 0;
	}
	err = gk_tsm_locate();
	if (err && err != -ENOENT)
		return err;
	e->have_tsm = !err;
	if (!e->have_tsm && e->tee == GK_ATT_TDX) {
		gk_err("configfs-tsm is not available (%s does not exist): TDX evidence needs Linux 6.7 or later in a TDX guest, with the tdx_guest module (CONFIG_TDX_GUEST_DRIVER) and tsm_report (CONFIG_TSM_REPORTS; tsm on older kernels): modprobe tdx_guest",
		       gk_tsm_dir());
		return -ENOENT;
	}
	if (!e->have_tsm && e->tee == GK_ATT_SNP && access(gk_sev_guest_dev(), F_OK)) {
		gk_err("neither configfs-tsm (%s) nor %s exists: SEV-SNP evidence needs an SEV-SNP guest with the sev_guest module (CONFIG_SEV_GUEST), and on Linux 6.7 or later tsm_report (CONFIG_TSM_REPORTS; tsm on older kernels): modprobe sev_guest",
		       gk_tsm_dir(), gk_sev_guest_dev());
		return -ENOENT;
	}
	return 0;
}

/* The nonce (--nonce, or a fresh one from the module) and its report data. */
static int gk_evidence_nonce(const struct gk_evidence_opts *o, struct gk_evidence *e)
{
	if (!o->nonce) {
		if (gk_take_nonce(e->nonce, e->nonce_hex))
			return -EIO;
		e->taken = true;
	} else {
		gk_hex_buf(e->nonce, sizeof(e->nonce), e->nonce_hex);
	}
	if (gk_report_data(e->nonce, e->rd)) {
		gk_err("out of memory");
		return -ENOMEM;
	}
	return 0;
}

/* The evidence, from the sim TEE or the TEE's interface; errors reported. */
static int gk_evidence_get(const struct gk_evidence_opts *o, struct gk_evidence *e)
{
	int err;

	if (e->tee == GK_ATT_SIM) {
		e->via = "sim";
		err = gk_sim_make(e->key, e->cert, e->rd, e->meas,
				  o->sim_debug ? GK_SIM_FLAG_DEBUG : 0, &e->ev.buf, &e->ev.len);
		if (err)
			gk_err("cannot make sim evidence: %s", strerror(-err));
		return err;
	}
	e->via = e->have_tsm ? "configfs-tsm" : "sev-guest";
	err = e->have_tsm ? gk_tsm_evidence(e->tee, e->rd, &e->ev, &e->aux) :
			    gk_sev_guest_evidence(e->rd, &e->ev);
	if (err == -ENOENT && !e->have_tsm)
		gk_err("%s disappeared: was the sev_guest module unloaded?", gk_sev_guest_dev());
	return err;
}

/*
 * SEV-SNP: the host's certificates to EVIDENCE.certs, or no such file if
 * it gave none.  Errors reported.
 */
static int gk_evidence_write_certs(const char *out, struct gk_evidence *e)
{
	int err;

	if (asprintf(&e->certs, "%s.certs", out) < 0) {
		e->certs = NULL;
		gk_err("out of memory");
		return -ENOMEM;
	}
	if (e->aux.len) {
		err = gk_write_file(e->certs, e->aux.buf, e->aux.len);
		if (err)
			gk_err("cannot write %s: %s", e->certs, strerror(-err));
		return err;
	}
	/* A certs file of an earlier run does not belong to this evidence. */
	if (unlink(e->certs) && errno != ENOENT) {
		err = -errno;
		gk_err("cannot remove %s, left from an earlier run: %s", e->certs, strerror(-err));
		return err;
	}
	free(e->certs);
	e->certs = NULL;
	return 0;
}

/* Write the evidence (and certificates), then check it; errors reported. */
static int gk_evidence_write(const char *out, struct gk_evidence *e)
{
	int err;

	err = gk_write_file(out, e->ev.buf, e->ev.len);
	if (err) {
		gk_err("cannot write %s: %s", out, strerror(-err));
		return err;
	}
	if (e->tee == GK_ATT_SNP) {
		err = gk_evidence_write_certs(out, e);
		if (err)
			return err;
	}
	if (e->tee != GK_ATT_SIM)
		return gk_evidence_check(e->tee, &e->ev, e->rd, out);
	return 0;
}

static void gk_evidence_print(const char *out, const struct gk_evidence *e)
{
	char rd_hex[2 * GK_REPORT_DATA_SIZE + 1];

	if (gk_json) {
		gk_hex_buf(e->rd, sizeof(e->rd), rd_hex);
		gk_json_print(json_pack("{s:s, s:s, s:o, s:s, s:s, s:s}", "tee", gk_tee_names[e->tee],
					"evidence", out,
					"certs", e->certs ? json_string(e->certs) : json_null(),
					"nonce", e->nonce_hex, "report_data", rd_hex, "via", e->via));
	} else if (e->taken) {
		puts(e->nonce_hex);
	}
}

static int gk_cmd_attest_evidence(int argc, char **argv)
{
	struct gk_evidence_opts o = { NULL };
	const struct gk_opt opts[] = {
		{ "tee", 0, &o.tee, NULL },
		{ "nonce", 0, &o.nonce, NULL },
		{ "output", 'o', &o.out, NULL },
		{ "sim-key", 0, &o.sim_key, NULL },
		{ "sim-cert", 0, &o.sim_cert, NULL },
		{ "sim-measurement", 0, &o.sim_meas, NULL },
		{ "sim-debug", 0, NULL, &o.sim_debug },
		{ NULL, 0, NULL, NULL },
	};
	struct gk_evidence e;
	int ret;

	memset(&e, 0, sizeof(e));
	ret = gk_opts(argc, argv, gk_evidence_cmd, gk_help_attest, opts, 0, 0);
	if (ret >= 0)
		return ret;
	ret = gk_evidence_usage(&o, &e);
	if (ret >= 0)
		return ret;
	/* Everything that can fail here fails before a nonce is spent. */
	ret = GK_EXIT_FAIL;
	if (!gk_evidence_prepare(&o, &e) && !gk_evidence_nonce(&o, &e) &&
	    !gk_evidence_get(&o, &e) && !gk_evidence_write(o.out, &e)) {
		gk_evidence_print(o.out, &e);
		ret = GK_EXIT_OK;
	}
	free(e.certs);
	free(e.ev.buf);
	free(e.aux.buf);
	EVP_PKEY_free(e.key);
	X509_free(e.cert);
	return ret;
}

/* ---- results ---- */

/*
 * ENOKEY: either no key in .gatekeeper vouches for the verifier's
 * certificate, or the active policy declares no verifier with its key.
 * Tell which from the active policy, naming the key the result claims.
 */
static char *gk_enokey_msg(const struct gk_attest_result *res)
{
	char *path = gk_path("policy"), *text = NULL, *hex, *msg = NULL;
	struct gk_policy *pol = NULL;
	size_t len;
	int i;

	hex = gk_hex(res->verifier_id, sizeof(res->verifier_id));
	if (!path || !hex)
		goto out;
	if (gk_read_file(path, GK_POLICY_SIZE_MAX, (u8 **)&text, &len) ||
	    (len && gk_policy_parse(text, len, &pol, NULL))) {
		if (asprintf(&msg, "no key in the .gatekeeper keyring vouches for the verifier's certificate, or the active policy declares no verifier with its key (%s): add the verifier's own certificate with gkctl key add CERT, and declare its key in the policy with \"verifier NAME key $(gkctl key fingerprint CERT)\"",
			     hex) < 0)
			msg = NULL;
		goto out;
	}
	if (!pol) {
		if (asprintf(&msg, "no policy is active, so no verifier is declared: declare the verifier in a policy with \"verifier NAME key %s\" (gkctl key fingerprint CERT prints it), sign and load it (gkctl policy sign, gkctl policy load), and add the verifier's own certificate with gkctl key add CERT",
			     hex) < 0)
			msg = NULL;
		goto out;
	}
	i = gk_policy_find_verifier(pol, res->verifier_id);
	if (i < 0) {
		if (asprintf(&msg, "the active policy %s declares no verifier with the key that signed this result (%s): declare it with \"verifier NAME key %s\" (gkctl key fingerprint CERT prints it), sign and load the policy; the verifier's own certificate must be in the keyring too (gkctl key add CERT)",
			     pol->name, hex, hex) < 0)
			msg = NULL;
	} else if (asprintf(&msg, "no key in the .gatekeeper keyring vouches for the certificate of verifier %s (key %s): add the verifier's own certificate with gkctl key add CERT",
			    pol->verifiers[i].name, hex) < 0) {
		msg = NULL;
	}
out:
	gk_policy_free(pol);
	free(text);
	free(hex);
	free(path);
	return msg;
}

static int gk_cmd_attest_result(int argc, char **argv)
{
	struct gk_errmsg errs[] = {
		{ ENOKEY, NULL },	/* filled in below */
		{ ESTALE, "the nonce it answers was not issued by this module, was used already, or is too old (nonces last ten minutes, and the module forgets the oldest of eight): take a new nonce and attest again (gkctl attest evidence, gk-verify, gkctl attest result)" },
		{ ETIME, "the result expired before it arrived (its validity counts from when the nonce was issued): raise the verifier's --validity (default 300 s) or attest faster" },
		{ EKEYREJECTED, "the result's signature is malformed or does not verify, or the statement names another verifier than the key that signed it: the file was altered or signed for another verifier; ask the verifier for a new result" },
		{ ENOPKG, "the kernel lacks the hash or key algorithm of the verifier's signature (ECDSA needs CONFIG_CRYPTO_ECDSA, absent on Linux 6.1): sign results with an RSA verifier key" },
		{ EBADMSG, "the module found the result malformed although this gkctl does not: use the gk-verify and gkctl that come with the module" },
		{ EPROTONOSUPPORT, "attestation result format unknown to this module: use the gk-verify that comes with it" },
		{ EFBIG, "larger than the module accepts" },
		{ EPERM, "handing over an attestation result needs CAP_MAC_ADMIN: run as root" },
		{ ENOMEM, "the kernel is out of memory; the attestation in force, if any, is unchanged" },
		{ 0, NULL },
	};
	const struct gk_attest_result *res;
	const char *path;
	const u8 *sig;
	size_t len, sig_len;
	char *enokey = NULL;
	u8 *buf;
	int ret, err;

	ret = gk_opts(argc, argv, "gkctl attest result", gk_help_attest, NULL, 1, 1);
	if (ret >= 0)
		return ret;
	path = argv[optind];
	err = gk_read_file(path, GK_ATTEST_ENV_MAX, &buf, &len);
	if (err) {
		if (err == -EFBIG)
			gk_err("%s is larger than an attestation result can be (%zu bytes): it is not one",
			       path, GK_ATTEST_ENV_MAX);
		else
			gk_err("cannot read %s: %s", path, strerror(-err));
		return GK_EXIT_FAIL;
	}
	ret = GK_EXIT_FAIL;
	err = gk_attest_envelope_parse(buf, len, &res, &sig, &sig_len);
	if (err) {
		gk_err(err == -EPROTONOSUPPORT ?
		       "%s: attestation result version unknown to this gkctl: use the gkctl that comes with the gk-verify that signed it" :
		       "%s is not an attestation result (gk-verify ... --result-out FILE writes one; gk-verify check-result tells what is wrong)",
		       path);
		goto out;
	}
	enokey = gk_enokey_msg(res);
	errs[0].msg = enokey ? enokey :
		"no key in the .gatekeeper keyring vouches for the verifier's certificate, or the active policy declares no verifier with its key: add the verifier's own certificate with gkctl key add CERT, and declare its key in the policy with \"verifier NAME key $(gkctl key fingerprint CERT)\"";
	if (gk_fs_write("attest_result", buf, len, path, errs))
		goto out;
	ret = gk_done();
out:
	free(enokey);
	free(buf);
	return ret;
}

int gk_cmd_attest(int argc, char **argv)
{
	static const struct gk_cmd cmds[] = {
		{ "nonce", gk_cmd_attest_nonce },
		{ "evidence", gk_cmd_attest_evidence },
		{ "result", gk_cmd_attest_result },
		{ NULL, NULL },
	};

	return gk_dispatch(cmds, argc - 1, argv + 1, "gkctl attest", gk_help_attest);
}
