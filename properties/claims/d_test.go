package claims

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/reluproof/reluproof/approx"
	"github.com/reluproof/reluproof/nn"
)

// drawPLNetwork draws a one-input, one-output network with one to three
// hidden layers of widths 1 … 8, relu or leaky relu, weights ±[0.2, 2] and
// biases ±[0, 2].
func drawPLNetwork(t *rapid.T) *nn.Network {
	depth := rapid.IntRange(1, 3).Draw(t, "depth")
	widths := rapid.SliceOfN(rapid.IntRange(1, 8), depth, depth).Draw(t, "widths")
	leaky := rapid.Bool().Draw(t, "leaky")
	act := nn.ReLU
	if leaky {
		act, _ = nn.LeakyReLU(rapid.Float64Range(0.01, 0.5).Draw(t, "alpha"))
	}
	sizes := append(append([]int{1}, widths...), 1)
	net, err := nn.New(sizes, act, nn.Identity, 0)
	if err != nil {
		t.Fatal(err)
	}
	p := make([]float64, net.NumParams())
	for k := range p {
		sign := rapid.SampledFrom([]float64{-1, 1}).Draw(t, "sign")
		if _, _, _, bias := net.ParamIndex(k); bias {
			p[k] = sign * rapid.Float64Range(0, 2).Draw(t, "b")
		} else {
			p[k] = sign * rapid.Float64Range(0.2, 2).Draw(t, "w")
		}
	}
	if err := net.SetParams(p); err != nil {
		t.Fatal(err)
	}
	return net
}

func TestPropertyS5_PieceCountBound(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		net := drawPLNetwork(t)
		r := rapid.Float64Range(0.5, 8).Draw(t, "R")
		if _, err := checkPieces(approx.PieceList, net, -r, r, 1001); err != nil {
			t.Fatal(err)
		}
	})
	if r := runS5(Config{Quick: true}); !r.Pass {
		t.Errorf("runS5: %s", r.Detail)
	}
}

func TestS5CatchesBrokenPieceLists(t *testing.T) {
	net, err := randomPLNetwork([]int{4, 3}, nn.ReLU, 3)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := approx.PieceList(net, -4, 4)
	if err != nil || len(ps) < 3 {
		t.Fatalf("need a network with ≥ 3 pieces, got %d (%v)", len(ps), err)
	}
	// An extra split with the same slope on both sides: not maximal.
	split := func(n *nn.Network, a, b float64) ([]approx.Piece, error) {
		ps, err := approx.PieceList(n, a, b)
		if err != nil {
			return nil, err
		}
		p := ps[0]
		m := p.Lo + (p.Hi-p.Lo)/2
		left, right := p, p
		left.Hi, right.Lo = m, m
		return append([]approx.Piece{left, right}, ps[1:]...), nil
	}
	if _, err := checkPieces(split, net, -4, 4, 1001); err == nil {
		t.Error("S5 accepted two adjacent pieces with the same slope")
	}
	// A dropped kink: two pieces reported as one.
	drop := func(n *nn.Network, a, b float64) ([]approx.Piece, error) {
		ps, err := approx.PieceList(n, a, b)
		if err != nil {
			return nil, err
		}
		ps[0].Hi = ps[1].Hi
		return append(ps[:1], ps[2:]...), nil
	}
	if _, err := checkPieces(drop, net, -4, 4, 1001); err == nil {
		t.Error("S5 accepted a piece list that misses a kink")
	}
	// More pieces than Π(w_l + 1): a one-unit network cannot have 3.
	one, _ := randomPLNetwork([]int{1}, nn.ReLU, 1)
	fake := func(n *nn.Network, a, b float64) ([]approx.Piece, error) {
		t1, t2 := a+(b-a)/3, a+2*(b-a)/3
		return []approx.Piece{
			{Lo: a, Hi: t1},
			{Lo: t1, Hi: t2, Slope: 1, Intercept: -t1},
			{Lo: t2, Hi: b, Intercept: t2 - t1},
		}, nil
	}
	if _, err := checkPieces(fake, one, -4, 4, 101); err == nil {
		t.Error("S5 accepted 3 pieces for one relu unit")
	}
}

func TestPropertyD1_SawtoothPieces(t *testing.T) {
	withRapidChecks(t, 12)
	rapid.Check(t, func(t *rapid.T) {
		k := rapid.IntRange(1, 20).Draw(t, "k")
		if _, err := checkSawtooth(approx.Sawtooth, approx.PieceList, k); err != nil {
			t.Fatal(err)
		}
	})
	if r := runD1(Config{Quick: true}); !r.Pass {
		t.Errorf("runD1: %s", r.Detail)
	}
}

func TestD1CatchesOffByOneAndBrokenTeeth(t *testing.T) {
	offByOne := func(n *nn.Network, a, b float64) ([]approx.Piece, error) {
		ps, err := approx.PieceList(n, a, b)
		if err != nil {
			return nil, err
		}
		return ps[1:], nil
	}
	if _, err := checkSawtooth(approx.Sawtooth, offByOne, 5); err == nil {
		t.Error("D1 accepted 2^k − 1 pieces")
	}
	// A tent whose peak is at 0.4 instead of ½ (bias −0.4): still 2^k
	// pieces, but neither equal lengths nor slopes ±2^k.
	skewed := func(k int) (*nn.Network, error) {
		net, err := approx.Sawtooth(k)
		if err != nil {
			return nil, err
		}
		p := net.Params()
		p[3] = -0.4
		return net, net.SetParams(p)
	}
	if _, err := checkSawtooth(skewed, approx.PieceList, 3); err == nil {
		t.Error("D1 accepted a skewed tent")
	}
}

func TestPropertyD2_ShallowNeedsExponentialWidth(t *testing.T) {
	withRapidChecks(t, 10)
	rapid.Check(t, func(t *rapid.T) {
		k := rapid.IntRange(1, 9).Draw(t, "k")
		seed := rapid.Uint64().Draw(t, "seed")
		if _, _, err := checkDepthSeparation(approx.PieceList, k, seed, 3); err != nil {
			t.Fatal(err)
		}
	})
	if r := runD2(Config{Quick: true}); !r.Pass {
		t.Errorf("runD2: %s", r.Detail)
	}
}

func TestD2CatchesAnInflatedCounter(t *testing.T) {
	// Planted bug: a counter that splits every piece in two.
	double := func(n *nn.Network, a, b float64) ([]approx.Piece, error) {
		ps, err := approx.PieceList(n, a, b)
		if err != nil {
			return nil, err
		}
		var out []approx.Piece
		for _, p := range ps {
			m := p.Lo + (p.Hi-p.Lo)/2
			l, r := p, p
			l.Hi, r.Lo = m, m
			out = append(out, l, r)
		}
		return out, nil
	}
	if _, _, err := checkDepthSeparation(double, 4, 1, 3); err == nil {
		t.Error("D2 accepted a counter that doubles every piece")
	}
}

func TestPropertyD3_YarotskySquare(t *testing.T) {
	withRapidChecks(t, 20)
	rapid.Check(t, func(t *rapid.T) {
		m := rapid.IntRange(1, 16).Draw(t, "m")
		if _, err := checkYarotsky(approx.YarotskySquare, approx.PieceList, m); err != nil {
			t.Fatal(err)
		}
	})
	if r := runD3(Config{Quick: true}); !r.Pass {
		t.Errorf("runD3: %s", r.Detail)
	}
}

func TestD3CatchesWrongScales(t *testing.T) {
	// Planted bug: the last correction divided by 2^m instead of 4^m.
	halves := func(m int) (*nn.Network, error) {
		net, err := approx.YarotskySquare(m)
		if err != nil {
			return nil, err
		}
		p := net.Params()
		n := len(p)
		p[n-3], p[n-2] = p[n-3]*2, p[n-2]*2 // output weights −2/4^m, 4/4^m
		return net, net.SetParams(p)
	}
	if _, err := checkYarotsky(halves, approx.PieceList, 3); err == nil {
		t.Error("D3 accepted a wrong scale of the last tent")
	}
	shallower := func(m int) (*nn.Network, error) { return approx.YarotskySquare(max(1, m-1)) }
	if _, err := checkYarotsky(shallower, approx.PieceList, 4); err == nil {
		t.Error("D3 accepted f_{m−1} for f_m")
	}
}
