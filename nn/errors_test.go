package nn_test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gonum.org/v1/gonum/mat"

	"github.com/reluproof/reluproof/nn"
)

// TestBadInput: each invalid argument of the public API is an error
// wrapping its documented sentinel, and none of the failed calls changes
// the network.
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
		call func() error
		want error
	}{
		{"one size", func() error { _, err := nn.New([]int{3}, nn.ReLU, nn.Identity, 1); return err }, nn.ErrConfig},
		{"zero width", func() error { _, err := nn.New([]int{3, 0, 1}, nn.ReLU, nn.Identity, 1); return err }, nn.ErrConfig},
		{"nil hidden", func() error { _, err := nn.New([]int{3, 2, 1}, nil, nn.Identity, 1); return err }, nn.ErrConfig},
		{"nil output", func() error { _, err := nn.New([]int{3, 1}, nn.ReLU, nil, 1); return err }, nn.ErrConfig},
		{"unknown name", func() error { _, err := nn.ActivationByName("gelu"); return err }, nn.ErrConfig},
		{"leaky slope", func() error { _, err := nn.LeakyReLU(math.NaN()); return err }, nn.ErrConfig},
		{"softplus beta", func() error { _, err := nn.SoftplusBeta(0); return err }, nn.ErrConfig},
		{"nil input", func() error { _, err := n.Forward(nil); return err }, nn.ErrShape},
		{"wrong columns", func() error { _, err := n.Forward(mat.NewDense(2, 4, nil)); return err }, nn.ErrShape},
		{"NaN input", func() error { _, err := n.Forward(nan); return err }, nn.ErrNonFinite},
		{"Inf target", func() error { _, _, err := n.Gradient(x, inf, nn.MSE); return err }, nn.ErrNonFinite},
		{"row mismatch", func() error { _, _, err := n.Gradient(x, mat.NewDense(3, 2, nil), nn.MSE); return err }, nn.ErrShape},
		{"nil loss", func() error { _, _, err := n.Gradient(x, y, nil); return err }, nn.ErrConfig},
		{"short params", func() error { return n.SetParams(make([]float64, 3)) }, nn.ErrShape},
		{"NaN params", func() error { p := n.Params(); p[5] = math.NaN(); return n.SetParams(p) }, nn.ErrNonFinite},
		{"short grad", func() error { _, err := n.GradientInto(make([]float64, 2), x, y, nn.MSE); return err }, nn.ErrShape},
		{"jacobian length", func() error { _, err := n.InputJacobian([]float64{1}); return err }, nn.ErrShape},
		{"no steps", func() error {
			_, err := n.Train(x, y, nn.TrainConfig{Loss: nn.MSE, Optimizer: nn.SGD{LearningRate: 0.1}})
			return err
		}, nn.ErrConfig},
		{"diverges", func() error {
			_, err := n.Train(x, y, nn.TrainConfig{Loss: nn.MSE, Optimizer: nn.SGD{LearningRate: 1e200}, MaxSteps: 50})
			return err
		}, nn.ErrNonFinite},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := c.call(); !errors.Is(err, c.want) {
				t.Errorf("got error %v, want %v", err, c.want)
			}
		})
	}
	if diff := cmp.Diff(before, n.Params()); diff != "" {
		t.Errorf("failed calls changed the network:\n%s", diff)
	}
}

// TestNonFiniteEntryNamed: for batches of width 1 to 200 (so rows end
// inside, at the end of and past the 64-element blocks that the screen
// sums), a NaN, +Inf or −Inf placed at column 0, at a block boundary or at
// the last column of row 1 is an ErrNonFinite from Forward,
// PreActivations, Loss, Gradient (input and target) and Train, and the
// message names its position and value, "[1][j] = NaN". The network is
// affine, so that a non-finite input reaches no nonlinearity that could
// hide it (a non-finite output would be reported too, but without the
// position).
func TestNonFiniteEntryNamed(t *testing.T) {
	bad := []float64{math.NaN(), math.Inf(1), math.Inf(-1)}
	for _, width := range []int{1, 2, 63, 64, 65, 128, 200} {
		net, err := nn.New([]int{width, 1}, nn.Identity, nn.Identity, 3)
		if err != nil {
			t.Fatal(err)
		}
		tnet, err := nn.New([]int{1, width}, nn.Identity, nn.Identity, 3)
		if err != nil {
			t.Fatal(err)
		}
		cols := []int{0, width - 1}
		if width > 64 {
			cols = append(cols, 63, 64)
		}
		for _, j := range cols {
			for _, v := range bad {
				t.Run(fmt.Sprintf("width %d, [1][%d] = %v", width, j, v), func(t *testing.T) {
					x := mat.NewDense(3, width, nil)
					x.Set(1, j, v)
					ones := mat.NewDense(3, 1, []float64{1, 1, 1})
					where := fmt.Sprintf("[1][%d] = %v", j, v)
					calls := []struct {
						name string
						err  error
					}{
						{"Forward", second(net.Forward(x))},
						{"PreActivations", second(net.PreActivations(x))},
						{"Loss", second(net.Loss(x, ones, nn.MSE))},
						{"Gradient x", third(net.Gradient(x, ones, nn.MSE))},
						{"Gradient t", third(tnet.Gradient(ones, x, nn.MSE))},
						{"Train", second(net.Clone().Train(x, ones, nn.TrainConfig{Loss: nn.MSE, Optimizer: nn.SGD{LearningRate: 0.1}, MaxSteps: 1}))},
					}
					for _, c := range calls {
						if !errors.Is(c.err, nn.ErrNonFinite) || !strings.Contains(c.err.Error(), where) {
							t.Errorf("%s gave %v, want ErrNonFinite naming %s", c.name, c.err, where)
						}
					}
				})
			}
		}
	}
}

func second[T any](_ T, err error) error { return err }

func third[T, U any](_ T, _ U, err error) error { return err }

// TestForwardOverflowFirstOutput: y = 1e300·x overflows to +Inf for
// x = 1e10 and is 0 for x = 0; with the overflowing sample first, the
// overflow is output[0][0], and Forward must report it, not return +Inf.
func TestForwardOverflowFirstOutput(t *testing.T) {
	net := affine(t, 1, 1e300, 0)
	y, err := net.Forward(mat.NewDense(2, 1, []float64{1e10, 0}))
	if !errors.Is(err, nn.ErrNonFinite) || !strings.Contains(err.Error(), "output[0][0]") {
		t.Errorf("Forward = %v, %v; want ErrNonFinite naming output[0][0]", y, err)
	}
}

// TestForwardOverflowNamed: with two outputs y = (x, 1e300·x) and inputs
// (0, 1e10), only y[1][1] overflows: flat index 3 of the output, which
// Forward must name as row 3/2 = 1, column 3 mod 2 = 1.
func TestForwardOverflowNamed(t *testing.T) {
	net, err := nn.New([]int{1, 2}, nn.Identity, nn.Identity, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := net.SetParams([]float64{1, 1e300, 0, 0}); err != nil {
		t.Fatal(err)
	}
	y, err := net.Forward(mat.NewDense(2, 1, []float64{0, 1e10}))
	if !errors.Is(err, nn.ErrNonFinite) || !strings.Contains(err.Error(), "output[1][1] overflowed to +Inf") {
		t.Errorf("Forward = %v, %v; want ErrNonFinite naming output[1][1]", y, err)
	}
}
