#include "textflag.h"

// The AVX2 kernels of the all-shocks DebtRank sweeps (debtrank_block.go):
// sweepFast and deflate with the eight shocks of a block in two 4-wide
// registers. Each operation is the one the Go code does, on the same
// operands in the same order (the sums of each column run over the entries
// in order, products rounded before they are added: no fused multiply-add),
// so the stresses are the same bits. VMINPD and VMAXPD differ from Go's min
// and max only for NaN and signed zeros, which the stresses never are.

// func sweepFastAVX2(rows []int32, inPtr []int, inIdx []int32, inLam []float64, h []float64, mask []uint8, tab *[16][4]float64, invZ, q []float64, st *blockStats)
TEXT ·sweepFastAVX2(SB), NOSPLIT, $0-208
	MOVQ rows_base+0(FP), SI
	MOVQ inPtr_base+24(FP), DI
	MOVQ inIdx_base+48(FP), R10
	MOVQ inLam_base+72(FP), R12
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
	MOVLQSX (SI)(CX*4), R11 // i
	MOVQ (DI)(R11*8), R8 // k = inPtr[i]
	MOVQ 8(DI)(R11*8), R9 // inPtr[i+1]
	VXORPD Y0, Y0, Y0 // the sums
	VXORPD Y1, Y1, Y1
	CMPQ R8, R9
	JGE  update

entry:
	MOVLQSX (R10)(R8*4), DX // j = inIdx[k]
	SHLQ $6, DX
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
	MOVBLZX (R9)(R11*1), R8 // the shocks at node i
	MOVQ tab+144(FP), R9
	MOVQ R8, DX
	ANDQ $15, DX
	SHLQ $5, DX
	VADDPD (R9)(DX*1), Y0, Y0 // v = h0_i + sum
	SHRQ $4, R8
	SHLQ $5, R8
	VADDPD (R9)(R8*1), Y1, Y1
	MOVQ R11, DX
	SHLQ $6, DX
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
	VMOVUPD Y7, 64(DX)
	VMOVUPD Y8, 96(DX)
	VMOVUPD Y9, 128(DX)
	VMOVUPD Y10, 160(DX)
	VMOVMSKPD Y11, R8
	VMOVMSKPD Y12, R9
	SHLQ $4, R9
	ORQ  R9, R8
	MOVQ R8, 192(DX)
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
	MOVBLZX (R9)(R11*1), AX // the shocks at node i
	MOVQ AX, BX
	ANDQ $15, AX
	SHLQ $5, AX // h0_i, shocks 0-3: tab[AX/32]
	SHRQ $4, BX
	SHLQ $5, BX // shocks 4-7
	SHLQ $6, R11

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
