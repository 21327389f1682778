//go:build openblas

package gemm

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/netlib/blas/netlib"
)

// Under the openblas tag the benchmarks also time the system's CBLAS
// through gonum.org/v1/netlib (cgo); link with CGO_LDFLAGS=-lopenblas.
func init() {
	extraContenders = append(extraContenders, contender{"openblas", func(a, b, c blas64.General) {
		netlib.Implementation{}.Dgemm(blas.NoTrans, blas.NoTrans, c.Rows, c.Cols, a.Cols, 1, a.Data, a.Stride, b.Data, b.Stride, 0, c.Data, c.Stride)
	}})
}
