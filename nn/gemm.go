package nn

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/reluproof/reluproof/internal/gemm"
)

// The matrix products of the forward and backward passes, in the three
// layouts they need:
//
//	forward   z = a·Wᵀ      gemmNT
//	backward  dW = δᵀ·a     gemmTN
//	backward  δ·W           gemmNN
//
// Tiny products (m·n·k ≤ tinyGemm) run as plain loops on every backend:
// there the fixed cost of a BLAS call (argument checks; for a cgo backend
// the crossing into C) outweighs the arithmetic. On gonum's native Dgemm so
// do products with a dimension of 1 (matrix–vector and outer products: the
// first and last layers of a network with a scalar input or output), for
// which Dgemm calls its axpy kernel once per element of A; OpenBLAS does
// those faster than a scalar Go loop, in vector registers. A blas64
// implementation other than gonum's native one (OpenBLAS under the
// openblas build tag) gets every other product whole, in its own layout.
// Otherwise, on a CPU with AVX-512F or AVX2+FMA (and without the purego
// build tag), every other product runs whole, in its own layout, on
// internal/gemm's packed, register-blocked assembly kernels, which pack
// the transposed operand themselves, 4–6× faster than gonum's native
// Dgemm. Without those kernels, gonum's native Dgemm is several times
// slower on a transposed operand (its Trans×NoTrans path) than on plain
// ones, so for it the transposed operand is first copied into plain
// scratch (in·out or out·batch moves against the product's
// 2·batch·in·out flops) and the product runs NoTrans×NoTrans, in panels
// of at most three 64×64 blocks of C: a larger call fans out to
// goroutines, allocating a closure and a channel per block, where a panel
// runs serially, allocation-free, with axpy updates as long as the whole
// call's.

// tinyGemm is the largest m·n·k computed by a plain loop.
const tinyGemm = 16 * 16 * 16

// gemmBlock is the block edge of gonum's native Dgemm, which goes
// parallel once C has four or more gemmBlock×gemmBlock blocks.
const gemmBlock = 64

// nativeBLAS reports whether blas64 runs on gonum's native implementation.
func nativeBLAS() bool {
	_, ok := blas64.Implementation().(gonum.Implementation)
	return ok
}

// asmKernel reports whether the products that need neither a plain loop
// nor another blas64 implementation run on internal/gemm's assembly
// kernels.
func asmKernel() bool { return gemm.Kernel() != gemm.PureGo }

// gemmNN computes C = A·B + beta·C for row-major A (m×k), B (k×n), C
// (m×n), beta 0 or 1.
func gemmNN(a, b blas64.General, beta float64, c blas64.General) {
	m, n, k := a.Rows, b.Cols, a.Cols
	switch {
	case m*n*k <= tinyGemm || min(m, n, k) == 1 && nativeBLAS():
		loopNN(a, b, beta, c)
	case !nativeBLAS():
		blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, a, b, beta, c)
	case asmKernel():
		gemm.Gemm(blas.NoTrans, blas.NoTrans, 1, a, b, beta, c)
	default:
		panelsNN(a, b, beta, c)
	}
}

// gemmNT computes C = A·Bᵀ + beta·C for A (m×k), B (n×k), C (m×n); for
// gonum's native Dgemm without the assembly kernels it copies Bᵀ into
// scratch (length ≥ k·n) first.
func gemmNT(a, b blas64.General, beta float64, c blas64.General, scratch []float64) {
	m, n, k := a.Rows, b.Rows, a.Cols
	switch {
	case m*n*k <= tinyGemm || min(m, n, k) == 1 && nativeBLAS():
		loopNT(a, b, beta, c)
	case !nativeBLAS():
		blas64.Gemm(blas.NoTrans, blas.Trans, 1, a, b, beta, c)
	case asmKernel():
		gemm.Gemm(blas.NoTrans, blas.Trans, 1, a, b, beta, c)
	default:
		bt := blas64.General{Rows: k, Cols: n, Stride: n, Data: scratch[:k*n]}
		transpose(bt.Data, b, n, k)
		panelsNN(a, bt, beta, c)
	}
}

// gemmTN computes C = Aᵀ·B + beta·C for A (k×m), B (k×n), C (m×n); for
// gonum's native Dgemm without the assembly kernels it copies Aᵀ into
// scratch (length ≥ m·k) first.
func gemmTN(a, b blas64.General, beta float64, c blas64.General, scratch []float64) {
	m, n, k := a.Cols, b.Cols, a.Rows
	switch {
	case m*n*k <= tinyGemm || min(m, n, k) == 1 && nativeBLAS():
		loopTN(a, b, beta, c)
	case !nativeBLAS():
		blas64.Gemm(blas.Trans, blas.NoTrans, 1, a, b, beta, c)
	case asmKernel():
		gemm.Gemm(blas.Trans, blas.NoTrans, 1, a, b, beta, c)
	default:
		at := blas64.General{Rows: m, Cols: k, Stride: k, Data: scratch[:m*k]}
		transpose(at.Data, a, k, m)
		panelsNN(at, b, beta, c)
	}
}

// panelsNN is gemmNN on gonum's native Dgemm, panel by panel, with the
// inner dimension in blocks of kb so that a panel of B (kb×nc, at most
// 256×192 float64s) stays in the L2 cache while the rows of A stream past
// it (measured: the L shape's gradient about 10 % faster than with the whole
// inner dimension of 784).
func panelsNN(a, b blas64.General, beta float64, c blas64.General) {
	m, n, k := a.Rows, b.Cols, a.Cols
	// Columns in nc-wide chunks of at most three blocks, rows in panels
	// of mr so that each call has at most three blocks.
	chunks := (n + 3*gemmBlock - 1) / (3 * gemmBlock)
	nc := (n + chunks - 1) / chunks
	mr := gemmBlock * (3 / ((nc + gemmBlock - 1) / gemmBlock))
	const kb = 256
	for j := 0; j < n; j += nc {
		nj := min(nc, n-j)
		for l := 0; l < k; l += kb {
			kl := min(kb, k-l)
			bt := beta
			if l > 0 {
				bt = 1
			}
			bs := blas64.General{Rows: kl, Cols: nj, Stride: b.Stride, Data: b.Data[l*b.Stride+j:]}
			for i := 0; i < m; i += mr {
				mi := min(mr, m-i)
				as := blas64.General{Rows: mi, Cols: kl, Stride: a.Stride, Data: a.Data[i*a.Stride+l:]}
				cs := blas64.General{Rows: mi, Cols: nj, Stride: c.Stride, Data: c.Data[i*c.Stride+j:]}
				blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, as, bs, bt, cs)
			}
		}
	}
}

// scaleRows sets the m×n matrix C to beta·C for beta 0 or 1.
func scaleRows(beta float64, c blas64.General) {
	if beta == 0 {
		for i := 0; i < c.Rows; i++ {
			clear(c.Data[i*c.Stride : i*c.Stride+c.Cols])
		}
	}
}

// loopNN is gemmNN as a loop of axpy updates of C's rows, skipping zero
// elements of A as gonum's Dgemm does (relu zeroes about half of the
// activations and back-propagated errors).
func loopNN(a, b blas64.General, beta float64, c blas64.General) {
	n, k := b.Cols, a.Cols
	if n == 1 && b.Stride == 1 {
		// One dot product per row of A with B's contiguous column.
		for i := 0; i < a.Rows; i++ {
			s := dot(a.Data[i*a.Stride:i*a.Stride+k], b.Data[:k])
			if beta != 0 {
				s += c.Data[i*c.Stride]
			}
			c.Data[i*c.Stride] = s
		}
		return
	}
	scaleRows(beta, c)
	for i := 0; i < a.Rows; i++ {
		cr := c.Data[i*c.Stride : i*c.Stride+n]
		for l, v := range a.Data[i*a.Stride : i*a.Stride+k] {
			if v == 0 {
				continue
			}
			for j, w := range b.Data[l*b.Stride : l*b.Stride+n] {
				cr[j] += v * w
			}
		}
	}
}

// loopNT is gemmNT as a loop of dot products of A's and B's rows.
func loopNT(a, b blas64.General, beta float64, c blas64.General) {
	k := a.Cols
	if k == 1 && b.Stride == 1 {
		// Outer product of A's column and B's contiguous column.
		bc := b.Data[:b.Rows]
		for i := 0; i < a.Rows; i++ {
			v := a.Data[i*a.Stride]
			cr := c.Data[i*c.Stride : i*c.Stride+len(bc)]
			if beta == 0 {
				for j, w := range bc {
					cr[j] = v * w
				}
			} else {
				for j, w := range bc {
					cr[j] += v * w
				}
			}
		}
		return
	}
	for i := 0; i < a.Rows; i++ {
		ar := a.Data[i*a.Stride : i*a.Stride+k]
		for j := 0; j < b.Rows; j++ {
			s := dot(ar, b.Data[j*b.Stride:j*b.Stride+k])
			if beta != 0 {
				s += c.Data[i*c.Stride+j]
			}
			c.Data[i*c.Stride+j] = s
		}
	}
}

// dot is the dot product of x and y (len(y) ≥ len(x)) in four partial
// sums.
func dot(x, y []float64) float64 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float64
	l := 0
	for ; l+4 <= len(x); l += 4 {
		s0 += x[l] * y[l]
		s1 += x[l+1] * y[l+1]
		s2 += x[l+2] * y[l+2]
		s3 += x[l+3] * y[l+3]
	}
	for ; l < len(x); l++ {
		s0 += x[l] * y[l]
	}
	return (s0 + s1) + (s2 + s3)
}

// loopTN is gemmTN as axpy updates: row l of A scatters
// A[l][i]·B[l][:] into row i of C, skipping zero elements of A.
func loopTN(a, b blas64.General, beta float64, c blas64.General) {
	m, n := a.Cols, b.Cols
	scaleRows(beta, c)
	if n == 1 && c.Stride == 1 {
		// C's contiguous column += B[l]·(row l of A).
		cc := c.Data[:m]
		for l := 0; l < a.Rows; l++ {
			s := b.Data[l*b.Stride]
			for i, v := range a.Data[l*a.Stride : l*a.Stride+m] {
				cc[i] += v * s
			}
		}
		return
	}
	for l := 0; l < a.Rows; l++ {
		br := b.Data[l*b.Stride : l*b.Stride+n]
		for i, v := range a.Data[l*a.Stride : l*a.Stride+m] {
			if v == 0 {
				continue
			}
			cr := c.Data[i*c.Stride : i*c.Stride+n]
			for j, w := range br {
				cr[j] += v * w
			}
		}
	}
}

// transpose writes the transpose of src (r×c) into dst (c×r, plain
// row-major), in 8×8 tiles so that both sides stay in cache.
func transpose(dst []float64, src blas64.General, r, c int) {
	const t = 8
	for i0 := 0; i0 < r; i0 += t {
		i1 := min(i0+t, r)
		for j0 := 0; j0 < c; j0 += t {
			j1 := min(j0+t, c)
			for i := i0; i < i1; i++ {
				row := src.Data[i*src.Stride+j0 : i*src.Stride+j1]
				for j, v := range row {
					dst[(j0+j)*r+i] = v
				}
			}
		}
	}
}
