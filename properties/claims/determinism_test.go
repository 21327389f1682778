package claims

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gonum.org/v1/gonum/mat"
	"pgregory.net/rapid"

	"github.com/reluproof/reluproof/nn"
)

// fingerprint builds a network from a seed and returns everything it
// computes: initial parameters, outputs, the gradient, and the parameters and
// loss history after seeded minibatch training.
func fingerprint(sizes []int, hidden nn.Activation, seed uint64, x, t *mat.Dense) ([][]float64, error) {
	net, err := nn.New(sizes, hidden, nn.Identity, seed)
	if err != nil {
		return nil, err
	}
	p0 := net.Params()
	y, err := net.Forward(x)
	if err != nil {
		return nil, err
	}
	loss, g, err := net.Gradient(x, t, nn.MSE)
	if err != nil {
		return nil, err
	}
	r, _ := x.Dims()
	res, err := net.Train(x, t, nn.TrainConfig{Loss: nn.MSE, Optimizer: nn.Adam{LearningRate: 1e-3},
		BatchSize: max(1, r/3), MaxSteps: 5, Seed: seed})
	if err != nil {
		return nil, err
	}
	return [][]float64{p0, mat.DenseCopyOf(y).RawMatrix().Data, g, {loss}, net.Params(), res.History}, nil
}

// TestPropertyDeterminism_SameSeedSameNumbers: the same seed gives
// bit-identical parameters, outputs, gradients and training results, run
// after run and with GOMAXPROCS 1 or 2. Widths and batches reach past 64 so
// that gonum's matrix multiply takes its parallel, blocked path.
func TestPropertyDeterminism_SameSeedSameNumbers(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	rapid.Check(t, func(rt *rapid.T) {
		depth := rapid.IntRange(1, 3).Draw(rt, "depth")
		sizes := make([]int, depth+1)
		for i := range sizes {
			sizes[i] = rapid.IntRange(1, 128).Draw(rt, fmt.Sprintf("size%d", i))
		}
		hidden, _ := nn.ActivationByName(rapid.SampledFrom([]string{"relu", "tanh", "softplus"}).Draw(rt, "hidden"))
		seed := rapid.Uint64().Draw(rt, "seed")
		batch := rapid.IntRange(1, 100).Draw(rt, "batch")
		x := denseGen(rt, "x", batch, sizes[0])
		y := denseGen(rt, "t", batch, sizes[len(sizes)-1])

		var runs [][][]float64
		for _, procs := range []int{1, 2, 2, 1} {
			runtime.GOMAXPROCS(procs)
			f, err := fingerprint(sizes, hidden, seed, x, y)
			if err != nil {
				rt.Fatalf("valid case failed: %v", err)
			}
			runs = append(runs, f)
		}
		for i := 1; i < len(runs); i++ {
			// cmp.Diff compares float64 with ==, so any rounding difference shows.
			if diff := cmp.Diff(runs[0], runs[i]); diff != "" {
				rt.Fatalf("run %d differs from run 0:\n%s", i, diff)
			}
		}
	})
}

// denseGen draws an r×c matrix of moderate finite values.
func denseGen(t *rapid.T, label string, r, c int) *mat.Dense {
	d := rapid.SliceOfN(rapid.Float64Range(-3, 3), r*c, r*c).Draw(t, label)
	return mat.NewDense(r, c, d)
}
