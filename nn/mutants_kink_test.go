package nn_test

// The kink convention inside the network's own backward pass, found
// wanting by mutation testing (MUTATION.md): TestKinkDerivativeConvention
// checks Deriv alone, and the batched backward pass of relu does not call
// it.

import (
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/reluproof/reluproof/nn"
)

// TestBackwardAtKinkUsesDeriv: in the 1-1-1 network y = W₂·φ(W₁x + b₁) + b₂
// with W₁ = W₂ = 1 and b₁ = b₂ = 0, every sample x = 0 sits exactly on the
// kink z = 0. Then ∂L/∂b₁ = ∂L/∂b₂·W₂·φ′(0) and ∂L/∂W₁ = ∂L/∂b₁·x = 0, with
// φ′(0) the activation's Deriv(0) (relu 0, leaky relu α: the left
// derivative), and the input Jacobian is W₂·φ′(0)·W₁ = φ′(0). All values
// are exact: one product by 1 or 0.
func TestBackwardAtKinkUsesDeriv(t *testing.T) {
	leaky, err := nn.LeakyReLU(0.25)
	if err != nil {
		t.Fatal(err)
	}
	for _, act := range []nn.Activation{nn.ReLU, leaky} {
		net, err := nn.New([]int{1, 1, 1}, act, nn.Identity, 1)
		if err != nil {
			t.Fatal(err)
		}
		if err := net.SetParams([]float64{1, 0, 1, 0}); err != nil {
			t.Fatal(err)
		}
		idx := map[[2]int]int{} // (layer, isBias) → index
		for k := 0; k < net.NumParams(); k++ {
			l, _, _, bias := net.ParamIndex(k)
			b := 0
			if bias {
				b = 1
			}
			idx[[2]int{l, b}] = k
		}
		x := mat.NewDense(3, 1, nil)
		y := mat.NewDense(3, 1, []float64{1, 2, 3})
		_, g, err := net.Gradient(x, y, nn.MSE)
		if err != nil {
			t.Fatal(err)
		}
		d0 := act.Deriv(0)
		gb2 := g[idx[[2]int{1, 1}]]
		if gb2 == 0 {
			t.Fatalf("%s: ∂L/∂b₂ = 0; the case needs a non-zero residual", act.Name())
		}
		if got, want := g[idx[[2]int{0, 1}]], gb2*d0; got != want {
			t.Errorf("%s: ∂L/∂b₁ = %v at the kink, want ∂L/∂b₂·φ′(0) = %v", act.Name(), got, want)
		}
		if got := g[idx[[2]int{0, 0}]]; got != 0 {
			t.Errorf("%s: ∂L/∂W₁ = %v at x = 0, want 0", act.Name(), got)
		}
		j, err := net.InputJacobian([]float64{0})
		if err != nil {
			t.Fatal(err)
		}
		if got := j.At(0, 0); got != d0 {
			t.Errorf("%s: input Jacobian %v at the kink, want φ′(0) = %v", act.Name(), got, d0)
		}
	}
}
