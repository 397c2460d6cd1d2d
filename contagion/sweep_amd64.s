#include "textflag.h"

// The AVX2 and AVX-512 kernels of the all-shocks DebtRank sweeps
// (debtrank_block.go): sweepFast and deflate with eight shocks of a block
// in two 4-wide registers (AVX2: half a block, called once per half) or the
// sixteen shocks in two 8-wide ones (AVX-512). Each operation is the one the
// Go code does, on the same operands in the same order (the sums of each
// column run over the entries in order, products rounded before they are
// added: no fused multiply-add), so the stresses are the same bits. VMINPD
// and VMAXPD differ from Go's min and max only for NaN and signed zeros,
// which the stresses never are.
//
// A node's stresses are 128 bytes (blockWidth float64) at h + 128·i; its
// shock mask two bytes at mask + 2·i (see blockShocks); blockStats holds
// moved at 0, movedW at 128, qd at 256 and grew at 384.

// func sweepFastAVX2(rows []int32, ptr []int, idx []int32, lam []float64, h []float64, mask []uint8, tab *[16][4]float64, invZ, q []float64, st *blockStats, half int)
TEXT ·sweepFastAVX2(SB), NOSPLIT, $0-216
	MOVQ rows_base+0(FP), SI
	MOVQ ptr_base+24(FP), DI
	MOVQ idx_base+48(FP), R10
	MOVQ lam_base+72(FP), R12
	MOVQ h_base+96(FP), R13
	MOVQ invZ_base+152(FP), BX
	MOVQ q_base+176(FP), AX
	MOVQ $0x3FF0000000000000, DX
	VMOVQ DX, X15
	VBROADCASTSD X15, Y15 // 1
	VPCMPEQQ Y14, Y14, Y14
	VPSRLQ $1, Y14, Y14 // the mask of |x|
	VXORPD Y13, Y13, Y13 // 0
	VXORPD Y7, Y7, Y7 // movedW, shocks 0-3
	VXORPD Y8, Y8, Y8 // movedW, shocks 4-7
	VXORPD Y9, Y9, Y9 // qᵀd
	VXORPD Y10, Y10, Y10
	VXORPD Y11, Y11, Y11 // grew
	VXORPD Y12, Y12, Y12
	XORQ CX, CX

row:
	CMPQ CX, rows_len+8(FP)
	JGE  done
	MOVLQSX (SI)(CX*4), R11 // i = rows[m]
	MOVQ (DI)(CX*8), R8 // k = ptr[m]
	MOVQ 8(DI)(CX*8), R9 // ptr[m+1]
	VXORPD Y0, Y0, Y0 // the sums
	VXORPD Y1, Y1, Y1
	CMPQ R8, R9
	JGE  update

entry:
	MOVLQSX (R10)(R8*4), DX // j = idx[k]
	SHLQ $7, DX
	VBROADCASTSD (R12)(R8*8), Y2 // Λ_ij
	VMULPD (R13)(DX*1), Y2, Y3
	VMULPD 32(R13)(DX*1), Y2, Y4
	VADDPD Y3, Y0, Y0
	VADDPD Y4, Y1, Y1
	INCQ R8
	CMPQ R8, R9
	JLT  entry

update:
	MOVQ mask_base+120(FP), R9
	MOVBLZX (R9)(R11*2), R8 // the half's shocks at node i
	MOVQ tab+144(FP), R9
	MOVQ R8, DX
	ANDQ $15, DX
	SHLQ $5, DX
	VADDPD (R9)(DX*1), Y0, Y0 // v = h0_i + sum
	SHRQ $4, R8
	SHLQ $5, R8
	VADDPD (R9)(R8*1), Y1, Y1
	MOVQ R11, DX
	SHLQ $7, DX
	VMINPD Y15, Y0, Y0 // v = min(v, 1)
	VMINPD Y15, Y1, Y1
	VMOVUPD (R13)(DX*1), Y2 // old
	VMOVUPD 32(R13)(DX*1), Y3
	VMOVUPD Y0, (R13)(DX*1)
	VMOVUPD Y1, 32(R13)(DX*1)

	// grew |= old == 0 && v != 0
	VCMPPD $0, Y13, Y2, Y4
	VCMPPD $4, Y13, Y0, Y5
	VANDPD Y5, Y4, Y4
	VORPD  Y4, Y11, Y11
	VCMPPD $0, Y13, Y3, Y4
	VCMPPD $4, Y13, Y1, Y5
	VANDPD Y5, Y4, Y4
	VORPD  Y4, Y12, Y12

	// d = v - old; qd += q_i·d
	VSUBPD Y2, Y0, Y0
	VSUBPD Y3, Y1, Y1
	VBROADCASTSD (AX)(R11*8), Y4
	VMULPD Y0, Y4, Y5
	VADDPD Y5, Y9, Y9
	VMULPD Y1, Y4, Y5
	VADDPD Y5, Y10, Y10

	// movedW = max(movedW, |d|/z_i)
	VBROADCASTSD (BX)(R11*8), Y4
	VANDPD Y14, Y0, Y0
	VMULPD Y4, Y0, Y0
	VMAXPD Y0, Y7, Y7
	VANDPD Y14, Y1, Y1
	VMULPD Y4, Y1, Y1
	VMAXPD Y1, Y8, Y8

	INCQ CX
	JMP  row

done:
	MOVQ st+200(FP), DX
	MOVQ half+208(FP), CX
	MOVQ CX, R8
	SHLQ $6, R8
	ADDQ DX, R8 // the half's movedW and qd are 64·half bytes in
	VMOVUPD Y7, 128(R8)
	VMOVUPD Y8, 160(R8)
	VMOVUPD Y9, 256(R8)
	VMOVUPD Y10, 288(R8)
	VMOVMSKPD Y11, R8
	VMOVMSKPD Y12, R9
	SHLQ $4, R9
	ORQ  R9, R8
	SHLQ $3, CX
	SHLQ CX, R8 // the half's bits of grew are 8·half up
	ORQ  R8, 384(DX)
	VZEROUPPER
	RET

// func deflateAVX2(rows []int32, p, h []float64, mask []uint8, tab *[16][4]float64, c *[blockWidth]float64)
TEXT ·deflateAVX2(SB), NOSPLIT, $0-112
	MOVQ rows_base+0(FP), SI
	MOVQ rows_len+8(FP), CX
	MOVQ p_base+24(FP), DI
	MOVQ h_base+48(FP), R13
	MOVQ mask_base+72(FP), R9
	MOVQ tab+96(FP), R12
	MOVQ c+104(FP), DX
	VMOVUPD (DX), Y10 // c
	VMOVUPD 32(DX), Y11
	MOVQ $0x3FF0000000000000, DX
	VMOVQ DX, X15
	VBROADCASTSD X15, Y15 // 1
	MOVQ $0x3FE0000000000000, DX
	VMOVQ DX, X14
	VBROADCASTSD X14, Y14 // 1/2
	VXORPD Y13, Y13, Y13 // 0
	XORQ R8, R8

node:
	CMPQ R8, CX
	JGE  fin
	MOVLQSX (SI)(R8*4), R11 // i
	INCQ R8
	VMOVSD (DI)(R11*8), X0 // p_i
	VUCOMISD X13, X0
	JEQ  node // p_i = 0: nothing to subtract
	VBROADCASTSD X0, Y0
	MOVBLZX (R9)(R11*2), AX // the half's shocks at node i
	MOVQ AX, BX
	ANDQ $15, AX
	SHLQ $5, AX // h0_i, shocks 0-3: tab[AX/32]
	SHRQ $4, BX
	SHLQ $5, BX // shocks 4-7
	SHLQ $7, R11

	VMOVUPD (R13)(R11*1), Y1 // old, shocks 0-3
	VMULPD Y0, Y10, Y3 // c·p_i
	VSUBPD Y3, Y1, Y3 // old − c·p_i
	VMAXPD (R12)(AX*1), Y3, Y3 // max(·, h0_i)
	VMULPD Y14, Y1, Y4 // old/2
	VMAXPD Y4, Y3, Y3
	VMINPD Y15, Y3, Y3 // min(·, 1)
	VCMPPD $0x0E, Y13, Y1, Y4 // old > 0
	VBLENDVPD Y4, Y3, Y1, Y1
	VMOVUPD Y1, (R13)(R11*1)

	VMOVUPD 32(R13)(R11*1), Y2 // old, shocks 4-7
	VMULPD Y0, Y11, Y3
	VSUBPD Y3, Y2, Y3
	VMAXPD (R12)(BX*1), Y3, Y3
	VMULPD Y14, Y2, Y4
	VMAXPD Y4, Y3, Y3
	VMINPD Y15, Y3, Y3
	VCMPPD $0x0E, Y13, Y2, Y4
	VBLENDVPD Y4, Y3, Y2, Y2
	VMOVUPD Y2, 32(R13)(R11*1)
	JMP  node

fin:
	VZEROUPPER
	RET

// func sweepFastAVX512(rows []int32, ptr []int, idx []int32, lam []float64, h []float64, mask []uint8, tab *[16][4]float64, invZ, q []float64, st *blockStats)
TEXT ·sweepFastAVX512(SB), NOSPLIT, $0-208
	MOVQ rows_base+0(FP), SI
	MOVQ ptr_base+24(FP), DI
	MOVQ idx_base+48(FP), R10
	MOVQ lam_base+72(FP), R12
	MOVQ h_base+96(FP), R13
	MOVQ invZ_base+152(FP), BX
	MOVQ q_base+176(FP), AX
	MOVQ $0x3FF0000000000000, DX
	VPBROADCASTQ DX, Z15 // 1
	MOVQ $0x7FFFFFFFFFFFFFFF, DX
	VPBROADCASTQ DX, Z14 // the mask of |x|
	VPXORQ Z13, Z13, Z13 // 0
	VPXORQ Z7, Z7, Z7 // movedW, shocks 0-7
	VPXORQ Z8, Z8, Z8 // movedW, shocks 8-15
	VPXORQ Z9, Z9, Z9 // qᵀd
	VPXORQ Z10, Z10, Z10
	KXORW K3, K3, K3 // grew, shocks 0-7
	KXORW K4, K4, K4 // grew, shocks 8-15
	XORQ CX, CX

row512:
	CMPQ CX, rows_len+8(FP)
	JGE  done512
	MOVLQSX (SI)(CX*4), R11 // i = rows[m]
	MOVQ (DI)(CX*8), R8 // k = ptr[m]
	MOVQ 8(DI)(CX*8), R9 // ptr[m+1]
	VPXORQ Z0, Z0, Z0 // the sums
	VPXORQ Z1, Z1, Z1
	CMPQ R8, R9
	JGE  update512

entry512:
	MOVLQSX (R10)(R8*4), DX // j = idx[k]
	SHLQ $7, DX
	VBROADCASTSD (R12)(R8*8), Z2 // Λ_ij
	VMULPD (R13)(DX*1), Z2, Z3
	VMULPD 64(R13)(DX*1), Z2, Z4
	VADDPD Z3, Z0, Z0
	VADDPD Z4, Z1, Z1
	INCQ R8
	CMPQ R8, R9
	JLT  entry512

update512:
	// v = h0_i + sum: h0_i is 0 but at a shock's node, and 0 + sum is sum
	// to the bit (sum >= 0), so only the shocks' nodes add it.
	MOVQ mask_base+120(FP), R9
	MOVWLZX (R9)(R11*2), R8 // the shocks at node i
	TESTQ R8, R8
	JNZ  shocked512

apply512:
	MOVQ R11, DX
	SHLQ $7, DX
	VMINPD Z15, Z0, Z0 // v = min(v, 1)
	VMINPD Z15, Z1, Z1
	VMOVUPD (R13)(DX*1), Z2 // old
	VMOVUPD 64(R13)(DX*1), Z3
	VMOVUPD Z0, (R13)(DX*1)
	VMOVUPD Z1, 64(R13)(DX*1)

	// grew |= old == 0 && v != 0
	VCMPPD $0, Z13, Z2, K1
	VCMPPD $4, Z13, Z0, K1, K2
	KORW K2, K3, K3
	VCMPPD $0, Z13, Z3, K1
	VCMPPD $4, Z13, Z1, K1, K2
	KORW K2, K4, K4

	// d = v - old; qd += q_i·d
	VSUBPD Z2, Z0, Z0
	VSUBPD Z3, Z1, Z1
	VBROADCASTSD (AX)(R11*8), Z4
	VMULPD Z0, Z4, Z5
	VADDPD Z5, Z9, Z9
	VMULPD Z1, Z4, Z5
	VADDPD Z5, Z10, Z10

	// movedW = max(movedW, |d|/z_i)
	VBROADCASTSD (BX)(R11*8), Z4
	VPANDQ Z14, Z0, Z0
	VMULPD Z4, Z0, Z0
	VMAXPD Z0, Z7, Z7
	VPANDQ Z14, Z1, Z1
	VMULPD Z4, Z1, Z1
	VMAXPD Z1, Z8, Z8

	INCQ CX
	JMP  row512

shocked512:
	// h0_i for shocks 4m to 4m+3 is tab[nibble m of R8].
	MOVQ tab+144(FP), R9
	MOVQ R8, DX
	ANDQ $15, DX
	SHLQ $5, DX
	VMOVUPD (R9)(DX*1), Y5
	MOVQ R8, DX
	SHRQ $4, DX
	ANDQ $15, DX
	SHLQ $5, DX
	VINSERTF64X4 $1, (R9)(DX*1), Z5, Z5
	VADDPD Z5, Z0, Z0
	MOVQ R8, DX
	SHRQ $8, DX
	ANDQ $15, DX
	SHLQ $5, DX
	VMOVUPD (R9)(DX*1), Y5
	MOVQ R8, DX
	SHRQ $12, DX
	SHLQ $5, DX
	VINSERTF64X4 $1, (R9)(DX*1), Z5, Z5
	VADDPD Z5, Z1, Z1
	JMP  apply512

done512:
	MOVQ st+200(FP), DX
	VMOVUPD Z7, 128(DX)
	VMOVUPD Z8, 192(DX)
	VMOVUPD Z9, 256(DX)
	VMOVUPD Z10, 320(DX)
	KMOVW K3, R8
	KMOVW K4, R9
	SHLQ $8, R9
	ORQ  R9, R8
	MOVQ R8, 384(DX)
	VZEROUPPER
	RET

// func deflateAVX512(rows []int32, p, h []float64, mask []uint8, tab *[16][4]float64, c *[blockWidth]float64)
TEXT ·deflateAVX512(SB), NOSPLIT, $0-112
	MOVQ rows_base+0(FP), SI
	MOVQ rows_len+8(FP), CX
	MOVQ p_base+24(FP), DI
	MOVQ h_base+48(FP), R13
	MOVQ mask_base+72(FP), R9
	MOVQ tab+96(FP), R12
	MOVQ c+104(FP), DX
	VMOVUPD (DX), Z10 // c
	VMOVUPD 64(DX), Z11
	MOVQ $0x3FF0000000000000, DX
	VPBROADCASTQ DX, Z15 // 1
	MOVQ $0x3FE0000000000000, DX
	VPBROADCASTQ DX, Z14 // 1/2
	VPXORQ Z13, Z13, Z13 // 0
	XORQ R8, R8

node512:
	CMPQ R8, CX
	JGE  fin512
	MOVLQSX (SI)(R8*4), R11 // i
	INCQ R8
	VMOVSD (DI)(R11*8), X0 // p_i
	VUCOMISD X13, X0
	JEQ  node512 // p_i = 0: nothing to subtract
	VBROADCASTSD X0, Z0
	MOVWLZX (R9)(R11*2), AX // the shocks at node i
	SHLQ $7, R11

	VMOVUPD (R13)(R11*1), Z1 // old, shocks 0-7
	VMOVUPD 64(R13)(R11*1), Z2 // old, shocks 8-15
	VMULPD Z0, Z10, Z3 // c·p_i
	VSUBPD Z3, Z1, Z3 // old − c·p_i
	VMULPD Z0, Z11, Z4
	VSUBPD Z4, Z2, Z4
	TESTQ AX, AX
	JNZ  h0512

half512:
	// max(·, h0_i) left out where h0_i = 0: old/2 >= 0 follows, and
	// VMAXPD gives its second operand for a NaN or two zeros, so
	// max(max(x, 0), old/2) and max(x, old/2) are the same bits.
	VMULPD Z14, Z1, Z5 // old/2
	VMAXPD Z5, Z3, Z3
	VMINPD Z15, Z3, Z3 // min(·, 1)
	VCMPPD $0x0E, Z13, Z1, K1 // old > 0
	VMOVAPD Z3, K1, Z1
	VMOVUPD Z1, (R13)(R11*1)
	VMULPD Z14, Z2, Z5
	VMAXPD Z5, Z4, Z4
	VMINPD Z15, Z4, Z4
	VCMPPD $0x0E, Z13, Z2, K1
	VMOVAPD Z4, K1, Z2
	VMOVUPD Z2, 64(R13)(R11*1)
	JMP  node512

h0512:
	// max(·, h0_i), h0_i for shocks 4m to 4m+3 tab[nibble m of AX].
	MOVQ AX, DX
	ANDQ $15, DX
	SHLQ $5, DX
	VMOVUPD (R12)(DX*1), Y5
	MOVQ AX, DX
	SHRQ $4, DX
	ANDQ $15, DX
	SHLQ $5, DX
	VINSERTF64X4 $1, (R12)(DX*1), Z5, Z5
	VMAXPD Z5, Z3, Z3
	MOVQ AX, DX
	SHRQ $8, DX
	ANDQ $15, DX
	SHLQ $5, DX
	VMOVUPD (R12)(DX*1), Y5
	MOVQ AX, DX
	SHRQ $12, DX
	SHLQ $5, DX
	VINSERTF64X4 $1, (R12)(DX*1), Z5, Z5
	VMAXPD Z5, Z4, Z4
	JMP  half512

fin512:
	VZEROUPPER
	RET

// func cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL leaf+0(FP), AX
	MOVL sub+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv() (eax, edx uint32)
TEXT ·xgetbv(SB), NOSPLIT, $0-8
	MOVL $0, CX
	XGETBV
	MOVL AX, eax+0(FP)
	MOVL DX, edx+4(FP)
	RET
