package approx_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/reluproof/reluproof/approx"
	"github.com/reluproof/reluproof/nn"
)

func TestArgumentMessages(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	second := func(_ any, err error) error { return err }
	third := func(_ []float64, _ float64, err error) error { return err }
	net := func(sizes ...int) *nn.Network {
		n, err := nn.New(sizes, nn.ReLU, nn.Identity, 1)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, c := range []struct {
		name string
		err  error
		want error
		msg  string
	}{
		{"RandomFeatures nil activation, width 4", second(approx.RandomFeatures(nil, 4, 0, 1, []float64{0, 1}, []float64{0, 1}, 1)),
			approx.ErrDomain, "need an activation and width ≥ 1, got width 4"},
		{"RandomFeatures width 0", second(approx.RandomFeatures(nn.ReLU, 0, 0, 1, []float64{0, 1}, []float64{0, 1}, 1)),
			approx.ErrDomain, "need an activation and width ≥ 1, got width 0"},
		{"RandomFeatures 2 inputs, 1 target", second(approx.RandomFeatures(nn.ReLU, 2, 0, 1, []float64{0, 1}, []float64{0}, 1)),
			approx.ErrDomain, "2 inputs and 1 targets"},
		{"RandomFeatures no samples", second(approx.RandomFeatures(nn.ReLU, 2, 0, 1, nil, nil, 1)),
			approx.ErrDomain, "0 inputs and 0 targets"},
		{"RandomFeatures NaN target", second(approx.RandomFeatures(nn.ReLU, 2, 0, 1, []float64{0, 1}, []float64{0, nan}, 1)),
			approx.ErrSolve, "non-finite data or features"},
		// (1e200·w)² overflows: the features are +Inf, the targets finite.
		{"RandomFeatures overflowing feature", second(approx.RandomFeatures(nn.Square, 2, 0, 1, []float64{0, 1e200}, []float64{0, 1}, 1)),
			approx.ErrSolve, "non-finite data or features"},
		{"PolyLeastSquares NaN input", third(approx.PolyLeastSquares([]float64{0, nan, 1}, []float64{0, 1, 2}, 1)),
			approx.ErrSolve, "non-finite samples"},
		{"PolyLeastSquares infinite target", third(approx.PolyLeastSquares([]float64{0, 0.5, 1}, []float64{0, inf, 2}, 1)),
			approx.ErrSolve, "non-finite samples"},
		{"Interpolant NaN value", second(approx.Interpolant(math.Log, []float64{-1, 1})),
			approx.ErrKnots, "f(-1) = NaN"},
		{"Interpolant infinite value", second(approx.Interpolant(func(x float64) float64 { return 1 / x }, []float64{0, 1})),
			approx.ErrKnots, "f(0) = +Inf"},
		{"Interpolant NaN knot", second(approx.Interpolant(math.Sin, []float64{0, nan})),
			approx.ErrKnots, "knot 1 is NaN"},
		{"Interpolant infinite knot", second(approx.Interpolant(math.Sin, []float64{0, inf})),
			approx.ErrKnots, "knot 1 is +Inf"},
		{"Eval on 2 inputs", second(approx.Eval(net(2, 3, 1), []float64{0})),
			approx.ErrNetwork, "need one input and one output"},
		{"Eval on 2 outputs", second(approx.Eval(net(1, 3, 2), []float64{0})),
			approx.ErrNetwork, "need one input and one output"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if !errors.Is(c.err, c.want) || !strings.Contains(c.err.Error(), c.msg) {
				t.Errorf("%s: %v, want %v with %q", c.name, c.err, c.want, c.msg)
			}
		})
	}
}
