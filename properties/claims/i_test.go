package claims

import (
	"math"
	"testing"

	"pgregory.net/rapid"

	"github.com/reluproof/reluproof/nn"
)

// pointProperty drives a point check of the I family with rapid.
func pointProperty(t *testing.T, check func(float64) (float64, error)) {
	var worst float64
	rapid.Check(t, func(rt *rapid.T) {
		x := identityPoint().Draw(rt, "x")
		e, err := check(x)
		if err != nil {
			rt.Fatal(err)
		}
		worst = math.Max(worst, e)
	})
	t.Logf("largest error %.3g (in the unit of the claim's bound)", worst)
}

func TestPropertyI1_ReluIdentities(t *testing.T)       { pointProperty(t, checkI1) }
func TestPropertyI2_SoftplusOddPart(t *testing.T)      { pointProperty(t, checkI2) }
func TestPropertyI3_SigmoidSymmetry(t *testing.T)      { pointProperty(t, checkI3) }
func TestPropertyI4_DerivativeIdentities(t *testing.T) { pointProperty(t, checkI4) }
func TestPropertyI5_NoOverflow(t *testing.T)           { pointProperty(t, checkI5) }

// naiveSoftplus is log(1+e^x) written directly: the planted bug of I5.
func naiveSoftplus(x float64) float64 { return math.Log(1 + math.Exp(x)) }

// TestI5CatchesNaiveSoftplus: the naive form returns 0 at −40 (true value
// 4.248e-18) and +Inf at 710, and I5's accuracy check rejects both, while
// nn's softplus passes at the same points.
func TestI5CatchesNaiveSoftplus(t *testing.T) {
	if v := naiveSoftplus(-40); v != 0 {
		t.Errorf("naive log(1+e^x) at −40 = %v, expected the documented 0", v)
	}
	if v := naiveSoftplus(710); !math.IsInf(v, 1) {
		t.Errorf("naive log(1+e^x) at 710 = %v, expected the documented +Inf", v)
	}
	for _, x := range []float64{-40, 710} {
		if _, err := checkAccurate("naive sp", naiveSoftplus, softplusReference, x); err == nil {
			t.Errorf("naive softplus at %v passed the I5 accuracy check", x)
		}
		if _, err := checkAccurate("sp", nn.Softplus.Eval, softplusReference, x); err != nil {
			t.Error(err)
		}
	}
	if want := 4.248354255291589e-18; math.Abs(softplusReference(-40)-want) > 4*machEps*want {
		t.Errorf("sp(−40) reference = %v, want %v", softplusReference(-40), want)
	}
}

// TestI5OneMinusSigmoid: 1 − σ(40) cancels to 0, σ(−40) keeps the value
// 4.248e-18; and math.Exp overflows near the top of the float64 range (on
// amd64 already above 709.436, below log(MaxFloat64) = 709.78), where nn's
// σ, sp and tanh stay finite and accurate.
func TestI5OneMinusSigmoid(t *testing.T) {
	if v := 1 - nn.Sigmoid.Eval(40); v != 0 {
		t.Errorf("1 − σ(40) = %v, expected the documented cancellation to 0", v)
	}
	if _, err := checkAccurate("σ", nn.Sigmoid.Eval, sigmoidReference, -40); err != nil {
		t.Error(err)
	}
	if v := nn.Sigmoid.Eval(-40); math.Abs(v-4.248354255291589e-18) > 8*machEps*v {
		t.Errorf("σ(−40) = %v, want 4.248354255291589e-18", v)
	}
	if !math.IsInf(math.Exp(710), 1) {
		t.Error("math.Exp(710) is finite")
	}
	lo, hi := 700.0, 710.0
	for range 60 {
		if m := (lo + hi) / 2; math.IsInf(math.Exp(m), 1) {
			hi = m
		} else {
			lo = m
		}
	}
	t.Logf("math.Exp overflows above x = %.6f on this platform (log MaxFloat64 = %.6f)", lo, math.Log(math.MaxFloat64))
	for _, x := range []float64{lo, hi, 709.5, 709.78, 709.79, 745, 746} {
		for _, s := range []float64{1, -1} {
			if _, err := checkI5(s * x); err != nil {
				t.Error(err)
			}
		}
	}
}

// naiveSigmoid is 1/(1+e^{−x}) evaluated as e^x/(1+e^x) for every x: NaN
// (Inf/Inf) above 709.8. I5 must reject it.
func naiveSigmoid(x float64) float64 { e := math.Exp(x); return e / (1 + e) }

func TestI5CatchesNaiveSigmoid(t *testing.T) {
	if _, err := checkAccurate("naive σ", naiveSigmoid, sigmoidReference, 800); err == nil {
		t.Error("e^x/(1+e^x) at 800 passed the I5 check")
	}
}

// The I checks themselves must fail on wrong identities: a planted
// violation of each bound is caught.
func TestICheckersCatch(t *testing.T) {
	sp := func(x float64) float64 { return nn.Softplus.Eval(x) * (1 + 16*machEps) }
	if _, err := checkAccurate("sp·(1+16ε)", sp, softplusReference, 3); err == nil {
		t.Error("softplus off by 16ε passed")
	}
	tanhWrong := func(x float64) float64 { return math.Tanh(x) + 1e-12 }
	if _, err := checkAccurate("tanh+1e-12", tanhWrong, tanhReference, 0.5); err == nil {
		t.Error("tanh off by 1e-12 passed")
	}
	// σ′ written as σ(1−σ) naively loses all accuracy at x = 40.
	naive := func(x float64) float64 { s := nn.Sigmoid.Eval(x); return s * (1 - s) }
	if _, err := checkAccurate("σ(1−σ)", naive, sigmoidDerivReference, 40); err == nil {
		t.Error("naive σ(1−σ) at 40 passed")
	}
}
