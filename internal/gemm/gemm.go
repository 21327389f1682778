package gemm

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
)

// Gemm computes C = alpha·op(A)·op(B) + beta·C for row-major float64
// matrices, where op(X) is X for blas.NoTrans and Xᵀ for blas.Trans (or
// blas.ConjTrans), op(A) is m×k, op(B) is k×n and C is m×n. As in gonum's
// Dgemm, C is not read when beta is 0 (a NaN in C is overwritten), A and B
// are not read when alpha is 0 or k is 0, and C is not written when m or n
// is 0. C must not share memory with A or B.
//
// Gemm panics, with a message that starts "gemm: ", on an unknown
// transpose, mismatched dimensions, a stride below a matrix's column count
// (or below 1) and data too short for the rows, columns and stride.
//
// On an AVX-512F or AVX2+FMA kernel each element of op(A)·op(B) is summed
// over the inner dimension in order, with one fused multiply–add per
// term, in blocks of the kernel's panel depth; every element of C is within
// γ_{k+⌈k/kc⌉+3}·(|alpha|·(|op(A)|·|op(B)|)ᵢⱼ + |beta·cᵢⱼ|) of the exact
// value, γ_n = n·u/(1−n·u), u = 2⁻⁵³. A product of at least 2^22
// multiply–adds may run on two goroutines, with the same result bit for
// bit. Gemm is safe for concurrent use;
// each call takes a workspace of packing buffers (about 2.2 MB) from a
// free list and returns it, so it allocates only when more calls than
// ever before run at once.
func Gemm(tA, tB blas.Transpose, alpha float64, a, b blas64.General, beta float64, c blas64.General) {
	transA, transB := trans(tA), trans(tB)
	m, k := a.Rows, a.Cols
	if transA {
		m, k = k, m
	}
	kb, n := b.Rows, b.Cols
	if transB {
		kb, n = n, kb
	}
	switch {
	case k != kb:
		panic("gemm: inner dimensions of op(A) and op(B) differ")
	case c.Rows != m || c.Cols != n:
		panic("gemm: C's shape is not op(A)'s rows × op(B)'s columns")
	}
	check(a, "A")
	check(b, "B")
	check(c, "C")
	if m == 0 || n == 0 {
		return
	}
	if alpha == 0 || k == 0 {
		scale(beta, c)
		return
	}
	kern := active.Load()
	if kern == nil {
		gonum.Implementation{}.Dgemm(tA, tB, m, n, k, alpha, a.Data, a.Stride, b.Data, b.Stride, beta, c.Data, c.Stride)
		return
	}
	run(kern, transA, transB, m, n, k, alpha, a, b, beta, c)
}

// trans reports whether t transposes.
func trans(t blas.Transpose) bool {
	switch t {
	case blas.NoTrans:
		return false
	case blas.Trans, blas.ConjTrans:
		return true
	}
	panic("gemm: unknown transpose")
}

// check panics if g's stride or data cannot hold its rows and columns.
func check(g blas64.General, name string) {
	switch {
	case g.Rows < 0 || g.Cols < 0:
		panic("gemm: negative dimension of " + name)
	case g.Stride < max(1, g.Cols):
		panic("gemm: stride of " + name + " below its columns")
	case g.Rows > 0 && g.Cols > 0 && len(g.Data) < (g.Rows-1)*g.Stride+g.Cols:
		panic("gemm: data of " + name + " too short")
	}
}

// scale sets C to beta·C, to zeros when beta is 0.
func scale(beta float64, c blas64.General) {
	if beta == 1 {
		return
	}
	for i := 0; i < c.Rows; i++ {
		row := c.Data[i*c.Stride : i*c.Stride+c.Cols]
		if beta == 0 {
			clear(row)
			continue
		}
		for j := range row {
			row[j] *= beta
		}
	}
}
