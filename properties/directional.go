package properties

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/floats"
)

// DirectionalResult is the outcome of DirectionalCheck.
type DirectionalResult struct {
	What     string
	Analytic float64 // ⟨∇f(x), u⟩ from the claimed gradient
	Numeric  float64 // (f(x+hu) − f(x−hu)) / 2h
	RelErr   float64 // |a − n| / max(1, |a|, |n|)
	Step     float64 // the step h used
	Allowed  float64 // the tolerance at that step
	// Floor is the estimated rounding floor of RelErr,
	// RoundingFactor·ε·max(|f(x±hu)|)/h / max(1, |a|, |n|), as in
	// GradCheck, three times that when Numeric was extrapolated.
	Floor float64
	// Extrapolated is true when Numeric is the Richardson extrapolation
	// (4·D(h/2) − D(h))/3, taken because the central difference D(h) alone
	// was outside the tolerance (as in GradCheck).
	Extrapolated bool
	// Skipped is true when x ± hu straddled a pattern change at every step
	// tried; nothing was compared and Pass is false.
	Skipped bool
	// Unresolved is true when Floor exceeds Allowed: no float64 central
	// difference at this step can judge ⟨∇f, u⟩ to the tolerance (a loss of
	// 1e12 whose derivative along u is 1e6), which is a limit of float64,
	// not a fault of the gradient. Pass is false.
	Unresolved bool
	Pass       bool
}

// String summarises the result in one line.
func (r DirectionalResult) String() string {
	if r.Skipped {
		return r.What + ": skipped: the direction crosses a kink at every step tried"
	}
	verdict := "pass"
	switch {
	case r.Unresolved:
		verdict = "unresolved: the rounding floor exceeds the tolerance"
	case !r.Pass:
		verdict = "FAIL"
	}
	numeric := "central difference"
	if r.Extrapolated {
		numeric = "extrapolated central difference"
	}
	return fmt.Sprintf("%s: %s: ⟨∇f, u⟩ = %.6g, %s %.6g (relative error %.3g, tolerance %.3g, rounding floor %.3g, step %.3g)",
		r.What, verdict, r.Analytic, numeric, r.Numeric, r.RelErr, r.Allowed, r.Floor, r.Step)
}

// Err returns nil when the check passed and otherwise an error carrying
// String.
func (r DirectionalResult) Err() error {
	if r.Pass {
		return nil
	}
	return fmt.Errorf("properties: %s", r)
}

// validateDirection checks u against x and returns u normalised to unit
// length.
func validateDirection(x, u []float64) ([]float64, error) {
	if len(u) != len(x) {
		return nil, checkErrorf("direction has length %d, point has %d", len(u), len(x))
	}
	// Scale by the largest entry first, so that a finite direction whose
	// norm overflows (or underflows) is still normalised.
	m := 0.0
	for _, c := range u {
		m = math.Max(m, math.Abs(c))
	}
	if !(m > 0) || math.IsInf(m, 1) || slices.ContainsFunc(u, math.IsNaN) {
		return nil, checkErrorf("direction has largest entry %v, want finite and non-zero", m)
	}
	v := slices.Clone(u)
	floats.Scale(1/m, v)
	floats.Scale(1/floats.Norm(v, 2), v)
	return v, nil
}

// DirectionalCheck is the fast gradient check (as in PyTorch gradcheck's
// fast mode): for the unit direction u/‖u‖ it compares ⟨∇f(x), u⟩ (from the claimed gradient) with
// the central difference (f(x+hu) − f(x−hu))/2h of gonum's fd.Derivative,
// two evaluations of f instead of two per coordinate. The step is a power
// of two near Step·max(1, ‖x‖∞) and the check passes when the relative
// error |a − n|/max(1, |a|, |n|) is at most Tol. Along a general direction
// a piecewise-quadratic function is not quadratic, so the smooth defaults
// DefaultStep and DefaultTol apply whatever fn.CentralExact says.
//
// With fn.Pattern set the check is kink-aware: the step is halved until the
// patterns at x − hu and x + hu equal the one at x (the tolerance grows as
// in GradCheck); if that fails after MaxHalvings halvings the result is
// Skipped. (For a deep network a pre-activation is quadratic, not affine,
// along u, so it could leave and re-enter its side between the three
// points; it would have to do so within 2h, and its excursion and effect on
// f are then O(h²), far below the tolerance.)
//
// The difference carries a rounding error of about c·ε·max|f(x±hu)|/h
// (see RoundingFactor); where that floor, relative as RelErr is, exceeds
// the tolerance the result is Unresolved, not failed: along a direction of
// a badly scaled function (|f| ≈ 1e12 near the start of Brown's badly
// scaled function, whose derivatives are about 1e6) no float64 central
// difference at this step can judge the gradient, right or wrong. A
// difference outside the tolerance gets a second look, its Richardson
// extrapolation, before the gradient is blamed (see GradCheck).
//
// It returns an error wrapping ErrInvalidCheck for a nil F or Grad, an
// empty or non-finite x, a u of another length or of zero or non-finite
// norm, or invalid settings.
func DirectionalCheck(fn Function, x, u []float64, s *Settings) (DirectionalResult, error) {
	if err := validatePoint(fn, x); err != nil {
		return DirectionalResult{}, err
	}
	u, err := validateDirection(x, u)
	if err != nil {
		return DirectionalResult{}, err
	}
	set, err := s.resolve(false)
	if err != nil {
		return DirectionalResult{}, err
	}
	res := DirectionalResult{What: "directional derivative of " + fn.what()}
	x0 := slices.Clone(x)
	grad := make([]float64, len(x))
	fn.Grad(grad, slices.Clone(x))
	res.Analytic = floats.Dot(grad, u)
	xc := make([]float64, len(x))
	along := func(t float64) []float64 {
		copy(xc, x0)
		floats.AddScaled(xc, t, u)
		return xc
	}
	h0 := powerOfTwoStep(set.step * math.Max(1, floats.Norm(x0, math.Inf(1))))
	h := h0
	if fn.Pattern != nil {
		p0 := fn.Pattern(slices.Clone(x0))
		for halvings := 0; !slices.Equal(fn.Pattern(along(h)), p0) || !slices.Equal(fn.Pattern(along(-h)), p0); halvings++ {
			if halvings == set.maxHalvings {
				res.Skipped = true
				return res, nil
			}
			h /= 2
		}
	}
	fmax := 0.0 // the largest |f| the difference is formed from
	f := func(t float64) float64 {
		y := fn.F(along(t))
		fmax = math.Max(fmax, math.Abs(y))
		return y
	}
	res.Numeric = fd.Derivative(f, 0, &fd.Settings{Formula: fd.Central, Step: h})
	res.Step, res.Allowed = h, set.tol*h0/h
	res.RelErr = gradRelErr(res.Analytic, res.Numeric)
	res.Floor = RoundingFactor * machEps * fmax / h / math.Max(1, math.Max(math.Abs(res.Analytic), math.Abs(res.Numeric)))
	if !(res.RelErr <= res.Allowed) && res.Floor <= res.Allowed {
		// A second look before blaming the gradient, as in GradCheck.
		res.Numeric, res.Floor = extrapolate(f, 0, h, res.Numeric, &fmax)
		res.Floor /= math.Max(1, math.Max(math.Abs(res.Analytic), math.Abs(res.Numeric)))
		res.RelErr, res.Extrapolated = gradRelErr(res.Analytic, res.Numeric), true
	}
	if res.Floor > res.Allowed && !math.IsInf(fmax, 0) {
		res.Unresolved = true
		return res, nil
	}
	res.Pass = res.RelErr <= res.Allowed
	return res, nil
}
