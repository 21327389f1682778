package nn_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/reluproof/reluproof/nn"
)

// readerResults is everything the read-only methods return for one batch.
type readerResults struct {
	forward, pre, grad, gradInto, jac, params []float64
	loss, gradLoss                            float64
}

// readAll calls every read-only method of net on x and t once.
func readAll(net *nn.Network, x, t *mat.Dense) (readerResults, error) {
	var r readerResults
	y, err := net.Forward(x)
	if err != nil {
		return r, err
	}
	r.forward = y.RawMatrix().Data
	zs, err := net.PreActivations(x)
	if err != nil {
		return r, err
	}
	for _, z := range zs {
		r.pre = append(r.pre, z.RawMatrix().Data...)
	}
	if r.loss, err = net.Loss(x, t, nn.MSE); err != nil {
		return r, err
	}
	if r.gradLoss, r.grad, err = net.Gradient(x, t, nn.BCEWithLogits); err != nil {
		return r, err
	}
	r.gradInto = make([]float64, net.NumParams())
	if _, err = net.GradientInto(r.gradInto, x, t, nn.MSE); err != nil {
		return r, err
	}
	j, err := net.InputJacobian(x.RawRowView(0))
	if err != nil {
		return r, err
	}
	r.jac = j.RawMatrix().Data
	r.params = net.Clone().Params()
	return r, nil
}

func (r readerResults) equal(s readerResults) bool {
	return slices.Equal(r.forward, s.forward) && slices.Equal(r.pre, s.pre) && slices.Equal(r.grad, s.grad) &&
		slices.Equal(r.gradInto, s.gradInto) && slices.Equal(r.jac, s.jac) && slices.Equal(r.params, s.params) &&
		r.loss == s.loss && r.gradLoss == s.gradLoss
}

// TestConcurrentReaders: the read-only methods of one Network (Forward,
// PreActivations, Loss, Gradient, GradientInto, InputJacobian, Clone,
// Params) called from eight goroutines at once give the serial results bit
// for bit: every call computes in a workspace of its own, by the same
// operations in the same order. The layers are wider than gonum's
// 64-element blocks, so the forward pass uses the transposed-weight
// scratch; the goroutines share three batch sizes, so calls with the same
// size compete for the same cached workspace. Run under -race, a shared
// buffer is also reported as a data race.
func TestConcurrentReaders(t *testing.T) {
	net, err := nn.New([]int{70, 130, 65, 3}, nn.Tanh, nn.Identity, 11)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(11, 12))
	sizes := []int{1, 7, 90}
	xs, ts := make([]*mat.Dense, len(sizes)), make([]*mat.Dense, len(sizes))
	serial := make([]readerResults, len(sizes))
	for i, b := range sizes {
		xs[i], ts[i] = mat.NewDense(b, 70, nil), mat.NewDense(b, 3, nil)
		for r := 0; r < b; r++ {
			for c := 0; c < 70; c++ {
				xs[i].Set(r, c, rng.NormFloat64())
			}
			for c := 0; c < 3; c++ {
				ts[i].Set(r, c, rng.Float64())
			}
		}
		if serial[i], err = readAll(net, xs[i], ts[i]); err != nil {
			t.Fatal(err)
		}
	}
	const goroutines, rounds = 8, 5
	problems := make(chan string, goroutines*rounds*len(sizes))
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for r := range rounds {
				for k := range sizes {
					i := (g + r + k) % len(sizes) // each goroutine in its own order
					got, err := readAll(net, xs[i], ts[i])
					switch {
					case err != nil:
						problems <- fmt.Sprintf("goroutine %d, batch %d: %v", g, sizes[i], err)
					case !got.equal(serial[i]):
						problems <- fmt.Sprintf("goroutine %d, batch %d: results differ from the serial calls", g, sizes[i])
					}
				}
			}
		})
	}
	wg.Wait()
	close(problems)
	for p := range problems {
		t.Error(p)
	}
	if got, err := readAll(net, xs[2], ts[2]); err != nil || !got.equal(serial[2]) {
		t.Errorf("after the concurrent calls: %v, or results differ from the serial calls", err)
	}
}
