package gemm

import (
	"fmt"
	"os"
	"sync/atomic"
)

// A kernel is a micro-kernel and the blocking that suits it.
type kernel struct {
	name string
	// fn computes one mr×nr tile C = alpha·A·B + beta·C (without reading
	// C when beta is ±0) from a packed mr×k micro-panel of A (a[p·mr+i])
	// and a packed k×nr micro-panel of B (b[p·nr+j]), k ≥ 1; C is
	// row-major with row stride ldc.
	fn     func(k int, a, b, c *float64, ldc int, alpha, beta float64)
	mr, nr int
	// kc is the depth of a packed panel, mc the rows of a packed block of
	// A (a multiple of mr), nc the columns of a packed panel of B.
	kc, mc, nc int
	// workspaces holds the packing buffers of finished calls.
	workspaces workspaces
}

// Names of the kernels.
const (
	AVX512 = "avx512"
	AVX2   = "avx2"
	PureGo = "purego"
)

// active is the kernel Gemm uses; nil means gonum's pure-Go Dgemm.
var active atomic.Pointer[kernel]

// EnvVar is the environment variable that restricts the kernel chosen at
// initialisation: "avx2" or "purego" (a kernel the CPU lacks, or an
// unknown name, leaves the default).
const EnvVar = "RELUPROOF_GEMM"

func init() {
	ks := kernels()
	if len(ks) > 0 {
		active.Store(ks[0])
	}
	if name := os.Getenv(EnvVar); name != "" {
		UseKernel(name)
	}
}

// Kernel returns the name of the kernel Gemm uses: AVX512, AVX2 or PureGo.
func Kernel() string {
	if k := active.Load(); k != nil {
		return k.name
	}
	return PureGo
}

// Kernels returns the names of the kernels this CPU and build can run,
// fastest first; the last is always PureGo.
func Kernels() []string {
	var names []string
	for _, k := range kernels() {
		names = append(names, k.name)
	}
	return append(names, PureGo)
}

// UseKernel makes Gemm use the named kernel (one of Kernels) from now on,
// in every goroutine, and returns the name of the kernel it used before;
// it returns an error, and changes nothing, for a name not in Kernels. It
// is for tests and benchmarks that compare the kernels in one process.
func UseKernel(name string) (string, error) {
	prev := Kernel()
	if name == PureGo {
		active.Store(nil)
		return prev, nil
	}
	for _, k := range kernels() {
		if k.name == name {
			active.Store(k)
			return prev, nil
		}
	}
	return prev, fmt.Errorf("gemm: no kernel %q on this CPU and build (have %v)", name, Kernels())
}
