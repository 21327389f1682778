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
	for i, want := range []float64{nn.Sigmoid.Eval(-L), 0.5, nn.Sigmoid.Eval(L)} {
		t.Run(fmt.Sprint(xs[i]), func(t *testing.T) {
			if !(math.Abs(got[i]-want) <= 4*0x1p-52) {
				t.Errorf("PLSigmoid(%v, 1) at %v = %v, want %v", L, xs[i], got[i], want)
			}
		})
	}
}

// TestPLSigmoidDomainMessage: L = 0 is rejected up front, with the message
// that names the domain (L > 0 finite, n ≥ 1) and the values given, not by
// a later check that trips over the slopes 0/0 it would compute; so is
// L = MaxFloat64, whose span 2L overflows.
func TestPLSigmoidDomainMessage(t *testing.T) {
	for _, c := range []struct {
		L float64
		n int
	}{{0, 4}, {-1, 4}, {math.Inf(1), 4}, {math.NaN(), 4}, {1, 0}, {math.MaxFloat64, 4}} {
		t.Run(fmt.Sprintf("L=%v,n=%d", c.L, c.n), func(t *testing.T) {
			_, err := approx.PLSigmoid(c.L, c.n)
			if !errors.Is(err, approx.ErrDomain) || !strings.Contains(err.Error(), "PL sigmoid needs L > 0 finite and n ≥ 1") {
				t.Errorf("PLSigmoid(%v, %d): %v, want ErrDomain naming the domain", c.L, c.n, err)
			}
		})
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
		{1, 1, nn.Sigmoid.Eval(-1)},
		{0, 4, math.NaN()},
		{1, 0, math.NaN()},
	} {
		t.Run(fmt.Sprintf("L=%v,n=%d", c.L, c.n), func(t *testing.T) {
			got := approx.PLSigmoidBound(c.L, c.n)
			if math.IsNaN(c.want) != math.IsNaN(got) || math.Abs(got-c.want) > 2*0x1p-52*c.want {
				t.Errorf("PLSigmoidBound(%v, %d) = %v, want %v", c.L, c.n, got, c.want)
			}
		})
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
		t.Run(fmt.Sprintf("n=%d,h=%v", c.n, c.h), func(t *testing.T) {
			if v, b := approx.SigmoidReLU(0, c.n, c.h, 1), approx.SigmoidReLUBound(0, c.n, c.h, 1); !math.IsNaN(v) || !math.IsNaN(b) {
				t.Errorf("n = %d, h = %v: SigmoidReLU %v, bound %v; want NaN for both", c.n, c.h, v, b)
			}
		})
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

// TestPLSigmoidSmallestL: the smallest positive L, 5e-324, is in the domain
// (2L = 1e-323 is finite; so would 2/L not be), and gives a network.
func TestPLSigmoidSmallestL(t *testing.T) {
	if _, err := approx.PLSigmoid(math.SmallestNonzeroFloat64, 1); err != nil {
		t.Errorf("PLSigmoid(5e-324, 1): %v, want a network", err)
	}
}

// TestSigmoidReLUNetworkOverflowEdges: the constructor refuses exactly
// when its largest bias (n − ½)·h or its output weight h/β overflows, with
// the message that says so. With h = MaxFloat64, n = 1 has bias ½h, finite,
// while n = 2 has 1.5h = +Inf; β = 1e-320 makes h/β = 1e320 overflow for
// h = 1.
func TestSigmoidReLUNetworkOverflowEdges(t *testing.T) {
	for _, c := range []struct {
		n       int
		h, beta float64
		refused bool
	}{
		{1, math.MaxFloat64, 1, false},
		{2, math.MaxFloat64, 1, true},
		{1, 1, 1e-320, true},
		{1, 1, 1, false},
	} {
		t.Run(fmt.Sprintf("n=%d,h=%v,β=%v", c.n, c.h, c.beta), func(t *testing.T) {
			_, err := approx.SigmoidReLUNetwork(c.n, c.h, c.beta)
			switch {
			case c.refused && !(errors.Is(err, approx.ErrDomain) && strings.Contains(err.Error(), "a bias or output weight overflows")):
				t.Errorf("got %v, want ErrDomain saying a bias or output weight overflows", err)
			case !c.refused && err != nil:
				t.Errorf("got %v, want a network", err)
			}
		})
	}
}
