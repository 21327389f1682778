package claims

import (
	"flag"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"pgregory.net/rapid"

	"github.com/reluproof/reluproof/approx"
	"github.com/reluproof/reluproof/nn"
)

// withRapidChecks lowers rapid's number of checks to at most n for the rest
// of the test (restoring it afterwards), for properties whose every case
// is a whole deterministic sweep; a smaller RAPID_CHECKS still wins, but
// the property runs at least once. Under -short rapid runs a fifth of its
// count (rapid's checkTB), which would leave such a property with no check
// at all (2/5 = 0): the count set is scaled by 5 there.
func withRapidChecks(t *testing.T, n int) {
	f := flag.Lookup("rapid.checks")
	if f == nil {
		return
	}
	old := f.Value.String()
	scale := 1
	if testing.Short() {
		scale = 5
	}
	if cur, err := strconv.Atoi(old); err == nil && cur/scale < n {
		n = cur / scale
	}
	if err := f.Value.Set(strconv.Itoa(max(n, 1) * scale)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Value.Set(old) })
}

// TestWithRapidChecksRunsOnce: a property lowered to one check runs it,
// with and without -short (set here through the test.short flag, which
// testing.Short and rapid read on every call), whatever RAPID_CHECKS says.
func TestWithRapidChecksRunsOnce(t *testing.T) {
	old := flag.Lookup("test.short").Value.String()
	t.Cleanup(func() { _ = flag.Set("test.short", old) })
	for _, short := range []string{"false", "true"} {
		t.Run("short="+short, func(t *testing.T) {
			if err := flag.Set("test.short", short); err != nil {
				t.Fatal(err)
			}
			withRapidChecks(t, 1)
			runs := 0
			rapid.Check(t, func(*rapid.T) { runs++ })
			if runs != 1 {
				t.Errorf("the property ran %d times, want 1", runs)
			}
		})
	}
}

// drawX draws x as sign × magnitude in [0, hi].
func drawX(t *rapid.T, label string, hi float64) float64 {
	sign := rapid.SampledFrom([]float64{-1, 1}).Draw(t, label+"_sign")
	return sign * rapid.Float64Range(0, hi).Draw(t, label)
}

// drawStep draws h = 2^u, u ∈ [lo, hi].
func drawStep(t *rapid.T, lo, hi float64) float64 {
	return math.Exp2(rapid.Float64Range(lo, hi).Draw(t, "log2h"))
}

func TestPropertyN1_SigmoidSumMidpointBound(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		x := drawX(t, "x", 40)
		n := rapid.IntRange(1, 2000).Draw(t, "n")
		h := drawStep(t, -6, 2)
		if _, err := checkSigmoidSumMidpoint(approx.SigmoidSum, x, n, h); err != nil {
			t.Fatal(err)
		}
	})
	if r := runN1(Config{Quick: true}); !r.Pass {
		t.Errorf("runN1: %s", r.Detail)
	}
}

// shiftedSum is a planted bug: shifts i·h instead of (i − ½)h.
func shiftedSum(x float64, n int, h float64) float64 {
	var s float64
	for i := 1; i <= n; i++ {
		s += nn.Sigmoid.Eval(x - float64(i)*h)
	}
	return h * s
}

func TestN1CatchesShiftedSum(t *testing.T) {
	if _, _, err := n1Sup(shiftedSum, 200, 1, -10, 10, 0.01); err == nil {
		t.Error("N1 check accepted shifts i instead of i − ½")
	}
	// A sum that is right to first order but carries an h⁴-sized error
	// (1e-3·h⁴, twice the Euler–Maclaurin bound) is caught by the remainder.
	off := func(x float64, n int, h float64) float64 { return approx.SigmoidSum(x, n, h) + 1e-3*math.Pow(h, 4) }
	if _, err := checkSigmoidSumMidpoint(off, 0, 10, 1); err == nil {
		t.Error("N1 check accepted a remainder of 1e-3·h⁴")
	}
}

func TestPropertyN2_SoftplusBelowLastShift(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 500).Draw(t, "n")
		h := drawStep(t, -4, 2)
		x := float64(n)*h - rapid.Float64Range(0, 60).Draw(t, "c")
		if _, err := checkSoftplusTracking(approx.SigmoidSum, x, n, h); err != nil {
			t.Fatal(err)
		}
	})
	if r := runN2(Config{Quick: true}); !r.Pass {
		t.Errorf("runN2: %s", r.Detail)
	}
}

func TestN2CatchesMissingTail(t *testing.T) {
	// n copies cannot exceed n·h; a "sum" that returns sp itself plus a
	// constant offset h²/8 breaks the bound where the tail is small.
	bad := func(x float64, n int, h float64) float64 { return nn.Softplus.Eval(x) + h*h/8 }
	if _, err := checkSoftplusTracking(bad, -5, 100, 1); err == nil {
		t.Error("N2 check accepted an offset of h²/8")
	}
	if _, err := checkSoftplusTracking(shiftedSum, 0, 100, 1); err == nil {
		t.Error("N2 check accepted shifts i instead of i − ½")
	}
}

func TestPropertyN3_ConvergenceOrder2(t *testing.T) {
	withRapidChecks(t, 20)
	rapid.Check(t, func(t *rapid.T) {
		h0 := rapid.SampledFrom([]float64{1, 0.5}).Draw(t, "h0")
		count := rapid.IntRange(3, 5).Draw(t, "count")
		half := rapid.Float64Range(2, 6).Draw(t, "half")
		r, _, err := convergenceOrder(approx.SigmoidSum, n3Steps(h0, count), half)
		if err != nil {
			t.Fatal(err)
		}
		if err := checkOrder("N3", r, n3Order, n3Tol); err != nil {
			t.Fatal(err)
		}
	})
	if r := runN3(Config{Quick: true}); !r.Pass {
		t.Errorf("runN3: %s", r.Detail)
	}
}

func TestN3CatchesFirstOrderSum(t *testing.T) {
	r, _, err := convergenceOrder(shiftedSum, n3Steps(1, 4), 4)
	if err != nil {
		t.Fatal(err)
	}
	if checkOrder("N3", r, n3Order, n3Tol) == nil {
		t.Errorf("order check accepted the first-order sum (slope %.3f)", r.Slope)
	}
	if checkOrder("N3", approx.Rate{Slope: 1.85}, n3Order, n3Tol) == nil {
		t.Error("order check accepted slope 1.85")
	}
}

func TestPropertyN4_StepVariance(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		x := drawX(t, "x", 30)
		n := rapid.IntRange(1, 1000).Draw(t, "n")
		if _, err := checkStepVariance(approx.StepVariance, x, n); err != nil {
			t.Fatal(err)
		}
	})
	if r := runN4(Config{Quick: true}); !r.Pass {
		t.Errorf("runN4: %s", r.Detail)
	}
}

func TestN4CatchesShiftedVariance(t *testing.T) {
	bad := func(x float64, n int) float64 {
		var s float64
		for i := 1; i <= n; i++ {
			s += nn.Sigmoid.Deriv(x - float64(i))
		}
		return s
	}
	if _, err := checkStepVariance(bad, 1, 100); err == nil {
		t.Error("N4 check accepted shifts i instead of i − ½")
	}
}

func TestPropertyN5_NoisyReLU(t *testing.T) {
	xs := n5Grid()
	rapid.Check(t, func(t *rapid.T) {
		k := rapid.IntRange(0, len(xs)-1).Draw(t, "k")
		if _, err := checkNoisyReLU(approx.SampleNoisyReLU, xs[k], n5Samples, n5Seed(0, k)); err != nil {
			t.Fatal(err)
		}
	})
	if r := runN5(Config{Quick: true}); !r.Pass {
		t.Errorf("runN5: %s", r.Detail)
	}
}

// unitNoise is a planted bug: noise N(0, 1) instead of N(0, σ(x)).
func unitNoise(x float64, m int, seed uint64) approx.NoisyReLUEstimate {
	rng := rand.New(rand.NewPCG(seed, 1))
	zeros, sum := 0, 0.0
	for i := 0; i < m; i++ {
		if y := x + rng.NormFloat64(); y > 0 {
			sum += y
		} else {
			zeros++
		}
	}
	return approx.NoisyReLUEstimate{Samples: m, ZeroFrac: float64(zeros) / float64(m), Mean: sum / float64(m)}
}

func TestN5CatchesWrongNoise(t *testing.T) {
	caught := false
	for k, x := range n5Grid() {
		if _, err := checkNoisyReLU(unitNoise, x, n5Samples, n5Seed(0, k)); err != nil {
			caught = true
			break
		}
	}
	if !caught {
		t.Error("N5 check accepted unit-variance noise")
	}
}
