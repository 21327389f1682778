package bench

import (
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/reluproof/reluproof/nn"
)

// Shape is a benchmark network: layer sizes, batch size and hidden
// activation. The output activation is the identity and the loss MSE.
type Shape struct {
	Name   string
	Sizes  []int // {in, h1, …, out}
	Batch  int
	Hidden nn.Activation
}

// Shapes are the benchmark shapes, float64 throughout:
//
//	S  1-64-64-1     batch 256, relu
//	M  32-128-128-1  batch 64,  relu
//	L  784-256-256-10 batch 128, relu
//	T  8-16-16-1     batch 4,   tanh (465 parameters)
func Shapes() []Shape {
	return []Shape{
		{Name: "S", Sizes: []int{1, 64, 64, 1}, Batch: 256, Hidden: nn.ReLU},
		{Name: "M", Sizes: []int{32, 128, 128, 1}, Batch: 64, Hidden: nn.ReLU},
		{Name: "L", Sizes: []int{784, 256, 256, 10}, Batch: 128, Hidden: nn.ReLU},
		{Name: "T", Sizes: []int{8, 16, 16, 1}, Batch: 4, Hidden: nn.Tanh},
	}
}

// ShapeByName returns the shape called name, or an error.
func ShapeByName(name string) (Shape, error) {
	for _, s := range Shapes() {
		if s.Name == name {
			return s, nil
		}
	}
	return Shape{}, fmt.Errorf("bench: no shape %q", name)
}

// ForwardFLOPs is the floating-point operation count of one forward pass
// counting the matrix products only: 2·batch·Σ in_l·out_l.
func (s Shape) ForwardFLOPs() float64 {
	var sum int
	for l := 0; l+1 < len(s.Sizes); l++ {
		sum += s.Sizes[l] * s.Sizes[l+1]
	}
	return 2 * float64(s.Batch) * float64(sum)
}

// GradientFLOPs is the nominal count of a forward and backward pass, three
// times ForwardFLOPs (the first layer's input gradient, which a gradient
// with respect to the parameters does not need, is counted too, so the
// figure is comparable with other reports).
func (s Shape) GradientFLOPs() float64 { return 3 * s.ForwardFLOPs() }

// Setup returns the shape's network (seed 1) and a batch of inputs and
// targets drawn from the standard normal distribution with the given seed.
func (s Shape) Setup(seed uint64) (*nn.Network, *mat.Dense, *mat.Dense, error) {
	net, err := nn.New(s.Sizes, s.Hidden, nn.Identity, 1)
	if err != nil {
		return nil, nil, nil, err
	}
	rng := rand.New(rand.NewPCG(seed, 0x62656e6368)) // "bench"
	x := mat.NewDense(s.Batch, s.Sizes[0], nil)
	t := mat.NewDense(s.Batch, s.Sizes[len(s.Sizes)-1], nil)
	for _, m := range []*mat.Dense{x, t} {
		raw := m.RawMatrix()
		for i := range raw.Data {
			raw.Data[i] = rng.NormFloat64()
		}
	}
	return net, x, t, nil
}
