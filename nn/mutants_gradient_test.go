package nn_test

// Overflow contracts of Loss, Gradient and InputJacobian that the rest of
// the suite left open, found by mutation testing (MUTATION.md): the first
// entry of a slice must be screened like every other.

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/reluproof/reluproof/nn"
)

// affine returns the network y = w·x + b with the given parameters (one
// identity layer, Params order W then b).
func affine(t *testing.T, in int, p ...float64) *nn.Network {
	t.Helper()
	n, err := nn.New([]int{in, 1}, nn.Identity, nn.Identity, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := n.SetParams(p); err != nil {
		t.Fatal(err)
	}
	return n
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

// TestGradientOverflowInFirstParam: with W = [0, 0], b = 0, input
// x = (1e300, 1) and target −1e10 the output is 0, the residual δ = 1e10
// and the loss 5e19 are finite, and of the gradient only ∂/∂W₀₀ = δ·x₀ =
// 1e310 overflows; it is parameter 0 in Params order. Gradient must report
// it as ErrNonFinite.
func TestGradientOverflowInFirstParam(t *testing.T) {
	n := affine(t, 2, 0, 0, 0)
	x := mat.NewDense(1, 2, []float64{1e300, 1})
	y := mat.NewDense(1, 1, []float64{-1e10})
	if v, g, err := n.Gradient(x, y, nn.MSE); !errors.Is(err, nn.ErrNonFinite) {
		t.Errorf("Gradient = %v, %v, %v; want an error wrapping ErrNonFinite", v, g, err)
	}
	// The same with x₀ = 1e290 is finite (1e300) and accepted: the test
	// above fails for the overflow, not for the shape of the case.
	x.Set(0, 0, 1e290)
	if _, g, err := n.Gradient(x, y, nn.MSE); err != nil || g[0] != 1e10*1e290 {
		t.Errorf("Gradient at x₀ = 1e290: %v, %v; want ∂/∂W₀₀ = 1e300", g, err)
	}
}

// TestInputJacobianNonFinite: InputJacobian rejects NaN or ±Inf in any
// entry of x, the first included, even for an affine network whose
// Jacobian W does not depend on x at all; and a Jacobian that overflows in
// its only entry (two layers of weight 1e200: J = 1e400) is ErrNonFinite.
func TestInputJacobianNonFinite(t *testing.T) {
	n := affine(t, 2, 1, 2, 0)
	for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		for i := range 2 {
			x := []float64{0.5, 0.5}
			x[i] = bad
			if j, err := n.InputJacobian(x); !errors.Is(err, nn.ErrNonFinite) {
				t.Errorf("InputJacobian(%v) = %v, %v; want an error wrapping ErrNonFinite", x, j, err)
			}
		}
	}
	deep, err := nn.New([]int{1, 1, 1}, nn.Identity, nn.Identity, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := deep.SetParams([]float64{1e200, 0, 1e200, 0}); err != nil {
		t.Fatal(err)
	}
	if j, err := deep.InputJacobian([]float64{0}); !errors.Is(err, nn.ErrNonFinite) {
		t.Errorf("InputJacobian of two 1e200 layers = %v, %v; want an error wrapping ErrNonFinite", j, err)
	}
}
