package bench

import (
	"math/rand/v2"
	"testing"

	"github.com/reluproof/reluproof/nn"
	"github.com/reluproof/reluproof/properties"
)

// checkSetup returns shape T's network (465 parameters, tanh, batch 4), its
// loss as a properties.Function, its parameters and a unit-normal
// direction, all seeded.
func checkSetup(b *testing.B) (*nn.Network, properties.Function, []float64, []float64) {
	s, err := ShapeByName("T")
	if err != nil {
		b.Fatal(err)
	}
	net, x, t, err := s.Setup(2)
	if err != nil {
		b.Fatal(err)
	}
	fn, err := properties.NetworkLoss(net, x, t, nn.MSE)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	u := make([]float64, net.NumParams())
	for i := range u {
		u[i] = rng.NormFloat64()
	}
	return net, fn, net.Params(), u
}

// BenchmarkGradCheck times the full gradient check (claim G1) of shape T:
// central differences on all 465 parameters (930 loss evaluations) against
// the back-propagated gradient, as properties.GradCheckNetwork runs it,
// including the construction of the checked Function. torch's
// gradcheck(fast_mode=False) is its counterpart in bench/torch_compare.py.
func BenchmarkGradCheck(b *testing.B) {
	b.Run("T", func(b *testing.B) {
		s, _ := ShapeByName("T")
		net, x, t, err := s.Setup(2)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			r, err := properties.GradCheckNetwork(net, x, t, nn.MSE, nil)
			if err != nil {
				b.Fatal(err)
			}
			if !r.Pass || r.Checked != net.NumParams() {
				b.Fatalf("check did not pass on all %d parameters: %v", net.NumParams(), r)
			}
		}
	})
}

// BenchmarkDirectional times the directional check (claim G2) of shape T
// along one random direction: two loss evaluations and one gradient.
// torch's gradcheck(fast_mode=True) is its counterpart.
func BenchmarkDirectional(b *testing.B) {
	b.Run("T", func(b *testing.B) {
		_, fn, theta, u := checkSetup(b)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			r, err := properties.DirectionalCheck(fn, theta, u, nil)
			if err != nil {
				b.Fatal(err)
			}
			if !r.Pass {
				b.Fatal(r)
			}
		}
	})
}

// BenchmarkTaylor times the Taylor-remainder check (claim G3) of shape T
// along one random direction.
func BenchmarkTaylor(b *testing.B) {
	b.Run("T", func(b *testing.B) {
		_, fn, theta, u := checkSetup(b)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			r, err := properties.TaylorCheck(fn, theta, u, nil)
			if err != nil {
				b.Fatal(err)
			}
			if !r.Pass {
				b.Fatal(r)
			}
		}
	})
}
