package nn_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"

	"github.com/reluproof/reluproof/nn"
)

// TestGradientCentralDifference compares the backward pass with central
// differences on a smooth network: truncation O(h²·|L”'|) ≈ 1e-10 and
// rounding O(ε·|L|/h) ≈ 1e-11 at h = 1e-5, so 1e-7 relative is generous.
func TestGradientCentralDifference(t *testing.T) {
	for _, act := range []string{"sigmoid", "tanh", "softplus", "square", "identity"} {
		for _, loss := range []nn.Loss{nn.MSE, nn.BCEWithLogits} {
			t.Run(act+"/"+loss.Name(), func(t *testing.T) {
				n := smallNet(t, act)
				x, y := batch()
				if loss == nn.BCEWithLogits {
					y = mat.NewDense(4, 2, []float64{1, 0, 0, 1, 1, 1, 0, 0})
				}
				_, g, err := n.Gradient(x, y, loss)
				if err != nil {
					t.Fatal(err)
				}
				p := n.Params()
				for k := range p {
					h := 1e-5 * math.Max(1, math.Abs(p[k]))
					q := append([]float64(nil), p...)
					q[k] = p[k] + h
					_ = n.SetParams(q)
					lp, _ := n.Loss(x, y, loss)
					q[k] = p[k] - h
					_ = n.SetParams(q)
					lm, _ := n.Loss(x, y, loss)
					num := (lp - lm) / (2 * h)
					if !scalar.EqualWithinAbsOrRel(g[k], num, 1e-7, 1e-7) {
						t.Errorf("%s: analytic %v, numeric %v", n.ParamName(k), g[k], num)
					}
				}
				_ = n.SetParams(p)
			})
		}
	}
}

func TestGradientIntoAllocatesNothing(t *testing.T) {
	n := smallNet(t, "relu")
	x, y := batch()
	g := make([]float64, n.NumParams())
	if _, err := n.GradientInto(g, x, y, nn.MSE); err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(50, func() { _, _ = n.GradientInto(g, x, y, nn.MSE) })
	if allocs != 0 {
		t.Fatalf("GradientInto allocated %v times per call, want 0", allocs)
	}
}

// TestGradientIntoAllocatesNothingBlocked: with layers and a batch wider
// than gonum's 64-element blocks (every product of the forward and
// backward pass then runs in the serial panels, not in the plain loops of
// the small network above), GradientInto still allocates nothing once its
// workspace exists. gonum's Dgemm called whole on such sizes fans out to
// goroutines and allocates.
func TestGradientIntoAllocatesNothingBlocked(t *testing.T) {
	net, err := nn.New([]int{200, 192, 130, 10}, nn.ReLU, nn.Identity, 5)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	const batch = 150
	x, y := mat.NewDense(batch, 200, nil), mat.NewDense(batch, 10, nil)
	for i := 0; i < batch; i++ {
		for j := 0; j < 200; j++ {
			x.Set(i, j, rng.NormFloat64())
		}
		for j := 0; j < 10; j++ {
			y.Set(i, j, rng.NormFloat64())
		}
	}
	g := make([]float64, net.NumParams())
	if _, err := net.GradientInto(g, x, y, nn.MSE); err != nil {
		t.Fatal(err)
	}
	if allocs := testing.AllocsPerRun(5, func() { _, _ = net.GradientInto(g, x, y, nn.MSE) }); allocs != 0 {
		t.Fatalf("GradientInto allocated %v times per call on blocked shapes, want 0", allocs)
	}
}

// TestGradientOverflowInFirstParam: with W = [0, 0], b = 0, input
// x = (1e300, 1) and target −1e10 the output is 0, the residual δ = 1e10
// and the loss 5e19 are finite, and of the gradient only ∂/∂W₀₀ = δ·x₀ =
// 1e310 overflows; it is parameter 0 in Params order. Gradient must report
// it as ErrNonFinite: the first entry of the gradient is screened like
// every other.
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

// TestBackwardAtKinkUsesDeriv: in the 1-1-1 network y = W₂·φ(W₁x + b₁) + b₂
// with W₁ = W₂ = 1 and b₁ = b₂ = 0, every sample x = 0 sits exactly on the
// kink z = 0. Then ∂L/∂b₁ = ∂L/∂b₂·W₂·φ′(0) and ∂L/∂W₁ = ∂L/∂b₁·x = 0, with
// φ′(0) the activation's Deriv(0) (relu 0, leaky relu α: the left
// derivative), and the input Jacobian is W₂·φ′(0)·W₁ = φ′(0). All values
// are exact: one product by 1 or 0. The batched backward pass of relu does
// not call Deriv, so this checks its kink convention against Deriv's.
func TestBackwardAtKinkUsesDeriv(t *testing.T) {
	leaky, err := nn.LeakyReLU(0.25)
	if err != nil {
		t.Fatal(err)
	}
	for _, act := range []nn.Activation{nn.ReLU, leaky} {
		t.Run(act.Name(), func(t *testing.T) {
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
				t.Fatalf("∂L/∂b₂ = 0; the case needs a non-zero residual")
			}
			if got, want := g[idx[[2]int{0, 1}]], gb2*d0; got != want {
				t.Errorf("∂L/∂b₁ = %v at the kink, want ∂L/∂b₂·φ′(0) = %v", got, want)
			}
			if got := g[idx[[2]int{0, 0}]]; got != 0 {
				t.Errorf("∂L/∂W₁ = %v at x = 0, want 0", got)
			}
			j, err := net.InputJacobian([]float64{0})
			if err != nil {
				t.Fatal(err)
			}
			if got := j.At(0, 0); got != d0 {
				t.Errorf("input Jacobian %v at the kink, want φ′(0) = %v", got, d0)
			}
		})
	}
}

// TestInputJacobianMatchesDifferences compares InputJacobian with central
// differences of Forward on a smooth network: at h = 1e-5 truncation is
// O(h²·|y”'|) ≈ 1e-10 and rounding O(ε·|y|/h) ≈ 1e-11, so 1e-8 holds.
func TestInputJacobianMatchesDifferences(t *testing.T) {
	n := smallNet(t, "softplus")
	x := []float64{0.3, -0.2, 0.7}
	j, err := n.InputJacobian(x)
	if err != nil {
		t.Fatal(err)
	}
	for c := range x {
		h := 1e-5
		xp := append([]float64(nil), x...)
		xm := append([]float64(nil), x...)
		xp[c] += h
		xm[c] -= h
		yp, _ := n.Forward(mat.NewDense(1, 3, xp))
		ym, _ := n.Forward(mat.NewDense(1, 3, xm))
		for r := 0; r < 2; r++ {
			num := (yp.At(0, r) - ym.At(0, r)) / (2 * h)
			if !scalar.EqualWithinAbsOrRel(j.At(r, c), num, 1e-8, 1e-8) {
				t.Errorf("J[%d][%d] = %v, numeric %v", r, c, j.At(r, c), num)
			}
		}
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
			t.Run(fmt.Sprintf("x[%d] = %v", i, bad), func(t *testing.T) {
				x := []float64{0.5, 0.5}
				x[i] = bad
				if j, err := n.InputJacobian(x); !errors.Is(err, nn.ErrNonFinite) {
					t.Errorf("InputJacobian(%v) = %v, %v; want an error wrapping ErrNonFinite", x, j, err)
				}
			})
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

// TestGradientIntoAliasing: GradientInto refuses a grad that shares memory
// with x or t, whole or in one element at either end, with ErrShape and
// before writing anything (it would overwrite inputs it still has to
// read, and return a wrong gradient); grad right beside them in the same
// array is accepted and gives Gradient's result bit for bit.
func TestGradientIntoAliasing(t *testing.T) {
	net := smallNet(t, "tanh")
	x0, t0 := batch()
	_, want, err := net.Gradient(x0, t0, nn.MSE)
	if err != nil {
		t.Fatal(err)
	}
	p := net.NumParams()
	const nx, nt = 4 * 3, 4 * 2
	// One array, laid out as the case says: x at xo, t at to, grad at gi.
	for _, c := range []struct {
		name       string
		xo, to, gi int
		ok         bool
	}{
		{"grad over x", 0, p + nx, 0, false},
		{"grad's last element on x's first", p - 1, p + nx, 0, false},
		{"grad's first element on x's last", 0, nx + p, nx - 1, false},
		{"grad over t", p + nx, 0, 0, false},
		{"grad's first element on t's last", p + nx, 0, nt - 1, false},
		{"x, grad, t side by side", 0, nx + p, nx, true},
		{"t, grad, x side by side", nt + p, 0, nt, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			buf := make([]float64, nx+nt+2*p)
			x := mat.NewDense(4, 3, buf[c.xo:c.xo+nx])
			x.Copy(x0)
			y := mat.NewDense(4, 2, buf[c.to:c.to+nt])
			y.Copy(t0)
			grad := buf[c.gi : c.gi+p]
			before := append([]float64(nil), buf...)
			_, err := net.GradientInto(grad, x, y, nn.MSE)
			if !c.ok {
				if !errors.Is(err, nn.ErrShape) {
					t.Errorf("GradientInto: %v, want an error wrapping ErrShape", err)
				}
				if !slices.Equal(buf, before) {
					t.Error("GradientInto wrote into the caller's memory before refusing it")
				}
				return
			}
			if err != nil {
				t.Fatalf("GradientInto: %v", err)
			}
			if !slices.Equal(grad, want) {
				t.Errorf("GradientInto beside its inputs:\n got  %v\n want %v", grad, want)
			}
		})
	}
}
