//go:build !amd64

package contagion

// haveKernel reports whether kernel k can run here: only kernelGo, the
// vector kernels being amd64 only.
func haveKernel(k sweepKernel) bool { return k == kernelGo }

func sweepFastAVX2(rows []int32, ptr []int, idx []int32, lam []float64, h []float64, mask []uint8, tab *[16][4]float64, invZ, q []float64, st *blockStats, half int) {
	panic("contagion: sweepFastAVX2 without AVX2")
}

func deflateAVX2(rows []int32, p, h []float64, mask []uint8, tab *[16][4]float64, c *[halfWidth]float64) {
	panic("contagion: deflateAVX2 without AVX2")
}

func sweepFastAVX512(rows []int32, ptr []int, idx []int32, lam []float64, h []float64, mask []uint8, tab *[16][4]float64, invZ, q []float64, st *blockStats) {
	panic("contagion: sweepFastAVX512 without AVX-512")
}

func deflateAVX512(rows []int32, p, h []float64, mask []uint8, tab *[16][4]float64, c *[blockWidth]float64) {
	panic("contagion: deflateAVX512 without AVX-512")
}
