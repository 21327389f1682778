package properties

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/reluproof/reluproof/nn"
)

// halfSquare is f(x) = ½‖x‖² with its right gradient x.
func halfSquare() Function {
	return Function{
		F: func(x []float64) float64 {
			var s float64
			for _, v := range x {
				s += v * v
			}
			return s / 2
		},
		Grad: func(dst, x []float64) { copy(dst, x) },
		What: "∇½‖x‖²",
	}
}

// rotational plants a non-conservative field in place of ∇½‖y‖²: g(y) =
// y + A(y − x) with A = a·(e₀e₁ᵀ − e₁e₀ᵀ) antisymmetric. At y = x it is
// exactly x = ∇f(x), so every first-order check at x passes, but its
// Jacobian I + A is not symmetric: the curl of a rotation.
func rotational(x []float64, a float64) Function {
	fn := halfSquare()
	fn.Grad = func(dst, y []float64) {
		copy(dst, y)
		dst[0] += a * (y[1] - x[1])
		dst[1] -= a * (y[0] - x[0])
	}
	fn.What = "a rotated ∇½‖x‖²"
	return fn
}

// TestSymmetryCheckCatchesCurl: the planted field passes GradCheck at x and
// DirectionalCheck at x along every coordinate axis, and fails
// SymmetryCheck. For unit u, v the two sides differ by 2uᵀAv = 2a(u₀v₁ −
// u₁v₀); with a = 1e-3 and the directions below that is about 1e-3, a
// thousand times the tolerance.
func TestSymmetryCheckCatchesCurl(t *testing.T) {
	x := []float64{0.3, -1.2, 0.7}
	u := []float64{1, 0.5, -0.25}
	v := []float64{-0.5, 1, 0.75}
	for _, a := range []float64{1, 1e-3} {
		fn := rotational(x, a)
		g, err := GradCheck(fn, x, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !g.Pass {
			t.Errorf("a = %v: GradCheck at x failed, the planted field should agree there: %v", a, g)
		}
		for k := range x {
			e := make([]float64, len(x))
			e[k] = 1
			d, err := DirectionalCheck(fn, x, e, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !d.Pass {
				t.Errorf("a = %v: DirectionalCheck along e%d failed: %v", a, k, d)
			}
		}
		r, err := SymmetryCheck(fn, x, u, v, nil)
		if err != nil {
			t.Fatal(err)
		}
		if r.Pass || r.Skipped || r.Unresolved || r.Err() == nil {
			t.Errorf("a = %v: the non-conservative field passed SymmetryCheck: %v", a, r)
		}
	}
}

// TestSymmetryCheckRightGradients: right gradients pass on smooth
// functions with non-zero third and fourth derivatives, and on network
// losses (smooth, and relu with the kink-aware step).
func TestSymmetryCheckRightGradients(t *testing.T) {
	rosen := Function{
		F: func(x []float64) float64 {
			return 100*math.Pow(x[1]-x[0]*x[0], 2) + math.Pow(1-x[0], 2) + math.Exp(x[2]*x[0])
		},
		Grad: func(dst, x []float64) {
			e := math.Exp(x[2] * x[0])
			dst[0] = -400*x[0]*(x[1]-x[0]*x[0]) - 2*(1-x[0]) + x[2]*e
			dst[1] = 200 * (x[1] - x[0]*x[0])
			dst[2] = x[0] * e
		},
		What: "∇ Rosenbrock + exp(x₂x₀)",
	}
	trig := Function{
		F: func(x []float64) float64 { return math.Sin(x[0]*x[1]) + math.Cos(x[1]+x[2]) },
		Grad: func(dst, x []float64) {
			c := math.Cos(x[0] * x[1])
			s := math.Sin(x[1] + x[2])
			dst[0], dst[1], dst[2] = x[1]*c, x[0]*c-s, -s
		},
		What: "∇(sin x₀x₁ + cos(x₁+x₂))",
	}
	u := []float64{1, 0.5, -0.25}
	v := []float64{-0.5, 1, 0.75}
	for _, tc := range []struct {
		fn Function
		x  []float64
	}{
		{halfSquare(), []float64{0.3, -1.2, 0.7}},
		{rosen, []float64{-1.2, 1, 0.5}},
		{trig, []float64{0.4, 2.5, -1}},
	} {
		r, err := SymmetryCheck(tc.fn, tc.x, u, v, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !r.Pass {
			t.Errorf("right gradient failed: %v", r)
		}
	}

	for _, act := range []nn.Activation{nn.Tanh, nn.Softplus, nn.ReLU} {
		for _, loss := range []nn.Loss{nn.MSE, nn.BCEWithLogits} {
			net, err := nn.New([]int{3, 5, 4, 1}, act, nn.Identity, 11)
			if err != nil {
				t.Fatal(err)
			}
			x := mat.NewDense(4, 3, []float64{0.5, -1, 2, 0.25, 1.5, -0.75, -2, 0.1, 0.3, 1, 1, -1})
			tg := mat.NewDense(4, 1, []float64{1, 0, 0, 1})
			fn, err := NetworkLoss(net, x, tg, loss)
			if err != nil {
				t.Fatal(err)
			}
			p := net.NumParams()
			du, dv := make([]float64, p), make([]float64, p)
			for k := range p {
				du[k] = math.Sin(float64(k) + 1)
				dv[k] = math.Cos(3*float64(k) + 0.5)
			}
			r, err := SymmetryCheck(fn, net.Params(), du, dv, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !r.Pass {
				t.Errorf("%s, %s: right network gradient failed: %v", act.Name(), loss.Name(), r)
			}
		}
	}
}

// TestSymmetryCheckKink: on the hinge f(x) = max(0, x₀ + x₁) a point on the
// kink is skipped, never passed, and a point near it passes with a shrunk
// step.
func TestSymmetryCheckKink(t *testing.T) {
	fn := Function{
		F: func(x []float64) float64 { return math.Max(0, x[0]+x[1]) },
		Grad: func(dst, x []float64) {
			dst[0], dst[1] = 0, 0
			if x[0]+x[1] > 0 {
				dst[0], dst[1] = 1, 1
			}
		},
		Pattern: func(x []float64) []int {
			if x[0]+x[1] > 0 {
				return []int{1}
			}
			return []int{0}
		},
	}
	u, v := []float64{1, 0}, []float64{0.6, 0.8}
	r, err := SymmetryCheck(fn, []float64{0.5, -0.5}, u, v, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Skipped || r.Pass {
		t.Errorf("on the kink: %v, want skipped", r)
	}
	r, err = SymmetryCheck(fn, []float64{0.5, -0.5 + 0x1p-20}, u, v, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Pass || r.Step >= 0x1p-17 {
		t.Errorf("near the kink: %v, want a pass with a shrunk step", r)
	}
}

// TestSymmetryCheckInvalid: bad arguments give errors wrapping
// ErrInvalidCheck.
func TestSymmetryCheckInvalid(t *testing.T) {
	fn := halfSquare()
	x := []float64{1, 2}
	for name, c := range map[string]struct {
		fn      Function
		x, u, v []float64
		s       *Settings
	}{
		"nil grad":      {Function{F: fn.F}, x, x, x, nil},
		"empty point":   {fn, nil, nil, nil, nil},
		"NaN point":     {fn, []float64{math.NaN(), 1}, x, x, nil},
		"short u":       {fn, x, []float64{1}, x, nil},
		"zero v":        {fn, x, x, []float64{0, 0}, nil},
		"infinite v":    {fn, x, x, []float64{math.Inf(1), 0}, nil},
		"negative step": {fn, x, x, x, &Settings{Step: -1}},
	} {
		if _, err := SymmetryCheck(c.fn, c.x, c.u, c.v, c.s); !errors.Is(err, ErrInvalidCheck) {
			t.Errorf("%s: error %v, want ErrInvalidCheck", name, err)
		}
	}
}
