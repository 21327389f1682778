//go:build !purego

package vec

import "golang.org/x/sys/cpu"

//go:generate sh -c "cd _asm && go run . -out ../vec_amd64.s -stubs ../vec_amd64_stub.go -pkg vec"

// useAVX is whether the passes run on their AVX kernels. A variable, so
// that the tests can run the Go path on the same CPU.
var useAVX = cpu.X86.HasAVX
