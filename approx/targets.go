package approx

import "math"

// Target is a function to approximate on [A, B] with the constants the
// bounds of claims U2–U6 need.
type Target struct {
	Name string
	F    func(float64) float64
	A, B float64
	// Lipschitz is max|f′| on [A, B] (+Inf when unbounded).
	Lipschitz float64
	// MaxF2 is max|f″| on [A, B] (+Inf when f is not C² there).
	MaxF2 float64
	// Smooth reports whether f is C² on [A, B] (claim U3's −2 family).
	Smooth bool
}

// KinkPoint is the kink c = 1/π of the Lipschitz target |x − c|: irrational,
// so it is never on a knot of a uniform or dyadic grid (claim U3).
const KinkPoint = 1 / math.Pi

// Targets returns the target family of claims U3–U6:
//   - "sin3x": sin 3x on [−1, 1] (C², max|f″| = 9);
//   - "exp": e^x on [−1, 1] (C², max|f″| = e);
//   - "gauss": the Gaussian bump e^{−8x²} on [−1, 1] (C², max|f″| = 16);
//   - "kink": |x − 1/π| on [−1, 1] (1-Lipschitz, kink never on a knot);
//   - "sqrt": √x on [0, 1] (Hölder ½, f′ unbounded at 0);
//   - "abs": |x| on [−1, 1] (the negative control of claim U6).
func Targets() []Target {
	return []Target{
		{Name: "sin3x", F: func(x float64) float64 { return math.Sin(3 * x) }, A: -1, B: 1, Lipschitz: 3, MaxF2: 9, Smooth: true},
		{Name: "exp", F: math.Exp, A: -1, B: 1, Lipschitz: math.E, MaxF2: math.E, Smooth: true},
		{Name: "gauss", F: func(x float64) float64 { return math.Exp(-8 * x * x) }, A: -1, B: 1,
			Lipschitz: 4 * math.Exp(-0.5), MaxF2: 16, Smooth: true},
		{Name: "kink", F: func(x float64) float64 { return math.Abs(x - KinkPoint) }, A: -1, B: 1, Lipschitz: 1, MaxF2: math.Inf(1)},
		{Name: "sqrt", F: math.Sqrt, A: 0, B: 1, Lipschitz: math.Inf(1), MaxF2: math.Inf(1)},
		{Name: "abs", F: math.Abs, A: -1, B: 1, Lipschitz: 1, MaxF2: math.Inf(1)},
	}
}

// TargetByName returns the target of Targets with the given name.
func TargetByName(name string) (Target, bool) {
	for _, t := range Targets() {
		if t.Name == name {
			return t, true
		}
	}
	return Target{}, false
}
