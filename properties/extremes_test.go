package properties_test

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/reluproof/reluproof/internal/contract"
	"github.com/reluproof/reluproof/properties"
)

// extremeValues are the float64 edges the property draws from beside
// ordinary magnitudes.
var extremeValues = []float64{0, math.Copysign(0, -1), 1, -1, 0x1p-1074, -0x1p-1074, 0x1p-1022,
	1e-300, 1e150, -1e150, 1e300, math.MaxFloat64, -math.MaxFloat64}

// drawExtreme draws an extreme value, a NaN or ±Inf (when bad), or sign ×
// an ordinary magnitude 10^[−8, 8].
func drawExtreme(t *rapid.T, label string, bad bool) float64 {
	kinds := 2
	if bad {
		kinds = 3
	}
	switch rapid.IntRange(0, kinds-1).Draw(t, label+"Kind") {
	case 0:
		return rapid.SampledFrom(extremeValues).Draw(t, label+"Edge")
	case 1:
		v := math.Pow(10, rapid.Float64Range(-8, 8).Draw(t, label+"Exp"))
		if rapid.Bool().Draw(t, label+"Neg") {
			v = -v
		}
		return v
	default:
		return rapid.SampledFrom([]float64{math.NaN(), math.Inf(1), math.Inf(-1)}).Draw(t, label+"Bad")
	}
}

// cMax bounds the coefficients of a polynomial of degree p.
var cMax = map[int]float64{1: 1e150, 2: 1e150, 3: 1}

// polynomial is f(x) = Σ c_i·x_i^p for p of 1, 2 or 3, with its gradient:
// the central difference is exact for p ≤ 2 and has truncation error
// h²·|f‴|/6 = h²·|c_i| for p = 3: at most 2^-34 ≈ 5.8e-11 relative to
// max(1, |f′|) for |c_i| ≤ 1 at the default step h = 2^-17·max(1, |x_i|)
// (and at smaller steps), far below the tolerance, so any failure is a false
// alarm of the checker.
type polynomial struct {
	c []float64
	p int
}

func (q polynomial) function() properties.Function {
	return properties.Function{
		F: func(x []float64) float64 {
			s := 0.0
			for i, v := range x {
				s += q.c[i] * math.Pow(v, float64(q.p))
			}
			return s
		},
		Grad: func(dst, x []float64) {
			for i, v := range x {
				dst[i] = float64(q.p) * (q.c[i] * math.Pow(v, float64(q.p-1)))
			}
		},
		What: fmt.Sprintf("Σ c_i·x_i^%d", q.p),
	}
}

// propCheckersAtExtremes throws points, directions and settings from the
// edges of float64 at the checkers with a right gradient and requires: no
// panic; an error wrapping ErrInvalidCheck exactly when an argument is
// invalid (a non-finite point, a zero or non-finite direction, a negative
// or non-finite setting); x and u unchanged; and GradCheck never failing
// the right gradient (a coordinate it cannot judge is unresolved).
func propCheckersAtExtremes(t *rapid.T) {
	n := rapid.IntRange(1, 4).Draw(t, "n")
	badPoint := rapid.IntRange(0, 9).Draw(t, "badPoint") == 0
	x := make([]float64, n)
	u := make([]float64, n)
	q := polynomial{c: make([]float64, n), p: rapid.IntRange(1, 3).Draw(t, "p")}
	for i := range x {
		x[i] = drawExtreme(t, "x", badPoint)
		u[i] = drawExtreme(t, "u", false)
		// Coefficients up to 1e150 keep f′ finite wherever f is: |f′/f| =
		// p/|x| exceeds 1 only for |x| < 3, where |f′| ≤ 27|c|. For p = 3
		// they are at most 1, so that the truncation error c·h² of the
		// central difference stays below 5.8e-11·max(1, |f′|).
		q.c[i] = math.Copysign(math.Min(math.Abs(drawExtreme(t, "c", false)), cMax[q.p]), drawExtreme(t, "cSign", false))
	}
	step := rapid.SampledFrom([]float64{0, 0x1p-30, 1e-5, 0.5, -1, math.NaN(), math.Inf(1)}).Draw(t, "step")
	tol := rapid.SampledFrom([]float64{0, 1e-9, 1e-6, 1e-3, -1e-6, math.NaN(), math.Inf(1)}).Draw(t, "tol")
	set := &properties.Settings{Step: step, Tol: tol}

	pointOK := !slices.ContainsFunc(x, func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) })
	setOK := step >= 0 && tol >= 0 && !math.IsInf(step, 0) && !math.IsInf(tol, 0)
	uOK := slices.ContainsFunc(u, func(v float64) bool { return v != 0 })
	x0, u0 := slices.Clone(x), slices.Clone(u)
	fn := q.function()

	var gr properties.GradCheckResult
	calls := []struct {
		name  string
		valid bool
		call  func() error
	}{
		{"GradCheck", pointOK && setOK, func() (err error) { gr, err = properties.GradCheck(fn, x, set); return err }},
		{"DirectionalCheck", pointOK && setOK && uOK, func() error { _, err := properties.DirectionalCheck(fn, x, u, set); return err }},
		{"TaylorCheck", pointOK && uOK, func() error { _, err := properties.TaylorCheck(fn, x, u, nil); return err }},
		{"DescentCheck", pointOK, func() error { _, err := properties.DescentCheck(fn, x); return err }},
	}
	for _, c := range calls {
		if p := runChecker(c.call); p != "" {
			t.Fatalf("%s at x = %v, u = %v, step %v, tol %v: %s", c.name, x, u, step, tol, p)
		}
		err := runError(c.call)
		switch {
		case c.valid && err != nil:
			t.Fatalf("%s rejected valid arguments x = %v, u = %v, step %v, tol %v: %v", c.name, x, u, step, tol, err)
		case !c.valid && (!errors.Is(err, properties.ErrInvalidCheck) || !strings.HasPrefix(err.Error(), "properties: ")):
			t.Fatalf("%s with invalid arguments x = %v, u = %v, step %v, tol %v: got %v, want a properties: error wrapping ErrInvalidCheck",
				c.name, x, u, step, tol, err)
		}
		if !slices.Equal(x, x0) && pointOK || !slices.Equal(u, u0) && uOK {
			t.Fatalf("%s changed its arguments", c.name)
		}
	}
	// For p = 3 the truncation error c·h² is below the tolerance only at
	// steps up to 1e-5 (relative); p ≤ 2 is exact at any step.
	exact := q.p <= 2 || step <= 1e-5
	// GradCheck's rounding floor is RoundingFactor·ε·max|f(x±h)|/h: it
	// takes f's rounding error to be at most RoundingFactor·ε·|f|, the
	// promise Function's doc states. The sum computed here rounds each term
	// c·x^p at most p + 1 times (math.Pow multiplies p − 1 times for an
	// integer power, then ·c) and adds n − 1 times, so its error is at most
	// (p + n)·u·Σ|c_i·x_i^p| with u = ε/2. It keeps the promise, with a margin
	// of two for the values at x ± h, where
	// (p + n)·u·Σ|terms| ≤ (RoundingFactor/2)·ε·|f|. A sum whose terms cancel
	// (x = (−1, −1.00014), c = (1, −1), p = 3: terms 2, f = 4.2e-4) rounds
	// far more than its value shows; no checker can tell that from values
	// of f alone, and such points are outside the promise.
	terms, sum := 0.0, 0.0
	for i, v := range x {
		terms += math.Abs(q.c[i] * math.Pow(v, float64(q.p)))
		sum += q.c[i] * math.Pow(v, float64(q.p))
	}
	const unit = 0x1p-53 // u, the unit roundoff
	exact = exact && float64(q.p+n)*unit*terms <= properties.RoundingFactor/2*(2*unit)*math.Abs(sum)
	if pointOK && setOK && exact && gr.Failed > 0 {
		t.Fatalf("GradCheck failed the right gradient of %s at x = %v (c = %v), step %v, tol %v: %v", fn.What, x, q.c, step, tol, gr)
	}
}

// runChecker runs call and returns the panic it raised, or "".
func runChecker(call func() error) (problem string) {
	defer func() {
		if p := recover(); p != nil {
			problem = fmt.Sprintf("panicked: %v", p)
		}
	}()
	call()
	return ""
}

// runError runs call and returns its error (call is known not to panic).
func runError(call func() error) error { return call() }

func TestPropertyCheckersAtExtremes(t *testing.T) { rapid.Check(t, propCheckersAtExtremes) }

// FuzzCheckersAtExtremes runs the same property under go test -fuzz.
func FuzzCheckersAtExtremes(f *testing.F) {
	contract.Seeds(f, 2026, 16, 1024)
	f.Fuzz(rapid.MakeFuzz(propCheckersAtExtremes))
}
