//go:build !amd64

package stress

// haveAVX2 reports whether the AVX2 kernels can run: only on amd64.
func haveAVX2() bool { return false }

func sweepFastAVX2(rows []int32, inPtr []int, inIdx []int32, inLam []float64, h []float64, mask []uint8, tab *[16][4]float64, invZ, q []float64, st *blockStats) {
	panic("stress: sweepFastAVX2 without AVX2")
}

func deflateAVX2(rows []int32, p, h []float64, mask []uint8, tab *[16][4]float64, c *[blockWidth]float64) {
	panic("stress: deflateAVX2 without AVX2")
}
