/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How evidence answers a verifier's nonce: REPORTDATA[0..31] =
 * SHA-256(GK_NONCE_LABEL || nonce), and for the evidence the attester
 * (gkctl attest evidence) asks for, REPORTDATA[32..63] zero.  The verifier
 * (gk-verify) checks the first half.
 */
#ifndef GK_LIB_NONCE_H
#define GK_LIB_NONCE_H

#include "gk_attest_format.h"

#define GK_NONCE_LABEL "GK-ATTEST-V1"
#define GK_NONCE_BINDING_SIZE 32

int gk_nonce_binding(const u8 nonce[GK_ATTEST_NONCE_SIZE], u8 out[GK_NONCE_BINDING_SIZE]);
int gk_report_data(const u8 nonce[GK_ATTEST_NONCE_SIZE], u8 out[GK_ATTEST_REPORT_DATA_SIZE]);

#endif /* GK_LIB_NONCE_H */
