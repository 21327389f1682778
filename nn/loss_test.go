package nn_test

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"

	"github.com/reluproof/reluproof/nn"
)

// TestLossValues: the losses are the documented formulas. On a batch of
// B = 2 rows chosen so that every difference and square is exact, MSE is
// (1/(2B))·Σ‖y − t‖² and its gradient (y − t)/B bit for bit; BCE with
// logits at y = 0 is log 2 per entry whatever the target (sp(0) = log 2,
// t·0 = 0), with gradient (½ − t)/B, again exact.
func TestLossValues(t *testing.T) {
	y := mat.NewDense(2, 2, []float64{1, -2, 0.5, 3})
	tg := mat.NewDense(2, 2, []float64{0, 1, 0.5, -1})
	grad := mat.NewDense(2, 2, nil)
	// differences 1, −3, 0, 4: Σ d² = 26, loss 26/4.
	if got := nn.MSE.Loss(y, tg, grad); got != 6.5 {
		t.Errorf("MSE = %v, want 26/(2·2) = 6.5", got)
	}
	if want := []float64{0.5, -1.5, 0, 2}; !slices.Equal(grad.RawMatrix().Data, want) {
		t.Errorf("MSE gradient = %v, want (y − t)/2 = %v", grad.RawMatrix().Data, want)
	}
	if got := nn.MSE.Loss(y, tg, nil); got != 6.5 {
		t.Errorf("MSE without a gradient = %v, want 6.5", got)
	}

	zero := mat.NewDense(2, 2, nil)
	probs := mat.NewDense(2, 2, []float64{0, 1, 0.25, 0.5})
	if got := nn.BCEWithLogits.Loss(zero, probs, grad); !scalar.EqualWithinRel(got, 2*math.Ln2, 1e-15) {
		// four entries of log 2 over B = 2: one rounding in log1p, two in the sum.
		t.Errorf("BCE at logits 0 = %v, want 4·log 2/2 = %v", got, 2*math.Ln2)
	}
	if want := []float64{0.25, -0.25, 0.125, 0}; !slices.Equal(grad.RawMatrix().Data, want) {
		t.Errorf("BCE gradient at logits 0 = %v, want (½ − t)/2 = %v", grad.RawMatrix().Data, want)
	}
}

// TestBCEGradientRelativeAccuracy: for a confident right logit (y = 40,
// t = 1) the gradient σ(y) − 1 = −σ(−y) = −e^{−40}/(1 + e^{−40}) is about
// −4.2e−18; written naively it would round to 0. The doc promises relative
// accuracy: a few roundings, so 1e−14 relative. The mirror case (y = −40,
// t = 0) is σ(−40) itself. For a target off 1 (t = 0.75) the gradient is
// the plain σ(y) − t = 0.25 up to the same few roundings.
func TestBCEGradientRelativeAccuracy(t *testing.T) {
	tiny := math.Exp(-40) / (1 + math.Exp(-40))
	cases := []struct{ y, t, want float64 }{
		{40, 1, -tiny},
		{-40, 0, tiny},
		{40, 0.75, 1 - tiny - 0.75},
		{2, 0, 1 / (1 + math.Exp(-2))},
		{2, 1, -1 / (1 + math.Exp(2))},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("y = %v, t = %v", c.y, c.t), func(t *testing.T) {
			grad := mat.NewDense(1, 1, nil)
			nn.BCEWithLogits.Loss(mat.NewDense(1, 1, []float64{c.y}), mat.NewDense(1, 1, []float64{c.t}), grad)
			if got := grad.At(0, 0); !scalar.EqualWithinRel(got, c.want, 1e-14) {
				t.Errorf("BCE gradient at y = %v, t = %v: %v, want %v", c.y, c.t, got, c.want)
			}
		})
	}
}

// TestLossPanicsOnShape: Loss does not validate its values but panics with
// mat.ErrShape when y, t or grad differ in shape, as documented.
func TestLossPanicsOnShape(t *testing.T) {
	y := mat.NewDense(2, 3, nil)
	cases := []struct {
		name    string
		t, grad *mat.Dense
	}{
		{"t has fewer columns", mat.NewDense(2, 2, nil), nil},
		{"t has more rows", mat.NewDense(3, 3, nil), nil},
		{"grad has fewer columns", mat.NewDense(2, 3, nil), mat.NewDense(2, 2, nil)},
		{"grad has more rows", mat.NewDense(2, 3, nil), mat.NewDense(3, 3, nil)},
	}
	for _, loss := range []nn.Loss{nn.MSE, nn.BCEWithLogits} {
		for _, c := range cases {
			t.Run(loss.Name()+"/"+c.name, func(t *testing.T) {
				err := func() (err error) {
					defer func() {
						if r := recover(); r != nil {
							err, _ = r.(error)
							if err == nil {
								err = errors.New("panic with a non-error value")
							}
						}
					}()
					loss.Loss(y, c.t, c.grad)
					return nil
				}()
				if !errors.Is(err, mat.ErrShape) {
					t.Errorf("%s, %s: panic %v, want mat.ErrShape", loss.Name(), c.name, err)
				}
			})
		}
		// Matching shapes, with and without a gradient, do not panic.
		loss.Loss(y, mat.NewDense(2, 3, nil), mat.NewDense(2, 3, nil))
		loss.Loss(y, mat.NewDense(2, 3, nil), nil)
	}
}

// TestLossByName: the two names round-trip, anything else is ErrConfig.
func TestLossByName(t *testing.T) {
	for _, want := range []nn.Loss{nn.MSE, nn.BCEWithLogits} {
		t.Run(want.Name(), func(t *testing.T) {
			got, err := nn.LossByName(want.Name())
			if err != nil || got != want {
				t.Errorf("LossByName(%q) = %v, %v", want.Name(), got, err)
			}
		})
	}
	if _, err := nn.LossByName("cross_entropy"); !errors.Is(err, nn.ErrConfig) {
		t.Errorf("LossByName(cross_entropy): %v, want ErrConfig", err)
	}
}

// TestLossOverflowIsAnError: y = 1e160 against t = 0 is finite, but the MSE
// ½·y² = 5e319 overflows float64 (max ≈ 1.8e308), while the gradient
// dW = y·x = 1e160 and db = 1e160 stay finite. Loss and Gradient must both
// report the overflowed loss as ErrNonFinite (documented), not return +Inf.
func TestLossOverflowIsAnError(t *testing.T) {
	n := affine(t, 1, 1e160, 0)
	x := mat.NewDense(1, 1, []float64{1})
	y := mat.NewDense(1, 1, []float64{0})
	if v, err := n.Loss(x, y, nn.MSE); !errors.Is(err, nn.ErrNonFinite) {
		t.Errorf("Loss = %v, %v; want an error wrapping ErrNonFinite", v, err)
	}
	if v, g, err := n.Gradient(x, y, nn.MSE); !errors.Is(err, nn.ErrNonFinite) {
		t.Errorf("Gradient = %v, %v, %v; want an error wrapping ErrNonFinite", v, g, err)
	}
}
