package approx_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/reluproof/reluproof/approx"
)

// TestZeroFoldComposition: the 0-fold composition of the tent map is the
// identity, and the 0-term Yarotsky sum f_0(x) = x − Σ_{s=1..0} is x
// itself, for every x, not only on [0, 1]; one more fold is one more tent.
func TestZeroFoldComposition(t *testing.T) {
	for _, x := range []float64{-2.5, -0.25, 0, 0.3, 0.5, 1, 1.75, 40} {
		t.Run(fmt.Sprint(x), func(t *testing.T) {
			if got := approx.TentPower(x, 0); got != x {
				t.Errorf("TentPower(%v, 0) = %v, want %v", x, got, x)
			}
			if got := approx.YarotskyValue(x, 0); got != x {
				t.Errorf("YarotskyValue(%v, 0) = %v, want %v", x, got, x)
			}
			// m(x) = 2relu(x) − 4relu(x − ½) is one fold; both sides are the
			// same two float64 operations, so equality is exact.
			if got, want := approx.TentPower(x, 1), approx.Tent(x); got != want {
				t.Errorf("TentPower(%v, 1) = %v, want Tent = %v", x, got, want)
			}
		})
	}
}

// TestYarotskyInterpolatesSquare: f_m is the piecewise-linear interpolant
// of x² at the points j/2^m, so f_m(j/2^m) = (j/2^m)², and at the
// midpoints the gap f_m − x² is the chord's error 2^{−2m−2} (D3). At
// x = j/2^{m+1} every g_s(x) is a multiple of 2^{−m−1} in [0, 1], so each
// term g_s/4^s, each partial sum and x² is a multiple of 2^{−3m−1} below 2:
// for m ≤ 12 at most 38 significant bits, exact in float64, and the
// comparisons are exact.
func TestYarotskyInterpolatesSquare(t *testing.T) {
	for m := 1; m <= 12; m++ {
		t.Run(fmt.Sprintf("m=%d", m), func(t *testing.T) {
			n := 1 << m
			h := math.Ldexp(1, -m)
			for j := 0; j <= n; j++ {
				x := float64(j) * h
				if got := approx.YarotskyValue(x, m); got != x*x {
					t.Fatalf("f_%d(%v) = %v, want x² = %v", m, x, got, x*x)
				}
				if j == n {
					break
				}
				mid := x + h/2
				if gap := approx.YarotskyValue(mid, m) - mid*mid; gap != math.Ldexp(1, -2*m-2) {
					t.Fatalf("f_%d(%v) − x² = %v, want 2^−%d", m, mid, gap, 2*m+2)
				}
			}
		})
	}
}

// TestShallowestDepthNetworks: depth 1 is allowed (k, m ≥ 1) and is the
// single tent, m(x), and f_1(x) = x − m(x)/4 on [0, 1]; at the dyadics of
// step 1/8 both are exact in float64.
func TestShallowestDepthNetworks(t *testing.T) {
	saw, err := approx.Sawtooth(1)
	if err != nil {
		t.Fatalf("Sawtooth(1): %v", err)
	}
	sq, err := approx.YarotskySquare(1)
	if err != nil {
		t.Fatalf("YarotskySquare(1): %v", err)
	}
	xs, _ := approx.Grid(0, 1, 9)
	ys, err := approx.Eval(saw, xs)
	if err != nil {
		t.Fatal(err)
	}
	zs, err := approx.Eval(sq, xs)
	if err != nil {
		t.Fatal(err)
	}
	for i, x := range xs {
		if want := approx.Tent(x); ys[i] != want {
			t.Errorf("Sawtooth(1) at %v = %v, want m(x) = %v", x, ys[i], want)
		}
		if want := x - approx.Tent(x)/4; zs[i] != want {
			t.Errorf("YarotskySquare(1) at %v = %v, want x − m(x)/4 = %v", x, zs[i], want)
		}
	}
}

// TestTentLargeInputs: right of ½ the tent map is 2 − 2x (D1), and Tent
// returns that value wherever it is a float64, even where 4relu(x − ½)
// overflows (x > MaxFloat64/4); it is −Inf only where 2 − 2x itself
// overflows (x > MaxFloat64/2, and +Inf), and 0 left of 0 however far.
// At these magnitudes 2 is below half an ulp of 2x, so both sides are the
// same rounding of 2x and the comparison is exact.
func TestTentLargeInputs(t *testing.T) {
	const m = math.MaxFloat64
	third, above := m/3, math.Nextafter(m/2, math.Inf(1)) // run-time values
	for _, c := range []struct {
		x, want float64
	}{
		{m / 8, -m / 4},
		{third, 2 - 2*third},
		{m / 2, -m},
		{above, math.Inf(-1)},
		{m, math.Inf(-1)},
		{math.Inf(1), math.Inf(-1)},
		{-m, 0},
		{math.Inf(-1), 0},
	} {
		t.Run(fmt.Sprint(c.x), func(t *testing.T) {
			if got := approx.Tent(c.x); got != c.want {
				t.Errorf("Tent(%v) = %v, want %v", c.x, got, c.want)
			}
		})
	}
	if got := approx.Tent(math.NaN()); !math.IsNaN(got) {
		t.Errorf("Tent(NaN) = %v, want NaN", got)
	}
}

// TestYarotskyValueAtMaxCount: m = MaxCount is in YarotskyValue's domain
// (D3), and f_m(0.3) is x² to rounding: the chord error 2^{−2m−2}
// vanishes, the computed g_s carries an error of at most 2^s·ε, weighted
// 4^{−s}, less than ε in all, and the roughly 30 subtractions that change
// f (later terms are below its half-ulp) each round by at most ε/2·0.3,
// about 5ε together; 8ε is allowed. 2^24 tent folds take about 0.1 s.
func TestYarotskyValueAtMaxCount(t *testing.T) {
	const x, eps = 0.3, 0x1p-52
	if got := approx.YarotskyValue(x, approx.MaxCount); !(math.Abs(got-x*x) <= 8*eps) {
		t.Errorf("YarotskyValue(%v, MaxCount) = %v, want x² = %v within 8ε", x, got, x*x)
	}
}
