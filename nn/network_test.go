package nn_test

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gonum.org/v1/gonum/mat"

	"github.com/reluproof/reluproof/internal/contract"
	"github.com/reluproof/reluproof/nn"
)

// smallNet is a 3-5-4-2 network with the named hidden activation and an
// identity output, from seed 7.
func smallNet(t *testing.T, hidden string) *nn.Network {
	t.Helper()
	h, err := nn.ActivationByName(hidden)
	if err != nil {
		t.Fatal(err)
	}
	n, err := nn.New([]int{3, 5, 4, 2}, h, nn.Identity, 7)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// batch is four samples for smallNet and their targets.
func batch() (x, y *mat.Dense) {
	x = mat.NewDense(4, 3, []float64{0.1, -0.7, 0.3, 1.2, 0.5, -0.4, -0.9, 0.2, 0.8, 0.35, -0.15, -1.1})
	y = mat.NewDense(4, 2, []float64{0.5, -1, 0.2, 0.3, 1.5, 0.1, -0.4, 0.9})
	return x, y
}

// affine returns the network y = w·x + b with the given parameters (one
// identity layer, Params order W then b).
func affine(t *testing.T, in int, p ...float64) *nn.Network {
	t.Helper()
	n, err := nn.New([]int{in, 1}, nn.Identity, nn.Identity, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := n.SetParams(p); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSameSeedSameNetwork(t *testing.T) {
	a, b := smallNet(t, "relu"), smallNet(t, "relu")
	if diff := cmp.Diff(a.Params(), b.Params()); diff != "" {
		t.Fatalf("same seed, different params:\n%s", diff)
	}
	c, _ := nn.New([]int{3, 5, 4, 2}, nn.ReLU, nn.Identity, 8)
	if cmp.Equal(a.Params(), c.Params()) {
		t.Fatal("different seeds gave the same params")
	}
}

// TestInitialisationScale: New draws layer l's weights from N(0, 2/in)
// for relu and leaky relu (He) and N(0, 2/(in + out)) otherwise (Glorot),
// and its biases are 0. For a 256×256 layer the sample variance of its
// 65,536 weights has a relative standard deviation √(2/65536) ≈ 0.55 %,
// so a 5 % tolerance is nine standard deviations (and the seed is fixed).
// The output layer (256 → 1, identity) is Glorot: 2/257.
func TestInitialisationScale(t *testing.T) {
	for _, c := range []struct {
		act  nn.Activation
		want float64
	}{{nn.ReLU, 2.0 / 256}, {nn.Tanh, 2.0 / 512}, {nn.Sigmoid, 2.0 / 512}} {
		t.Run(c.act.Name(), func(t *testing.T) {
			net, err := nn.New([]int{256, 256, 1}, c.act, nn.Identity, 9)
			if err != nil {
				t.Fatal(err)
			}
			for l, want := range []float64{c.want, 2.0 / 257} {
				w, b := net.Layer(l)
				var s, ss float64
				for _, v := range w.RawMatrix().Data {
					s += v
					ss += v * v
				}
				n := float64(len(w.RawMatrix().Data))
				variance := ss/n - (s/n)*(s/n)
				// The output layer has only 256 weights: relative standard
				// deviation √(2/256) ≈ 8.8 %, so there 40 % (4.5 σ).
				tol := 0.05
				if l == 1 {
					tol = 0.4
				}
				if !(math.Abs(variance/want-1) <= tol) {
					t.Errorf("layer %d: weight variance %v, want %v (±%.0f %%)", l, variance, want, 100*tol)
				}
				if slices.ContainsFunc(b, func(v float64) bool { return v != 0 }) {
					t.Errorf("layer %d: biases %v, want 0", l, b)
				}
			}
		})
	}
}

// TestSetParamsFirstEntry: a NaN or ±Inf in p[0] is rejected like one
// anywhere else, and the network is unchanged.
func TestSetParamsFirstEntry(t *testing.T) {
	net, err := nn.New([]int{2, 3, 1}, nn.Tanh, nn.Identity, 1)
	if err != nil {
		t.Fatal(err)
	}
	before := net.Params()
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		t.Run(fmt.Sprint(v), func(t *testing.T) {
			p := net.Params()
			p[0] = v
			if err := net.SetParams(p); !errors.Is(err, nn.ErrNonFinite) {
				t.Errorf("SetParams with p[0] = %v: %v, want ErrNonFinite", v, err)
			}
			if !slices.Equal(net.Params(), before) {
				t.Fatalf("SetParams with p[0] = %v changed the network", v)
			}
		})
	}
}

// TestParamNamesAndRange: for a 2-3-1 network the parameters are, in
// order, layer 1's W (3×2, row-major) and b, then layer 2's W (1×3) and b;
// ParamName names them with 1-based layers; ParamIndex panics out of range.
func TestParamNamesAndRange(t *testing.T) {
	net, err := nn.New([]int{2, 3, 1}, nn.ReLU, nn.Identity, 1)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for i := 0; i < 3; i++ {
		for j := 0; j < 2; j++ {
			want = append(want, fmt.Sprintf("layer 1, W[%d][%d]", i, j))
		}
	}
	for i := 0; i < 3; i++ {
		want = append(want, fmt.Sprintf("layer 1, b[%d]", i))
	}
	for j := 0; j < 3; j++ {
		want = append(want, fmt.Sprintf("layer 2, W[0][%d]", j))
	}
	want = append(want, "layer 2, b[0]")
	if net.NumParams() != len(want) {
		t.Fatalf("NumParams = %d, want %d", net.NumParams(), len(want))
	}
	for k, w := range want {
		if got := net.ParamName(k); got != w {
			t.Errorf("ParamName(%d) = %q, want %q", k, got, w)
		}
	}
	for _, k := range []int{-1, net.NumParams()} {
		t.Run(fmt.Sprintf("ParamIndex(%d)", k), func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("ParamIndex(%d) did not panic", k)
				}
			}()
			net.ParamIndex(k)
		})
	}
}

// TestNewRefusesHugeSizes: sizes whose parameter count passes MaxParams
// or overflows int are ErrConfig, returned before New allocates anything.
// {2²⁰, 2²⁰, 1} would need 8 TiB and {2⁶², 4, 1} once wrapped around to a
// 9-parameter network. The calls run in a child process whose address
// space may grow by 256 MiB at most and which must finish within a
// minute, so that a regression that allocates fails this test instead of
// exhausting the machine's memory.
func TestNewRefusesHugeSizes(t *testing.T) {
	contract.Child(t, 256<<20, time.Minute, func(t *testing.T) {
		for _, sizes := range [][]int{
			{1 << 20, 1 << 20, 1},
			{1 << 62, 4, 1},
			{math.MaxInt, 1},
			{1, math.MaxInt},
			{math.MaxInt - 1, math.MaxInt - 1},
			{2, 1 << 16, 1 << 16, 1 << 16, 1},
			{1 << 31, 1},
			{nn.MaxParams, 1},
		} {
			t.Run(fmt.Sprint(sizes), func(t *testing.T) {
				net, err := nn.New(sizes, nn.ReLU, nn.Identity, 1)
				if !errors.Is(err, nn.ErrConfig) {
					t.Errorf("New(%v) = network of %d params, %v; want an error wrapping ErrConfig", sizes, numParams(net), err)
				}
			})
		}
	})
}

// numParams is net.NumParams(), or −1 for a nil net.
func numParams(net *nn.Network) int {
	if net == nil {
		return -1
	}
	return net.NumParams()
}

// TestPreActivationsOverflow: PreActivations reports the overflows that
// Forward reports, and more. With an identity output y = 1e300·x, x = 1e10
// overflows the output, which both must report as ErrNonFinite. Behind a
// sigmoid, z₁ = 1e300·1e10 = +Inf saturates to σ = 1 and the output
// 1·1 + 0 = 1 is finite, so Forward succeeds; PreActivations would return
// that +Inf, so it must report it, naming layer 1.
func TestPreActivationsOverflow(t *testing.T) {
	x := mat.NewDense(2, 1, []float64{0, 1e10})
	out := affine(t, 1, 1e300, 0)
	if _, err := out.Forward(x); !errors.Is(err, nn.ErrNonFinite) {
		t.Fatalf("Forward: %v; the case needs an output overflow", err)
	}
	if zs, err := out.PreActivations(x); !errors.Is(err, nn.ErrNonFinite) || !strings.Contains(err.Error(), "output[1][0]") {
		t.Errorf("PreActivations = %v, %v; want ErrNonFinite naming output[1][0]", zs, err)
	}

	hidden, err := nn.New([]int{1, 1, 1}, nn.Sigmoid, nn.Identity, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := hidden.SetParams([]float64{1e300, 0, 1, 0}); err != nil {
		t.Fatal(err)
	}
	if y, err := hidden.Forward(x); err != nil || y.At(0, 0) != 0.5 || y.At(1, 0) != 1 {
		t.Fatalf("Forward = %v, %v; the case needs the finite outputs σ(0) = ½ and σ(+Inf) = 1", y, err)
	}
	if zs, err := hidden.PreActivations(x); !errors.Is(err, nn.ErrNonFinite) || !strings.Contains(err.Error(), "layer 1 pre-activation [1][0] overflowed to +Inf") {
		t.Errorf("PreActivations = %v, %v; want ErrNonFinite naming layer 1's [1][0]", zs, err)
	}
	// Without the overflowing sample both succeed and z₁ = 1e300·0 = 0.
	x0 := mat.NewDense(1, 1, []float64{0})
	if zs, err := hidden.PreActivations(x0); err != nil || zs[0].At(0, 0) != 0 || zs[1].At(0, 0) != 0.5 {
		t.Errorf("PreActivations at 0 = %v, %v; want z₁ = 0, z₂ = ½", zs, err)
	}
}

// TestPreActivationsOverflowNamed: PreActivations names the first entry
// that overflowed, as [row][column] of the batch, at the first position of
// a batch and past the first row of a matrix with two columns. A square
// output overflows from a finite pre-activation, (1e200)² = +Inf, so only
// the output check sees it; a sigmoid hides a hidden pre-activation
// 1e300·1e10 = +Inf from the output (σ(+Inf) = 1), so only the layer check
// sees that one.
func TestPreActivationsOverflowNamed(t *testing.T) {
	for _, tc := range []struct {
		name   string
		sizes  []int
		hidden nn.Activation
		output nn.Activation
		params []float64
		x      []float64 // one input a row
		want   string
	}{
		{"output [0][0]", []int{1, 1}, nil, nn.Square, []float64{1e200, 0}, []float64{1},
			"output[0][0] overflowed to +Inf"},
		{"output [1][0] of two columns", []int{1, 2}, nil, nn.Square, []float64{1e200, 1, 0, 0}, []float64{0, 1},
			"output[1][0] overflowed to +Inf"},
		{"layer 1 [0][0]", []int{1, 1, 1}, nn.Sigmoid, nn.Identity, []float64{1e300, 0, 1, 0}, []float64{1e10},
			"layer 1 pre-activation [0][0] overflowed to +Inf"},
		{"layer 1 [1][0] of two columns", []int{1, 2, 1}, nn.Sigmoid, nn.Identity, []float64{1e300, 1, 0, 0, 1, 1, 0}, []float64{0, 1e10},
			"layer 1 pre-activation [1][0] overflowed to +Inf"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			net, err := nn.New(tc.sizes, tc.hidden, tc.output, 1)
			if err != nil {
				t.Fatal(err)
			}
			if err := net.SetParams(tc.params); err != nil {
				t.Fatal(err)
			}
			x := mat.NewDense(len(tc.x), 1, tc.x)
			zs, err := net.PreActivations(x)
			if !errors.Is(err, nn.ErrNonFinite) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("PreActivations = %v, %v; want ErrNonFinite with %q", zs, err, tc.want)
			}
		})
	}
}
