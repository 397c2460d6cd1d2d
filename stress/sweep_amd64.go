package stress

import "golang.org/x/sys/cpu"

// haveAVX2 reports whether the AVX2 kernels can run: the processor and the
// operating system support 256-bit vectors.
func haveAVX2() bool { return cpu.X86.HasAVX2 }

// sweepFastAVX2 is sweepFast in AVX2 (sweep_amd64.s): each row's sums and
// updates for the block's eight shocks in two 4-wide registers, with the
// same operations in the same order, so the same bits. The slices are
// those of a shockSolver and its ExposureNetwork: every index in rows and
// inIdx is a node, h holds blockWidth values a node and mask one byte a
// node (see blockShocks).
//
//go:noescape
func sweepFastAVX2(rows []int32, inPtr []int, inIdx []int32, inLam []float64, h []float64, mask []uint8, tab *[16][4]float64, invZ, q []float64, st *blockStats)

// deflateAVX2 is deflate in AVX2, with the same bits.
//
//go:noescape
func deflateAVX2(rows []int32, p, h []float64, mask []uint8, tab *[16][4]float64, c *[blockWidth]float64)
