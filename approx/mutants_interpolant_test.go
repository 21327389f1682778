package approx_test

// The pivot rule of Interpolant, found unchecked by mutation testing
// (MUTATION.md): every pivot gives a network through the same knots, so
// the claims' error measurements cannot tell which one was chosen.

import (
	"math"
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
