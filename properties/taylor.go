package properties

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/stat"
)

// TaylorSettings tunes TaylorCheck. Zero fields take the defaults given.
type TaylorSettings struct {
	// Start is the largest step, relative to max(1, ‖x‖∞); default 2^-3.
	Start float64
	// Points is how many of the smallest usable steps are fitted;
	// default 5 (a factor 16 in h), at least 4.
	Points int
	// MinOrder is the fitted order the remainder must reach; default 1.8.
	MinOrder float64
}

// TaylorResult is the outcome of TaylorCheck.
type TaylorResult struct {
	What       string
	Order      float64   // fitted slope of log r(h) against log h
	Steps      []float64 // the steps fitted, largest first
	Remainders []float64 // r(h) at those steps
	MinOrder   float64   // the order required
	// Skipped is true when fewer than four steps had a remainder clear of
	// rounding on the piece of x (f is affine along u to rounding, or u
	// crosses a kink at every step); nothing was fitted and Pass is false.
	Skipped bool
	Pass    bool
}

// String summarises the result in one line.
func (r TaylorResult) String() string {
	if r.Skipped {
		return r.What + ": skipped: fewer than four steps with a remainder clear of rounding on one piece"
	}
	verdict := "pass"
	if !r.Pass {
		verdict = "FAIL"
	}
	return fmt.Sprintf("%s: %s: Taylor remainder order %.3f (want ≥ %.2f) over h = %.3g … %.3g",
		r.What, verdict, r.Order, r.MinOrder, r.Steps[0], r.Steps[len(r.Steps)-1])
}

// Err returns nil when the check passed and otherwise an error carrying
// String.
func (r TaylorResult) Err() error {
	if r.Pass {
		return nil
	}
	return fmt.Errorf("properties: %s", r)
}

// taylorFloor decides which remainders are clear of rounding: r(h) must
// reach taylorFloor times the larger of ε·max(|f(x)|, |f(x+hu)|, |h⟨g,u⟩|)
// and the measured noise, the largest |f(x+δu) − f(x) − δ⟨g,u⟩| over
// δ = 2^-30, 2^-35, 2^-40, 2^-45 (times max(1, ‖x‖∞)): steps so small that
// the true remainder (c·δ² < 1e-18·c) and a wrong gradient's first-order
// term (δ·|⟨Δg,u⟩| < 1e-9·|⟨Δg,u⟩|) stay far below the usable remainders,
// so what is left is the rounding of f itself. The measured noise matters
// where f is small but computed from large terms (an MSE loss whose outputs
// nearly match their targets), where ε·|f| underestimates the rounding
// a thousandfold. The losses of the suite round to one or two ε·|f| (see
// DefaultTol), so an accepted remainder carries a rounding error below
// 1/32 of itself: log r moves by less than 0.03 and the slope fitted over
// a factor 8 in h by less than 2·0.03/ln 8 ≈ 0.03.
//
// The floor is set this low, and only the smallest usable steps are
// fitted, because the order is asymptotic: r(h) = c·h² + d·h³ + … has order
// 2 only where |d|·h ≪ |c|. When c is small (little curvature along u) the
// cubic term dominates at moderate h and cancels the quadratic one where
// they cross, and only a factor of a few hundred in r separates that
// crossing from rounding; fitting there gives orders near 1 for a right
// gradient (seen with relu/tanh networks on BCE).
const taylorFloor = 0x1p6

// TaylorCheck is the Taylor-remainder check of claim G3: along the unit
// direction u/‖u‖ it computes r(h) = |f(x+hu) − f(x) − h⟨∇f(x), u⟩| for
// h = h_0, h_0/2, h_0/4, … (h_0 = Start·max(1, ‖x‖∞), at most 50 halvings),
// and fits the slope of log r against log h (gonum's stat.LinearRegression)
// over the last Points steps whose remainder is clear of rounding (see
// taylorFloor). r is O(h²) when the gradient is right and only O(h) when it
// is wrong, so the check passes when the fitted order is at least MinOrder.
// It needs no tolerance on the gradient itself. The smallest usable steps
// are fitted because there the first-order term of a wrong gradient
// dominates the second-order one most clearly.
//
// With fn.Pattern set only steps whose pattern at x + hu equals the one at
// x are used, and the fitted steps must be consecutive, so that the whole
// fitted path lies on the piece of x. If fewer than four steps qualify the
// result is Skipped.
//
// It returns an error wrapping ErrInvalidCheck for a nil F or Grad, an
// empty or non-finite x, a u of another length or of zero or non-finite
// norm, or negative or non-finite settings.
func TaylorCheck(fn Function, x, u []float64, s *TaylorSettings) (TaylorResult, error) {
	if err := validatePoint(fn, x); err != nil {
		return TaylorResult{}, err
	}
	u, err := validateDirection(x, u)
	if err != nil {
		return TaylorResult{}, err
	}
	var set TaylorSettings
	if s != nil {
		set = *s
	}
	if !(set.Start >= 0) || math.IsInf(set.Start, 1) || set.Points < 0 || !(set.MinOrder >= 0) || math.IsInf(set.MinOrder, 1) {
		return TaylorResult{}, checkErrorf("Taylor settings Start %v, Points %d, MinOrder %v: want finite and non-negative", set.Start, set.Points, set.MinOrder)
	}
	if set.Start == 0 {
		set.Start = 0x1p-3
	}
	if set.Points == 0 {
		set.Points = 4
	}
	set.Points = max(set.Points, 4)
	if set.MinOrder == 0 {
		set.MinOrder = 1.8
	}
	res := TaylorResult{What: "Taylor remainder of " + fn.what(), MinOrder: set.MinOrder}
	x0 := slices.Clone(x)
	grad := make([]float64, len(x))
	fn.Grad(grad, slices.Clone(x))
	gu := floats.Dot(grad, u)
	f0 := fn.F(slices.Clone(x))
	var p0 []int
	if fn.Pattern != nil {
		p0 = fn.Pattern(slices.Clone(x))
	}
	xc := make([]float64, len(x))
	base := math.Max(1, floats.Norm(x0, math.Inf(1)))
	var noise float64
	for j := 30; j <= 45; j += 5 {
		d := math.Ldexp(base, -j)
		copy(xc, x0)
		floats.AddScaled(xc, d, u)
		noise = math.Max(noise, math.Abs(fn.F(xc)-f0-d*gu))
	}
	// Runs of consecutive usable steps; the last run of at least four is
	// fitted (the one that ends where rounding takes over).
	var steps, rems, run, runR []float64
	h := set.Start * base
	for range 50 {
		copy(xc, x0)
		floats.AddScaled(xc, h, u)
		fh := fn.F(xc)
		r := math.Abs(fh - f0 - h*gu)
		scale := math.Max(math.Abs(f0), math.Max(math.Abs(fh), math.Abs(h*gu)))
		usable := r >= taylorFloor*math.Max(0x1p-52*scale, noise) && !math.IsInf(r, 0) && r > 0
		if usable && fn.Pattern != nil {
			usable = slices.Equal(fn.Pattern(xc), p0)
		}
		if usable {
			run, runR = append(run, h), append(runR, r)
		} else {
			if len(run) >= 4 {
				steps, rems = run, runR
			}
			run, runR = nil, nil
		}
		h /= 2
	}
	if len(run) >= 4 {
		steps, rems = run, runR
	}
	if len(steps) < 4 {
		res.Skipped = true
		return res, nil
	}
	if len(steps) > set.Points {
		steps, rems = steps[len(steps)-set.Points:], rems[len(rems)-set.Points:]
	}
	lh, lr := make([]float64, len(steps)), make([]float64, len(steps))
	for i := range steps {
		lh[i], lr[i] = math.Log(steps[i]), math.Log(rems[i])
	}
	_, res.Order = stat.LinearRegression(lh, lr, nil, false)
	res.Steps, res.Remainders = steps, rems
	res.Pass = res.Order >= set.MinOrder
	return res, nil
}
