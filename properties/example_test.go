package properties_test

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/reluproof/reluproof/nn"
	"github.com/reluproof/reluproof/properties"
)

// GradCheck on your own function: f(x) = x₀²·x₁ + sin x₁ with its gradient
// written by hand, then the same gradient with a typical bug.
func ExampleGradCheck() {
	f := func(x []float64) float64 { return x[0]*x[0]*x[1] + math.Sin(x[1]) }
	grad := func(dst, x []float64) {
		dst[0] = 2 * x[0] * x[1]
		dst[1] = x[0]*x[0] + math.Cos(x[1])
	}
	x := []float64{1.5, -0.5}
	res, err := properties.GradCheck(properties.Function{F: f, Grad: grad, What: "∂f/∂x"}, x, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Pass, res.Checked)

	// The bug: d/dx sin x written as sin x.
	wrong := func(dst, x []float64) {
		grad(dst, x)
		dst[1] = x[0]*x[0] + math.Sin(x[1])
	}
	res, _ = properties.GradCheck(properties.Function{F: f, Grad: wrong, What: "∂f/∂x"}, x, nil)
	fmt.Println(res.Err())
	// Output:
	// true 2
	// properties: ∂f/∂x: x[1]: analytic 1.77057, numeric 3.12758 (relative error 0.434, tolerance 1e-06, step 7.63e-06); 1 of 2 coordinates failed, 0 skipped at kinks
}

// A kink-aware check of a piecewise-linear function: Pattern tells the
// checker which side of the kink x lies on, so the step shrinks near it and
// a point exactly on it is skipped rather than passed.
func ExampleGradCheck_kinks() {
	hinge := properties.Function{
		F: func(x []float64) float64 { return math.Max(0, 1-x[0]) },
		Grad: func(dst, x []float64) {
			dst[0] = 0
			if x[0] < 1 {
				dst[0] = -1
			}
		},
		Pattern: func(x []float64) []int {
			if x[0] < 1 {
				return []int{0}
			}
			return []int{1}
		},
		CentralExact: true, // affine on each side: the central difference is exact
	}
	for _, x := range []float64{0.5, 1 - 1e-7, 1} {
		res, _ := properties.GradCheck(hinge, []float64{x}, nil)
		fmt.Printf("x = %v: pass %v, shrunk %d, skipped %d\n", x, res.Pass, res.Shrunk, len(res.Skipped))
	}
	// Output:
	// x = 0.5: pass true, shrunk 0, skipped 0
	// x = 0.9999999: pass true, shrunk 1, skipped 0
	// x = 1: pass false, shrunk 0, skipped 1
}

// GradCheckNetwork checks every weight and bias of a network; a failure
// would name the parameter as "layer 2, W[0][1]".
func ExampleGradCheckNetwork() {
	net, err := nn.New([]int{2, 3, 1}, nn.ReLU, nn.Identity, 1)
	if err != nil {
		panic(err)
	}
	x := mat.NewDense(2, 2, []float64{0.5, -1, 2, 0.25})
	t := mat.NewDense(2, 1, []float64{1, 0})
	res, err := properties.GradCheckNetwork(net, x, t, nn.MSE, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Pass, res.Checked, res.Tol, res.MaxRelErr < 1e-9)
	// Output:
	// true 13 1e-09 true
}
