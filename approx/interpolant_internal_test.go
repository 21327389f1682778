package approx

import (
	"errors"
	"fmt"
	"math"
	"testing"
)

// TestBumpStepsZeroSteepness: steep = 0 is refused by the steepness check
// itself, not only by the later w == 0 guard: on [0, 5e−324] with n = 2
// the cell width H = 2.5e−324 rounds to 0 (a tie, to even), so w = steep/H
// would be 0/0 = NaN, which neither the overflow tests nor w == 0 catch.
// The smallest positive steepness on the same cells gives w = +Inf, which
// the overflow guard refuses. Both are ErrDomain.
func TestBumpStepsZeroSteepness(t *testing.T) {
	a, b, n := 0.0, math.SmallestNonzeroFloat64, 2
	if h := (b - a) / float64(n); h != 0 {
		t.Fatalf("H = %v, the case needs it to round to 0", h)
	}
	f := func(x float64) float64 { return 1 }
	for _, steep := range []float64{0, math.SmallestNonzeroFloat64} {
		t.Run(fmt.Sprint(steep), func(t *testing.T) {
			w, s, d, err := bumpSteps(f, a, b, n, steep)
			if !errors.Is(err, ErrDomain) {
				t.Errorf("steep %v on [0, %v], n = 2: w = %v, steps %v, heights %v, error %v; want ErrDomain", steep, b, w, s, d, err)
			}
		})
	}
}

// TestBumpStepsOverflowGuard: the largest biases of the bump construction
// are −w·s_0 = −w(a − H) and −w·s_n = −w(b + H), and bumpSteps checks each
// on its own: with one cell (H = b − a = 1) and steep = 1e308, w = 1e308,
// so on [0, 1] only w(b + H) = 2e308 overflows (w(a − H) = −1e308), and
// on [−1, 0] only w(a − H) = −2e308 does (w(b + H) = 1e308); both are
// ErrDomain, from bumpSteps and so from Bumps and RampBumps. Half that
// steepness makes the largest bias ∓1e308, which is finite, and all three
// succeed.
func TestBumpStepsOverflowGuard(t *testing.T) {
	f := func(x float64) float64 { return 1 + x }
	for _, c := range []struct {
		name        string
		a, b, steep float64
		want        error
	}{
		{"w(b+H) overflows", 0, 1, 1e308, ErrDomain},
		{"w(a-H) overflows", -1, 0, 1e308, ErrDomain},
		{"w(b+H) = 1e308", 0, 1, 5e307, nil},
		{"w(a-H) = -1e308", -1, 0, 5e307, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, _, err := bumpSteps(f, c.a, c.b, 1, c.steep)
			_, errS := Bumps(f, c.a, c.b, 1, c.steep)
			_, errR := RampBumps(f, c.a, c.b, 1, c.steep)
			if !errors.Is(err, c.want) || !errors.Is(errS, c.want) || !errors.Is(errR, c.want) {
				t.Errorf("[%v, %v], steep %v: bumpSteps %v, Bumps %v, RampBumps %v; want %v",
					c.a, c.b, c.steep, err, errS, errR, c.want)
			}
		})
	}
}
