package bench

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/reluproof/reluproof/nn"
	"github.com/reluproof/reluproof/properties"
)

// paramsAndInputs returns the MSE loss of net on the batch x against t as a
// properties.Function of v = (θ, x): the 433 parameters of shape T followed
// by its 4×8 inputs, 465 coordinates, the set torch.autograd.gradcheck
// checks in bench/torch_compare.py. Its claimed gradient is nn's: the
// parameter part from GradientInto, the input part assembled from
// InputJacobian as ∂L/∂x_b = (y_b − t_b)ᵀ·J_b / batch.
func paramsAndInputs(net *nn.Network, x, t *mat.Dense) properties.Function {
	c := net.Clone()
	np := c.NumParams()
	batch, in := x.Dims()
	out := c.Sizes()[len(c.Sizes())-1]
	xb := mat.NewDense(batch, in, nil)
	set := func(v []float64) bool {
		copy(xb.RawMatrix().Data, v[np:])
		return c.SetParams(v[:np]) == nil
	}
	return properties.Function{
		F: func(v []float64) float64 {
			if !set(v) {
				return math.NaN()
			}
			l, err := c.Loss(xb, t, nn.MSE)
			if err != nil {
				return math.NaN()
			}
			return l
		},
		Grad: func(dst, v []float64) {
			for i := range dst {
				dst[i] = math.NaN()
			}
			if !set(v) {
				return
			}
			if _, err := c.GradientInto(dst[:np], xb, t, nn.MSE); err != nil {
				return
			}
			y, err := c.Forward(xb)
			if err != nil {
				return
			}
			for b := 0; b < batch; b++ {
				j, err := c.InputJacobian(xb.RawRowView(b))
				if err != nil {
					return
				}
				g := dst[np+b*in : np+(b+1)*in]
				clear(g)
				for o := 0; o < out; o++ {
					r := (y.At(b, o) - t.At(b, o)) / float64(batch)
					for k := range g {
						g[k] += r * j.At(o, k)
					}
				}
			}
		},
		What: "∂L/∂(θ, x) of shape T",
	}
}

// checkSetup returns shape T's network, its loss as a function of the 465
// parameters and inputs, the point (θ, x) and a unit-normal direction, all
// seeded.
func checkSetup(b *testing.B) (*nn.Network, properties.Function, []float64, []float64) {
	s, err := ShapeByName("T")
	if err != nil {
		b.Fatal(err)
	}
	net, x, t, err := s.Setup(2)
	if err != nil {
		b.Fatal(err)
	}
	v := append(net.Params(), x.RawMatrix().Data...)
	if len(v) != 465 {
		b.Fatalf("shape T has %d parameters and inputs, want 465", len(v))
	}
	rng := rand.New(rand.NewPCG(3, 4))
	u := make([]float64, len(v))
	for i := range u {
		u[i] = rng.NormFloat64()
	}
	return net, paramsAndInputs(net, x, t), v, u
}

// BenchmarkGradCheck times full gradient checks (claim G1) on shape T.
// T: properties.GradCheck on the loss as a function of the 433 parameters
// and the 4×8 inputs, 465 coordinates (930 loss evaluations), the same set
// as torch.autograd.gradcheck(fast_mode=False) in bench/torch_compare.py.
// T-params: properties.GradCheckNetwork on the 433 parameters, including
// the construction of the checked Function.
func BenchmarkGradCheck(b *testing.B) {
	b.Run("T", func(b *testing.B) {
		_, fn, v, _ := checkSetup(b)
		b.ReportAllocs()
		timeLoop(b, func() {
			r, err := properties.GradCheck(fn, v, nil)
			if err != nil {
				b.Fatal(err)
			}
			if !r.Pass || r.Checked != len(v) {
				b.Fatalf("check did not pass on all %d coordinates: %v", len(v), r)
			}
		})
	})
	b.Run("T-params", func(b *testing.B) {
		s, _ := ShapeByName("T")
		net, x, t, err := s.Setup(2)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		timeLoop(b, func() {
			r, err := properties.GradCheckNetwork(net, x, t, nn.MSE, nil)
			if err != nil {
				b.Fatal(err)
			}
			if !r.Pass || r.Checked != net.NumParams() {
				b.Fatalf("check did not pass on all %d parameters: %v", net.NumParams(), r)
			}
		})
	})
}

// BenchmarkDirectional times the directional check (claim G2) of shape T,
// on the 465 parameters and inputs, along one random direction: two loss
// evaluations and one gradient. torch's gradcheck(fast_mode=True) is its
// counterpart.
func BenchmarkDirectional(b *testing.B) {
	b.Run("T", func(b *testing.B) {
		_, fn, v, u := checkSetup(b)
		b.ReportAllocs()
		timeLoop(b, func() {
			r, err := properties.DirectionalCheck(fn, v, u, nil)
			if err != nil {
				b.Fatal(err)
			}
			if !r.Pass {
				b.Fatal(r)
			}
		})
	})
}

// BenchmarkTaylor times the Taylor-remainder check (claim G3) of shape T,
// on the 465 parameters and inputs, along one random direction.
func BenchmarkTaylor(b *testing.B) {
	b.Run("T", func(b *testing.B) {
		_, fn, v, u := checkSetup(b)
		b.ReportAllocs()
		timeLoop(b, func() {
			r, err := properties.TaylorCheck(fn, v, u, nil)
			if err != nil {
				b.Fatal(err)
			}
			if !r.Pass {
				b.Fatal(r)
			}
		})
	})
}
