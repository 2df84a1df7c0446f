/* SPDX-License-Identifier: GPL-2.0 */
/* inventory.c: how each program loaded since arming was admitted */
#ifndef GATEKEEPER_INVENTORY_H
#define GATEKEEPER_INVENTORY_H

#include <linux/types.h>

struct bpf_prog;
struct bpf_prog_aux;
struct gk_binding;
struct gk_decision;
struct gk_entry;
struct seq_file;

int gk_inventory_note(const struct bpf_prog *prog, const struct gk_decision *d,
		      const struct gk_entry *manifest);
void gk_inventory_reserve(void);
/* Where the check of a program's binding stands (gk_inventory_take_binding()). */
enum gk_binding_state {
	GK_BINDING_NONE,	/* nothing bound, or not noted */
	GK_BINDING_PENDING,	/* to check at the first fd */
	GK_BINDING_CHECKING,	/* an fd is checking it */
	GK_BINDING_HELD,	/* checked: as bound */
	GK_BINDING_BROKEN,	/* checked: refused */
};

/* How a program was admitted, as its measurement says (gk_mlog_format.h). */
struct gk_admission {
	u16 how;			/* GK_MLOG_HOW_* */
	u8 digest[32];
	bool has_signer;
	u8 signer[32];
	char by[64];			/* publisher, "rule N", catalogue entry, or audit reason */
};

bool gk_inventory_admission(const struct bpf_prog_aux *aux, struct gk_admission *a);
void gk_inventory_measured(const struct bpf_prog_aux *aux);
struct gk_binding *gk_inventory_take_binding(const struct bpf_prog_aux *aux,
					     enum gk_binding_state *state);
void gk_inventory_binding_checked(const struct bpf_prog_aux *aux, bool held);
bool gk_inventory_digest(const struct bpf_prog_aux *aux, u8 *digest);
bool gk_inventory_attach(const struct bpf_prog_aux *aux, char *buf, size_t size);
void gk_inventory_forget(const struct bpf_prog_aux *aux);
void gk_inventory_open(void);
void gk_inventory_close(void);
int gk_inventory_show(struct seq_file *m);

#endif /* GATEKEEPER_INVENTORY_H */
