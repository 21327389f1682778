// Package gemm multiplies row-major float64 matrices,
// C = alpha·op(A)·op(B) + beta·C, with the semantics of gonum's Dgemm, on
// register-blocked AVX-512F or AVX2+FMA micro-kernels where the CPU has
// them and on gonum's pure-Go Dgemm everywhere else.
//
// The blocked path is BLIS/GotoBLAS-style: op(B) is packed in panels of
// kc rows, op(A) in blocks of mc×kc that stay in the L2 cache, and a
// micro-kernel written in Go assembly (generated with avo by the _asm
// module beside this file) computes an mr×nr tile of C from a packed
// micro-panel of each, with one fused multiply–add per term. Tiles on the
// edge of C are computed into a small buffer and copied out, so no matrix
// is copied whole. A product of at least 2^22 multiply–adds is split by
// columns between the caller and one helper goroutine when GOMAXPROCS > 1
// (see run); each half computes its columns exactly as the serial product
// does, so for a fixed kernel the result is the same, bit for bit, from
// run to run and at any GOMAXPROCS.
//
// The kernel is chosen at initialisation with golang.org/x/sys/cpu:
// AVX-512F, else AVX2 with FMA, else pure Go. The purego build tag, or the
// environment variable RELUPROOF_GEMM=avx2 (or purego) read at
// initialisation, restricts the choice, so that the slower paths can be
// tested and measured on a faster CPU; UseKernel does the same at run time.
package gemm
