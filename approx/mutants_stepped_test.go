package approx_test

// The compensated sum of SigmoidSum, found unchecked by mutation testing
// (MUTATION.md): the claims' tolerances are far above its rounding.

import (
	"math"
	"math/big"
	"testing"

	"github.com/reluproof/reluproof/approx"
)

// TestSigmoidSumCompensated: SigmoidSum documents a rounding error of a
// few ε·S whatever n is (Neumaier's compensated sum). The reference sums
// the same rounded terms σ(x − (i − ½)h) exactly in 256-bit big.Float and
// rounds once; a compensated sum of positive terms is within 2ε of it
// (plus one rounding for the factor h), where a plain running sum of
// n = 2·10⁵ terms drifts by up to n·ε/2 relative. The test allows 4ε.
func TestSigmoidSumCompensated(t *testing.T) {
	const n = 200000
	for _, c := range []struct{ x, h float64 }{{50, 1e-4}, {3, 3e-5}, {-2, 1e-5}} {
		exact := new(big.Float).SetPrec(256)
		for i := 1; i <= n; i++ {
			v := approx.Sigmoid(c.x - (float64(i)-0.5)*c.h)
			exact.Add(exact, new(big.Float).SetPrec(256).SetFloat64(v))
		}
		s, _ := exact.Float64()
		want := c.h * s
		got := approx.SigmoidSum(c.x, n, c.h)
		if !(math.Abs(got-want) <= 4*0x1p-52*want) {
			t.Errorf("SigmoidSum(%v, %d, %v) = %v, want %v (exact sum of its terms, times h)", c.x, n, c.h, got, want)
		}
	}
}

// TestSteppedDomainsAgree: SigmoidSumIntegral and MidpointLeadingError
// are NaN exactly where SigmoidSum is; at h = 0 both would otherwise be a
// plausible 0.
func TestSteppedDomainsAgree(t *testing.T) {
	for _, f := range []func(float64, int, float64) float64{approx.SigmoidSum, approx.SigmoidSumIntegral, approx.MidpointLeadingError} {
		if v := f(0.3, 4, 0); !math.IsNaN(v) {
			t.Errorf("h = 0: %v, want NaN", v)
		}
	}
}
