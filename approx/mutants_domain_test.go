package approx_test

// The edges of the documented domains of approx's constructors, found
// unchecked by mutation testing (MUTATION.md): the smallest valid argument
// works, and the first invalid one is ErrDomain.

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/reluproof/reluproof/approx"
	"github.com/reluproof/reluproof/nn"
)

// TestBumpsDomain: Bumps needs n ≥ 1, a finite steepness > 0 and finite
// values of f at the midpoints. One bump
// on [0, 1] is valid: steps at −1 and 2 (H outside each end) with w = 40,
// so at x = 1/2 the network is f(1/2)·(σ(60) − σ(−60)): f(1/2) within
// 2e^{−60}·f(1/2) of tails and a few roundings (8ε·f(1/2) allowed).
func TestBumpsDomain(t *testing.T) {
	f := func(x float64) float64 { return 3 + x }
	net, err := approx.Bumps(f, 0, 1, 1, 40)
	if err != nil {
		t.Fatalf("n = 1: %v", err)
	}
	got, err := approx.Eval(net, []float64{0.5})
	if err != nil {
		t.Fatal(err)
	}
	if !(math.Abs(got[0]-3.5) <= 3.5*(2*math.Exp(-60)+8*0x1p-52)) {
		t.Errorf("one bump at 1/2 = %v, want f(1/2) = 3.5", got[0])
	}
	if _, err := approx.Bumps(math.Log, -1, 1, 4, 40); !errors.Is(err, approx.ErrKnots) {
		t.Errorf("f = log on [−1, 1] (NaN at the first midpoint): %v, want ErrKnots", err)
	}
	for _, steep := range []float64{0, -1, math.Inf(1), math.NaN()} {
		if _, err := approx.Bumps(f, 0, 1, 4, steep); !errors.Is(err, approx.ErrDomain) {
			t.Errorf("steepness %v: %v, want ErrDomain", steep, err)
		}
	}
}

// TestBumpsVanishOutside: the bumps telescope into steps whose heights sum
// to zero (the first step raises bump 0, the last lowers bump n − 1 to 0),
// so two cells beyond either end of [a, b] the network is 0 up to the
// sigmoid tails: with steep 40 the nearest step is a cell away, e^{−40}
// relative, and the sum of n + 1 terms of size max|f| cancels to within
// (n + 1)·4ε·max|f|.
func TestBumpsVanishOutside(t *testing.T) {
	f := func(x float64) float64 { return 3 + x }
	const n = 8
	net, err := approx.Bumps(f, 0, 1, n, 40)
	if err != nil {
		t.Fatal(err)
	}
	h := 1.0 / n
	got, err := approx.Eval(net, []float64{-2 * h, 1 + 2*h})
	if err != nil {
		t.Fatal(err)
	}
	tol := 4 * ((n+1)*4*0x1p-52 + math.Exp(-40)) // max|f| = 4
	for i, x := range []float64{-2 * h, 1 + 2*h} {
		if !(math.Abs(got[i]) <= tol) {
			t.Errorf("bumps at %v = %v, want 0 ± %v", x, got[i], tol)
		}
	}
}

// TestPiecewiseLinearSlopeCount: n breakpoints need n + 1 slopes, and the
// error says so in those numbers.
func TestPiecewiseLinearSlopeCount(t *testing.T) {
	_, err := approx.PiecewiseLinear([]float64{0, 1}, []float64{1, 2}, 0)
	if !errors.Is(err, approx.ErrKnots) || !strings.Contains(err.Error(), "2 breakpoints need 3 slopes, got 2") {
		t.Errorf("PiecewiseLinear with 2 breakpoints and 2 slopes: %v; want ErrKnots saying 2 breakpoints need 3 slopes", err)
	}
}

// TestRefinedGridPer: per = 1 is valid (the uniform grid and the knots),
// per = 2 adds every interval's midpoint, per = 0 is ErrKnots; the result
// is sorted.
func TestRefinedGridPer(t *testing.T) {
	knots := []float64{0, 0.1, 1}
	for _, per := range []int{1, 2} {
		xs, err := approx.RefinedGrid(knots, 3, per)
		if err != nil {
			t.Fatalf("per = %d: %v", per, err)
		}
		want := []float64{0, 0.5, 1, 0.1}
		if per == 2 {
			want = append(want, 0.05, 0.55)
		}
		for _, w := range want {
			if !slices.Contains(xs, w) {
				t.Errorf("per = %d: %v lacks %v", per, xs, w)
			}
		}
		if !slices.IsSorted(xs) {
			t.Errorf("per = %d: %v not sorted", per, xs)
		}
	}
	if _, err := approx.RefinedGrid(knots, 3, 0); !errors.Is(err, approx.ErrKnots) {
		t.Errorf("per = 0: %v, want ErrKnots", err)
	}
}

// TestFitRateTwoPoints: two points are enough (the line through them),
// width 1 is a valid width and FitPower's x = 0 is not: errors 1 and 1/16 at widths 1 and 4 lie on
// width^−2, so the slope is −2 and the intercept 0, up to the rounding of
// log 4 and of the regression's few operations (1e-14).
func TestFitRateTwoPoints(t *testing.T) {
	r, err := approx.FitRate([]int{1, 4}, []float64{1, 1.0 / 16})
	if err != nil {
		t.Fatal(err)
	}
	if !(math.Abs(r.Slope+2) <= 1e-14 && math.Abs(r.Intercept) <= 1e-14) {
		t.Errorf("rate %+v, want slope −2, intercept 0", r)
	}
	// FitPower takes any x > 0; x = 0 has no logarithm.
	if _, err := approx.FitPower([]float64{0, 1}, []float64{1, 1}); !errors.Is(err, approx.ErrDomain) {
		t.Errorf("FitPower at x = 0: %v, want ErrDomain", err)
	}
}

// TestMedianRows: Median groups rows by width in order of first
// appearance; an odd number of seeds gives the middle value, an even
// number the mean of the two middle values (exact here: small integers
// and halves), and Seconds is the total.
func TestMedianRows(t *testing.T) {
	rows := []approx.SweepRow{
		{Width: 8, Seed: 1, SupErr: 5, RMS: 1, Seconds: 1},
		{Width: 4, Seed: 1, SupErr: 1, RMS: 7, Seconds: 2},
		{Width: 8, Seed: 2, SupErr: 1, RMS: 3, Seconds: 1},
		{Width: 4, Seed: 2, SupErr: 4, RMS: 2, Seconds: 2},
		{Width: 8, Seed: 3, SupErr: 2, RMS: 2, Seconds: 1},
		{Width: 4, Seed: 3, SupErr: 2, RMS: 9, Seconds: 2},
		{Width: 4, Seed: 4, SupErr: 9, RMS: 1, Seconds: 2},
	}
	want := []approx.SweepRow{
		{Width: 8, SupErr: 2, RMS: 2, Seconds: 3},
		{Width: 4, SupErr: 3, RMS: 4.5, Seconds: 8},
	}
	if got := approx.Median(rows); !slices.Equal(got, want) {
		t.Errorf("Median = %+v, want %+v", got, want)
	}
}

// TestPiecesNamesSmoothLayer: the error for a smooth activation names its
// layer, 1-based.
func TestPiecesNamesSmoothLayer(t *testing.T) {
	net, err := nn.New([]int{1, 3, 1}, nn.Tanh, nn.Identity, 1)
	if err != nil {
		t.Fatal(err)
	}
	_, err = approx.Pieces(net, 0, 1)
	if !errors.Is(err, approx.ErrNetwork) || !strings.Contains(err.Error(), "layer 1 activation tanh") {
		t.Errorf("Pieces of a tanh network: %v, want ErrNetwork naming layer 1", err)
	}
}

// TestPLSigmoidOnePiece: n = 1 is valid: the chord of σ from −L to L,
// constant outside. At 0 it is (σ(−L) + σ(L))/2 = 1/2 and at ±2L it is
// σ(∓L), up to a few roundings of values below 1 (4ε).
func TestPLSigmoidOnePiece(t *testing.T) {
	const L = 3.0
	net, err := approx.PLSigmoid(L, 1)
	if err != nil {
		t.Fatal(err)
	}
	xs := []float64{-2 * L, 0, 2 * L}
	got, err := approx.Eval(net, xs)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{approx.Sigmoid(-L), 0.5, approx.Sigmoid(L)} {
		if !(math.Abs(got[i]-want) <= 4*0x1p-52) {
			t.Errorf("PLSigmoid(%v, 1) at %v = %v, want %v", L, xs[i], got[i], want)
		}
	}
}

// TestPLSigmoidDomainMessage: L = 0 is rejected up front, with the message
// that names the domain (L > 0 finite, n ≥ 1) and the values given, not by
// a later check that trips over the slopes 0/0 it would compute.
func TestPLSigmoidDomainMessage(t *testing.T) {
	for _, c := range []struct {
		L float64
		n int
	}{{0, 4}, {-1, 4}, {math.Inf(1), 4}, {math.NaN(), 4}, {1, 0}} {
		_, err := approx.PLSigmoid(c.L, c.n)
		if !errors.Is(err, approx.ErrDomain) || !strings.Contains(err.Error(), "PL sigmoid needs L > 0 finite and n ≥ 1") {
			t.Errorf("PLSigmoid(%v, %d): %v, want ErrDomain naming the domain", c.L, c.n, err)
		}
	}
}

// TestPLSigmoidBoundValues: the bound is max(h²/(48√3), σ(−L)) with
// h = 2L/n, for n ≥ 1 and L > 0, and NaN otherwise. With L = 10 and n = 4
// (h = 5) the interpolation term 25/(48√3) ≈ 0.30 dominates the tail
// σ(−10) ≈ 4.5e-5; with n = 1 and L = 1 the tail σ(−1) ≈ 0.27 dominates
// 4/(48√3) ≈ 0.048. Both sides evaluate the same expression: equal to 2ε.
func TestPLSigmoidBoundValues(t *testing.T) {
	for _, c := range []struct {
		L    float64
		n    int
		want float64
	}{
		{10, 4, 25 / (48 * math.Sqrt(3))},
		{1, 1, approx.Sigmoid(-1)},
		{0, 4, math.NaN()},
		{1, 0, math.NaN()},
	} {
		got := approx.PLSigmoidBound(c.L, c.n)
		if math.IsNaN(c.want) != math.IsNaN(got) || math.Abs(got-c.want) > 2*0x1p-52*c.want {
			t.Errorf("PLSigmoidBound(%v, %d) = %v, want %v", c.L, c.n, got, c.want)
		}
	}
}

// TestSigmoidReLUBoundDomain: the bound is NaN exactly where SigmoidReLU
// is: h = 0 (SigmoidSum needs h > 0), n = 0 and β = 0 give NaN; n = 1, h = 1,
// β = 1 at x = 0 is (log 2 + 1/16 + e^{−1}), to the rounding of three
// terms (4ε); with β = 2 every term is halved.
func TestSigmoidReLUBoundDomain(t *testing.T) {
	for _, c := range []struct {
		n int
		h float64
	}{{4, 0}, {0, 1}} {
		if v, b := approx.SigmoidReLU(0, c.n, c.h, 1), approx.SigmoidReLUBound(0, c.n, c.h, 1); !math.IsNaN(v) || !math.IsNaN(b) {
			t.Errorf("n = %d, h = %v: SigmoidReLU %v, bound %v; want NaN for both", c.n, c.h, v, b)
		}
	}
	if b := approx.SigmoidReLUBound(0, 4, 1, 0); !math.IsNaN(b) {
		t.Errorf("β = 0: bound %v, want NaN", b)
	}
	// The network's constructor names its domain for β = 0, as for h = 0.
	if _, err := approx.SigmoidReLUNetwork(3, 1, 0); !errors.Is(err, approx.ErrDomain) || !strings.Contains(err.Error(), "β > 0") {
		t.Errorf("SigmoidReLUNetwork with β = 0: %v, want ErrDomain stating β > 0", err)
	}
	want := math.Ln2 + 1.0/16 + math.Exp(-1)
	if got := approx.SigmoidReLUBound(0, 1, 1, 1); !(math.Abs(got-want) <= 4*0x1p-52) {
		t.Errorf("bound at n = 1, h = 1, β = 1 = %v, want %v", got, want)
	}
	// n = 2, h = 2: the tail is e^{βx − nh} = e^{−4}.
	want = math.Ln2 + 4.0/16 + math.Exp(-4)
	if got := approx.SigmoidReLUBound(0, 2, 2, 1); !(math.Abs(got-want) <= 4*0x1p-52) {
		t.Errorf("bound at n = 2, h = 2, β = 1 = %v, want %v", got, want)
	}
	// β = 2 divides every term by 2; at x = 1 the tail is e^{2 − 4}/2.
	want = (math.Ln2 + 4.0/16 + math.Exp(-2)) / 2
	if got := approx.SigmoidReLUBound(1, 2, 2, 2); !(math.Abs(got-want) <= 4*0x1p-52) {
		t.Errorf("bound at x = 1, n = 2, h = 2, β = 2 = %v, want %v", got, want)
	}
}

// TestPiecewiseLinearRejects: every argument PiecewiseLinear rejects is
// ErrKnots with the message that names the fault, and PiecewiseLinearValue
// is NaN there at every x (documented), not the value of some other
// function: a NaN slope on the right once gave finite values on the left.
func TestPiecewiseLinearRejects(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	for _, c := range []struct {
		name          string
		breaks, slope []float64
		y0            float64
		msg           string
	}{
		{"no breakpoints", nil, []float64{1}, 0, "no breakpoints"},
		{"one slope for one break", []float64{0}, []float64{1}, 0, "1 breakpoints need 2 slopes, got 1"},
		{"three slopes for one break", []float64{0}, []float64{1, 2, 3}, 0, "1 breakpoints need 2 slopes, got 3"},
		{"an infinite single break", []float64{inf}, []float64{1, 2}, 0, "breakpoint +Inf"},
		{"a NaN single break", []float64{nan}, []float64{1, 2}, 0, "breakpoint NaN"},
		{"an infinite second break", []float64{0, inf}, []float64{1, 2, 3}, 0, "knot 1 is +Inf"},
		{"breaks out of order", []float64{1, 0}, []float64{1, 2, 3}, 0, "not strictly increasing"},
		{"a NaN slope on the right", []float64{0}, []float64{1, nan}, 0, "non-finite slope or value"},
		{"an infinite slope on the left", []float64{0, 1}, []float64{-inf, 1, 2}, 0, "non-finite slope or value"},
		{"a NaN y0", []float64{0}, []float64{1, 2}, nan, "non-finite slope or value"},
		{"an infinite y0", []float64{0}, []float64{1, 2}, -inf, "non-finite slope or value"},
	} {
		_, err := approx.PiecewiseLinear(c.breaks, c.slope, c.y0)
		if !errors.Is(err, approx.ErrKnots) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("PiecewiseLinear with %s: %v, want ErrKnots with %q", c.name, err, c.msg)
		}
		for _, x := range []float64{-10, 0.5, 10} {
			if v := approx.PiecewiseLinearValue(c.breaks, c.slope, c.y0, x); !math.IsNaN(v) {
				t.Errorf("PiecewiseLinearValue with %s at %v = %v, want NaN", c.name, x, v)
			}
		}
	}
}
