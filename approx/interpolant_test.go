package approx_test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/reluproof/reluproof/approx"
)

// TestInterpolantPivot: Interpolant's units face away from the pivot knot
// x_m that minimises max(R_m, L_m), where, with s_j the slope of piece j,
//
//	R_m = |s_m|(x_n − x_m) + Σ_{m<j<n} |s_j − s_{j−1}|(x_n − x_j)   (R_n = 0)
//	L_m = |s_{m−1}|(x_m − x_0) + Σ_{0<j<m} |s_j − s_{j−1}|(x_j − x_0) (L_0 = 0)
//
// (the sizes of the terms that cancel at the far knots; the first minimum
// on a tie, as the doc comment says). The pivot is visible in the network: m units have input
// weight −1 (relu(x_j − x), j = 1…m). The test sums R_m and L_m directly
// for every m, apart from the code's running sums, and so needs cases
// without near ties: it requires the best cost to beat the next by a
// relative 1e-9, far above the rounding of either way of summing (n ≤ 40
// terms, ~40ε). It also checks the values at the knots.
func TestInterpolantPivot(t *testing.T) {
	graded, _ := approx.GradedKnots(0, 1, 12, 2)
	uniform, _ := approx.UniformKnots(-1, 2, 9)
	cases := []struct {
		name  string
		f     func(float64) float64
		knots []float64
	}{
		{"sqrt graded", math.Sqrt, graded},
		{"exp 3x", func(x float64) float64 { return math.Exp(3 * x) }, uniform},
		{"exp -3x", func(x float64) float64 { return math.Exp(-3 * x) }, uniform},
		{"sin 5x", func(x float64) float64 { return math.Sin(5 * x) }, uniform},
		{"cubic", func(x float64) float64 { return x * x * x }, []float64{-2, -1.5, -0.25, 0, 0.5, 1.75, 3}},
		{"kink", func(x float64) float64 { return math.Abs(x - 0.3) }, []float64{0, 0.3, 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			xs := c.knots
			n := len(xs) - 1
			ys := make([]float64, n+1)
			for i, x := range xs {
				ys[i] = c.f(x)
			}
			s := make([]float64, n)
			for j := range s {
				s[j] = (ys[j+1] - ys[j]) / (xs[j+1] - xs[j])
			}
			cost := make([]float64, n+1)
			for m := 0; m <= n; m++ {
				var r, l float64
				if m < n {
					r = math.Abs(s[m]) * (xs[n] - xs[m])
					for j := m + 1; j < n; j++ {
						r += math.Abs(s[j]-s[j-1]) * (xs[n] - xs[j])
					}
				}
				if m > 0 {
					l = math.Abs(s[m-1]) * (xs[m] - xs[0])
					for j := 1; j < m; j++ {
						l += math.Abs(s[j]-s[j-1]) * (xs[j] - xs[0])
					}
				}
				cost[m] = math.Max(r, l)
			}
			pivot := 0
			for m := range cost {
				if cost[m] < cost[pivot] {
					pivot = m
				}
			}
			for m := range cost {
				if m != pivot && math.Abs(cost[m]-cost[pivot]) <= 1e-9*cost[pivot] {
					t.Fatalf("%s: costs %v and %v at knots %d and %d tie; the case cannot decide", c.name, cost[pivot], cost[m], pivot, m)
				}
			}

			checkPivot(t, c.name, c.f, xs, pivot)
		})
	}

	// Two knots tie exactly: both costs are |s_0|(x_1 − x_0). The first
	// minimum is knot 0, so the one unit faces right: relu(x − x_0).
	checkPivot(t, "two knots", func(x float64) float64 { return 2*x + 1 }, []float64{0.5, 4}, 0)
}

// checkPivot checks that Interpolant(f, xs) pivots at knot pivot and takes
// f's values at the knots to 8ε of max|f| (a sum of n + 1 terms whose
// cancelling parts the pivot keeps near max|f|).
func checkPivot(t *testing.T, name string, f func(float64) float64, xs []float64, pivot int) {
	t.Helper()
	n := len(xs) - 1
	net, err := approx.Interpolant(f, xs)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	w, _ := net.Layer(0)
	left := 0
	for k := 0; k < n; k++ {
		if w.At(k, 0) < 0 {
			left++
		}
	}
	if left != pivot {
		t.Errorf("%s: pivot at knot %d (units facing left), want %d", name, left, pivot)
	}
	got, err := approx.Eval(net, xs)
	if err != nil {
		t.Fatal(err)
	}
	fmax := 0.0
	for _, x := range xs {
		fmax = math.Max(fmax, math.Abs(f(x)))
	}
	for i, x := range xs {
		if !(math.Abs(got[i]-f(x)) <= 8*0x1p-52*fmax) {
			t.Errorf("%s: value %v at knot %d, want %v", name, got[i], i, f(x))
		}
	}
}

// TestInterpolantSlopeOverflow: knots 1e-300 apart with values 0 and 1e10
// have a slope of 1e310, which overflows: ErrKnots, naming the knots.
func TestInterpolantSlopeOverflow(t *testing.T) {
	f := func(x float64) float64 {
		if x > 0.5e-300 {
			return 1e10
		}
		return 0
	}
	_, err := approx.Interpolant(f, []float64{-1, 0, 1e-300})
	if !errors.Is(err, approx.ErrKnots) || !strings.Contains(err.Error(), "knots 1 and 2") {
		t.Errorf("Interpolant = %v; want ErrKnots naming knots 1 and 2", err)
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
		t.Run(c.name, func(t *testing.T) {
			_, err := approx.PiecewiseLinear(c.breaks, c.slope, c.y0)
			if !errors.Is(err, approx.ErrKnots) || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("PiecewiseLinear with %s: %v, want ErrKnots with %q", c.name, err, c.msg)
			}
			for _, x := range []float64{-10, 0.5, 10} {
				if v := approx.PiecewiseLinearValue(c.breaks, c.slope, c.y0, x); !math.IsNaN(v) {
					t.Errorf("PiecewiseLinearValue with %s at %v = %v, want NaN", c.name, x, v)
				}
			}
		})
	}
}

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
		t.Run(fmt.Sprint(steep), func(t *testing.T) {
			if _, err := approx.Bumps(f, 0, 1, 4, steep); !errors.Is(err, approx.ErrDomain) {
				t.Errorf("steepness %v: %v, want ErrDomain", steep, err)
			}
		})
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
		t.Run(fmt.Sprint(x), func(t *testing.T) {
			if !(math.Abs(got[i]) <= tol) {
				t.Errorf("bumps at %v = %v, want 0 ± %v", x, got[i], tol)
			}
		})
	}
}

// TestRampBumps: with a constant f every ramp but the two end steps has
// height change 0, and on [a, b] the first step is fully on and the last
// fully off, so the network is the constant up to rounding: its two relus
// see t and t − 1 computed from separately rounded biases, each within
// 2ε·t of exact for t at most t_max = w·(b − a + 2H) + ½, so their
// difference is 1 within 4ε·t_max, times the height; the arguments Bumps
// rejects, RampBumps rejects with the same sentinels.
func TestRampBumps(t *testing.T) {
	net, err := approx.RampBumps(func(float64) float64 { return 2.5 }, -1, 3, 7, 40)
	if err != nil {
		t.Fatal(err)
	}
	xs, _ := approx.Grid(-1, 3, 801)
	ys, err := approx.Eval(net, xs)
	if err != nil {
		t.Fatal(err)
	}
	H := 4.0 / 7
	tmax := 40/H*(4+2*H) + 0.5
	tol := 4 * 0x1p-52 * tmax * 2.5
	for i, y := range ys {
		if math.Abs(y-2.5) > tol {
			t.Fatalf("RampBumps of the constant 2.5 at %v = %v, more than %.3g away", xs[i], y, tol)
		}
	}
	if got := net.Sizes(); got[1] != 16 {
		t.Errorf("7 bumps use %d relu units, want 2·8 = 16", got[1])
	}
	for _, c := range []struct {
		name string
		f    func(float64) float64
		n    int
		want error
	}{
		{"n = 0", math.Sin, 0, approx.ErrDomain},
		{"nil f", nil, 4, approx.ErrKnots},
		{"NaN value", func(float64) float64 { return math.NaN() }, 4, approx.ErrKnots},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, errR := approx.RampBumps(c.f, 0, 1, c.n, 40)
			_, errS := approx.Bumps(c.f, 0, 1, c.n, 40)
			if !errors.Is(errR, c.want) || !errors.Is(errS, c.want) {
				t.Errorf("RampBumps: %v, Bumps: %v; want both wrapping %v", errR, errS, c.want)
			}
		})
	}
}

// TestInterpolantWideSpanSlopes: knots or values that span more than
// MaxFloat64 still give the exact slope, from halves (U1): on
// [−MaxFloat64, MaxFloat64] the line x/2 has Δx = +Inf in float64, and on
// [0, 4] the values ∓MaxFloat64 have Δy = +Inf; halving both sides gives
// the slopes ½ and MaxFloat64/2, powers of two times floats, so exact. The
// single unit s·relu(x − x_0) exceeds MaxFloat64 on the far half of the
// interval, so the network is compared on the near half, where every
// product and sum is exact.
func TestInterpolantWideSpanSlopes(t *testing.T) {
	const m = math.MaxFloat64
	for _, c := range []struct {
		name     string
		knots    []float64
		f        func(float64) float64
		xs, want []float64
	}{
		{"knots span 2M", []float64{-m, m}, func(x float64) float64 { return x / 2 },
			[]float64{-m, -m / 2, 0}, []float64{-m / 2, -m / 4, 0}},
		{"values span 2M", []float64{0, 4}, func(x float64) float64 { return m * (x/2 - 1) },
			[]float64{0, 1, 2}, []float64{-m, -m / 2, 0}},
	} {
		t.Run(c.name, func(t *testing.T) {
			net, err := approx.Interpolant(c.f, c.knots)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			got, err := approx.Eval(net, c.xs)
			if err != nil {
				t.Fatal(err)
			}
			for i, x := range c.xs {
				if got[i] != c.want[i] {
					t.Errorf("%s: interpolant at %v = %v, want %v", c.name, x, got[i], c.want[i])
				}
			}
		})
	}
}

// TestInterpolantPivotAtLastKnot: the pivot ranges over every knot, the
// last included. In exact arithmetic L_n ≥ L_{n−1} + R_{n−1}, so x_n can
// at best tie with x_{n−1}, and a tie goes to the first; but the costs are
// sums of rounded products, and for f = 10x on [0, 6.1] followed by a rise
// of one ulp of 61 on [6.1, 8.6] (last slope ≈ 2.8e−15) the computed
// L_2 = |s_1 − s_0|·6.1 + |s_1|·8.6 rounds below L_1 = |s_0|·6.1 = 61
// (with or without fused multiply-adds), so x_2 is the pivot. Then both
// units face left, relu(x_j − x) with input weight −1, and right of x_2
// every unit is 0 and the network is exactly f(x_2), as documented.
func TestInterpolantPivotAtLastKnot(t *testing.T) {
	knots := []float64{0, 6.1, 8.6}
	top := math.Nextafter(61, 62)
	f := func(x float64) float64 {
		if x < 8.6 {
			return 10 * x // 10·6.1 rounds to 61
		}
		return top
	}
	net, err := approx.Interpolant(f, knots)
	if err != nil {
		t.Fatal(err)
	}
	w, _ := net.Layer(0)
	for k := 0; k < 2; k++ {
		if w.At(k, 0) != -1 {
			t.Errorf("unit %d has input weight %v, want −1 (pivot x_2)", k, w.At(k, 0))
		}
	}
	xs := []float64{8.6, 9, 1e6}
	got, err := approx.Eval(net, xs)
	if err != nil {
		t.Fatal(err)
	}
	for i, x := range xs {
		if got[i] != top {
			t.Errorf("interpolant at %v = %v, want f(8.6) = %v exactly", x, got[i], top)
		}
	}
}

// TestKnotCountLimit: MaxCount intervals, MaxCount + 1 knots, are in the
// domain: UniformKnots(0, 1, MaxCount) returns them, i/2^24 exactly (a
// dyadic lerp), after checkKnots accepted their number; one knot more is
// refused with ErrKnots and a message giving the limit MaxCount + 1. The
// refused slice is all zeros and is never read, so it costs no memory.
func TestKnotCountLimit(t *testing.T) {
	t.Run("MaxCount intervals", func(t *testing.T) {
		k, err := approx.UniformKnots(0, 1, approx.MaxCount)
		if err != nil {
			t.Fatalf("UniformKnots(0, 1, MaxCount): %v", err)
		}
		if len(k) != approx.MaxCount+1 {
			t.Fatalf("%d knots, want MaxCount + 1", len(k))
		}
		for i, x := range k {
			if want := math.Ldexp(float64(i), -24); x != want {
				t.Fatalf("knot %d = %v, want %v", i, x, want)
			}
		}
	})
	t.Run("MaxCount + 2 knots", func(t *testing.T) {
		_, err := approx.Interpolant(math.Sin, make([]float64, approx.MaxCount+2))
		if limit := fmt.Sprint(approx.MaxCount + 1); !errors.Is(err, approx.ErrKnots) || !strings.Contains(err.Error(), limit) {
			t.Errorf("MaxCount + 2 knots: %v, want ErrKnots naming the limit %s", err, limit)
		}
	})
}

// TestBumpsAtMaxCount: n = MaxCount is in Bumps's domain. With an f that
// is NaN everywhere the count is accepted and the first midpoint value is
// what is refused (ErrKnots), after allocating only the n + 2 heights.
func TestBumpsAtMaxCount(t *testing.T) {
	nan := func(float64) float64 { return math.NaN() }
	if _, err := approx.Bumps(nan, 0, 1, approx.MaxCount, 40); !errors.Is(err, approx.ErrKnots) {
		t.Errorf("Bumps with n = MaxCount and f = NaN: %v, want ErrKnots (the count accepted)", err)
	}
}
