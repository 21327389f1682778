package properties_test

import (
	"math"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gonum.org/v1/gonum/mat"

	"github.com/reluproof/reluproof/nn"
	"github.com/reluproof/reluproof/properties"
)

// TestConcurrentChecks runs the checkers from eight goroutines at once, as
// the package doc allows: one shared Function with no state, and one
// NetworkLoss per goroutine (a NetworkLoss works on its own clone of the
// network, which its calls change). Every result must equal the serial one
// bit for bit; under -race any shared write shows.
func TestConcurrentChecks(t *testing.T) {
	smooth := properties.Function{
		F:    func(x []float64) float64 { return math.Sin(x[0])*x[1] + x[1]*x[1] },
		Grad: func(dst, x []float64) { dst[0] = math.Cos(x[0]) * x[1]; dst[1] = math.Sin(x[0]) + 2*x[1] },
	}
	net, err := nn.New([]int{3, 8, 2}, nn.Tanh, nn.Identity, 11)
	if err != nil {
		t.Fatal(err)
	}
	x := mat.NewDense(4, 3, []float64{0.5, -1, 2, 0.25, 1.5, -0.75, -2, 0.1, 0.3, 1, 1, -1})
	y := mat.NewDense(4, 2, []float64{1, 0, -1, 0.5, 0.2, 0.3, 0, 1})
	type out struct {
		G  properties.GradCheckResult
		D  properties.DirectionalResult
		T  properties.TaylorResult
		GN properties.GradCheckResult
	}
	run := func() (out, error) {
		var o out
		var err error
		p := []float64{0.7, -1.3}
		if o.G, err = properties.GradCheck(smooth, p, nil); err != nil {
			return o, err
		}
		if o.D, err = properties.DirectionalCheck(smooth, p, []float64{1, 2}, nil); err != nil {
			return o, err
		}
		if o.T, err = properties.TaylorCheck(smooth, p, []float64{-1, 1}, nil); err != nil {
			return o, err
		}
		o.GN, err = properties.GradCheckNetwork(net, x, y, nn.MSE, nil) // its own clone of net
		return o, err
	}
	want, err := run()
	if err != nil {
		t.Fatal(err)
	}
	const workers = 8
	got := make([]out, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() { got[w], errs[w] = run() })
	}
	wg.Wait()
	for w := range workers {
		if errs[w] != nil {
			t.Fatalf("goroutine %d: %v", w, errs[w])
		}
		if diff := cmp.Diff(want, got[w]); diff != "" {
			t.Errorf("goroutine %d differs from the serial run (-serial +concurrent):\n%s", w, diff)
		}
	}
}
