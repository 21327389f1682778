//go:build !purego

package gemm

import "golang.org/x/sys/cpu"

//go:generate sh -c "cd _asm && go run . -out ../kernel_amd64.s -stubs ../kernel_amd64_stub.go -pkg gemm"

var (
	avx512Kernel = &kernel{name: AVX512, fn: kernelAVX512, mr: 8, nr: 16, kc: 256, mc: 96, nc: 1024}
	avx2Kernel   = &kernel{name: AVX2, fn: kernelAVX2, mr: 6, nr: 8, kc: 256, mc: 96, nc: 1024}
)

// kernels returns the assembly kernels this CPU runs, fastest first
// (cpu.X86's AVX-512 flags include the operating system's support for the
// zmm state).
func kernels() []*kernel {
	var ks []*kernel
	if cpu.X86.HasAVX512F {
		ks = append(ks, avx512Kernel)
	}
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		ks = append(ks, avx2Kernel)
	}
	return ks
}
