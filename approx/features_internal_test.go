package approx

import (
	"math"
	"testing"

	"github.com/reluproof/reluproof/nn"
)

// Fits are deterministic for a seed.
func TestFeatureFitDeterministic(t *testing.T) {
	xs, _ := Grid(-1, 1, 64)
	ys := make([]float64, len(xs))
	for i, x := range xs {
		ys[i] = math.Sin(3 * x)
	}
	a, err := RandomFeatures(nn.ReLU, 16, -1, 1, xs, ys, 7)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := RandomFeatures(nn.ReLU, 16, -1, 1, xs, ys, 7)
	pa, pb := a.Net.Params(), b.Net.Params()
	for i := range pa {
		if pa[i] != pb[i] {
			t.Fatalf("param %d differs: %v vs %v", i, pa[i], pb[i])
		}
	}
}
