package gemm

import (
	"runtime"
	"sync/atomic"

	"gonum.org/v1/gonum/blas/blas64"
)

// splitWork is the number of multiply–adds, m·n·k, from which a product on
// an assembly kernel is split in two by columns when GOMAXPROCS > 1: the
// products of the benchmark shape L (784-256-256-10, batch 128) are 8–26
// million, those of S and M about a million, below the cost of handing
// work to another goroutine.
const splitWork = 1 << 22

// splitOn is whether Gemm may split (a variable so that the tests can
// compare the split products with the serial ones).
var splitOn atomic.Bool

func init() { splitOn.Store(true) }

// half is the second half of a split product, as blocked's arguments.
type half struct {
	kern           *kernel
	transA, transB bool
	m, n, k        int
	alpha, beta    float64
	a, b, c        blas64.General
}

// helper is the one goroutine that computes second halves, started at the
// first split. A call that finds it busy (another goroutine's product)
// computes both halves itself, so a split never waits for a third product.
var helper struct {
	busy    atomic.Bool
	started atomic.Bool
	jobs    chan half
	done    chan struct{}
}

// splits counts the products split so far, for the tests.
var splits atomic.Int64

// run computes the product on kern, split in two by columns of C when it
// is large enough and another processor may run: columns [0, n₀) here and
// [n₀, n) on the helper goroutine, n₀ a multiple of the kernel's nr near
// n/2 (no split when there is no such n₀ in (0, n): n ≤ nr). Each half is the serial product of its columns: the tiles of C fall
// on the same multiples of nr and each element is summed over the same
// kc-blocks in the same order, so the result is the serial one bit for
// bit, at any GOMAXPROCS. Handing a half over sends a value on a channel
// and allocates nothing.
func run(kern *kernel, transA, transB bool, m, n, k int, alpha float64, a, b blas64.General, beta float64, c blas64.General) {
	n0 := (n/2 + kern.nr - 1) / kern.nr * kern.nr
	if !splitOn.Load() || m*n*k < splitWork || n0 == 0 || n0 >= n || runtime.GOMAXPROCS(0) < 2 || !helper.busy.CompareAndSwap(false, true) {
		blocked(kern, transA, transB, m, n, k, alpha, a, b, beta, c)
		return
	}
	if !helper.started.Load() {
		helper.jobs, helper.done = make(chan half, 1), make(chan struct{}, 1)
		helper.started.Store(true)
		go func() {
			for h := range helper.jobs {
				blocked(h.kern, h.transA, h.transB, h.m, h.n, h.k, h.alpha, h.a, h.b, h.beta, h.c)
				helper.done <- struct{}{}
			}
		}()
	}
	splits.Add(1)
	b0, b1 := columns(b, transB, 0, n0), columns(b, transB, n0, n)
	c0, c1 := columns(c, false, 0, n0), columns(c, false, n0, n)
	helper.jobs <- half{kern: kern, transA: transA, transB: transB, m: m, n: n - n0, k: k, alpha: alpha, beta: beta, a: a, b: b1, c: c1}
	blocked(kern, transA, transB, m, n0, k, alpha, a, b0, beta, c0)
	<-helper.done
	helper.busy.Store(false)
}

// columns returns columns j0…j1−1 of op(g): of g itself, or the rows of g
// when trans is true.
func columns(g blas64.General, trans bool, j0, j1 int) blas64.General {
	if trans {
		return blas64.General{Rows: j1 - j0, Cols: g.Cols, Stride: g.Stride, Data: g.Data[j0*g.Stride:]}
	}
	return blas64.General{Rows: g.Rows, Cols: j1 - j0, Stride: g.Stride, Data: g.Data[j0:]}
}
