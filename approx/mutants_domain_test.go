package approx_test

// The edges of the documented domains of approx's constructors, found
// unchecked by mutation testing (MUTATION.md): the smallest valid argument
// works, and the first invalid one is ErrDomain.

import (
	"errors"
	"math"
	"testing"

	"github.com/reluproof/reluproof/approx"
)

// TestBumpsDomain: Bumps needs n ≥ 1 and a finite steepness > 0. One bump
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
	if math.Abs(got[0]-3.5) > 3.5*(2*math.Exp(-60)+8*0x1p-52) {
		t.Errorf("one bump at 1/2 = %v, want f(1/2) = 3.5", got[0])
	}
	for _, steep := range []float64{0, -1, math.Inf(1), math.NaN()} {
		if _, err := approx.Bumps(f, 0, 1, 4, steep); !errors.Is(err, approx.ErrDomain) {
			t.Errorf("steepness %v: %v, want ErrDomain", steep, err)
		}
	}
}
