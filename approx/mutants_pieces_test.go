package approx_test

// The merging rule of PieceList, found unchecked by mutation testing
// (MUTATION.md): the sawtooth and the interpolants of the claims have
// slopes that are exact in floating point, so no test depended on the
// rounding bound.

import (
	"testing"

	"github.com/reluproof/reluproof/approx"
	"github.com/reluproof/reluproof/nn"
)

// TestPiecesMergeRoundedSlopes: f(x) = relu(x) + Σ_{k<10} (s/10)·relu(x − ½)
// − s·relu(x − ½) is x on [0, 1]: the kink at ½ cancels, but its slope
// jump 10·(s/10) − s is not 0 in floating point (s/10 is inexact). PieceList
// must merge the two sides into one piece, as its documented bound
// γ_n·Σ|terms| allows, for s from 1 to 3e6: the slopes carry 12 terms of
// size up to s, so their rounding is a few ε·s, inside the bound and far
// above the exact zero that a bound without the Σ|terms| factor, or
// without the operation count, would demand.
func TestPiecesMergeRoundedSlopes(t *testing.T) {
	const n = 12
	for _, s := range []float64{1, 3, 10, 1000, 3e6} {
		net, err := nn.New([]int{1, n, 1}, nn.ReLU, nn.Identity, 1)
		if err != nil {
			t.Fatal(err)
		}
		p := make([]float64, 3*n+1)
		for k := 0; k < n; k++ {
			p[k], p[n+k], p[2*n+k] = 1, -0.5, s/10
		}
		p[2*n+10] = -s
		p[n+11], p[2*n+11] = 0, 1
		if err := net.SetParams(p); err != nil {
			t.Fatal(err)
		}
		ps, err := approx.PieceList(net, 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 1 || ps[0].Lo != 0 || ps[0].Hi != 1 {
			t.Errorf("s = %v: pieces %+v, want the one piece x on [0, 1]", s, ps)
		}
	}
}
