package properties

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/diff/fd"
)

// ErrInvalidCheck reports a checker called with invalid arguments: a nil
// function, an empty or non-finite point, a zero or non-finite direction,
// mismatched lengths, or negative or non-finite settings. Every error the
// checkers return for bad arguments wraps it.
var ErrInvalidCheck = errors.New("properties: invalid check")

func checkErrorf(format string, args ...any) error {
	return fmt.Errorf("properties: "+format+": %w", append(args, ErrInvalidCheck)...)
}

// Function is a scalar function of a vector together with the gradient
// claimed for it: the thing the gradient checkers check. It need not come
// from package nn; NetworkLoss and NetworkOutput build one for a network.
type Function struct {
	// F returns the value at x. It must not modify or keep x. The checkers
	// take its rounding error to be a few ε·|F(x)| (see RoundingFactor); an
	// F that sums terms far larger than their sum (cancellation) rounds far
	// more than its value shows, and a checker cannot see that from values
	// of F alone: scale or reformulate such an F. It may return
	// NaN or ±Inf where it cannot evaluate; GradCheck then reports the
	// coordinate as unresolved (it can judge no gradient there), while a
	// NaN or infinite claimed derivative beside finite values of F fails.
	F func(x []float64) float64
	// Grad writes the gradient claimed for F at x into dst (len(dst) ==
	// len(x)). It must not modify or keep x.
	Grad func(dst, x []float64)
	// Pattern, if not nil, makes the checks kink-aware. It returns a
	// signature of the piece of the domain that x lies in (for a
	// piecewise-linear network: which side of each activation's kinks every
	// pre-activation lies on). The contract: F is smooth on the segment
	// between two points of one coordinate line whose patterns are equal
	// and equal to the pattern at the point checked. A check whose points
	// straddle a pattern change shrinks its step; if that does not help,
	// the coordinate is skipped, never passed.
	Pattern func(x []float64) []int
	// CentralExact declares that F, restricted to one coordinate line inside
	// one piece, is a polynomial of degree at most 2 (an MSE loss of a
	// piecewise-linear network, or the network's output itself). The
	// central difference is then exact up to rounding, and GradCheck uses
	// the tight defaults QuadraticStep and QuadraticTol.
	CentralExact bool
	// Name, if not nil, names coordinate k for messages ("layer 2,
	// W[3][1]"); otherwise coordinates are named "x[k]".
	Name func(k int) string
	// What says in a few words what is being compared; it heads the
	// result's messages.
	What string
}

// The checkers' default steps and tolerances.
//
// Smooth functions: the central difference (f(x+h)−f(x−h))/2h has
// truncation error h²|f‴|/6 and rounding error about c·ε·|f|/h, where f is
// computed with relative error c·ε (ε = 2^-52; c of a few units for a sum of
// squares or of log1p terms, whatever the number of operations, because the
// errors of a forward pass mostly average out). At h = 2^-17 ≈ 7.6e-6 (≈ 1e-5,
// a power of two so that x ± h and the division by 2h are exact) the
// truncation term is about 1e-11·|f‴| and the rounding term about
// 3e-11·c·|f|. The networks the suite draws have losses up to about 1e3
// times the size of their gradient entries (deep leaky relu networks of
// width 16 on MSE), so the rounding term reaches 3·3e-11·1e3 ≈ 1e-7 relative
// to max(1, |f′|): DefaultTol = 1e-6 leaves a margin of ten (the largest
// error seen over 10,000 drawn networks was 9.3e-8).
//
// Piecewise-quadratic functions (Function.CentralExact): between pattern
// changes f is an exact quadratic in the coordinate, so the central
// difference has no truncation error at all and the step is limited only by
// the kinks. The only error is rounding, c·ε·|f|/h, so a large step buys
// accuracy: at h = 2^-8 ≈ 3.9e-3 the same count gives
// 3·2.2e-16·1e3/3.9e-3 ≈ 1.7e-10, and QuadraticTol = 1e-9 holds with a
// margin of six. (Measured: the error falls exactly as 1/h, and at
// h = 2^-10 the worst of 10,000 drawn networks was 4.7e-10, too close to
// 1e-9; at h = 1e-5 it would be 4e-8.) The larger step meets more kinks;
// the kink-aware check then halves it and doubles the tolerance, see
// Settings.MaxHalvings.
const (
	DefaultStep   = 0x1p-17 // relative step for smooth functions, ≈ 7.6e-6
	DefaultTol    = 1e-6    // relative tolerance for smooth functions
	QuadraticStep = 0x1p-8  // relative step for piecewise-quadratic functions, ≈ 3.9e-3
	QuadraticTol  = 1e-9    // relative tolerance for piecewise-quadratic functions
)

// RoundingFactor sets the rounding floor of a central difference: f is
// computed with a relative error of a few ε (a sum of squares or of log1p
// terms rounds to within c·ε of its value, c of a few units, see the
// defaults above), so (f(x+h) − f(x−h))/2h carries an absolute error of at
// most c·ε·max|f|/h. GradCheck estimates the floor as
// RoundingFactor·ε·max(|f(x±h)|)/h relative to max(1, |a|, |n|), taking
// c = 8, twice the largest c the networks of this suite show (a square
// network with loss 4.8e4 and gradient entries 0.06 had an error of
// 0.5·ε·|f|/h); a coordinate whose floor exceeds its tolerance is
// unresolved, never blamed.
const RoundingFactor = 8

// maxAllowed caps the tolerance a shrunk step may be granted (see
// Settings.MaxHalvings): a coordinate that would need more is skipped.
const maxAllowed = 1e-4

// Settings tunes the checkers. The zero value (or a nil *Settings) means the
// defaults above.
type Settings struct {
	// Step is the relative step: coordinate k is moved by
	// h_k = Step·max(1, |x_k|), rounded to a power of two. 0 means
	// DefaultStep, or QuadraticStep for a CentralExact function in GradCheck.
	Step float64
	// Tol is the relative tolerance at the nominal step: a coordinate passes
	// when |a − n| ≤ Tol·max(1, |a|, |n|). 0 means DefaultTol, or
	// QuadraticTol for a CentralExact function in GradCheck.
	Tol float64
	// MaxHalvings bounds how often a kink-aware check halves the step to get
	// both points onto the piece of x. Halving the step leaves the
	// truncation error no larger and at most doubles the rounding error, so
	// the tolerance at step h is Tol·h_k/h; a coordinate still straddling a
	// kink after MaxHalvings halvings is skipped. 0 means the largest count
	// that keeps Tol·2^MaxHalvings ≤ 1e-4 (16 halvings for QuadraticTol, 6
	// for DefaultTol).
	MaxHalvings int
	// Coords, if not nil, restricts GradCheck to these coordinates.
	Coords []int
}

// resolved holds settings with defaults filled in.
type resolved struct {
	step, tol   float64
	maxHalvings int
}

func (s *Settings) resolve(quadratic bool) (resolved, error) {
	var z Settings
	if s == nil {
		s = &z
	}
	r := resolved{step: s.Step, tol: s.Tol, maxHalvings: s.MaxHalvings}
	if !(r.step >= 0) || math.IsInf(r.step, 1) || !(r.tol >= 0) || math.IsInf(r.tol, 1) || r.maxHalvings < 0 {
		return r, checkErrorf("settings Step %v, Tol %v, MaxHalvings %d: want finite and non-negative", s.Step, s.Tol, s.MaxHalvings)
	}
	if r.step == 0 {
		r.step = DefaultStep
		if quadratic {
			r.step = QuadraticStep
		}
	}
	if r.tol == 0 {
		r.tol = DefaultTol
		if quadratic {
			r.tol = QuadraticTol
		}
	}
	if r.maxHalvings == 0 {
		for r.tol*math.Ldexp(1, r.maxHalvings+1) <= maxAllowed && r.maxHalvings < 40 {
			r.maxHalvings++
		}
	}
	return r, nil
}

// powerOfTwoStep rounds v > 0 to the nearest power of two.
func powerOfTwoStep(v float64) float64 {
	return math.Ldexp(1, int(math.Round(math.Log2(v))))
}

// Coord is the comparison at one coordinate.
type Coord struct {
	Index    int     // coordinate index
	Name     string  // coordinate in the function's own terms, "layer 2, W[3][1]"
	Analytic float64 // the claimed derivative
	Numeric  float64 // the central difference
	RelErr   float64 // |a − n| / max(1, |a|, |n|)
	Step     float64 // the step h used
	Allowed  float64 // the tolerance at that step
	// Extrapolated is true when Numeric is the Richardson extrapolation
	// (4·D(h/2) − D(h))/3 of two central differences, taken because D(h)
	// alone was outside the tolerance (see extrapolate).
	Extrapolated bool
}

// String formats the coordinate as "layer 2, W[3][1]: analytic 0.41,
// numeric 0.37 (relative error 0.098, tolerance 1e-06, step 7.6e-06)".
func (c Coord) String() string {
	return fmt.Sprintf("%s: analytic %.6g, numeric %.6g (relative error %.3g, tolerance %.3g, step %.3g)",
		c.Name, c.Analytic, c.Numeric, c.RelErr, c.Allowed, c.Step)
}

// extrapolate is the second look a central difference d = D(h) gets
// before a gradient is blamed. D(h) = f′ + c₂h² + c₄h⁴ + … + rounding, and
// the defaults above bound the truncation term c₂h² = h²f‴/6 only for
// functions that vary on a scale well above h. One that varies on a scale
// of 1e-3 (Yanai, Ozawa and Kaneko's function with β = 1e-3, f‴ ≈ 1e6 near
// 0) has c₂h² ≈ 1e-5 at h = 2^-17, ten times DefaultTol, and a polynomial
// whose coordinates differ in scale by 1e12 (Brown's badly scaled function
// along a direction with the step set by x₀ ≈ 1e6 while x₁ ≈ 2e-6) has
// c₂h² of 1e7. So a difference outside the tolerance is recomputed as the
// Richardson extrapolation (4·D(h/2) − D(h))/3, which cancels the h² term
// and leaves O(h⁴) truncation (zero for a polynomial of degree four or
// less). Its rounding error is at most (4·2 + 1)/3 = 3 times that of D(h),
// so it returns the extrapolation and the absolute rounding floor
// 3·RoundingFactor·ε·fmax/h, fmax the largest |f| of both differences
// (updated through fmax by f). A wrong gradient stays outside the
// tolerance: the extrapolation is nearer f′ than D(h), not nearer the
// claim. It costs two evaluations of f per coordinate that fails.
func extrapolate(f func(float64) float64, x, h, d float64, fmax *float64) (num, floor float64) {
	half := fd.Derivative(f, x, &fd.Settings{Formula: fd.Central, Step: h / 2})
	return (4*half - d) / 3, 3 * RoundingFactor * machEps * *fmax / h
}

// GradCheckResult is the outcome of GradCheck.
type GradCheckResult struct {
	What    string // what was compared
	Checked int    // coordinates compared
	Failed  int    // coordinates outside the tolerance (or non-finite)
	Skipped []int  // coordinates skipped because they sit on a kink
	// Unresolved are the coordinates skipped because no float64 central
	// difference can judge them: x_k ± h overflows, or the rounding floor
	// of the difference exceeds the tolerance (see RoundingFactor).
	Unresolved []int
	// Floor is the largest rounding floor estimated over the coordinates
	// compared or unresolved, relative as RelErr is.
	Floor  float64
	Shrunk int // coordinates whose step had to be halved
	// Extrapolated counts the coordinates judged on the Richardson
	// extrapolation because their central difference alone was outside
	// the tolerance (see Coord.Extrapolated).
	Extrapolated int
	Step         float64 // nominal relative step
	Tol          float64 // nominal tolerance
	// MaxRelErr is the largest relative error over the checked coordinates.
	MaxRelErr float64
	// Worst is the coordinate nearest to failing (largest RelErr/Allowed);
	// when the check failed it is the worst failure.
	Worst Coord
	// Pass is true when every coordinate was checked or skipped, none
	// failed, and at least one was checked.
	Pass bool
}

// String summarises the result in one line.
func (r GradCheckResult) String() string {
	verdict := "pass"
	if !r.Pass {
		verdict = "FAIL"
	}
	s := fmt.Sprintf("%s: %s: %d coordinates checked, %d failed, %d skipped at kinks, %d unresolved (rounding floor up to %.3g), %d with a shrunk step; max relative error %.3g",
		r.What, verdict, r.Checked, r.Failed, len(r.Skipped), len(r.Unresolved), r.Floor, r.Shrunk, r.MaxRelErr)
	if r.Checked > 0 {
		s += "; worst " + r.Worst.String()
	}
	return s
}

// Err returns nil when the check passed and otherwise an error naming the
// worst coordinate in the function's own terms, for example "properties:
// ∂L/∂θ …: layer 2, W[3][1]: analytic 0.41, numeric 0.37 (…); 1 of 41
// coordinates failed".
func (r GradCheckResult) Err() error {
	if r.Pass {
		return nil
	}
	if r.Checked == 0 {
		return fmt.Errorf("properties: %s: no coordinate could be checked (%d skipped at kinks, %d unresolved: step outside float64 or rounding floor up to %.3g above the tolerance)",
			r.What, len(r.Skipped), len(r.Unresolved), r.Floor)
	}
	return fmt.Errorf("properties: %s: %s; %d of %d coordinates failed, %d skipped at kinks",
		r.What, r.Worst, r.Failed, r.Checked, len(r.Skipped))
}

// nearerFailing reports whether c is nearer to failing than the current worst.
func nearerFailing(c, cur Coord, have bool) bool {
	if !have {
		return true
	}
	rc, rw := c.RelErr/c.Allowed, cur.RelErr/cur.Allowed
	if math.IsNaN(rc) {
		return !math.IsNaN(rw)
	}
	return rc > rw
}

// merge folds o into r (used to combine the outputs of a Jacobian).
func (r *GradCheckResult) merge(o GradCheckResult, offset int) {
	have := r.Checked > 0
	r.Checked += o.Checked
	r.Failed += o.Failed
	r.Shrunk += o.Shrunk
	for _, k := range o.Skipped {
		r.Skipped = append(r.Skipped, k+offset)
	}
	for _, k := range o.Unresolved {
		r.Unresolved = append(r.Unresolved, k+offset)
	}
	r.Floor = math.Max(r.Floor, o.Floor)
	r.MaxRelErr = math.Max(r.MaxRelErr, o.MaxRelErr)
	if o.Checked > 0 && nearerFailing(o.Worst, r.Worst, have) {
		r.Worst = o.Worst
		r.Worst.Index += offset
	}
	r.Pass = r.Failed == 0 && r.Checked > 0
}

func validatePoint(fn Function, x []float64) error {
	if fn.F == nil || fn.Grad == nil {
		return checkErrorf("function needs F and Grad")
	}
	if len(x) == 0 {
		return checkErrorf("empty point")
	}
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return checkErrorf("point[%d] = %v", i, v)
		}
	}
	return nil
}

func (fn Function) name(k int) string {
	if fn.Name != nil {
		return fn.Name(k)
	}
	return fmt.Sprintf("x[%d]", k)
}

func (fn Function) what() string {
	if fn.What != "" {
		return fn.What
	}
	return "gradient"
}

// gradRelErr is |a − n| / max(1, |a|, |n|); NaN if either is not finite.
func gradRelErr(a, n float64) float64 {
	if math.IsInf(a, 0) || math.IsInf(n, 0) {
		return math.NaN()
	}
	return math.Abs(a-n) / math.Max(1, math.Max(math.Abs(a), math.Abs(n)))
}

// GradCheck compares fn's claimed gradient at x with per-coordinate central
// differences (gonum's fd.Derivative with fd.Central), coordinate k moved by
// a power-of-two step h_k ≈ Step·max(1, |x_k|). Coordinate k passes when
// |a − n| ≤ Tol·max(1, |a|, |n|) (scaled as described at
// Settings.MaxHalvings when the step was shrunk).
//
// If fn.Pattern is set the check is kink-aware: the step is halved until
// the patterns at x − h e_k and x + h e_k both equal the pattern at x, and a
// coordinate for which that fails after MaxHalvings halvings is reported in
// Skipped, not checked. s may be nil.
//
// fd.Derivative is called once per coordinate rather than fd.Gradient once
// for all, because the step differs per coordinate (it scales with |x_k|
// and shrinks near kinks) while fd.Gradient takes one step for all.
//
// A coordinate the central difference cannot judge is reported in
// Unresolved, not checked: one where x_k ± h leaves float64, where F is
// NaN or infinite at x ± h e_k (or their difference overflows), or where the
// estimated rounding floor (see RoundingFactor) exceeds the tolerance, as
// for a loss of 1e5 whose gradient entries are 1e-2.
//
// A coordinate outside the tolerance is not blamed at once: its difference
// is recomputed as a Richardson extrapolation from steps h and h/2, which
// cancels the h² truncation term, and judged again against the same
// tolerance (with three times the rounding floor); see extrapolate and
// Coord.Extrapolated.
//
// GradCheck returns an error wrapping ErrInvalidCheck for a nil F or Grad,
// an empty or non-finite x, invalid settings or a coordinate out of range.
// A wrong gradient is not an error: it is a result with Pass false, whose
// Err method describes the worst coordinate.
func GradCheck(fn Function, x []float64, s *Settings) (GradCheckResult, error) {
	if err := validatePoint(fn, x); err != nil {
		return GradCheckResult{}, err
	}
	set, err := s.resolve(fn.CentralExact)
	if err != nil {
		return GradCheckResult{}, err
	}
	coords := []int(nil)
	if s != nil {
		coords = s.Coords
	}
	for _, k := range coords {
		if k < 0 || k >= len(x) {
			return GradCheckResult{}, checkErrorf("coordinate %d out of range [0, %d)", k, len(x))
		}
	}
	if coords == nil {
		coords = make([]int, len(x))
		for k := range coords {
			coords[k] = k
		}
	}
	res := GradCheckResult{What: fn.what(), Step: set.step, Tol: set.tol}
	x0 := slices.Clone(x)
	grad := make([]float64, len(x))
	fn.Grad(grad, slices.Clone(x))
	var p0 []int
	if fn.Pattern != nil {
		p0 = fn.Pattern(slices.Clone(x))
	}
	xc := slices.Clone(x)
	at := func(k int, v float64) []float64 {
		copy(xc, x0)
		xc[k] = v
		return xc
	}
	have := false
	for _, k := range coords {
		h0 := powerOfTwoStep(set.step * math.Max(1, math.Abs(x0[k])))
		h, halvings := h0, 0
		if fn.Pattern != nil {
			for !slices.Equal(fn.Pattern(at(k, x0[k]+h)), p0) || !slices.Equal(fn.Pattern(at(k, x0[k]-h)), p0) {
				if halvings == set.maxHalvings {
					halvings = -1
					break
				}
				h /= 2
				halvings++
			}
			if halvings < 0 {
				res.Skipped = append(res.Skipped, k)
				continue
			}
			if halvings > 0 {
				res.Shrunk++
			}
		}
		if math.IsInf(x0[k]+h, 0) || math.IsInf(x0[k]-h, 0) {
			res.Unresolved = append(res.Unresolved, k) // the step leaves float64
			continue
		}
		fmax := 0.0 // the largest |f| the difference is formed from
		num := fd.Derivative(func(v float64) float64 {
			y := fn.F(at(k, v))
			fmax = math.Max(fmax, math.Abs(y))
			return y
		}, x0[k], &fd.Settings{Formula: fd.Central, Step: h})
		if math.IsNaN(fmax) || math.IsInf(fmax, 0) || math.IsNaN(num) || math.IsInf(num, 0) {
			// f, or the difference of its values, leaves float64 near x:
			// no central difference can judge the gradient there.
			res.Unresolved = append(res.Unresolved, k)
			continue
		}
		c := Coord{Index: k, Name: fn.name(k), Analytic: grad[k], Numeric: num,
			RelErr: gradRelErr(grad[k], num), Step: h, Allowed: set.tol * h0 / h}
		floor := RoundingFactor * machEps * fmax / h / math.Max(1, math.Max(math.Abs(grad[k]), math.Abs(num)))
		if !(c.RelErr <= c.Allowed) && floor <= c.Allowed {
			// A second look before blaming the gradient (see extrapolate).
			c.Numeric, floor = extrapolate(func(v float64) float64 {
				y := fn.F(at(k, v))
				fmax = math.Max(fmax, math.Abs(y))
				return y
			}, x0[k], h, num, &fmax)
			floor /= math.Max(1, math.Max(math.Abs(grad[k]), math.Abs(c.Numeric)))
			c.RelErr, c.Extrapolated = gradRelErr(grad[k], c.Numeric), true
		}
		if !math.IsNaN(floor) {
			res.Floor = math.Max(res.Floor, floor)
			if floor > c.Allowed && !math.IsInf(fmax, 0) {
				// The difference cannot resolve the derivative to the
				// tolerance: a limit of float64, not a fault of the gradient.
				res.Unresolved = append(res.Unresolved, k)
				continue
			}
		}
		res.Checked++
		if c.Extrapolated {
			res.Extrapolated++
		}
		if !(c.RelErr <= c.Allowed) {
			res.Failed++
		}
		if c.RelErr > res.MaxRelErr || math.IsNaN(c.RelErr) {
			res.MaxRelErr = math.Inf(1) // a non-finite value counts as the worst
			if !math.IsNaN(c.RelErr) {
				res.MaxRelErr = c.RelErr
			}
		}
		if nearerFailing(c, res.Worst, have) {
			res.Worst, have = c, true
		}
	}
	res.Pass = res.Failed == 0 && res.Checked > 0
	return res, nil
}
