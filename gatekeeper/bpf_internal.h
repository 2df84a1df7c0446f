/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Everything the module takes from the kernel's BPF internals, in one place.
 * Included by arm.c alone.
 *
 * - The light skeleton of the gate's BPF half (gatekeeper/bpf/, generated
 *   by "bpftool gen skeleton -L") and its runtime, libbpf's
 *   <bpf/skel_internal.h>, copied from the build host's libbpf headers into
 *   gatekeeper/bpf/bpf/ by the Makefile.  In the kernel it loads through
 *   kern_sys_bpf().  It still calls strncpy(), which 7.3 removed: here it
 *   gets strscpy_pad(), which pads the same way and always terminates.
 * - kern_sys_bpf() and bpf_link_get_from_fd() moved into the BPF_INTERNAL
 *   symbol namespace in 6.9; MODULE_IMPORT_NS() takes a string from 6.13.
 * - bpf_link_put(), bpf_prog_get_type_dev(), bpf_prog_put() and
 *   register_btf_kfunc_id_set() are plain exports.
 *
 * gatekeeper/check-bpf-internals checks each of these against the target
 * kernel's Module.symvers and the libbpf headers before the module is built,
 * and says which one changed.
 */
#ifndef GATEKEEPER_BPF_INTERNAL_H
#define GATEKEEPER_BPF_INTERNAL_H

#include <linux/module.h>
#include <linux/string.h>
#include "compat.h"

#define strncpy(dst, src, n) strscpy_pad(dst, src, n)
#if GK_HOOK == GK_HOOK_FD
#include "gate_fd.lskel.h"
#elif GK_HOOK == GK_HOOK_LOAD
#include "gate_load.lskel.h"
#else
#include "gate_load_k.lskel.h"
#endif
#undef strncpy

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
MODULE_IMPORT_NS("BPF_INTERNAL");
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
MODULE_IMPORT_NS(BPF_INTERNAL);
#endif

#endif /* GATEKEEPER_BPF_INTERNAL_H */
