package contagion

import (
	"runtime"
	"testing"

	"golang.org/x/sys/cpu"
)

// TestX86Vectors: haveKernel's own reading of CPUID and XCR0 agrees with
// golang.org/x/sys/cpu's, which it replaced to keep CPUID out of every
// program's start (on macOS, AVX-512 is left to x/sys/cpu's kernel query
// and x86Vectors says no).
func TestX86Vectors(t *testing.T) {
	got := x86Vectors()
	want := vectorSupport{avx2: cpu.X86.HasAVX2, avx512f: cpu.X86.HasAVX512F && runtime.GOOS != "darwin"}
	if got != want {
		t.Errorf("x86Vectors() = %+v, x/sys/cpu says %+v", got, want)
	}
	if haveKernel(kernelAVX2) != got.avx2 || haveKernel(kernelAVX512) != got.avx512f || !haveKernel(kernelGo) {
		t.Errorf("haveKernel disagrees with x86Vectors() = %+v", got)
	}
	t.Logf("here: %+v", got)
}
