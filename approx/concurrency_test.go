package approx_test

import (
	"math"
	"slices"
	"sync"
	"testing"

	"github.com/reluproof/reluproof/approx"
	"github.com/reluproof/reluproof/nn"
)

// TestConcurrentCalls: the functions the package comment lists as safe for
// concurrent use give, called from 8 goroutines at once (PieceList on one
// shared network), the same results as called serially, bit for bit: they
// are deterministic and share no state. Run it under -race to see that they
// neither write shared memory nor read what another call writes.
func TestConcurrentCalls(t *testing.T) {
	saw, err := approx.Sawtooth(8)
	if err != nil {
		t.Fatal(err)
	}
	knots, err := approx.UniformKnots(-1, 1, 64)
	if err != nil {
		t.Fatal(err)
	}
	xs, _ := approx.Grid(-1, 1, 33)
	// run returns every float the calls produce, as bits.
	run := func() []uint64 {
		var out []uint64
		add := func(v ...float64) {
			for _, x := range v {
				out = append(out, math.Float64bits(x))
			}
		}
		ps, err := approx.PieceList(saw, 0, 1)
		if err != nil {
			t.Error(err)
			return nil
		}
		for _, p := range ps {
			add(p.Lo, p.Hi, p.Slope, p.Intercept)
		}
		net, err := approx.Interpolant(math.Sin, knots)
		if err != nil {
			t.Error(err)
			return nil
		}
		add(net.Params()...)
		ys, err := approx.Eval(net, xs) // its own network: safe
		if err != nil {
			t.Error(err)
			return nil
		}
		add(ys...)
		add(approx.SigmoidSum(0.7, 1000, 0.01), approx.StepVariance(0.3, 50), approx.TentPower(0.3, 20))
		sin := make([]float64, len(xs))
		for i, x := range xs {
			sin[i] = math.Sin(x)
		}
		fit, err := approx.RandomFeatures(nn.Tanh, 8, -1, 1, xs, sin, 3)
		if err != nil {
			t.Error(err)
			return nil
		}
		add(fit.Net.Params()...)
		return out
	}
	want := run()
	const workers = 8
	got := make([][]uint64, workers)
	var wg sync.WaitGroup
	for g := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[g] = run()
		}()
	}
	wg.Wait()
	for g := range workers {
		if !slices.Equal(got[g], want) {
			t.Errorf("goroutine %d: results differ from the serial run", g)
		}
	}
}
