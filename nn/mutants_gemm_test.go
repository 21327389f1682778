package nn_test

// The allocation contract of the blocked products, found wanting by
// mutation testing (MUTATION.md): the small network of
// TestGradientIntoAllocatesNothing only takes the plain-loop path.

import (
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/reluproof/reluproof/nn"
)

// TestGradientIntoAllocatesNothingBlocked: with layers and a batch wider
// than gonum's 64-element blocks (every product of the forward and
// backward pass then runs in the serial panels, not in the plain loops),
// GradientInto still allocates nothing once its workspace exists. gonum's
// Dgemm called whole on such sizes fans out to goroutines and allocates.
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
