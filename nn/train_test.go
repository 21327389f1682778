package nn_test

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gonum.org/v1/gonum/mat"

	"github.com/reluproof/reluproof/nn"
)

// trainCase is a small tanh network and five samples.
func trainCase(t *testing.T) (*nn.Network, *mat.Dense, *mat.Dense) {
	t.Helper()
	net, err := nn.New([]int{2, 3, 1}, nn.Tanh, nn.Identity, 4)
	if err != nil {
		t.Fatal(err)
	}
	x := mat.NewDense(5, 2, []float64{0.1, -0.4, 0.7, 0.2, -0.3, 0.9, 0.5, -0.8, -0.6, -0.1})
	y := mat.NewDense(5, 1, []float64{0.3, -0.2, 0.8, -0.5, 0.1})
	return net, x, y
}

// TestOptimiserDomains: the settings just inside each documented domain
// train, and those on its edge are ErrConfig: SGD rate > 0, momentum in
// [0, 1); Adam rate > 0, betas in (0, 1) (0 means the default), epsilon
// > 0 (0 means the default).
func TestOptimiserDomains(t *testing.T) {
	net, x, y := trainCase(t)
	for _, c := range []struct {
		opt nn.Optimizer
		ok  bool
	}{
		{nn.SGD{LearningRate: 1e-3}, true},
		{nn.SGD{LearningRate: 0}, false},
		{nn.SGD{LearningRate: 1e-3, Momentum: 0.999}, true},
		{nn.SGD{LearningRate: 1e-3, Momentum: 1}, false},
		{nn.Adam{LearningRate: 1e-3}, true},
		{nn.Adam{LearningRate: 0}, false},
		{nn.Adam{LearningRate: 1e-3, Beta1: 0.999999, Beta2: 0.999999}, true},
		{nn.Adam{LearningRate: 1e-3, Beta1: 1}, false},
		{nn.Adam{LearningRate: 1e-3, Beta2: 1}, false},
		{nn.Adam{LearningRate: 1e-3, Epsilon: 1e-300}, true},
	} {
		t.Run(fmt.Sprintf("%T%+v", c.opt, c.opt), func(t *testing.T) {
			_, err := net.Clone().Train(x, y, nn.TrainConfig{Loss: nn.MSE, Optimizer: c.opt, MaxSteps: 1})
			if c.ok && err != nil {
				t.Errorf("%+v: %v, want it accepted", c.opt, err)
			}
			if !c.ok && !errors.Is(err, nn.ErrConfig) {
				t.Errorf("%+v: %v, want ErrConfig", c.opt, err)
			}
		})
	}
}

// TestOptimiserSteps: three full-batch steps of each optimiser equal the
// documented update rules applied by hand to the gradients that Gradient
// returns at each iterate, bit for bit (the same operations in the same
// order):
//
//	SGD:      θ ← θ − ηg
//	momentum: v ← μv − ηg, θ ← θ + v
//	Adam:     m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g²,
//	          θ ← θ − α·√(1 − β₂ᵗ)/(1 − β₁ᵗ) · m/(√v + ε)
func TestOptimiserSteps(t *testing.T) {
	const steps = 3
	for _, opt := range []nn.Optimizer{
		nn.SGD{LearningRate: 0.1},
		nn.SGD{LearningRate: 0.1, Momentum: 0.5},
		nn.Adam{LearningRate: 0.01},
		nn.Adam{LearningRate: 0.01, Beta1: 0.8, Beta2: 0.9, Epsilon: 1e-3},
	} {
		t.Run(fmt.Sprintf("%T%+v", opt, opt), func(t *testing.T) {
			net, x, y := trainCase(t)
			ref := net.Clone()
			res, err := net.Train(x, y, nn.TrainConfig{Loss: nn.MSE, Optimizer: opt, MaxSteps: steps})
			if err != nil {
				t.Fatal(err)
			}
			if res.Steps != steps {
				t.Fatalf("%+v: %d steps, want %d", opt, res.Steps, steps)
			}
			p := ref.Params()
			m, v := make([]float64, len(p)), make([]float64, len(p))
			b1t, b2t := 1.0, 1.0
			for s := 0; s < steps; s++ {
				_, g, err := ref.Gradient(x, y, nn.MSE)
				if err != nil {
					t.Fatal(err)
				}
				switch o := opt.(type) {
				case nn.SGD:
					for i := range p {
						if o.Momentum == 0 {
							p[i] -= o.LearningRate * g[i]
						} else {
							m[i] = o.Momentum*m[i] - o.LearningRate*g[i]
							p[i] += m[i]
						}
					}
				case nn.Adam:
					b1, b2, eps := o.Beta1, o.Beta2, o.Epsilon
					if b1 == 0 {
						b1, b2, eps = 0.9, 0.999, 1e-8
					}
					b1t *= b1
					b2t *= b2
					step := o.LearningRate * math.Sqrt(1-b2t) / (1 - b1t)
					for i := range p {
						m[i] = b1*m[i] + (1-b1)*g[i]
						v[i] = b2*v[i] + (1-b2)*g[i]*g[i]
						p[i] -= step * m[i] / (math.Sqrt(v[i]) + eps)
					}
				}
				if err := ref.SetParams(p); err != nil {
					t.Fatal(err)
				}
			}
			if got := net.Params(); !slices.Equal(got, p) {
				t.Errorf("%+v: after %d steps\n got  %v\n want %v", opt, steps, got, p)
			}
		})
	}
}

// TestTrainBookkeeping: what TrainResult reports. Full batch: one epoch a
// step, History holds the loss before training and after every step, and
// Loss is its last entry. Minibatches of 2 from 5 samples: an epoch is 3
// steps (2, 2, 1), MaxSteps may end one part-way, and History gains an
// entry per epoch, the last partial one included. A Tol
// equal to a loss that training reaches stops it there (the test is ≤).
func TestTrainBookkeeping(t *testing.T) {
	sgd := nn.SGD{LearningRate: 0.05}
	net, x, y := trainCase(t)
	l0, err := net.Loss(x, y, nn.MSE)
	if err != nil {
		t.Fatal(err)
	}

	res, err := net.Clone().Train(x, y, nn.TrainConfig{Loss: nn.MSE, Optimizer: sgd, MaxSteps: 4})
	if err != nil {
		t.Fatal(err)
	}
	if res.Steps != 4 || res.Epochs != 4 || len(res.History) != 5 || res.History[0] != l0 ||
		res.Loss != res.History[4] || res.Converged {
		t.Errorf("full batch: %+v; want 4 steps, 4 epochs, 5 losses from %v, Loss the last, not converged", res, l0)
	}

	res, err = net.Clone().Train(x, y, nn.TrainConfig{Loss: nn.MSE, Optimizer: sgd, BatchSize: 2, MaxSteps: 7, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if res.Steps != 7 || res.Epochs != 3 || len(res.History) != 4 || res.History[0] != l0 || res.Loss != res.History[3] {
		t.Errorf("minibatch 2 of 5: %+v; want 7 steps, 3 epochs (3 + 3 + 1 steps), 4 losses from %v", res, l0)
	}

	for _, bs := range []int{0, 2} {
		t.Run(fmt.Sprintf("batch %d, Tol = initial loss", bs), func(t *testing.T) {
			res, err := net.Clone().Train(x, y, nn.TrainConfig{Loss: nn.MSE, Optimizer: sgd, BatchSize: bs, MaxSteps: 5, Tol: l0})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Converged || res.Steps != 0 || res.Loss != l0 {
				t.Errorf("batch %d, Tol = initial loss: %+v; want converged after 0 steps", bs, res)
			}
		})
	}

	// Full batch (0 and 5) stops after one step, minibatches of 2 after
	// one epoch of 3 steps, when Tol is the loss there.
	for _, c := range []struct{ bs, steps int }{{0, 1}, {5, 1}, {2, 3}} {
		t.Run(fmt.Sprintf("batch %d, Tol = loss after %d steps", c.bs, c.steps), func(t *testing.T) {
			cfg := nn.TrainConfig{Loss: nn.MSE, Optimizer: sgd, BatchSize: c.bs, MaxSteps: c.steps, Seed: 3}
			first, err := net.Clone().Train(x, y, cfg)
			if err != nil {
				t.Fatal(err)
			}
			cfg.MaxSteps, cfg.Tol = 10, first.Loss
			res, err := net.Clone().Train(x, y, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if !res.Converged || res.Steps != c.steps || res.Loss != first.Loss {
				t.Errorf("batch %d, Tol = loss after %d steps (%v): %+v; want converged there", c.bs, c.steps, first.Loss, res)
			}
		})
	}
}

// TestTrainDivergedFirstParameter: a step that overflows only parameter 0
// is reported as such. y = w·x + b with x = 1e300, w = 1e-293, b = 0 and
// target 0: y = 1e7, the loss ½·1e14 and the gradients dW = y·x = 1e307,
// db = 1e7 are finite, but SGD with rate 100 moves W by 1e309 = −Inf while
// b stays finite. Minibatches of one sample (two samples, so Train takes
// its minibatch path, which checks the parameters after each epoch) and one
// step: Train must name W[0][0] (parameter 0) as diverged, wrap
// ErrNonFinite, and leave the network as it was.
func TestTrainDivergedFirstParameter(t *testing.T) {
	net := affine(t, 1, 1e-293, 0)
	before := net.Params()
	x := mat.NewDense(2, 1, []float64{1e300, 1e300})
	y := mat.NewDense(2, 1, []float64{0, 0})
	_, err := net.Train(x, y, nn.TrainConfig{Loss: nn.MSE, Optimizer: nn.SGD{LearningRate: 100}, BatchSize: 1, MaxSteps: 1})
	want := "training diverged: " + net.ParamName(0) + " = -Inf"
	if !errors.Is(err, nn.ErrNonFinite) || !strings.Contains(err.Error(), want) {
		t.Errorf("Train: %v, want ErrNonFinite naming %q", err, want)
	}
	if got := net.Params(); !slices.Equal(got, before) {
		t.Errorf("parameters %v after a failed Train, want %v", got, before)
	}
}

// TestTrainDeterministicAndDescends: minibatch training from the same
// network and seed gives bit-identical parameters, and 300 steps cut the
// loss of the small batch at least fourfold.
func TestTrainDeterministicAndDescends(t *testing.T) {
	x, y := batch()
	for _, opt := range []nn.Optimizer{nn.SGD{LearningRate: 0.05, Momentum: 0.9}, nn.Adam{LearningRate: 0.01}} {
		t.Run(fmt.Sprintf("%T", opt), func(t *testing.T) {
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
		})
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

// TestTrainDivergedParametersRestored: a step that overflows a parameter
// fails Train even when the loss and gradient at the new point are
// finite. For y = σ(w·x + b) at w = b = 0 with x = 16 and target 1, the
// MSE gradient is ∂/∂w = (σ(0) − 1)·σ′(0)·16 = −½·¼·16 = −2 and
// ∂/∂b = −⅛, so SGD at the largest finite rate moves w to
// 0 + 2·MaxFloat64 = +Inf (b stays finite). There σ(+Inf) = 1 matches the
// target exactly: the loss is 0 and its gradient 0, so without a check of
// the parameters themselves Train would even report convergence at
// Tol = 0. On the full-batch path (one sample) and the minibatch path (two
// equal samples, batches of one) Train must name w as diverged, wrap
// ErrNonFinite and restore the starting parameters.
func TestTrainDivergedParametersRestored(t *testing.T) {
	for _, c := range []struct {
		name    string
		samples int
		batch   int
	}{{"full batch", 1, 0}, {"minibatch", 2, 1}} {
		t.Run(c.name, func(t *testing.T) {
			net, err := nn.New([]int{1, 1}, nil, nn.Sigmoid, 1)
			if err != nil {
				t.Fatal(err)
			}
			if err := net.SetParams([]float64{0, 0}); err != nil {
				t.Fatal(err)
			}
			x, y := mat.NewDense(c.samples, 1, nil), mat.NewDense(c.samples, 1, nil)
			for i := range c.samples {
				x.Set(i, 0, 16)
				y.Set(i, 0, 1)
			}
			_, g, err := net.Gradient(x, y, nn.MSE)
			if err != nil || g[0] != -2 || g[1] != -0.125 {
				t.Fatalf("gradient at 0 = %v, %v; the case needs (−2, −⅛)", g, err)
			}
			res, err := net.Train(x, y, nn.TrainConfig{Loss: nn.MSE, Optimizer: nn.SGD{LearningRate: math.MaxFloat64},
				BatchSize: c.batch, MaxSteps: 5})
			want := "training diverged: " + net.ParamName(0) + " = +Inf"
			if !errors.Is(err, nn.ErrNonFinite) || !strings.Contains(err.Error(), want) {
				t.Errorf("Train = %+v, %v; want ErrNonFinite naming %q", res, err, want)
			}
			if got := net.Params(); !slices.Equal(got, []float64{0, 0}) {
				t.Errorf("parameters %v after a failed Train, want the starting [0 0]", got)
			}
		})
	}
}

// TestTrainFullBatchReadsDataInPlace: full-batch training (BatchSize 0,
// or the number of samples) computes every step from x and t as given, so
// it must not allocate the minibatch buffers, which would copy them. Here
// x is 1024×256 float64s (2 MiB); what Train allocates otherwise is
// parameter-sized (257 floats: the saved start, the gradient, Adam's
// moments), sample-sized (the permutation, the workspace's 1024×1
// activations, History) or constant, a few tens of KiB in all, so a
// quarter of x separates the two with room for either to change.
func TestTrainFullBatchReadsDataInPlace(t *testing.T) {
	const samples, in = 1024, 256
	net, err := nn.New([]int{in, 1}, nil, nn.Identity, 5)
	if err != nil {
		t.Fatal(err)
	}
	xd, td := make([]float64, samples*in), make([]float64, samples)
	for i := range xd {
		xd[i] = float64(i%13)/13 - 0.5
	}
	for i := range td {
		td[i] = float64(i%5) / 5
	}
	x, y := mat.NewDense(samples, in, xd), mat.NewDense(samples, 1, td)
	dataBytes := uint64(8 * len(xd))
	for _, bs := range []int{0, samples} {
		t.Run(fmt.Sprintf("BatchSize %d", bs), func(t *testing.T) {
			cfg := nn.TrainConfig{Loss: nn.MSE, Optimizer: nn.Adam{LearningRate: 1e-3}, BatchSize: bs, MaxSteps: 2}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			res, err := net.Train(x, y, cfg)
			runtime.ReadMemStats(&after)
			if err != nil || res.Steps != 2 {
				t.Fatalf("Train = %+v, %v; want two steps", res, err)
			}
			if got := after.TotalAlloc - before.TotalAlloc; got > dataBytes/4 {
				t.Errorf("full-batch Train allocated %d bytes, over a quarter of the %d bytes of x", got, dataBytes)
			}
		})
	}
}
