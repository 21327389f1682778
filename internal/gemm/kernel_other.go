//go:build purego || !amd64

package gemm

// kernels returns no assembly kernels: Gemm runs on gonum's pure-Go Dgemm.
func kernels() []*kernel { return nil }
