package claims

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/reluproof/reluproof/nn"
	"github.com/reluproof/reluproof/properties/gen"
)

// Claims I1–I5: identities and numerical safety (CLAIMS.md, family I).

// smallestSubnormal is the smallest positive subnormal: where a true value underflows,
// no evaluation can be relatively accurate, so accuracy checks allow it as
// an absolute slack.
const smallestSubnormal = 0x1p-1074

// identityPoint draws a point for the I claims: sign × 10^e with e in
// [−300, 300] (every scale up to 1e300), sign × a value in [0, 50] (where
// σ and sp change) or in [700, 750] (where e^x overflows and e^{−x}
// underflows; Go's math.Exp already returns +Inf above 709.436 on amd64),
// or one of 0, the smallest subnormal and the largest float64, each with
// either sign.
func identityPoint() gen.Gen[float64] {
	specials := []float64{0, math.Copysign(0, -1), smallestSubnormal, -smallestSubnormal, math.MaxFloat64, -math.MaxFloat64}
	return func(t gen.Source) float64 {
		var v float64
		switch t.IntRange(0, 5, "kind") {
		case 0:
			return gen.Pick(t, specials, "special")
		case 1:
			v = t.Float64Range(700, 750, "edge")
		case 2, 3:
			v = math.Pow(10, t.Float64Range(-300, 300, "exponent"))
		default:
			v = t.Float64Range(0, 50, "moderate")
		}
		if t.Bool("negative") {
			v = -v
		}
		return v
	}
}

// runPoints runs check at seeded identityPoint points (default 2000, quick
// 400) and reports the largest error it returns, in the unit of its bound.
func runPoints(cfg Config, id string, bound string, check func(x float64) (float64, error)) Result {
	n := caseCount(cfg, 2000, 400)
	cases := identityPoint()
	var worst float64
	var worstX float64
	for i, seed := range caseSeeds(cfg, id, n) {
		x := cases.Seeded(seed)
		e, err := check(x)
		if err != nil {
			return Result{Measured: e, Bound: bound, Detail: fmt.Sprintf("point %d of %d: %v", i, n, err)}
		}
		if e > worst {
			worst, worstX = e, x
		}
		tellProgress(cfg, i+1, n)
	}
	return Result{Measured: worst, Bound: bound, Pass: true,
		Detail: fmt.Sprintf("%d points from 0 to ±MaxFloat64 (every decade, and 700–750 where e^x overflows); worst at x = %.6g", n, worstX)}
}

// checkI1 checks relu(x) − relu(−x) = x and relu(x) + relu(−x) = |x|
// exactly (as numbers: +0 and −0 are equal). It returns the absolute error
// (0 when it holds) and an error describing a violation.
func checkI1(x float64) (float64, error) {
	d := nn.ReLU.Eval(x) - nn.ReLU.Eval(-x)
	s := nn.ReLU.Eval(x) + nn.ReLU.Eval(-x)
	if d != x || s != math.Abs(x) {
		return math.Max(math.Abs(d-x), math.Abs(s-math.Abs(x))),
			fmt.Errorf("properties: I1 at x = %v: relu(x) − relu(−x) = %v, relu(x) + relu(−x) = %v", x, d, s)
	}
	return 0, nil
}

// runI1 runs checkI1 at seeded points; Measured is the largest error.
func runI1(cfg Config) Result { return runPoints(cfg, "I1", "= 0 (bit-exact)", checkI1) }

// checkI2 checks sp(x) − sp(−x) = x within 4ε·max(1, |x|) and returns the
// error in units of ε·max(1, |x|).
func checkI2(x float64) (float64, error) {
	d := nn.Softplus.Eval(x) - nn.Softplus.Eval(-x)
	e := math.Abs(d-x) / (machEps * math.Max(1, math.Abs(x)))
	if !(e <= 4) {
		return e, fmt.Errorf("properties: I2 at x = %v: sp(x) − sp(−x) = %v (%.3g ε·max(1, |x|) off)", x, d, e)
	}
	return e, nil
}

// runI2 runs checkI2 at seeded points; Measured is the largest error in
// units of ε·max(1, |x|).
func runI2(cfg Config) Result { return runPoints(cfg, "I2", "≤ 4 (ε·max(1, |x|))", checkI2) }

// checkI3 checks σ(x) + σ(−x) = 1 within 4ε and returns the error in units
// of ε.
func checkI3(x float64) (float64, error) {
	s := nn.Sigmoid.Eval(x) + nn.Sigmoid.Eval(-x)
	e := math.Abs(s-1) / machEps
	if !(e <= 4) {
		return e, fmt.Errorf("properties: I3 at x = %v: σ(x) + σ(−x) = %v (%.3g ε off)", x, s, e)
	}
	return e, nil
}

// runI3 runs checkI3 at seeded points; Measured is the largest error in
// units of ε.
func runI3(cfg Config) Result { return runPoints(cfg, "I3", "≤ 4 (ε)", checkI3) }

// i4Tol is I4's "a few ε". Each side costs a few correctly-or-nearly
// rounded operations: σ′ = σ(x)σ(−x) is two σ evaluations (each an exp, an
// add and a divide, ≤ 2ε after the exp's own ≤ 1ε) and a product, about 5ε;
// the reference e^{−|x|}/(1+e^{−|x|})² about 4ε. Eight ε covers the sum.
const i4Tol = 8

// sigmoidDerivReference returns σ′(x) = e^{−|x|}/(1+e^{−|x|})², a form
// independent of σ itself, relatively accurate to about 4ε while e^{−|x|} is
// normal (|x| ≤ 708).
func sigmoidDerivReference(x float64) float64 {
	e := math.Exp(-math.Abs(x))
	return e / ((1 + e) * (1 + e))
}

// checkI4 checks, at x, sp′(x) = σ(x) and σ′(x) against
// sigmoidDerivReference within i4Tol·ε relative (plus the smallest
// subnormal, for |x| beyond 708 where σ′ underflows), and
// tanh(x) = 2σ(2x) − 1 within i4Tol·ε·max(1, |tanh x|). The last is
// absolute in effect: 2σ(2x) − 1 cancels near 0, where its relative error
// is ε/|x|, so no evaluation of that right-hand side is relatively
// accurate there. It returns the largest error in units of ε (relative as
// above).
func checkI4(x float64) (float64, error) {
	spd, sig := nn.Softplus.Deriv(x), nn.Sigmoid.Eval(x)
	e1 := math.Abs(spd-sig) / (machEps*math.Abs(sig) + smallestSubnormal)
	ref := sigmoidDerivReference(x)
	d := nn.Sigmoid.Deriv(x)
	e2 := math.Abs(d-ref) / (machEps*ref + smallestSubnormal)
	th := math.Tanh(x)
	e3 := math.Abs(th-(2*nn.Sigmoid.Eval(2*x)-1)) / (machEps * math.Max(1, math.Abs(th)))
	e := math.Max(e1, math.Max(e2, e3))
	if !(e <= i4Tol) {
		return e, fmt.Errorf("properties: I4 at x = %v: sp′ = %v vs σ = %v; σ′ = %v vs %v; tanh = %v vs 2σ(2x)−1 = %v (%.3g ε off)",
			x, spd, sig, d, ref, th, 2*nn.Sigmoid.Eval(2*x)-1, e)
	}
	return e, nil
}

// runI4 runs checkI4 at seeded points; Measured is the largest error in
// units of ε.
func runI4(cfg Config) Result { return runPoints(cfg, "I4", "≤ 8 (ε, relative)", checkI4) }

// Reference values for I5, each from a form that is accurate where it is
// used and different from nn's.

// sigmoidReference returns σ(x): 1/(1+e^{−x}) for x < 0 (e^{−x} is finite
// for x > −709, and the result is then accurate to 3ε) and e^x/(1+e^x)
// for 0 ≤ x < 709 (709 stays below the 709.436 where Go's math.Exp already
// overflows on amd64) — the forms nn does not use there; σ(x) = e^x for
// x ≤ −709 and 1 for x ≥ 709, the asymptotic values (relative error below
// e^{−709}).
func sigmoidReference(x float64) float64 {
	switch {
	case x <= -709:
		return math.Exp(x)
	case x < 0:
		return 1 / (1 + math.Exp(-x))
	case x < 709:
		e := math.Exp(x)
		return e / (1 + e)
	}
	return 1
}

// softplusReference returns sp(x) = log(1+e^x): log1p(e^x) for |x| < 40,
// x + e^{−x} for x ≥ 40 and e^x(1 − e^x/2) for x ≤ −40 (the asymptotic
// forms, relative error below e^{−80}).
func softplusReference(x float64) float64 {
	switch {
	case x >= 40:
		return x + math.Exp(-x)
	case x <= -40:
		e := math.Exp(x)
		return e * (1 - e/2)
	}
	return math.Log1p(math.Exp(x))
}

// tanhReference returns tanh x = expm1(2|x|)/(expm1(2|x|) + 2) with the
// sign of x for |x| < 20, and ±1 beyond (tanh 20 = 1 − 8.5e-18 rounds to 1).
func tanhReference(x float64) float64 {
	a := math.Abs(x)
	if a >= 20 {
		return math.Copysign(1, x)
	}
	e := math.Expm1(2 * a)
	return math.Copysign(e/(e+2), x)
}

// i5Tol is I5's accuracy, in ε relative to the reference (plus the
// smallest subnormal where the true value underflows): each side is a few
// roundings of exp, log1p or expm1 (each ≤ 1ε in Go's math) and one or two
// arithmetic operations.
const i5Tol = 8

// checkAccurate reports whether f(x) is finite and within i5Tol·ε of
// ref(x), relative (plus the smallest subnormal). It returns the error in
// units of ε and an error naming f for a violation.
func checkAccurate(name string, f, ref func(float64) float64, x float64) (float64, error) {
	v, r := f(x), ref(x)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return math.Inf(1), fmt.Errorf("properties: %s(%v) = %v, want finite %v", name, x, v, r)
	}
	e := math.Abs(v-r) / (machEps*math.Abs(r) + smallestSubnormal)
	if !(e <= i5Tol) {
		return e, fmt.Errorf("properties: %s(%v) = %v, want %v (%.3g ε off)", name, x, v, r, e)
	}
	return e, nil
}

// checkI5 checks at x that σ, sp and tanh (nn's activations) are finite and
// accurate against sigmoidReference, softplusReference and tanhReference,
// that their derivatives are finite, and that BCE with logits at logit x
// and MSE at output x (for |x| ≤ 1e150, where x² is representable) are
// finite and accurate against lossReference. It returns the largest error
// in units of ε.
func checkI5(x float64) (float64, error) {
	var worst float64
	for _, c := range []struct {
		name   string
		f, ref func(float64) float64
	}{
		{"σ", nn.Sigmoid.Eval, sigmoidReference},
		{"sp", nn.Softplus.Eval, softplusReference},
		{"tanh", nn.Tanh.Eval, tanhReference},
	} {
		e, err := checkAccurate(c.name, c.f, c.ref, x)
		if err != nil {
			return e, err
		}
		worst = math.Max(worst, e)
	}
	for _, act := range []nn.Activation{nn.Sigmoid, nn.Softplus, nn.Tanh} {
		if d := act.Deriv(x); math.IsNaN(d) || math.IsInf(d, 0) {
			return math.Inf(1), fmt.Errorf("properties: %s′(%v) = %v", act.Name(), x, d)
		}
	}
	losses := []nn.Loss{nn.BCEWithLogits}
	if math.Abs(x) <= 1e150 {
		losses = append(losses, nn.MSE)
	}
	for _, loss := range losses {
		for _, label := range []float64{0, 0.25, 1} {
			c := g6Case{Loss: loss, Y: mat.NewDense(1, 1, []float64{x}), T: mat.NewDense(1, 1, []float64{label})}
			g := mat.NewDense(1, 1, nil)
			v := loss.Loss(c.Y, c.T, g)
			if math.IsNaN(v) || math.IsInf(v, 0) || math.IsNaN(g.At(0, 0)) || math.IsInf(g.At(0, 0), 0) {
				return math.Inf(1), fmt.Errorf("properties: %s at y = %v, t = %v: value %v, gradient %v", loss.Name(), x, label, v, g.At(0, 0))
			}
			ref, scale, err := lossReference(loss, c.Y, c.T)
			if err != nil {
				return math.Inf(1), err
			}
			e := math.Abs(v-ref) / (machEps*scale + smallestSubnormal)
			if !(e <= lossValueTol) {
				return e, fmt.Errorf("properties: %s at y = %v, t = %v: %v, want %v", loss.Name(), x, label, v, ref)
			}
		}
	}
	return worst, nil
}

// runI5 runs checkI5 at seeded points; Measured is the largest error of σ,
// sp and tanh in units of ε.
func runI5(cfg Config) Result {
	return runPoints(cfg, "I5", "≤ 8 (ε, relative), all finite", checkI5)
}
