package nn_test

import (
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"

	"github.com/reluproof/reluproof/nn"
)

func smallNet(t *testing.T, hidden string) *nn.Network {
	t.Helper()
	h, err := nn.ActivationByName(hidden)
	if err != nil {
		t.Fatal(err)
	}
	n, err := nn.New([]int{3, 5, 4, 2}, h, nn.Identity, 7)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func batch() (x, y *mat.Dense) {
	x = mat.NewDense(4, 3, []float64{0.1, -0.7, 0.3, 1.2, 0.5, -0.4, -0.9, 0.2, 0.8, 0.35, -0.15, -1.1})
	y = mat.NewDense(4, 2, []float64{0.5, -1, 0.2, 0.3, 1.5, 0.1, -0.4, 0.9})
	return x, y
}

// TestGradientCentralDifference compares the backward pass with central
// differences on a smooth network: truncation O(h²·|L”'|) ≈ 1e-10 and
// rounding O(ε·|L|/h) ≈ 1e-11 at h = 1e-5, so 1e-7 relative is generous.
func TestGradientCentralDifference(t *testing.T) {
	for _, act := range []string{"sigmoid", "tanh", "softplus", "square", "identity"} {
		for _, loss := range []nn.Loss{nn.MSE, nn.BCEWithLogits} {
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
					t.Errorf("%s/%s %s: analytic %v, numeric %v", act, loss.Name(), n.ParamName(k), g[k], num)
				}
			}
			_ = n.SetParams(p)
		}
	}
}

func TestSameSeedSameNetwork(t *testing.T) {
	a, b := smallNet(t, "relu"), smallNet(t, "relu")
	if diff := cmp.Diff(a.Params(), b.Params()); diff != "" {
		t.Fatalf("same seed, different params:\n%s", diff)
	}
	c, _ := nn.New([]int{3, 5, 4, 2}, nn.ReLU, nn.Identity, 8)
	if cmp.Equal(a.Params(), c.Params()) {
		t.Fatal("different seeds gave the same params")
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

func TestBadInput(t *testing.T) {
	n := smallNet(t, "tanh")
	x, y := batch()
	before := n.Params()
	nan := mat.DenseCopyOf(x)
	nan.Set(1, 2, math.NaN())
	inf := mat.DenseCopyOf(y)
	inf.Set(0, 0, math.Inf(-1))
	cases := []struct {
		name string
		err  error
		want error
	}{
		{"one size", func() error { _, err := nn.New([]int{3}, nn.ReLU, nn.Identity, 1); return err }(), nn.ErrConfig},
		{"zero width", func() error { _, err := nn.New([]int{3, 0, 1}, nn.ReLU, nn.Identity, 1); return err }(), nn.ErrConfig},
		{"nil hidden", func() error { _, err := nn.New([]int{3, 2, 1}, nil, nn.Identity, 1); return err }(), nn.ErrConfig},
		{"nil output", func() error { _, err := nn.New([]int{3, 1}, nn.ReLU, nil, 1); return err }(), nn.ErrConfig},
		{"unknown name", func() error { _, err := nn.ActivationByName("gelu"); return err }(), nn.ErrConfig},
		{"leaky slope", func() error { _, err := nn.LeakyReLU(math.NaN()); return err }(), nn.ErrConfig},
		{"softplus beta", func() error { _, err := nn.SoftplusBeta(0); return err }(), nn.ErrConfig},
		{"nil input", func() error { _, err := n.Forward(nil); return err }(), nn.ErrShape},
		{"wrong columns", func() error { _, err := n.Forward(mat.NewDense(2, 4, nil)); return err }(), nn.ErrShape},
		{"NaN input", func() error { _, err := n.Forward(nan); return err }(), nn.ErrNonFinite},
		{"Inf target", func() error { _, _, err := n.Gradient(x, inf, nn.MSE); return err }(), nn.ErrNonFinite},
		{"row mismatch", func() error { _, _, err := n.Gradient(x, mat.NewDense(3, 2, nil), nn.MSE); return err }(), nn.ErrShape},
		{"nil loss", func() error { _, _, err := n.Gradient(x, y, nil); return err }(), nn.ErrConfig},
		{"short params", func() error { return n.SetParams(make([]float64, 3)) }(), nn.ErrShape},
		{"NaN params", func() error { p := n.Params(); p[5] = math.NaN(); return n.SetParams(p) }(), nn.ErrNonFinite},
		{"short grad", func() error { _, err := n.GradientInto(make([]float64, 2), x, y, nn.MSE); return err }(), nn.ErrShape},
		{"jacobian length", func() error { _, err := n.InputJacobian([]float64{1}); return err }(), nn.ErrShape},
		{"no steps", func() error {
			_, err := n.Train(x, y, nn.TrainConfig{Loss: nn.MSE, Optimizer: nn.SGD{LearningRate: 0.1}})
			return err
		}(), nn.ErrConfig},
		{"diverges", func() error {
			_, err := n.Train(x, y, nn.TrainConfig{Loss: nn.MSE, Optimizer: nn.SGD{LearningRate: 1e200}, MaxSteps: 50})
			return err
		}(), nn.ErrNonFinite},
	}
	for _, c := range cases {
		if !errors.Is(c.err, c.want) {
			t.Errorf("%s: got error %v, want %v", c.name, c.err, c.want)
		}
	}
	if diff := cmp.Diff(before, n.Params()); diff != "" {
		t.Errorf("failed calls changed the network:\n%s", diff)
	}
}

func TestTrainDeterministicAndDescends(t *testing.T) {
	x, y := batch()
	for _, opt := range []nn.Optimizer{nn.SGD{LearningRate: 0.05, Momentum: 0.9}, nn.Adam{LearningRate: 0.01}} {
		var params [][]float64
		for range 2 {
			n := smallNet(t, "tanh")
			res, err := n.Train(x, y, nn.TrainConfig{Loss: nn.MSE, Optimizer: opt, BatchSize: 3, MaxSteps: 300, Seed: 5})
			if err != nil {
				t.Fatal(err)
			}
			if !(res.Loss < res.History[0]/4) {
				t.Errorf("%T: loss %v after %d steps, started at %v", opt, res.Loss, res.Steps, res.History[0])
			}
			params = append(params, n.Params())
		}
		if diff := cmp.Diff(params[0], params[1]); diff != "" {
			t.Errorf("%T: same seed, different training:\n%s", opt, diff)
		}
	}
}

func TestTrainStopsAtTol(t *testing.T) {
	x, y := batch()
	n := smallNet(t, "tanh")
	res, err := n.Train(x, y, nn.TrainConfig{Loss: nn.MSE, Optimizer: nn.Adam{LearningRate: 0.02}, MaxSteps: 20000, Tol: 1e-3})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Converged || res.Loss > 1e-3 || res.Steps >= 20000 {
		t.Fatalf("did not stop at tol: %+v", res.Loss)
	}
	if got, _ := n.Loss(x, y, nn.MSE); got != res.Loss {
		t.Fatalf("reported loss %v, network's loss %v", res.Loss, got)
	}
}

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
