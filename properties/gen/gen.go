package gen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/reluproof/reluproof/nn"
)

// Activations returns every activation the generators draw from: relu,
// leaky relu with slopes 0.01 and 0.2, sigmoid, tanh, softplus, softplus
// with β = 3, identity and square.
func Activations() []nn.Activation {
	leaky2, _ := nn.LeakyReLU(0.2)
	sp3, _ := nn.SoftplusBeta(3)
	leaky, _ := nn.ActivationByName("leaky_relu")
	return []nn.Activation{nn.ReLU, leaky, leaky2, nn.Sigmoid, nn.Tanh, nn.Softplus, sp3, nn.Identity, nn.Square}
}

// SmoothActivations returns the activations of Activations without kinks.
func SmoothActivations() []nn.Activation {
	var out []nn.Activation
	for _, a := range Activations() {
		if len(a.Kinks()) == 0 {
			out = append(out, a)
		}
	}
	return out
}

// KinkedActivations returns the piecewise-linear activations of
// Activations that have a kink (relu and the leaky relus).
func KinkedActivations() []nn.Activation {
	var out []nn.Activation
	for _, a := range Activations() {
		if len(a.Kinks()) > 0 {
			out = append(out, a)
		}
	}
	return out
}

// NetSpec describes the networks Network and Case draw. Zero fields
// take the defaults given.
type NetSpec struct {
	MinDepth, MaxDepth int             // weight layers; default 1 and 4
	MaxWidth           int             // every layer size in [1, MaxWidth]; default 16
	Hidden, Output     []nn.Activation // activation choices; default Activations()
	BiasFree           bool            // all biases zero (claim S1)
	MaxBatch           int             // Case's batch size in [1, MaxBatch]; default 8
	Losses             []nn.Loss       // Case's loss choices; default MSE and BCEWithLogits
}

func (s NetSpec) withDefaults() NetSpec {
	if s.MinDepth < 1 {
		s.MinDepth = 1
	}
	if s.MaxDepth < s.MinDepth {
		s.MaxDepth = max(4, s.MinDepth)
	}
	if s.MaxWidth < 1 {
		s.MaxWidth = 16
	}
	if len(s.Hidden) == 0 {
		s.Hidden = Activations()
	}
	if len(s.Output) == 0 {
		s.Output = Activations()
	}
	if s.MaxBatch < 1 {
		s.MaxBatch = 8
	}
	if len(s.Losses) == 0 {
		s.Losses = []nn.Loss{nn.MSE, nn.BCEWithLogits}
	}
	return s
}

// NetworkGen draws networks: depth (weight layers) and every layer size
// from the spec's ranges (at most two weight layers when an activation is
// square), a hidden and an output activation from its
// choices, weights from nn.New's He/Glorot initialisation scaled by a drawn
// factor in [0.5, 1.5], and biases normal with standard deviation 0.5
// (zero if BiasFree).
func Network(spec NetSpec) Gen[*nn.Network] {
	spec = spec.withDefaults()
	return func(t Source) *nn.Network {
		hidden := Pick(t, spec.Hidden, "hidden")
		output := Pick(t, spec.Output, "output")
		maxDepth := spec.MaxDepth
		if hidden == nn.Square || output == nn.Square {
			// A square layer squares the scale of everything below it: at
			// depth 3–4 outputs reach 1e3 and losses 1e6–1e7 while single
			// gradient entries stay near 1e-2, so the rounding of any float64
			// central difference, about ε·|L|/h ≈ 1e-4–1e-3, exceeds a
			// relative tolerance of 1e-6 on those entries. That limits
			// finite differences, not the gradient, so networks with a
			// square layer are drawn at most two layers deep, where |L|
			// stays within about 1e3 of the gradient's scale.
			maxDepth = max(spec.MinDepth, min(maxDepth, 2))
		}
		depth := t.IntRange(spec.MinDepth, maxDepth, "depth")
		sizes := make([]int, depth+1)
		for i := range sizes {
			sizes[i] = t.IntRange(1, spec.MaxWidth, fmt.Sprintf("size%d", i))
		}
		scale := t.Float64Range(0.5, 1.5, "weightScale")
		seed := t.Uint64("weightSeed")
		net, err := nn.New(sizes, hidden, output, seed)
		if err != nil {
			panic(fmt.Sprintf("gen: Network drew an invalid network: %v", err))
		}
		p := net.Params()
		rng := rand.New(rand.NewPCG(seed, Tag("bias")))
		for k := range p {
			if _, _, _, bias := net.ParamIndex(k); bias {
				p[k] = 0
				if !spec.BiasFree {
					p[k] = 0.5 * rng.NormFloat64()
				}
			} else {
				p[k] *= scale
			}
		}
		if err := net.SetParams(p); err != nil {
			panic(fmt.Sprintf("gen: Network drew invalid parameters: %v", err))
		}
		return net
	}
}

// Input draws a batch×in matrix of inputs, each sign × a magnitude in
// [1/64, 2].
func Input(batch, in int) Gen[*mat.Dense] {
	return func(t Source) *mat.Dense {
		d := make([]float64, batch*in)
		for i := range d {
			d[i] = Signed(t, 1.0/64, 2, "x")
		}
		return mat.NewDense(batch, in, d)
	}
}

// Target draws a batch×out matrix of targets for loss: for
// BCEWithLogits labels in [0, 1], exactly 0 or 1 two times in three; for
// any other loss sign × a magnitude in [0, 1.5].
func Target(loss nn.Loss, batch, out int) Gen[*mat.Dense] {
	return func(t Source) *mat.Dense {
		d := make([]float64, batch*out)
		for i := range d {
			if loss == nn.BCEWithLogits {
				switch t.IntRange(0, 2, "labelKind") {
				case 0:
					d[i] = 0
				case 1:
					d[i] = 1
				default:
					d[i] = t.Float64Range(0, 1, "label")
				}
				continue
			}
			d[i] = Signed(t, 0, 1.5, "target")
		}
		return mat.NewDense(batch, out, d)
	}
}

// Direction draws unit vectors of length n, uniform on the sphere (a
// normal vector from a drawn PCG seed, normalised). It panics if n < 1.
func Direction(n int) Gen[[]float64] {
	if n < 1 {
		panic("gen: Direction needs n ≥ 1")
	}
	return func(t Source) []float64 { return UnitVector(t.Uint64("directionSeed"), n) }
}

// UnitVector returns a uniformly random unit vector of length n from seed
// (n ≥ 1). A zero normal vector has probability zero; it is redrawn.
func UnitVector(seed uint64, n int) []float64 {
	rng := rand.New(rand.NewPCG(seed, Tag("dir")))
	u := make([]float64, n)
	for {
		var ss float64
		for i := range u {
			u[i] = rng.NormFloat64()
			ss += u[i] * u[i]
		}
		if ss > 0 {
			norm := math.Sqrt(ss)
			for i := range u {
				u[i] /= norm
			}
			return u
		}
	}
}

// NetCase is one drawn network problem: a network, a batch of inputs,
// targets and the loss.
type NetCase struct {
	Net  *nn.Network
	X, T *mat.Dense
	Loss nn.Loss
}

// String describes the case as "3-8-1 relu/identity network, mse loss,
// batch 4".
func (c NetCase) String() string {
	r, _ := c.X.Dims()
	return fmt.Sprintf("%s network, %s loss, batch %d", Describe(c.Net), c.Loss.Name(), r)
}

// Case draws a network with Network, a batch size, a loss, inputs with
// Input and targets with Target.
func Case(spec NetSpec) Gen[NetCase] {
	spec = spec.withDefaults()
	nets := Network(spec)
	return func(t Source) NetCase {
		net := nets(t)
		sizes := net.Sizes()
		batch := t.IntRange(1, spec.MaxBatch, "batch")
		loss := Pick(t, spec.Losses, "loss")
		x := Input(batch, sizes[0])(t)
		y := Target(loss, batch, sizes[len(sizes)-1])(t)
		return NetCase{Net: net, X: x, T: y, Loss: loss}
	}
}

// Describe formats a network as "3-8-1 relu/identity".
func Describe(net *nn.Network) string {
	parts := make([]string, 0, len(net.Sizes()))
	for _, n := range net.Sizes() {
		parts = append(parts, fmt.Sprint(n))
	}
	d := strings.Join(parts, "-") + " "
	if h := net.Hidden(); h != nil {
		d += h.Name() + "/"
	}
	return d + net.Output().Name()
}
