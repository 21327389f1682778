package nn

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
)

// Every matrix product of the forward and backward passes goes through
// gemm, in the NoTrans×NoTrans layout on plain row-major operands: the
// fast path of gonum's native Dgemm (its Trans×NoTrans path is several
// times slower), and no worse than any other layout for OpenBLAS.

// tinyGemm is the largest m·n·k computed by the loop of gemmTiny: below it
// the fixed cost of a BLAS call (argument checks, and for a cgo backend
// the crossing into C) outweighs the arithmetic.
const tinyGemm = 16 * 16 * 16

// gemmBlock is the block edge of gonum's native Dgemm, which goes
// parallel once C has four or more gemmBlock×gemmBlock blocks.
const gemmBlock = 64

// gemm computes C = A·B + beta·C for row-major A (m×k), B (k×n) and C
// (m×n), beta 0 or 1.
//
// Tiny products and matrix–vector products (n = 1, the output layer of a
// scalar network) run as plain loops: there the fixed cost of a BLAS call,
// or for gonum's Dgemm one call of its axpy kernel per element of A,
// outweighs the arithmetic. Any blas64 implementation other than gonum's
// native one (OpenBLAS under the openblas build tag) gets every other
// product whole. gonum's native Dgemm gets it in panels of at most three
// 64×64 blocks of C, each with the full inner dimension: a larger call
// would fan out to goroutines, allocating a closure and a channel per
// block, and a panel keeps the rows of its axpy updates as long as the
// whole call would.
func gemm(a, b blas64.General, beta float64, c blas64.General) {
	m, n, k := a.Rows, b.Cols, a.Cols
	switch {
	case m*n*k <= tinyGemm:
		gemmTiny(a, b, beta, c)
		return
	case n == 1:
		gemv(a, b, beta, c)
		return
	}
	if _, native := blas64.Implementation().(gonum.Implementation); !native {
		blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, a, b, beta, c)
		return
	}
	// Columns in nc-wide chunks of at most three blocks, rows in panels
	// of mr so that each call has at most three blocks.
	chunks := (n + 3*gemmBlock - 1) / (3 * gemmBlock)
	nc := (n + chunks - 1) / chunks
	mr := gemmBlock * (3 / ((nc + gemmBlock - 1) / gemmBlock))
	for j := 0; j < n; j += nc {
		nj := min(nc, n-j)
		bs := blas64.General{Rows: k, Cols: nj, Stride: b.Stride, Data: b.Data[j:]}
		for i := 0; i < m; i += mr {
			mi := min(mr, m-i)
			as := blas64.General{Rows: mi, Cols: k, Stride: a.Stride, Data: a.Data[i*a.Stride:]}
			cs := blas64.General{Rows: mi, Cols: nj, Stride: c.Stride, Data: c.Data[i*c.Stride+j:]}
			blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, as, bs, beta, cs)
		}
	}
}

// gemv is gemm for n = 1: C's column is A times B's column, one dot
// product per row in four independent partial sums.
func gemv(a, b blas64.General, beta float64, c blas64.General) {
	k := a.Cols
	x := b.Data[: (k-1)*b.Stride+1 : (k-1)*b.Stride+1]
	for i := 0; i < a.Rows; i++ {
		row := a.Data[i*a.Stride : i*a.Stride+k]
		var s0, s1, s2, s3 float64
		l := 0
		if b.Stride == 1 {
			x := x[:k]
			for ; l+4 <= k; l += 4 {
				s0 += row[l] * x[l]
				s1 += row[l+1] * x[l+1]
				s2 += row[l+2] * x[l+2]
				s3 += row[l+3] * x[l+3]
			}
		}
		for ; l < k; l++ {
			s0 += row[l] * x[l*b.Stride]
		}
		s := (s0 + s1) + (s2 + s3)
		if beta != 0 {
			s += c.Data[i*c.Stride]
		}
		c.Data[i*c.Stride] = s
	}
}

// gemmTiny is gemm as a plain loop, row by row with axpy updates, skipping
// zero elements of A as gonum's Dgemm does (relu zeroes about half of the
// activations and back-propagated errors).
func gemmTiny(a, b blas64.General, beta float64, c blas64.General) {
	n, k := b.Cols, a.Cols
	for i := 0; i < a.Rows; i++ {
		cr := c.Data[i*c.Stride : i*c.Stride+n]
		if beta == 0 {
			clear(cr)
		}
		for l, v := range a.Data[i*a.Stride : i*a.Stride+k] {
			if v == 0 {
				continue
			}
			br := b.Data[l*b.Stride : l*b.Stride+n]
			for j, w := range br {
				cr[j] += v * w
			}
		}
	}
}

// transpose writes the transpose of src (r×c) into dst (c×r), both plain
// row-major, in 8×8 tiles so that both sides stay in cache.
func transpose(dst, src []float64, r, c int) {
	const t = 8
	for i0 := 0; i0 < r; i0 += t {
		i1 := min(i0+t, r)
		for j0 := 0; j0 < c; j0 += t {
			j1 := min(j0+t, c)
			for i := i0; i < i1; i++ {
				row := src[i*c+j0 : i*c+j1]
				for j, v := range row {
					dst[(j0+j)*r+i] = v
				}
			}
		}
	}
}
