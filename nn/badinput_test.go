package nn_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gonum.org/v1/gonum/mat"
	"pgregory.net/rapid"

	"github.com/reluproof/reluproof/internal/contract"
	"github.com/reluproof/reluproof/nn"
)

// nnContract is what nn promises for its errors: the "nn: " prefix and one
// of the three sentinels.
var nnContract = contract.Contract{
	Prefixes:   []string{"nn: "},
	Documented: []error{nn.ErrConfig, nn.ErrShape, nn.ErrNonFinite},
}

// nonFiniteGen draws NaN, +Inf or −Inf.
var nonFiniteGen = rapid.SampledFrom([]float64{math.NaN(), math.Inf(1), math.Inf(-1)})

// badInputFixture is the valid network and batch a bad call starts from.
type badInputFixture struct {
	net   *nn.Network
	sizes []int
	batch int
	x, y  *mat.Dense
	loss  nn.Loss
}

// drawBadInputFixture draws a small valid network, the sizes it was built
// with, a batch of moderate inputs and targets for it, and a loss.
func drawBadInputFixture(t *rapid.T) badInputFixture {
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
	in, out := sizes[0], sizes[len(sizes)-1]
	batch := rapid.IntRange(1, 4).Draw(t, "batch")
	return badInputFixture{
		net: net, sizes: sizes, batch: batch,
		x: denseGen(t, "x", batch, in), y: denseGen(t, "t", batch, out),
		loss: rapid.SampledFrom([]nn.Loss{nn.MSE, nn.BCEWithLogits}).Draw(t, "loss"),
	}
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

// gradientCall is Gradient on the fixture's network, returning the
// gradient and the loss.
func (f badInputFixture) gradientCall(x, y *mat.Dense, loss nn.Loss) func() ([]float64, error) {
	return func() ([]float64, error) {
		v, g, err := f.net.Gradient(x, y, loss)
		return append(g, v), err
	}
}

// forwardCall is Forward on the fixture's network, returning the outputs.
func (f badInputFixture) forwardCall(x *mat.Dense) func() ([]float64, error) {
	return func() ([]float64, error) {
		y, err := f.net.Forward(x)
		if err != nil {
			return nil, err
		}
		return y.RawMatrix().Data, nil
	}
}

// badInputCase draws one invalid or extreme call of nn's public API.
type badInputCase struct {
	name string
	draw func(t *rapid.T, f badInputFixture) contract.Call
}

// badInputCases lists every kind of bad call; the property draws one from
// the list itself, so the list and the draw cannot disagree.
var badInputCases = []badInputCase{
	{"New with bad sizes", func(t *rapid.T, f badInputFixture) contract.Call {
		bad := rapid.SliceOfN(rapid.IntRange(-3, 4), 0, 4).Draw(t, "sizes")
		if len(bad) >= 2 {
			bad[rapid.IntRange(0, len(bad)-1).Draw(t, "at")] = rapid.IntRange(-3, 0).Draw(t, "bad")
		}
		return contract.Call{Name: "New with sizes " + fmt.Sprint(bad), Want: nn.ErrConfig, Run: func() ([]float64, error) {
			_, err := nn.New(bad, nn.ReLU, nn.Identity, 1)
			return nil, err
		}}
	}},
	{"New with a nil activation", func(t *rapid.T, f badInputFixture) contract.Call {
		nilHidden := rapid.Bool().Draw(t, "nilHidden")
		return contract.Call{Name: "New with a nil activation", Want: nn.ErrConfig, Run: func() ([]float64, error) {
			h, o := nn.Activation(nn.ReLU), nn.Activation(nil)
			if nilHidden {
				h, o = nil, nn.Identity
			}
			_, err := nn.New([]int{2, 3, 1}, h, o, 1)
			return nil, err
		}}
	}},
	{"ActivationByName with an unknown name", func(t *rapid.T, f badInputFixture) contract.Call {
		name := rapid.StringMatching(`[a-z_]{0,12}`).Draw(t, "name")
		for _, ok := range nn.ActivationNames() {
			if name == ok {
				name += "x"
			}
		}
		return contract.Call{Name: "ActivationByName(" + name + ")", Want: nn.ErrConfig, Run: func() ([]float64, error) {
			_, err := nn.ActivationByName(name)
			return nil, err
		}}
	}},
	{"LeakyReLU with a bad slope", func(t *rapid.T, f badInputFixture) contract.Call {
		alpha := rapid.OneOf(nonFiniteGen, rapid.Float64Range(-1e3, -1e-300), rapid.Float64Range(1, 1e300)).Draw(t, "alpha")
		return contract.Call{Name: fmt.Sprintf("LeakyReLU(%v)", alpha), Want: nn.ErrConfig, Run: func() ([]float64, error) {
			_, err := nn.LeakyReLU(alpha)
			return nil, err
		}}
	}},
	{"SoftplusBeta with a bad β", func(t *rapid.T, f badInputFixture) contract.Call {
		beta := rapid.OneOf(nonFiniteGen, rapid.Float64Range(-1e3, 0)).Draw(t, "beta")
		return contract.Call{Name: fmt.Sprintf("SoftplusBeta(%v)", beta), Want: nn.ErrConfig, Run: func() ([]float64, error) {
			_, err := nn.SoftplusBeta(beta)
			return nil, err
		}}
	}},
	{"Forward(nil)", func(t *rapid.T, f badInputFixture) contract.Call {
		return contract.Call{Name: "Forward(nil)", Want: nn.ErrShape, Run: f.forwardCall(nil)}
	}},
	{"Forward with wrong columns", func(t *rapid.T, f badInputFixture) contract.Call {
		x := denseGen(t, "xw", f.batch, otherThan(t, "cols", f.sizes[0]))
		return contract.Call{Name: "Forward with wrong columns", Want: nn.ErrShape, Run: f.forwardCall(x)}
	}},
	{"Forward with a non-finite input", func(t *rapid.T, f badInputFixture) contract.Call {
		poison(t, "x", f.x)
		return contract.Call{Name: "Forward with a non-finite input", Want: nn.ErrNonFinite, Run: f.forwardCall(f.x)}
	}},
	{"Gradient with a non-finite target", func(t *rapid.T, f badInputFixture) contract.Call {
		poison(t, "t", f.y)
		return contract.Call{Name: "Gradient with a non-finite target", Want: nn.ErrNonFinite, Run: f.gradientCall(f.x, f.y, f.loss)}
	}},
	{"Gradient with mismatched rows", func(t *rapid.T, f badInputFixture) contract.Call {
		yb := denseGen(t, "tb", otherThan(t, "rows", f.batch), f.sizes[len(f.sizes)-1])
		return contract.Call{Name: "Gradient with mismatched rows", Want: nn.ErrShape, Run: f.gradientCall(f.x, yb, f.loss)}
	}},
	{"Gradient with wrong target columns", func(t *rapid.T, f badInputFixture) contract.Call {
		yb := denseGen(t, "tc", f.batch, otherThan(t, "tcols", f.sizes[len(f.sizes)-1]))
		return contract.Call{Name: "Gradient with wrong target columns", Want: nn.ErrShape, Run: f.gradientCall(f.x, yb, f.loss)}
	}},
	{"Gradient with a nil loss", func(t *rapid.T, f badInputFixture) contract.Call {
		return contract.Call{Name: "Gradient with a nil loss", Want: nn.ErrConfig, Run: f.gradientCall(f.x, f.y, nil)}
	}},
	{"GradientInto with a wrong length", func(t *rapid.T, f badInputFixture) contract.Call {
		n := otherThan(t, "glen", f.net.NumParams()+1) - 1
		return contract.Call{Name: "GradientInto with a slice of length " + fmt.Sprint(n), Want: nn.ErrShape, Run: func() ([]float64, error) {
			_, err := f.net.GradientInto(make([]float64, n), f.x, f.y, f.loss)
			return nil, err
		}}
	}},
	{"SetParams with bad parameters", func(t *rapid.T, f badInputFixture) contract.Call {
		p := f.net.Params()
		if rapid.Bool().Draw(t, "wrongLength") {
			p = append(p, rapid.SliceOfN(rapid.Float64Range(-1, 1), 1, 3).Draw(t, "extra")...)
			return contract.Call{Name: "SetParams with the wrong length", Want: nn.ErrShape, Run: func() ([]float64, error) { return nil, f.net.SetParams(p) }}
		}
		p[rapid.IntRange(0, len(p)-1).Draw(t, "at")] = nonFiniteGen.Draw(t, "v")
		return contract.Call{Name: "SetParams with a non-finite entry", Want: nn.ErrNonFinite, Run: func() ([]float64, error) { return nil, f.net.SetParams(p) }}
	}},
	{"InputJacobian with a bad sample", func(t *rapid.T, f badInputFixture) contract.Call {
		in := f.sizes[0]
		v := rapid.SliceOfN(rapid.Float64Range(-3, 3), in, in).Draw(t, "sample")
		want := nn.ErrNonFinite
		if rapid.Bool().Draw(t, "wrongLen") {
			v = append(v, 1)
			want = nn.ErrShape
		} else {
			v[rapid.IntRange(0, in-1).Draw(t, "at")] = nonFiniteGen.Draw(t, "v")
		}
		return contract.Call{Name: "InputJacobian with a bad sample", Want: want, Run: func() ([]float64, error) {
			j, err := f.net.InputJacobian(v)
			if err != nil {
				return nil, err
			}
			return j.RawMatrix().Data, nil
		}}
	}},
	{"Train with a bad config", func(t *rapid.T, f badInputFixture) contract.Call {
		loss := f.loss
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
		return contract.Call{Name: fmt.Sprintf("Train with bad config %d", i), Want: nn.ErrConfig, Run: func() ([]float64, error) {
			_, err := f.net.Train(f.x, f.y, cfgs[i])
			return nil, err
		}}
	}},
	{"Train with a non-finite input", func(t *rapid.T, f badInputFixture) contract.Call {
		poison(t, "x", f.x)
		return contract.Call{Name: "Train with a non-finite input", Want: nn.ErrNonFinite, Run: func() ([]float64, error) {
			_, err := f.net.Train(f.x, f.y, nn.TrainConfig{Loss: f.loss, Optimizer: nn.Adam{LearningRate: 0.01}, MaxSteps: 2})
			return nil, err
		}}
	}},
	{"huge magnitudes", func(t *rapid.T, f badInputFixture) contract.Call {
		// Enormous but finite magnitudes, an enormous learning rate: each
		// call either succeeds with finite numbers or says why not.
		for i, v := range f.x.RawMatrix().Data {
			f.x.RawMatrix().Data[i] = v * math.Pow(10, rapid.Float64Range(0, 300).Draw(t, "exp"))
		}
		lr := math.Pow(10, rapid.Float64Range(-3, 300).Draw(t, "lrexp"))
		return contract.Call{Name: "huge magnitudes", Run: func() ([]float64, error) {
			y1, err := f.forwardCall(f.x)()
			if err != nil {
				return nil, err
			}
			g, err := f.gradientCall(f.x, f.y, f.loss)()
			if err != nil {
				return nil, err
			}
			res, err := f.net.Train(f.x, f.y, nn.TrainConfig{Loss: f.loss, Optimizer: nn.SGD{LearningRate: lr}, MaxSteps: 3})
			if err != nil {
				return nil, err
			}
			return append(append(append(y1, g...), res.Loss), f.net.Params()...), nil
		}}
	}},
}

// propBadInput throws one invalid or extreme call at the public API of nn
// and requires a documented error (or finite results), no panic, and the
// network unchanged after a failed call.
func propBadInput(t *rapid.T) {
	f := drawBadInputFixture(t)
	c := rapid.SampledFrom(badInputCases).Draw(t, "case")
	call := c.draw(t, f)
	before := f.net.Params()
	if p := nnContract.Check(call); p != "" {
		t.Fatal(p)
	}
	if call.Want != nil {
		if diff := cmp.Diff(before, f.net.Params()); diff != "" {
			t.Fatalf("%s changed the network:\n%s", call.Name, diff)
		}
	}
}

func TestPropertyBadInput(t *testing.T) { rapid.Check(t, propBadInput) }

// FuzzBadInput runs the same property under go test -fuzz.
func FuzzBadInput(f *testing.F) {
	contract.Seeds(f, 2010, 32, 4096)
	f.Fuzz(rapid.MakeFuzz(propBadInput))
}
