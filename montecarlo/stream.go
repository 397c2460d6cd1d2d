package montecarlo

// Per-path random streams.
//
// Source: the mixing function is the SplitMix64 finalizer, variant "Mix13"
// of D. Stafford (2011), "Better bit mixing — improving on MurmurHash3's
// 64-bit finalizer", as used by G. L. Steele, D. Lea and C. H. Flood (2014),
// "Fast splittable pseudorandom number generators", OOPSLA '14, and by
// java.util.SplittableRandom. PCG is M. E. O'Neill (2014), "PCG: a family of
// simple fast space-efficient statistically good algorithms for random number
// generation", HMC-CS-2014-0905, as implemented by math/rand/v2.

import "math/rand/v2"

// golden is 2^64 divided by the golden ratio, the SplitMix64 increment.
const golden = 0x9e3779b97f4a7c15

// mix64 is the SplitMix64 finalizer (Stafford's Mix13): a bijection on
// uint64 in which every input bit affects every output bit.
func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// streamSeed returns the two PCG seed words of path under seed.
//
// Raw (seed, path) pairs would start the PCG's 128-bit LCG states a fixed
// offset apart for adjacent paths, the "related seeds" case that can
// correlate PCG streams (imneme/pcg-cpp#90, numpy/numpy#16313). Both words
// go through the finalizer instead. For a fixed seed, hi is a bijection of
// path (mix64 and XOR with a constant are bijections), so distinct paths
// always get distinct generator states.
func streamSeed(seed, path uint64) (hi, lo uint64) {
	hi = mix64(mix64(seed) ^ path)
	lo = mix64(hi + golden)
	return hi, lo
}

// Stream returns the random source of path under seed: a PCG whose state
// depends on (seed, path) only, so a path draws the same numbers whichever
// worker or shard runs it. It allocates; in a loop, reuse one source with
// Reseed.
func Stream(seed, path uint64) *rand.PCG {
	hi, lo := streamSeed(seed, path)
	return rand.NewPCG(hi, lo)
}

// Reseed resets src to the start of the stream of path under seed, without
// allocating. Afterwards src produces exactly what Stream(seed, path) would.
// A *rand.Rand wrapping src needs no reset: in math/rand/v2 it holds no state
// besides its source.
func Reseed(src *rand.PCG, seed, path uint64) {
	src.Seed(streamSeed(seed, path))
}
