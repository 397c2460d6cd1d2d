package contagion

import "golang.org/x/sys/cpu"

// haveKernel reports whether kernel k can run here: the processor and the
// operating system support its vectors (AVX2: 256 bits, AVX-512: 512 bits
// and the mask registers).
func haveKernel(k sweepKernel) bool {
	switch k {
	case kernelAVX512:
		return cpu.X86.HasAVX512F
	case kernelAVX2:
		return cpu.X86.HasAVX2
	}
	return true
}

// sweepFastAVX2 is sweepFast in AVX2 (sweep_amd64.s) for one half of the
// block: the shocks halfWidth·half to halfWidth·half + 7, whose stresses
// start at h (the block's h[halfWidth·half:]) and whose bits of the shock
// mask at mask (the block's mask[half:]). It keeps each row's sums and updates in two
// 4-wide registers, with the same operations in the same order as
// sweepFast, so the same bits, and writes the half's share of st. The
// slices are those of a shockSolver: every index in rows and idx is a
// node, ptr has an entry more than rows, h holds blockWidth values a node
// and mask two bytes a node (see blockShocks).
//
//go:noescape
func sweepFastAVX2(rows []int32, ptr []int, idx []int32, lam []float64, h []float64, mask []uint8, tab *[16][4]float64, invZ, q []float64, st *blockStats, half int)

// deflateAVX2 is deflate in AVX2 for one half of the block (h, mask as
// for sweepFastAVX2, c the half's corrections), with the same bits.
//
//go:noescape
func deflateAVX2(rows []int32, p, h []float64, mask []uint8, tab *[16][4]float64, c *[halfWidth]float64)

// sweepFastAVX512 is sweepFast in AVX-512 for the whole block, each row's
// sums and updates in two 8-wide registers, with the same bits.
//
//go:noescape
func sweepFastAVX512(rows []int32, ptr []int, idx []int32, lam []float64, h []float64, mask []uint8, tab *[16][4]float64, invZ, q []float64, st *blockStats)

// deflateAVX512 is deflate in AVX-512, with the same bits.
//
//go:noescape
func deflateAVX512(rows []int32, p, h []float64, mask []uint8, tab *[16][4]float64, c *[blockWidth]float64)
