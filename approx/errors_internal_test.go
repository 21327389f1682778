package approx

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/reluproof/reluproof/nn"
)

// Every scalar function returns NaN outside its domain, as package math does.
func TestScalarDomain(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	cases := map[string]float64{
		"SigmoidSum n=0":             SigmoidSum(0, 0, 1),
		"SigmoidSum h=0":             SigmoidSum(0, 3, 0),
		"SigmoidSum h<0":             SigmoidSum(0, 3, -1),
		"SigmoidSum h=Inf":           SigmoidSum(0, 3, inf),
		"SigmoidSum x=NaN":           SigmoidSum(nan, 3, 1),
		"SigmoidSumIntegral":         SigmoidSumIntegral(0, 0, 1),
		"MidpointBound":              MidpointBound(0),
		"MidpointLeadingError":       MidpointLeadingError(0, 1, nan),
		"SharpenedSoftplus beta=0":   SharpenedSoftplus(1, 0),
		"SharpenedSoftplus beta<0":   SharpenedSoftplus(1, -2),
		"SharpenedSoftplus beta=NaN": SharpenedSoftplus(1, nan),
		"SharpenedSoftplus x=NaN":    SharpenedSoftplus(nan, 1),
		"StepVariance n=0":           StepVariance(0, 0),
		"PLSigmoidBound":             PLSigmoidBound(-1, 3),
		"SigmoidReLU beta=0":         SigmoidReLU(1, 3, 1, 0),
		"SigmoidReLUBound":           SigmoidReLUBound(1, 3, 1, -1),
		"TentPower k<0":              TentPower(0.3, -1),
		"YarotskyValue m<0":          YarotskyValue(0.3, -1),
		"NoisyReLU mean":             NoisyReLUMoments(nan).Mean,
		"SampleNoisyReLU m=0":        SampleNoisyReLU(1, 0, 1).Mean,
	}
	for name, v := range cases {
		t.Run(name, func(t *testing.T) {
			if !math.IsNaN(v) {
				t.Errorf("%s = %v, want NaN", name, v)
			}
		})
	}
	// The limits at the edges of the domain.
	if got := SigmoidSum(math.Inf(1), 4, 0.5); got != 2 {
		t.Errorf("SigmoidSum(+Inf, 4, 0.5) = %v, want n·h = 2", got)
	}
	if got := SigmoidSum(math.Inf(-1), 4, 0.5); got != 0 {
		t.Errorf("SigmoidSum(−Inf, 4, 0.5) = %v, want 0", got)
	}
	if got := SharpenedSoftplus(-3, inf); got != 0 {
		t.Errorf("SharpenedSoftplus(−3, +Inf) = %v, want relu = 0", got)
	}
	if got := SharpenedSoftplus(1e308, 1e-300); math.IsNaN(got) || got < 1e308 {
		t.Errorf("SharpenedSoftplus(1e308, 1e-300) = %v, want ≥ 1e308", got)
	}
}

// Every constructor returns a documented sentinel for bad input, never a
// panic or a network.
func TestErrors(t *testing.T) {
	sq := func(x float64) float64 { return x * x }
	saw, _ := Sawtooth(2)
	two, _ := nn.New([]int{2, 3, 1}, nn.ReLU, nn.Identity, 1)
	smooth, _ := nn.New([]int{1, 3, 1}, nn.Tanh, nn.Identity, 1)
	deepSaw, _ := Sawtooth(22) // 2^22 pieces > MaxSegments
	tooMany := second(Pieces(deepSaw, 0, 1))
	cases := []struct {
		name string
		err  error
		want error
	}{
		{"Interpolant one knot", second(Interpolant(sq, []float64{0})), ErrKnots},
		{"Interpolant no knots", second(Interpolant(sq, nil)), ErrKnots},
		{"Interpolant equal knots", second(Interpolant(sq, []float64{0, 1, 1})), ErrKnots},
		{"Interpolant decreasing", second(Interpolant(sq, []float64{1, 0})), ErrKnots},
		{"Interpolant NaN knot", second(Interpolant(sq, []float64{0, math.NaN()})), ErrKnots},
		{"Interpolant Inf knot", second(Interpolant(sq, []float64{0, math.Inf(1)})), ErrKnots},
		{"Interpolant NaN value", second(Interpolant(math.Log, []float64{-1, 1})), ErrKnots},
		{"Interpolant Inf value", second(Interpolant(func(float64) float64 { return math.Inf(1) }, []float64{0, 1})), ErrKnots},
		{"Interpolant nil f", second(Interpolant(nil, []float64{0, 1})), ErrKnots},
		{"PiecewiseLinear no breaks", second(PiecewiseLinear(nil, []float64{1}, 0)), ErrKnots},
		{"PiecewiseLinear slopes", second(PiecewiseLinear([]float64{0, 1}, []float64{1, 2}, 0)), ErrKnots},
		{"PiecewiseLinear order", second(PiecewiseLinear([]float64{1, 0}, []float64{1, 2, 3}, 0)), ErrKnots},
		{"PiecewiseLinear NaN", second(PiecewiseLinear([]float64{0}, []float64{1, math.NaN()}, 0)), ErrKnots},
		{"Sawtooth k=0", second(Sawtooth(0)), ErrDomain},
		{"YarotskySquare m=0", second(YarotskySquare(0)), ErrDomain},
		{"PLSigmoid L=0", second(PLSigmoid(0, 4)), ErrDomain},
		{"PLSigmoid n=0", second(PLSigmoid(4, 0)), ErrDomain},
		{"SigmoidReLUNetwork h=0", second(SigmoidReLUNetwork(3, 0, 1)), ErrDomain},
		{"Bumps n=0", second(Bumps(sq, 0, 1, 0, 40)), ErrDomain},
		{"Bumps a=b", second(Bumps(sq, 1, 1, 4, 40)), ErrDomain},
		{"Pieces a=b", second(Pieces(saw, 1, 1)), ErrDomain},
		{"Pieces a>b", second(Pieces(saw, 1, 0)), ErrDomain},
		{"Pieces NaN end", second(Pieces(saw, math.NaN(), 1)), ErrDomain},
		{"Pieces nil", second(Pieces(nil, 0, 1)), ErrNetwork},
		{"Pieces two inputs", second(Pieces(two, 0, 1)), ErrNetwork},
		{"Pieces tanh", second(Pieces(smooth, 0, 1)), ErrNetwork},
		{"Pieces too many", tooMany, ErrDomain},
		{"GradedKnots p<1", second(GradedKnots(0, 1, 4, 0.5)), ErrDomain},
		{"UniformKnots n=0", second(UniformKnots(0, 1, 0)), ErrDomain},
		{"Grid n=1", second(Grid(0, 1, 1)), ErrDomain},
		{"FitRate one point", second(FitRate([]int{4}, []float64{1})), ErrDomain},
		{"FitRate zero error", second(FitRate([]int{4, 8}, []float64{1, 0})), ErrDomain},
		{"RandomFeatures width 0", second(RandomFeatures(nn.ReLU, 0, 0, 1, []float64{0}, []float64{0}, 1)), ErrDomain},
		{"RandomFeatures NaN data", second(RandomFeatures(nn.ReLU, 2, 0, 1, []float64{0, 1}, []float64{0, math.NaN()}, 1)), ErrSolve},
		{"PolyLeastSquares too few", third(PolyLeastSquares([]float64{0, 1}, []float64{0, 1}, 2)), ErrDomain},
		{"Eval nil", second(Eval(nil, []float64{0})), ErrNetwork},
		{"Eval NaN input", second(Eval(saw, []float64{math.NaN()})), nn.ErrNonFinite},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !errors.Is(c.err, c.want) {
				t.Errorf("%s: error %v, want one wrapping %v", c.name, c.err, c.want)
			}
		})
	}
	// The 22nd layer doubles 2^21 segments past MaxSegments; the message
	// names it, 1-based.
	if tooMany == nil || !strings.Contains(tooMany.Error(), "after layer 22") {
		t.Errorf("Pieces too many: %v, want the message to name layer 22", tooMany)
	}
}

func second[T any](_ T, err error) error { return err }

func third[T, U any](_ T, _ U, err error) error { return err }
