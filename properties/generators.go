package properties

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
	"pgregory.net/rapid"

	"github.com/reluproof/reluproof/nn"
)

// The generators below always produce valid cases: every size, activation
// and value is drawn from a range that is valid by construction, so no
// Filter is needed. Structure (depth, widths, activations, batch, loss) and
// the magnitudes of inputs and targets are drawn with rapid, so rapid can
// shrink them; weights and directions are filled from a drawn PCG seed, so
// that they are generic real numbers (rapid's float draws favour simple
// values such as 0, 1 and 0.5, which would put pre-activations exactly on a
// kink far more often than real data does).
//
// Outside tests, a generator's Example(seed) gives one case per seed; the
// claims' Run functions and the reluproof command use it that way.

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

// NetSpec describes the networks NetworkGen and CaseGen draw. Zero fields
// take the defaults given.
type NetSpec struct {
	MinDepth, MaxDepth int             // weight layers; default 1 and 4
	MaxWidth           int             // every layer size in [1, MaxWidth]; default 16
	Hidden, Output     []nn.Activation // activation choices; default Activations()
	BiasFree           bool            // all biases zero (claim S1)
	MaxBatch           int             // CaseGen batch size in [1, MaxBatch]; default 8
	Losses             []nn.Loss       // CaseGen loss choices; default MSE and BCEWithLogits
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
func NetworkGen(spec NetSpec) *rapid.Generator[*nn.Network] {
	spec = spec.withDefaults()
	return rapid.Custom(func(t *rapid.T) *nn.Network {
		hidden := rapid.SampledFrom(spec.Hidden).Draw(t, "hidden")
		output := rapid.SampledFrom(spec.Output).Draw(t, "output")
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
		depth := rapid.IntRange(spec.MinDepth, maxDepth).Draw(t, "depth")
		sizes := make([]int, depth+1)
		for i := range sizes {
			sizes[i] = rapid.IntRange(1, spec.MaxWidth).Draw(t, fmt.Sprintf("size%d", i))
		}
		scale := rapid.Float64Range(0.5, 1.5).Draw(t, "weightScale")
		seed := rapid.Uint64().Draw(t, "weightSeed")
		net, err := nn.New(sizes, hidden, output, seed)
		if err != nil {
			panic(fmt.Sprintf("properties: NetworkGen drew an invalid network: %v", err))
		}
		p := net.Params()
		rng := rand.New(rand.NewPCG(seed, 0x62696173)) // "bias"
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
			panic(fmt.Sprintf("properties: NetworkGen drew invalid parameters: %v", err))
		}
		return net
	})
}

// drawSigned draws sign × a value in [lo, hi].
func drawSigned(t *rapid.T, label string, lo, hi float64) float64 {
	v := rapid.Float64Range(lo, hi).Draw(t, label)
	if rapid.Bool().Draw(t, label+"Sign") {
		return -v
	}
	return v
}

// InputGen draws a batch×in matrix of inputs, each sign × a magnitude in
// [1/64, 2].
func InputGen(batch, in int) *rapid.Generator[*mat.Dense] {
	return rapid.Custom(func(t *rapid.T) *mat.Dense {
		d := make([]float64, batch*in)
		for i := range d {
			d[i] = drawSigned(t, "x", 1.0/64, 2)
		}
		return mat.NewDense(batch, in, d)
	})
}

// TargetGen draws a batch×out matrix of targets for loss: for
// BCEWithLogits labels in [0, 1], exactly 0 or 1 two times in three; for
// any other loss sign × a magnitude in [0, 1.5].
func TargetGen(loss nn.Loss, batch, out int) *rapid.Generator[*mat.Dense] {
	return rapid.Custom(func(t *rapid.T) *mat.Dense {
		d := make([]float64, batch*out)
		for i := range d {
			if loss == nn.BCEWithLogits {
				switch rapid.IntRange(0, 2).Draw(t, "labelKind") {
				case 0:
					d[i] = 0
				case 1:
					d[i] = 1
				default:
					d[i] = rapid.Float64Range(0, 1).Draw(t, "label")
				}
				continue
			}
			d[i] = drawSigned(t, "target", 0, 1.5)
		}
		return mat.NewDense(batch, out, d)
	})
}

// DirectionGen draws unit vectors of length n, uniform on the sphere (a
// normal vector from a drawn PCG seed, normalised). It panics if n < 1.
func DirectionGen(n int) *rapid.Generator[[]float64] {
	if n < 1 {
		panic("properties: DirectionGen needs n ≥ 1")
	}
	return rapid.Custom(func(t *rapid.T) []float64 {
		return unitDirection(rapid.Uint64().Draw(t, "directionSeed"), n)
	})
}

// unitDirection returns a uniformly random unit vector of length n from
// seed. A zero normal vector has probability zero; it is redrawn.
func unitDirection(seed uint64, n int) []float64 {
	rng := rand.New(rand.NewPCG(seed, 0x646972)) // "dir"
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
	return fmt.Sprintf("%s network, %s loss, batch %d", describeNet(c.Net), c.Loss.Name(), r)
}

// CaseGen draws a network with NetworkGen, a batch size, a loss, inputs
// with InputGen and targets with TargetGen.
func CaseGen(spec NetSpec) *rapid.Generator[NetCase] {
	spec = spec.withDefaults()
	nets := NetworkGen(spec)
	return rapid.Custom(func(t *rapid.T) NetCase {
		net := nets.Draw(t, "net")
		sizes := net.Sizes()
		batch := rapid.IntRange(1, spec.MaxBatch).Draw(t, "batch")
		loss := rapid.SampledFrom(spec.Losses).Draw(t, "loss")
		x := InputGen(batch, sizes[0]).Draw(t, "x")
		y := TargetGen(loss, batch, sizes[len(sizes)-1]).Draw(t, "t")
		return NetCase{Net: net, X: x, T: y, Loss: loss}
	})
}

// caseSeeds returns n seeds for Generator.Example, drawn from cfg.Seed and a
// tag that separates the claims, so that each claim sees its own cases and
// the same Config gives the same cases.
func caseSeeds(cfg Config, tag uint64, n int) []int {
	rng := rand.New(rand.NewPCG(cfg.Seed, tag))
	s := make([]int, n)
	for i := range s {
		s[i] = int(rng.Int64())
	}
	return s
}

// caseCount returns cfg.Cases, or def (quick when cfg.Quick) when it is 0.
func caseCount(cfg Config, def, quick int) int {
	switch {
	case cfg.Cases > 0:
		return cfg.Cases
	case cfg.Quick:
		return quick
	}
	return def
}

// tellProgress tells cfg.Progress, if set, that done of total cases are done.
func tellProgress(cfg Config, done, total int) {
	if cfg.Progress != nil {
		cfg.Progress(done, total)
	}
}
