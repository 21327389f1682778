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
