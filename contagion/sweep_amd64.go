package contagion

import "runtime"

// haveKernel reports whether kernel k can run here: the processor and the
// operating system support its vectors (AVX2: 256 bits, AVX-512: 512 bits
// and the mask registers).
//
// It asks the processor at each call (bestKernel calls it once for each
// set of shocks) instead of reading golang.org/x/sys/cpu, whose package
// initialization asks at the start of every program that links it: under
// a hypervisor, which traps CPUID, that took 77 µs of each start of
// roundtrip-net, for the one command that uses the answer. The tests check
// that both agree.
func haveKernel(k sweepKernel) bool {
	switch k {
	case kernelAVX512:
		return x86Vectors().avx512f
	case kernelAVX2:
		return x86Vectors().avx2
	}
	return true
}

// vectorSupport says which vector extensions the processor has and the
// operating system saves on a context switch.
type vectorSupport struct{ avx2, avx512f bool }

// x86Vectors reads the processor's feature bits (Intel SDM vol. 2A,
// CPUID leaves 1 and 7) and the register state the operating system has
// enabled (XCR0 by XGETBV, SDM vol. 1 §13.3), as golang.org/x/sys/cpu
// does: AVX2 needs the XMM and YMM state, AVX-512 the opmask, ZMM_Hi256
// and Hi16_ZMM state too.
func x86Vectors() vectorSupport {
	const (
		osxsave  = 1 << 27 // leaf 1, ECX
		avx2     = 1 << 5  // leaf 7, EBX
		avx512f  = 1 << 16 // leaf 7, EBX
		ymmState = 0x6     // XCR0: SSE and AVX
		zmmState = 0xe0    // XCR0: opmask, ZMM_Hi256, Hi16_ZMM
	)
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return vectorSupport{}
	}
	_, _, ecx1, _ := cpuid(1, 0)
	if ecx1&osxsave == 0 {
		return vectorSupport{}
	}
	xcr0, _ := xgetbv()
	_, ebx7, _, _ := cpuid(7, 0)
	osAVX := xcr0&ymmState == ymmState
	return vectorSupport{
		avx2: osAVX && ebx7&avx2 != 0,
		// macOS enables the AVX-512 state lazily, at a program's first
		// AVX-512 instruction, so XCR0 does not show it; rather than ask
		// the kernel (as x/sys/cpu does) roundtrip runs the AVX2 kernels
		// there, which give the same bits.
		avx512f: osAVX && xcr0&zmmState == zmmState && ebx7&avx512f != 0 && runtime.GOOS != "darwin",
	}
}

// cpuid executes CPUID with EAX = leaf and ECX = sub (sweep_amd64.s).
func cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32)

// xgetbv executes XGETBV with ECX = 0: XCR0's low and high halves
// (sweep_amd64.s). Call it only when CPUID says OSXSAVE.
func xgetbv() (eax, edx uint32)

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
