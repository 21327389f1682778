package nn_test

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"
	"pgregory.net/rapid"

	"github.com/reluproof/reluproof/internal/contract"
	"github.com/reluproof/reluproof/nn"
)

// extremeInts are the sizes and counts at the edges of int.
var extremeInts = []int{math.MinInt, -1, 0, 1, 2, 3, 1 << 31, 1 << 32, 1 << 62, math.MaxInt / 2, math.MaxInt - 1, math.MaxInt}

// extremeFloats are the values at the edges of float64.
var extremeFloats = []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 2, math.MaxFloat64, -math.MaxFloat64,
	math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64, 1e300, -1e-300, math.NaN(), math.Inf(1), math.Inf(-1)}

// finiteExtremes are the finite ones.
var finiteExtremes = slices.DeleteFunc(slices.Clone(extremeFloats), func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) })

// extremeFloat draws an extreme value, or now and then a moderate one.
var extremeFloat = rapid.OneOf(rapid.SampledFrom(extremeFloats), rapid.Float64Range(-3, 3))

// finiteFloat draws a finite extreme value, or a moderate one.
var finiteFloat = rapid.OneOf(rapid.SampledFrom(finiteExtremes), rapid.Float64Range(-3, 3))

// extremeInt draws an int at the edges, or a small valid size.
var extremeInt = rapid.OneOf(rapid.SampledFrom(extremeInts), rapid.IntRange(1, 4))

// extremeCall is a call at the edges of the input domain with what its
// documentation allows: an error wrapping one of allowed, or, when ok, a
// success with finite results. A call with ok false must fail. The
// receiver's parameters must be unchanged after a failed call; check, if
// set, says what else is wrong after a success.
type extremeCall struct {
	name     string
	run      func() ([]float64, error)
	allowed  []error
	ok       bool
	receiver *nn.Network
	check    func() string
}

// extremeCase draws one kind of extreme call.
type extremeCase struct {
	name string
	draw func(t *rapid.T) extremeCall
}

// anyNonFinite reports whether m holds a NaN or ±Inf.
func anyNonFinite(m *mat.Dense) bool {
	return slices.ContainsFunc(m.RawMatrix().Data, func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) })
}

// drawExtremeNet draws a small network whose parameters are drawn from the
// finite extremes.
func drawExtremeNet(t *rapid.T) *nn.Network {
	depth := rapid.IntRange(1, 2).Draw(t, "depth")
	sizes := rapid.SliceOfN(rapid.IntRange(1, 3), depth+1, depth+1).Draw(t, "sizes")
	names := nn.ActivationNames()
	hidden, _ := nn.ActivationByName(rapid.SampledFrom(names).Draw(t, "hidden"))
	output, _ := nn.ActivationByName(rapid.SampledFrom(names).Draw(t, "output"))
	net, err := nn.New(sizes, hidden, output, 1)
	if err != nil {
		t.Fatalf("valid network rejected: %v", err)
	}
	p := rapid.SliceOfN(finiteFloat, net.NumParams(), net.NumParams()).Draw(t, "params")
	if err := net.SetParams(p); err != nil {
		t.Fatalf("finite parameters rejected: %v", err)
	}
	return net
}

// drawExtremeBatch draws an r×c batch of extreme values, r in 0…3 (0 is
// an empty matrix).
func drawExtremeBatch(t *rapid.T, label string, r, c int) *mat.Dense {
	if r == 0 {
		return &mat.Dense{}
	}
	return mat.NewDense(r, c, rapid.SliceOfN(extremeFloat, r*c, r*c).Draw(t, label))
}

// drawFiniteBatch draws an r×c batch of finite extreme or moderate
// values, r in 0…3 (0 is an empty matrix).
func drawFiniteBatch(t *rapid.T, label string, r, c int) *mat.Dense {
	if r == 0 {
		return &mat.Dense{}
	}
	return mat.NewDense(r, c, rapid.SliceOfN(finiteFloat, r*c, r*c).Draw(t, label))
}

// The extremes of each optimiser setting's domain.
var (
	validRates    = []float64{math.SmallestNonzeroFloat64, 1e-300, 0.5, 1, 1e300, math.MaxFloat64}
	validMomenta  = []float64{0, math.SmallestNonzeroFloat64, 0.5, math.Nextafter(1, 0)}
	validBetas    = []float64{0, math.SmallestNonzeroFloat64, 0.5, math.Nextafter(1, 0)}
	validEpsilons = []float64{0, math.SmallestNonzeroFloat64, 1, math.MaxFloat64}
)

// either draws from valid two times in three and from all the extremes
// otherwise.
func either(valid []float64) *rapid.Generator[float64] {
	v := rapid.SampledFrom(valid)
	return rapid.OneOf(v, v, extremeFloat)
}

// paramCount is Σ_l (in_l + 1)·out_l, exactly.
func paramCount(sizes []int) *big.Int {
	total := new(big.Int)
	for l := 0; l+1 < len(sizes); l++ {
		in, out := big.NewInt(int64(sizes[l])), big.NewInt(int64(sizes[l+1]))
		total.Add(total, new(big.Int).Mul(in.Add(in, big.NewInt(1)), out))
	}
	return total
}

// validOptimizer reports whether o lies in its documented domain.
func validOptimizer(o nn.Optimizer) bool {
	finitePos := func(v float64) bool { return v > 0 && !math.IsInf(v, 1) }
	switch o := o.(type) {
	case nn.SGD:
		return finitePos(o.LearningRate) && o.Momentum >= 0 && o.Momentum < 1
	case nn.Adam:
		b1, b2, eps := o.Beta1, o.Beta2, o.Epsilon
		if b1 == 0 {
			b1 = 0.9
		}
		if b2 == 0 {
			b2 = 0.999
		}
		if eps == 0 {
			eps = 1e-8
		}
		return finitePos(o.LearningRate) && b1 > 0 && b1 < 1 && b2 > 0 && b2 < 1 && finitePos(eps)
	}
	return false
}

var extremeCases = []extremeCase{
	{"New", func(t *rapid.T) extremeCall {
		sizes := rapid.SliceOfN(extremeInt, 0, 4).Draw(t, "sizes")
		nilAct := rapid.Bool().Draw(t, "nilOutput")
		allowed, ok := []error{nn.ErrConfig}, true
		count := new(big.Int)
		switch {
		case len(sizes) < 2 || slices.ContainsFunc(sizes, func(s int) bool { return s < 1 }) || nilAct:
			ok = false
		default:
			count = paramCount(sizes)
			ok = count.Cmp(big.NewInt(nn.MaxParams)) <= 0
		}
		var net *nn.Network
		return extremeCall{
			name: fmt.Sprintf("New(%v, nil output %v)", sizes, nilAct), allowed: allowed, ok: ok,
			run: func() ([]float64, error) {
				output := nn.Activation(nn.Identity)
				if nilAct {
					output = nil
				}
				var err error
				net, err = nn.New(sizes, nn.ReLU, output, 1)
				if err != nil {
					return nil, err
				}
				return net.Params(), nil
			},
			check: func() string {
				if int64(net.NumParams()) != count.Int64() {
					return fmt.Sprintf("NumParams = %d, want %v", net.NumParams(), count)
				}
				return ""
			},
		}
	}},
	{"a read-only method", func(t *rapid.T) extremeCall {
		net := drawExtremeNet(t)
		sizes := net.Sizes()
		in, out := sizes[0], sizes[len(sizes)-1]
		rows := rapid.IntRange(0, 3).Draw(t, "rows")
		x, y := drawExtremeBatch(t, "x", rows, in), drawExtremeBatch(t, "t", rows, out)
		loss := rapid.SampledFrom([]nn.Loss{nn.MSE, nn.BCEWithLogits}).Draw(t, "loss")
		method := rapid.SampledFrom([]string{"Forward", "PreActivations", "Loss", "Gradient", "GradientInto", "InputJacobian"}).Draw(t, "method")
		var run func() ([]float64, error)
		usesTarget := true
		switch method {
		case "Forward":
			usesTarget = false
			run = func() ([]float64, error) {
				y, err := net.Forward(x)
				if err != nil {
					return nil, err
				}
				return y.RawMatrix().Data, nil
			}
		case "PreActivations":
			usesTarget = false
			run = func() ([]float64, error) {
				zs, err := net.PreActivations(x)
				var r []float64
				for _, z := range zs {
					r = append(r, z.RawMatrix().Data...)
				}
				return r, err
			}
		case "Loss":
			run = func() ([]float64, error) {
				v, err := net.Loss(x, y, loss)
				return []float64{v}, err
			}
		case "Gradient":
			run = func() ([]float64, error) {
				v, g, err := net.Gradient(x, y, loss)
				return append(g, v), err
			}
		case "GradientInto":
			run = func() ([]float64, error) {
				g := make([]float64, net.NumParams())
				v, err := net.GradientInto(g, x, y, loss)
				if err != nil {
					return nil, err
				}
				return append(g, v), nil
			}
		case "InputJacobian":
			usesTarget = false
			run = func() ([]float64, error) {
				var v []float64
				if rows > 0 {
					v = x.RawRowView(0)
				}
				j, err := net.InputJacobian(v)
				if err != nil {
					return nil, err
				}
				return j.RawMatrix().Data, nil
			}
		}
		c := extremeCall{name: fmt.Sprintf("%s on %v with %d rows", method, sizes, rows), run: run, receiver: net, ok: true}
		switch {
		case rows == 0:
			c.allowed, c.ok = []error{nn.ErrShape}, false
		case method == "InputJacobian" && slices.ContainsFunc(x.RawRowView(0), func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }),
			method != "InputJacobian" && anyNonFinite(x), usesTarget && anyNonFinite(y):
			c.allowed, c.ok = []error{nn.ErrNonFinite}, false
		default:
			// Valid but extreme: only an overflow can fail it.
			c.allowed = []error{nn.ErrNonFinite}
		}
		return c
	}},
	{"SetParams", func(t *rapid.T) extremeCall {
		net := drawExtremeNet(t)
		n := rapid.SampledFrom([]int{0, net.NumParams() - 1, net.NumParams(), net.NumParams(), net.NumParams() + 1}).Draw(t, "length")
		p := rapid.SliceOfN(extremeFloat, n, n).Draw(t, "p")
		c := extremeCall{name: fmt.Sprintf("SetParams(%v)", p), receiver: net, ok: true,
			run: func() ([]float64, error) { return net.Params(), net.SetParams(p) },
			check: func() string {
				if !slices.Equal(net.Params(), p) {
					return fmt.Sprintf("parameters %v after SetParams(%v)", net.Params(), p)
				}
				return ""
			},
		}
		bad := slices.ContainsFunc(p, func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) })
		switch {
		case n != net.NumParams() && bad:
			c.allowed, c.ok = []error{nn.ErrShape, nn.ErrNonFinite}, false
		case n != net.NumParams():
			c.allowed, c.ok = []error{nn.ErrShape}, false
		case bad:
			c.allowed, c.ok = []error{nn.ErrNonFinite}, false
		}
		return c
	}},
	{"Train", func(t *rapid.T) extremeCall {
		net := drawExtremeNet(t)
		sizes := net.Sizes()
		// Each setting is drawn from the extremes of its own domain two
		// times in three and from all extremes otherwise, so that a fair
		// share of the calls is valid as a whole and trains.
		rows := rapid.SampledFrom([]int{0, 1, 2, 3, 1, 2, 3}).Draw(t, "rows")
		batch := rapid.SampledFrom([]func(*rapid.T, string, int, int) *mat.Dense{drawFiniteBatch, drawFiniteBatch, drawExtremeBatch}).Draw(t, "data")
		x, y := batch(t, "x", rows, sizes[0]), batch(t, "t", rows, sizes[len(sizes)-1])
		var cfg nn.TrainConfig
		cfg.Loss = rapid.SampledFrom([]nn.Loss{nn.MSE, nn.BCEWithLogits, nn.MSE, nn.BCEWithLogits, nil}).Draw(t, "loss")
		lr := either(validRates)
		switch rapid.IntRange(0, 4).Draw(t, "optimizer") {
		case 0, 1:
			cfg.Optimizer = nn.SGD{LearningRate: lr.Draw(t, "lr"), Momentum: either(validMomenta).Draw(t, "momentum")}
		case 2, 3:
			cfg.Optimizer = nn.Adam{LearningRate: lr.Draw(t, "lr"), Beta1: either(validBetas).Draw(t, "beta1"),
				Beta2: either(validBetas).Draw(t, "beta2"), Epsilon: either(validEpsilons).Draw(t, "epsilon")}
		}
		cfg.BatchSize = rapid.OneOf(rapid.SampledFrom([]int{0, 1, 2, math.MaxInt - 1, math.MaxInt}), extremeInt).Draw(t, "batchSize")
		cfg.MaxSteps = rapid.SampledFrom([]int{math.MinInt, -1, 0, 1, 2, 3, 1, 2, 3, math.MaxInt - 1, math.MaxInt}).Draw(t, "maxSteps")
		if cfg.MaxSteps > 3 {
			// So many steps end only at once: a Tol that every finite
			// loss meets stops Train before its first step.
			cfg.Tol = rapid.SampledFrom([]float64{math.MaxFloat64, math.Inf(1)}).Draw(t, "tol")
		} else {
			cfg.Tol = either([]float64{0, math.SmallestNonzeroFloat64, 1, math.MaxFloat64, math.Inf(1)}).Draw(t, "tol")
		}
		cfg.Seed = rapid.Uint64().Draw(t, "seed")
		var res nn.TrainResult
		c := extremeCall{name: fmt.Sprintf("Train on %v, %d rows, %+v", sizes, rows, cfg), receiver: net, ok: true,
			run: func() ([]float64, error) {
				var err error
				res, err = net.Train(x, y, cfg)
				if err != nil {
					return nil, err
				}
				return append(append([]float64{res.Loss}, res.History...), net.Params()...), nil
			},
			check: func() string {
				if res.Steps > max(cfg.MaxSteps, 0) || len(res.History) == 0 || res.Loss != res.History[len(res.History)-1] {
					return fmt.Sprintf("result %+v breaks its bookkeeping", res)
				}
				return ""
			},
		}
		if cfg.Optimizer == nil || !validOptimizer(cfg.Optimizer) || cfg.MaxSteps < 1 || cfg.BatchSize < 0 || !(cfg.Tol >= 0) || cfg.Loss == nil {
			c.allowed, c.ok = append(c.allowed, nn.ErrConfig), false
		}
		if rows == 0 {
			c.allowed, c.ok = append(c.allowed, nn.ErrShape), false
		} else if anyNonFinite(x) || anyNonFinite(y) {
			c.allowed, c.ok = append(c.allowed, nn.ErrNonFinite), false
		}
		if c.ok {
			// Valid but extreme: only divergence can fail it.
			c.allowed = []error{nn.ErrNonFinite}
		}
		return c
	}},
	{"an activation", func(t *rapid.T) extremeCall {
		kind := rapid.SampledFrom(append([]string{"LeakyReLU", "SoftplusBeta"}, nn.ActivationNames()...)).Draw(t, "activation")
		param := extremeFloat.Draw(t, "param")
		xs := rapid.SliceOfN(rapid.SampledFrom(finiteExtremes), 1, 4).Draw(t, "xs")
		c := extremeCall{name: fmt.Sprintf("%s(%v) at %v", kind, param, xs), ok: true}
		var act nn.Activation
		c.run = func() ([]float64, error) {
			var err error
			switch kind {
			case "LeakyReLU":
				act, err = nn.LeakyReLU(param)
			case "SoftplusBeta":
				act, err = nn.SoftplusBeta(param)
			default:
				act, err = nn.ActivationByName(kind)
			}
			return nil, err
		}
		c.check = func() string {
			// Safe for every finite input: neither φ nor φ′ is NaN.
			for _, x := range xs {
				if v, d := act.Eval(x), act.Deriv(x); math.IsNaN(v) || math.IsNaN(d) {
					return fmt.Sprintf("%s at %v: φ = %v, φ′ = %v", act.Name(), x, v, d)
				}
			}
			return ""
		}
		switch {
		case kind == "LeakyReLU" && !(param >= 0 && param < 1), kind == "SoftplusBeta" && !(param > 0 && !math.IsInf(param, 1)):
			c.allowed, c.ok = []error{nn.ErrConfig}, false
		}
		return c
	}},
}

// propExtremes draws one call from the edges of int and float64 (sizes,
// batch sizes, step counts, learning rates, parameters and data: 0, 1,
// MaxInt and its neighbours, ±MaxFloat64, the smallest denormal, NaN and
// ±Inf) and requires what the documentation promises: no panic, an error
// with the "nn: " prefix wrapping an allowed sentinel, or finite results,
// and the receiver unchanged after a failed call. Everything is drawn
// before the call runs; huge sizes are refused by New's MaxParams before
// anything is allocated, and a huge MaxSteps comes with a Tol that stops
// Train at once, so no case can exhaust memory or time.
func propExtremes(t *rapid.T) {
	c := rapid.SampledFrom(extremeCases).Draw(t, "case").draw(t)
	var before []float64
	if c.receiver != nil {
		before = c.receiver.Params()
	}
	var err error
	call := contract.Call{Name: c.name, Run: func() ([]float64, error) {
		var res []float64
		res, err = c.run()
		return res, err
	}}
	if !c.ok && len(c.allowed) == 1 {
		call.Want = c.allowed[0]
	}
	if p := nnContract.Check(call); p != "" {
		t.Fatal(p)
	}
	switch {
	case err == nil && !c.ok:
		t.Fatalf("%s: succeeded, want an error wrapping one of %v", c.name, c.allowed)
	case err != nil && !slices.ContainsFunc(c.allowed, func(s error) bool { return errors.Is(err, s) }):
		t.Fatalf("%s: %v, want an error wrapping one of %v", c.name, err, c.allowed)
	case err != nil && c.receiver != nil && !slices.Equal(before, c.receiver.Params()):
		t.Fatalf("%s failed (%v) and changed the parameters from %v to %v", c.name, err, before, c.receiver.Params())
	case err == nil && c.check != nil:
		if p := c.check(); p != "" {
			t.Fatalf("%s: %s", c.name, p)
		}
	}
}

func TestPropertyExtremes(t *testing.T) { rapid.Check(t, propExtremes) }

// FuzzExtremes runs the same property under go test -fuzz.
func FuzzExtremes(f *testing.F) {
	contract.Seeds(f, 2026, 32, 4096)
	f.Fuzz(rapid.MakeFuzz(propExtremes))
}
