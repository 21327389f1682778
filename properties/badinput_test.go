package properties

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gonum.org/v1/gonum/mat"
	"pgregory.net/rapid"

	"github.com/reluproof/reluproof/nn"
)

// badCall is one call of the public API with invalid or extreme arguments,
// fully drawn before it runs. want is the sentinel the error must wrap; a
// nil want marks an extreme but valid call, which must either succeed with
// finite results or fail with a documented error.
type badCall struct {
	name string
	want error
	call func() (results []float64, err error)
}

// documented lists every sentinel the public API promises to wrap.
var documented = []error{nn.ErrConfig, nn.ErrShape, nn.ErrNonFinite}

// nonFiniteGen draws NaN, +Inf or −Inf.
var nonFiniteGen = rapid.SampledFrom([]float64{math.NaN(), math.Inf(1), math.Inf(-1)})

// badInputNet draws a small valid network and the sizes it was built with.
func badInputNet(t *rapid.T) (*nn.Network, []int) {
	depth := rapid.IntRange(1, 3).Draw(t, "depth")
	sizes := make([]int, depth+1)
	for i := range sizes {
		sizes[i] = rapid.IntRange(1, 5).Draw(t, fmt.Sprintf("size%d", i))
	}
	names := nn.ActivationNames()
	hidden, _ := nn.ActivationByName(rapid.SampledFrom(names).Draw(t, "hidden"))
	output, _ := nn.ActivationByName(rapid.SampledFrom(names).Draw(t, "output"))
	net, err := nn.New(sizes, hidden, output, rapid.Uint64().Draw(t, "seed"))
	if err != nil {
		t.Fatalf("valid network rejected: %v", err)
	}
	return net, sizes
}

// denseGen draws an r×c matrix of moderate finite values.
func denseGen(t *rapid.T, label string, r, c int) *mat.Dense {
	d := rapid.SliceOfN(rapid.Float64Range(-3, 3), r*c, r*c).Draw(t, label)
	return mat.NewDense(r, c, d)
}

// poison sets one drawn entry of m to a drawn non-finite value.
func poison(t *rapid.T, label string, m *mat.Dense) {
	r, c := m.Dims()
	i := rapid.IntRange(0, r-1).Draw(t, label+"Row")
	j := rapid.IntRange(0, c-1).Draw(t, label+"Col")
	m.Set(i, j, nonFiniteGen.Draw(t, label+"Value"))
}

// otherThan draws a size in [1, 6] different from n.
func otherThan(t *rapid.T, label string, n int) int {
	v := rapid.IntRange(1, 5).Draw(t, label)
	if v >= n {
		v++
	}
	return v
}

func drawNNBadCall(t *rapid.T, net *nn.Network, sizes []int) badCall {
	in, out := sizes[0], sizes[len(sizes)-1]
	batch := rapid.IntRange(1, 4).Draw(t, "batch")
	x, y := denseGen(t, "x", batch, in), denseGen(t, "t", batch, out)
	loss := rapid.SampledFrom([]nn.Loss{nn.MSE, nn.BCEWithLogits}).Draw(t, "loss")
	grad := func(x, y *mat.Dense, loss nn.Loss) func() ([]float64, error) {
		return func() ([]float64, error) {
			v, g, err := net.Gradient(x, y, loss)
			return append(g, v), err
		}
	}
	forward := func(x *mat.Dense) func() ([]float64, error) {
		return func() ([]float64, error) {
			y, err := net.Forward(x)
			if err != nil {
				return nil, err
			}
			return y.RawMatrix().Data, nil
		}
	}
	switch kind := rapid.IntRange(0, 17).Draw(t, "kind"); kind {
	case 0:
		bad := rapid.SliceOfN(rapid.IntRange(-3, 4), 0, 4).Draw(t, "sizes")
		if len(bad) >= 2 {
			bad[rapid.IntRange(0, len(bad)-1).Draw(t, "at")] = rapid.IntRange(-3, 0).Draw(t, "bad")
		}
		return badCall{"New with sizes " + fmt.Sprint(bad), nn.ErrConfig, func() ([]float64, error) {
			_, err := nn.New(bad, nn.ReLU, nn.Identity, 1)
			return nil, err
		}}
	case 1:
		nilHidden := rapid.Bool().Draw(t, "nilHidden")
		return badCall{"New with a nil activation", nn.ErrConfig, func() ([]float64, error) {
			h, o := nn.Activation(nn.ReLU), nn.Activation(nil)
			if nilHidden {
				h, o = nil, nn.Identity
			}
			_, err := nn.New([]int{2, 3, 1}, h, o, 1)
			return nil, err
		}}
	case 2:
		name := rapid.StringMatching(`[a-z_]{0,12}`).Draw(t, "name")
		for _, ok := range nn.ActivationNames() {
			if name == ok {
				name += "x"
			}
		}
		return badCall{"ActivationByName(" + name + ")", nn.ErrConfig, func() ([]float64, error) {
			_, err := nn.ActivationByName(name)
			return nil, err
		}}
	case 3:
		alpha := rapid.OneOf(nonFiniteGen, rapid.Float64Range(-1e3, -1e-300), rapid.Float64Range(1, 1e300)).Draw(t, "alpha")
		return badCall{fmt.Sprintf("LeakyReLU(%v)", alpha), nn.ErrConfig, func() ([]float64, error) {
			_, err := nn.LeakyReLU(alpha)
			return nil, err
		}}
	case 4:
		beta := rapid.OneOf(nonFiniteGen, rapid.Float64Range(-1e3, 0)).Draw(t, "beta")
		return badCall{fmt.Sprintf("SoftplusBeta(%v)", beta), nn.ErrConfig, func() ([]float64, error) {
			_, err := nn.SoftplusBeta(beta)
			return nil, err
		}}
	case 5:
		return badCall{"Forward(nil)", nn.ErrShape, forward(nil)}
	case 6:
		return badCall{"Forward with wrong columns", nn.ErrShape, forward(denseGen(t, "xw", batch, otherThan(t, "cols", in)))}
	case 7:
		poison(t, "x", x)
		return badCall{"Forward with a non-finite input", nn.ErrNonFinite, forward(x)}
	case 8:
		poison(t, "t", y)
		return badCall{"Gradient with a non-finite target", nn.ErrNonFinite, grad(x, y, loss)}
	case 9:
		yb := denseGen(t, "tb", otherThan(t, "rows", batch), out)
		return badCall{"Gradient with mismatched rows", nn.ErrShape, grad(x, yb, loss)}
	case 10:
		yb := denseGen(t, "tc", batch, otherThan(t, "tcols", out))
		return badCall{"Gradient with wrong target columns", nn.ErrShape, grad(x, yb, loss)}
	case 11:
		return badCall{"Gradient with a nil loss", nn.ErrConfig, grad(x, y, nil)}
	case 12:
		n := otherThan(t, "glen", net.NumParams()+1) - 1
		return badCall{"GradientInto with a short slice", nn.ErrShape, func() ([]float64, error) {
			g := make([]float64, n)
			_, err := net.GradientInto(g, x, y, loss)
			return nil, err
		}}
	case 13:
		p := net.Params()
		if rapid.Bool().Draw(t, "wrongLength") {
			p = append(p, rapid.SliceOfN(rapid.Float64Range(-1, 1), 1, 3).Draw(t, "extra")...)
			return badCall{"SetParams with the wrong length", nn.ErrShape, func() ([]float64, error) { return nil, net.SetParams(p) }}
		}
		p[rapid.IntRange(0, len(p)-1).Draw(t, "at")] = nonFiniteGen.Draw(t, "v")
		return badCall{"SetParams with a non-finite entry", nn.ErrNonFinite, func() ([]float64, error) { return nil, net.SetParams(p) }}
	case 14:
		v := rapid.SliceOfN(rapid.Float64Range(-3, 3), in, in).Draw(t, "sample")
		want := nn.ErrNonFinite
		if rapid.Bool().Draw(t, "wrongLen") {
			v = append(v, 1)
			want = nn.ErrShape
		} else {
			v[rapid.IntRange(0, in-1).Draw(t, "at")] = nonFiniteGen.Draw(t, "v")
		}
		return badCall{"InputJacobian with a bad sample", want, func() ([]float64, error) {
			j, err := net.InputJacobian(v)
			if err != nil {
				return nil, err
			}
			return j.RawMatrix().Data, nil
		}}
	case 15:
		cfgs := []nn.TrainConfig{
			{Loss: loss, Optimizer: nn.SGD{LearningRate: 0.1}},                               // MaxSteps 0
			{Loss: loss, Optimizer: nn.SGD{LearningRate: 0.1}, MaxSteps: 3, BatchSize: -1},   //
			{Loss: loss, Optimizer: nn.SGD{LearningRate: 0.1}, MaxSteps: 3, Tol: math.NaN()}, //
			{Loss: loss, MaxSteps: 3}, // nil optimizer
			{Loss: loss, Optimizer: nn.SGD{LearningRate: math.NaN()}, MaxSteps: 3},        //
			{Loss: loss, Optimizer: nn.SGD{LearningRate: -1}, MaxSteps: 3},                //
			{Loss: loss, Optimizer: nn.SGD{LearningRate: 0.1, Momentum: 1}, MaxSteps: 3},  //
			{Loss: loss, Optimizer: nn.Adam{LearningRate: 0.1, Beta1: 1.5}, MaxSteps: 3},  //
			{Loss: loss, Optimizer: nn.Adam{LearningRate: math.Inf(1)}, MaxSteps: 3},      //
			{Loss: loss, Optimizer: nn.Adam{LearningRate: 0.1, Epsilon: -1}, MaxSteps: 3}, //
			{Optimizer: nn.Adam{LearningRate: 0.1}, MaxSteps: 3},                          // nil loss
		}
		i := rapid.IntRange(0, len(cfgs)-1).Draw(t, "cfg")
		return badCall{fmt.Sprintf("Train with bad config %d", i), nn.ErrConfig, func() ([]float64, error) {
			_, err := net.Train(x, y, cfgs[i])
			return nil, err
		}}
	case 16:
		poison(t, "x", x)
		return badCall{"Train with a non-finite input", nn.ErrNonFinite, func() ([]float64, error) {
			_, err := net.Train(x, y, nn.TrainConfig{Loss: loss, Optimizer: nn.Adam{LearningRate: 0.01}, MaxSteps: 2})
			return nil, err
		}}
	default:
		// Enormous but finite magnitudes, an enormous learning rate: each
		// call either succeeds with finite numbers or says why not.
		for i, v := range x.RawMatrix().Data {
			x.RawMatrix().Data[i] = v * math.Pow(10, rapid.Float64Range(0, 300).Draw(t, "exp"))
		}
		lr := math.Pow(10, rapid.Float64Range(-3, 300).Draw(t, "lrexp"))
		return badCall{"huge magnitudes", nil, func() ([]float64, error) {
			y1, err := forward(x)()
			if err != nil {
				return nil, err
			}
			g, err := grad(x, y, loss)()
			if err != nil {
				return nil, err
			}
			res, err := net.Train(x, y, nn.TrainConfig{Loss: loss, Optimizer: nn.SGD{LearningRate: lr}, MaxSteps: 3})
			if err != nil {
				return nil, err
			}
			return append(append(append(y1, g...), res.Loss), net.Params()...), nil
		}}
	}
}

// checkBadCall runs c and reports how it broke the contract, or "".
func checkBadCall(c badCall) (problem string) {
	defer func() {
		if p := recover(); p != nil {
			problem = fmt.Sprintf("%s panicked: %v", c.name, p)
		}
	}()
	res, err := c.call()
	switch {
	case err != nil && !strings.HasPrefix(err.Error(), "nn: ") && !strings.HasPrefix(err.Error(), "approx: "):
		return fmt.Sprintf("%s: error %q has no package prefix", c.name, err)
	case c.want != nil && !errors.Is(err, c.want):
		return fmt.Sprintf("%s: got error %v, want one wrapping %v", c.name, err, c.want)
	case c.want == nil && err != nil:
		for _, s := range documented {
			if errors.Is(err, s) {
				return ""
			}
		}
		return fmt.Sprintf("%s: undocumented error %v", c.name, err)
	case err == nil:
		for i, v := range res {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Sprintf("%s: result %d is %v without an error", c.name, i, v)
			}
		}
	}
	return ""
}

// propBadInput throws one invalid or extreme call at the public API of nn
// and requires a documented error (or finite results), no panic, and the
// network unchanged after a failed call.
func propBadInput(t *rapid.T) {
	net, sizes := badInputNet(t)
	c := drawNNBadCall(t, net, sizes)
	before := net.Params()
	if p := checkBadCall(c); p != "" {
		t.Fatal(p)
	}
	if c.want != nil {
		if diff := cmp.Diff(before, net.Params()); diff != "" {
			t.Fatalf("%s changed the network:\n%s", c.name, diff)
		}
	}
}

func TestPropertyBadInput(t *testing.T) { rapid.Check(t, propBadInput) }

// FuzzBadInput runs the same property under go test -fuzz.
func FuzzBadInput(f *testing.F) {
	// rapid reads 8 bytes a draw and a case takes a few dozen draws, so
	// each seed is 4 KiB of seeded PCG output.
	rng := rand.New(rand.NewPCG(2010, 1989))
	for range 32 {
		b := make([]byte, 4096)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		f.Add(b)
	}
	f.Fuzz(rapid.MakeFuzz(propBadInput))
}

// TestBadInputCheckerCatches shows checkBadCall fails calls that break the
// contract: a panic, a wrong sentinel, an unprefixed error, a NaN result.
func TestBadInputCheckerCatches(t *testing.T) {
	planted := []badCall{
		{"panics", nn.ErrShape, func() ([]float64, error) { panic("index out of range") }},
		{"wrong sentinel", nn.ErrShape, func() ([]float64, error) { return nil, fmt.Errorf("nn: x: %w", nn.ErrConfig) }},
		{"no prefix", nn.ErrShape, func() ([]float64, error) { return nil, fmt.Errorf("bad: %w", nn.ErrShape) }},
		{"silent", nn.ErrShape, func() ([]float64, error) { return []float64{1}, nil }},
		{"NaN result", nil, func() ([]float64, error) { return []float64{1, math.NaN()}, nil }},
		{"undocumented", nil, func() ([]float64, error) { return nil, errors.New("nn: something") }},
	}
	for _, c := range planted {
		if checkBadCall(c) == "" {
			t.Errorf("planted contract break %q not caught", c.name)
		}
	}
	good := badCall{"good", nn.ErrShape, func() ([]float64, error) { return nil, fmt.Errorf("nn: x: %w", nn.ErrShape) }}
	if p := checkBadCall(good); p != "" {
		t.Errorf("correct call flagged: %s", p)
	}
}
