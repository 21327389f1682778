package properties

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/floats"
)

// DescentResult is the outcome of DescentCheck.
type DescentResult struct {
	What string
	// Steps are the step sizes η tried whose predicted decrease η‖g‖² is
	// clear of rounding, largest first, and Decrease the decrease
	// f(x) − f(x − ηg) at each.
	Steps, Decrease []float64
	// Ratio is the actual over the predicted decrease at the smallest
	// usable step; it tends to 1 as η → 0 for a right gradient.
	Ratio float64
	// Skipped is true when the gradient is zero or no step is clear of
	// rounding: the check says nothing there.
	Skipped bool
	Pass    bool
}

// String summarises the result in one line.
func (r DescentResult) String() string {
	if r.Skipped {
		return r.What + ": skipped: zero gradient or no step clear of rounding"
	}
	verdict := "pass"
	if !r.Pass {
		verdict = "FAIL"
	}
	n := len(r.Steps)
	return fmt.Sprintf("%s: %s: decrease at the 4 smallest usable steps %.3g, actual/predicted %.4f at η = %.3g",
		r.What, verdict, r.Decrease[n-4:], r.Ratio, r.Steps[n-1])
}

// Err returns nil when the check passed and otherwise an error carrying
// String.
func (r DescentResult) Err() error {
	if r.Pass {
		return nil
	}
	return fmt.Errorf("properties: %s", r)
}

// descentFloor is the size, in units of ε·|f(x)|, the predicted decrease
// η‖g‖² must reach for a step to be used: as in taylorFloor, it keeps the
// rounding of the two evaluations of f, about m·ε·|f| with m ≈ 100, below
// 1/600 of the decrease.
const descentFloor = 0x1p16

// DescentCheck checks that a small step against the gradient lowers f:
// with g the claimed gradient of fn at x (non-zero), it tries η = 2^-k/‖g‖ for k = 0 … 59
// (step lengths 1, 1/2, …) and keeps the steps whose predicted decrease
// η‖g‖² is at least descentFloor·ε·|f(x)|. "A small enough step lowers the
// loss" is checked as: f(x − ηg) < f(x) at each of the four smallest usable
// steps (below the curvature scale, where the first-order term dominates).
// A wrong gradient, such as one with its sign flipped, fails.
//
// It returns an error wrapping ErrInvalidCheck for a nil F or Grad or an
// empty or non-finite x.
func DescentCheck(fn Function, x []float64) (DescentResult, error) {
	if err := validatePoint(fn, x); err != nil {
		return DescentResult{}, err
	}
	res := DescentResult{What: "gradient step on " + fn.what()}
	g := make([]float64, len(x))
	fn.Grad(g, slices.Clone(x))
	gg := floats.Dot(g, g)
	f0 := fn.F(slices.Clone(x))
	if !(gg > 0) || math.IsInf(gg, 1) || math.IsNaN(f0) || math.IsInf(f0, 0) {
		res.Skipped = true
		return res, nil
	}
	norm := math.Sqrt(gg)
	xc := make([]float64, len(x))
	for k := range 60 {
		eta := math.Ldexp(1, -k) / norm
		pred := eta * gg
		if pred < descentFloor*machEps*math.Abs(f0) {
			break
		}
		copy(xc, x)
		floats.AddScaled(xc, -eta, g)
		res.Steps = append(res.Steps, eta)
		res.Decrease = append(res.Decrease, f0-fn.F(xc))
	}
	n := len(res.Steps)
	if n < 4 {
		res.Skipped = true
		return res, nil
	}
	res.Ratio = res.Decrease[n-1] / (res.Steps[n-1] * gg)
	res.Pass = true
	for _, d := range res.Decrease[n-4:] {
		res.Pass = res.Pass && d > 0
	}
	return res, nil
}

// machEps is the float64 machine epsilon, 2^-52.
const machEps = 0x1p-52
