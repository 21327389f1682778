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

// DirectionalCheck compares one directional derivative ⟨∇f(x), u⟩ with a
// central difference along u: two evaluations of f, whatever the dimension.
// u is normalised to unit length. The bug, ∂f/∂x₀ off by a factor 2, shows
// along any u with u₀ ≠ 0.
func ExampleDirectionalCheck() {
	f := func(x []float64) float64 { return x[0]*x[0]*x[1] + math.Sin(x[1]) }
	grad := func(dst, x []float64) {
		dst[0] = 2 * x[0] * x[1]
		dst[1] = x[0]*x[0] + math.Cos(x[1])
	}
	wrong := func(dst, x []float64) {
		grad(dst, x)
		dst[0] *= 2
	}
	x, u := []float64{1.5, -0.5}, []float64{1, 1}
	for _, g := range []func(dst, x []float64){grad, wrong} {
		res, err := properties.DirectionalCheck(properties.Function{F: f, Grad: g}, x, u, nil)
		if err != nil {
			panic(err)
		}
		fmt.Printf("pass %v: ⟨∇f, u⟩ = %.4f, central difference %.4f\n", res.Pass, res.Analytic, res.Numeric)
	}
	// Output:
	// pass true: ⟨∇f, u⟩ = 1.1509, central difference 1.1509
	// pass false: ⟨∇f, u⟩ = 0.0902, central difference 1.1509
}

// TaylorCheck needs no tolerance on the gradient: the remainder
// f(x+hu) − f(x) − h⟨∇f, u⟩ shrinks as h² for a right gradient and only
// as h for a wrong one, and the check fits that order.
func ExampleTaylorCheck() {
	f := func(x []float64) float64 { return math.Exp(x[0]) * math.Cos(x[1]) }
	grad := func(dst, x []float64) {
		dst[0] = math.Exp(x[0]) * math.Cos(x[1])
		dst[1] = math.Exp(x[0]) * math.Sin(x[1]) // the bug: the sign of −sin
	}
	right := func(dst, x []float64) {
		grad(dst, x)
		dst[1] = -dst[1]
	}
	x, u := []float64{0.2, 0.7}, []float64{0.6, -0.8}
	for _, g := range []func(dst, x []float64){right, grad} {
		res, err := properties.TaylorCheck(properties.Function{F: f, Grad: g}, x, u, nil)
		if err != nil {
			panic(err)
		}
		fmt.Printf("pass %v: order %.1f\n", res.Pass, res.Order)
	}
	// Output:
	// pass true: order 2.0
	// pass false: order 1.0
}

// SymmetryCheck is a second-order check: the Jacobian of a right gradient
// is the Hessian, which is symmetric, so ⟨u, ∇f(x+hv) − ∇f(x−hv)⟩ and
// ⟨v, ∇f(x+hu) − ∇f(x−hu)⟩ agree. The bug here is a field that equals
// ∇f at x itself, so GradCheck at x passes, but rotates away from it:
// it is the gradient of no function.
func ExampleSymmetryCheck() {
	f := func(x []float64) float64 { return (x[0]*x[0] + x[1]*x[1]) / 2 }
	x := []float64{0.5, -1}
	right := func(dst, y []float64) { copy(dst, y) }
	curl := func(dst, y []float64) {
		dst[0] = y[0] + (y[1] - x[1])
		dst[1] = y[1] - (y[0] - x[0])
	}
	u, v := []float64{1, 0}, []float64{0, 1}
	for _, g := range []func(dst, x []float64){right, curl} {
		fn := properties.Function{F: f, Grad: g}
		first, _ := properties.GradCheck(fn, x, nil)
		res, err := properties.SymmetryCheck(fn, x, u, v, nil)
		if err != nil {
			panic(err)
		}
		fmt.Printf("GradCheck pass %v; SymmetryCheck pass %v: uᵀHv ≈ %.3f, vᵀHu ≈ %.3f\n", first.Pass, res.Pass, res.UHV, res.VHU)
	}
	// Output:
	// GradCheck pass true; SymmetryCheck pass true: uᵀHv ≈ 0.000, vᵀHu ≈ 0.000
	// GradCheck pass true; SymmetryCheck pass false: uᵀHv ≈ 1.000, vᵀHu ≈ -1.000
}
