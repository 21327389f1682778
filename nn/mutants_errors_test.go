package nn_test

// The input screens of nn, found wanting by mutation testing (MUTATION.md):
// a non-finite entry must be reported wherever it sits, and the error must
// name it.

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/reluproof/reluproof/nn"
)

// TestNonFiniteEntryNamed: for batches of width 1 to 200 (so rows end
// inside, at the end of and past the 64-element blocks that the screen
// sums), a NaN, +Inf or −Inf placed at column 0, at a block boundary or at
// the last column of row 1 is an ErrNonFinite from Forward,
// PreActivations, Loss, Gradient (input and target) and Train, and the
// message names its position and value, "[1][j] = NaN". The network is affine, so that a
// non-finite input reaches no nonlinearity that could hide it (a
// non-finite output would be reported too, but without the position).
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
				x := mat.NewDense(3, width, nil)
				x.Set(1, j, v)
				ones := mat.NewDense(3, 1, []float64{1, 1, 1})
				where := fmt.Sprintf("[1][%d] = %v", j, v)
				calls := map[string]error{
					"Forward":        second(net.Forward(x)),
					"PreActivations": second(net.PreActivations(x)),
					"Loss":           second(net.Loss(x, ones, nn.MSE)),
					"Gradient x":     third(net.Gradient(x, ones, nn.MSE)),
					"Gradient t":     third(tnet.Gradient(ones, x, nn.MSE)),
					"Train":          second(net.Clone().Train(x, ones, nn.TrainConfig{Loss: nn.MSE, Optimizer: nn.SGD{LearningRate: 0.1}, MaxSteps: 1})),
				}
				for name, err := range calls {
					if !errors.Is(err, nn.ErrNonFinite) || !strings.Contains(err.Error(), where) {
						t.Errorf("width %d, %v at %s: %s gave %v, want ErrNonFinite naming %s",
							width, v, where, name, err, where)
					}
				}
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
