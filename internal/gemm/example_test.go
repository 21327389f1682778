package gemm_test

import (
	"fmt"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"

	"github.com/reluproof/reluproof/internal/gemm"
)

// The forward product of a dense layer, z = a·Wᵀ, with W stored as
// out×in: op(B) = Wᵀ without a copy. The result is the same on every
// kernel (these products are exact in float64).
func ExampleGemm() {
	a := blas64.General{Rows: 2, Cols: 3, Stride: 3, Data: []float64{1, 2, 3, 4, 5, 6}}
	w := blas64.General{Rows: 2, Cols: 3, Stride: 3, Data: []float64{1, 0, -1, 0.5, 0.5, 0.5}}
	z := blas64.General{Rows: 2, Cols: 2, Stride: 2, Data: make([]float64, 4)}
	gemm.Gemm(blas.NoTrans, blas.Trans, 1, a, w, 0, z)
	fmt.Println(z.Data)
	// Output: [-2 3 -2 7.5]
}
