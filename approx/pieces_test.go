package approx_test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/reluproof/reluproof/approx"
	"github.com/reluproof/reluproof/nn"
)

// reluPieces returns PieceList on [0, 1] of the relu network (identity
// output) with the given sizes and parameters.
func reluPieces(t *testing.T, sizes []int, p []float64) []approx.Piece {
	t.Helper()
	net, err := nn.New(sizes, nn.ReLU, nn.Identity, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := net.SetParams(p); err != nil {
		t.Fatal(err)
	}
	ps, err := approx.PieceList(net, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

// TestPiecesMergeRoundedSlopes: f(x) = relu(x) + Σ_{k<10} (s/10)·relu(x − ½)
// − s·relu(x − ½) is x on [0, 1]: the kink at ½ cancels, but its slope
// jump 10·(s/10) − s is not 0 in floating point (s/10 is inexact). PieceList
// must merge the two sides into one piece, as its documented bound
// γ_n·Σ|terms| allows, for s from 1 to 3e6 + 1: the slopes carry 12 terms
// of size up to s, so their rounding is a few ε·s, inside the bound and far
// above the exact zero that a bound without the Σ|terms| factor, or
// without the operation count, would demand. Every s here has an inexact
// tenth (for s = 10, 1000 or 3e6 the tenth is exact and so is the sum).
func TestPiecesMergeRoundedSlopes(t *testing.T) {
	const n = 12
	for _, s := range []float64{1, 3, 7, 1001, 3e6 + 1} {
		t.Run(fmt.Sprintf("s=%v", s), func(t *testing.T) {
			p := make([]float64, 3*n+1)
			for k := 0; k < n; k++ {
				p[k], p[n+k], p[2*n+k] = 1, -0.5, s/10
			}
			p[2*n+10] = -s
			p[n+11], p[2*n+11] = 0, 1
			ps := reluPieces(t, []int{1, n, 1}, p)
			if len(ps) != 1 || ps[0].Lo != 0 || ps[0].Hi != 1 {
				t.Errorf("s = %v: pieces %+v, want the one piece x on [0, 1]", s, ps)
			}
		})
	}
}

// TestPiecesMergeThreshold: the documented merge rule, on both sides of its
// threshold. y = A·relu(x) + c·relu(x − ½) on [0, 1] has slopes A and A + c
// with term sums S = A and S′ = A + |c|; one hidden layer of width 2 gives
// n = 2 + 3 = 5, so the sides merge when |c| ≤ 10ε·(A + |c|). With
// A = 2²⁰ and c = kεA, A + c is exact and the difference is exactly kεA:
// k = 8 merges (8 ≤ 10(1 + 8ε)); k = 12 does not (12 > 10(1 + 12ε)), nor
// does k = −12. The margins (20 % of the bound) are far above the one
// rounding of the bound's own product.
func TestPiecesMergeThreshold(t *testing.T) {
	const eps = 0x1p-52
	A := math.Ldexp(1, 20)
	for _, c := range []struct {
		k     float64
		merge bool
	}{{8, true}, {-8, true}, {12, false}, {-12, false}, {0, true}} {
		t.Run(fmt.Sprintf("k=%v", c.k), func(t *testing.T) {
			// W0 = (1, 1)ᵀ, b0 = (0, −½), W1 = (A, c), b1 = 0.
			ps := reluPieces(t, []int{1, 2, 1}, []float64{1, 1, 0, -0.5, A, c.k * eps * A, 0})
			want := 2
			if c.merge {
				want = 1
			}
			if len(ps) != want {
				t.Errorf("k = %v: %d pieces %+v, want %d", c.k, len(ps), ps, want)
			}
		})
	}
}

// TestPiecesMergeDeepTermSums: the term sums S are those of each segment.
// A 1-3-12-1 relu network whose first layer is off on [0, 0.2] (S = 0
// there) and on at x − 0.2 after it, followed by the construction of
// TestPiecesMergeRoundedSlopes on the second layer (its cancelling kink at
// x = ½, its slopes s/10 inexact), is 0 on [0, 0.2] and x − 0.2 on
// [0.2, 1]. The slopes right and left of ½ differ by rounding only, by a
// few ε·s, inside the bound 2·19ε·(2s + 1) (n = 2 + 4 + 13): two pieces.
// Term sums taken from the wrong segment (the S = 0 of [0, 0.2]) would
// demand exact equality and leave three. A merged piece keeps the slope of
// its first segment, here [0.2, ½] where only unit 11 is on: exactly 1.
func TestPiecesMergeDeepTermSums(t *testing.T) {
	for _, s := range []float64{1, 3, 1001} {
		t.Run(fmt.Sprintf("s=%v", s), func(t *testing.T) {
			p := make([]float64, 0, 67)
			p = append(p, 1, 1, 1, -0.2, -0.2, -0.2) // W0, b0
			for k := 0; k < 12; k++ {
				p = append(p, 1, 0, 0) // W1 row k: unit k of layer 2 reads x − 0.2
			}
			for k := 0; k < 12; k++ {
				b := -0.3 // kink at x − 0.2 = 0.3
				if k == 11 {
					b = 0
				}
				p = append(p, b)
			}
			for k := 0; k < 10; k++ {
				p = append(p, s/10)
			}
			p = append(p, -s, 1, 0) // W2 (units 10 and 11), b2
			ps := reluPieces(t, []int{1, 3, 12, 1}, p)
			if len(ps) != 2 || ps[0].Slope != 0 || ps[1].Hi != 1 || ps[1].Slope != 1 {
				t.Errorf("s = %v: pieces %+v, want 0 on [0, 0.2] and x − 0.2 on [0.2, 1]", s, ps)
			}
		})
	}
}

// TestPiecesZeroWeightUnit: a unit whose pre-activation does not depend on
// x (weight 0) has no kink to add, and the units after it still do.
// 1-2-1 relu network y = relu(0·x + 1) + relu(x − ½) on [0, 1]: slope 0,
// then 1, from the kink of the second unit at ½.
func TestPiecesZeroWeightUnit(t *testing.T) {
	ps := reluPieces(t, []int{1, 2, 1}, []float64{0, 1, 1, -0.5, 1, 1, 0})
	want := []approx.Piece{{Lo: 0, Hi: 0.5, Slope: 0, Intercept: 1}, {Lo: 0.5, Hi: 1, Slope: 1, Intercept: 0.5}}
	if len(ps) != 2 || ps[0] != want[0] || ps[1] != want[1] {
		t.Errorf("pieces %+v, want %+v", ps, want)
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

// BenchmarkPieceList: one relu layer of width w on [0, 1] whose kinks
// j/(w + 1) come in increasing or in decreasing order of the units; the
// cost is O(w log w) either way.
func BenchmarkPieceList(b *testing.B) {
	for _, w := range []int{4096, 32768} {
		for _, order := range []string{"increasing", "decreasing"} {
			p := make([]float64, 3*w+1)
			for j := 0; j < w; j++ {
				k := j + 1
				if order == "decreasing" {
					k = w - j
				}
				p[j], p[w+j], p[2*w+j] = 1, -float64(k)/float64(w+1), float64(j%3+1)
			}
			net, err := nn.New([]int{1, w, 1}, nn.ReLU, nn.Identity, 1)
			if err != nil {
				b.Fatal(err)
			}
			if err := net.SetParams(p); err != nil {
				b.Fatal(err)
			}
			b.Run(fmt.Sprintf("w=%d/%s", w, order), func(b *testing.B) {
				for b.Loop() {
					if _, err := approx.PieceList(net, 0, 1); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
