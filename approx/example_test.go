package approx_test

import (
	"fmt"
	"math"

	"github.com/reluproof/reluproof/approx"
	"github.com/reluproof/reluproof/nn"
)

// Nair & Hinton's N stepped sigmoid units with h = 1 track softplus below
// the last shift; the midpoint-rule error is at most h²/16 (claim N1).
func ExampleSigmoidSum() {
	for _, x := range []float64{-2, 0, 3} {
		s := approx.SigmoidSum(x, 100, 1)
		fmt.Printf("x = %2.0f: S = %.6f, sp = %.6f, |S − ∫| = %.6f ≤ %.4f\n",
			x, s, nn.Softplus.Eval(x), math.Abs(s-approx.SigmoidSumIntegral(x, 100, 1)), approx.MidpointBound(1))
	}
	fmt.Println(approx.SigmoidSum(0, 0, 1)) // n < 1 is outside the domain
	// Output:
	// x = -2: S = 0.122603, sp = 0.126928, |S − ∫| = 0.004325 ≤ 0.0625
	// x =  0: S = 0.682569, sp = 0.693147, |S − ∫| = 0.010578 ≤ 0.0625
	// x =  3: S = 3.046745, sp = 3.048587, |S − ∫| = 0.001842 ≤ 0.0625
	// NaN
}

// The relu interpolant of x² at 0, ½, 1 is exact at the knots and off by
// h²/4 = 1/16 at the midpoints (claims U1, U2).
func ExampleInterpolant() {
	net, err := approx.Interpolant(func(x float64) float64 { return x * x }, []float64{0, 0.5, 1})
	if err != nil {
		panic(err)
	}
	ys, _ := approx.Eval(net, []float64{0, 0.25, 0.5, 0.75, 1})
	fmt.Println(net.Sizes(), ys)
	_, err = approx.Interpolant(math.Sqrt, []float64{0, 1, 1})
	fmt.Println(err)
	// Output:
	// [1 2 1] [0 0.125 0.25 0.625 1]
	// approx: knots 1 and 2 (1, 1) not strictly increasing: approx: invalid knots
}

// Telgarsky's sawtooth: depth k, width 2, exactly 2^k affine pieces on
// [0, 1] (claim D1).
func ExampleSawtooth() {
	for _, k := range []int{1, 3, 10} {
		net, err := approx.Sawtooth(k)
		if err != nil {
			panic(err)
		}
		n, err := approx.Pieces(net, 0, 1)
		if err != nil {
			panic(err)
		}
		fmt.Printf("k = %d: %d hidden layers of width 2, %d pieces\n", k, len(net.Sizes())-2, n)
	}
	// Output:
	// k = 1: 1 hidden layers of width 2, 2 pieces
	// k = 3: 3 hidden layers of width 2, 8 pieces
	// k = 10: 10 hidden layers of width 2, 1024 pieces
}
