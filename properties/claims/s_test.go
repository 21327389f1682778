package claims

import (
	"errors"
	"math"
	"testing"

	"pgregory.net/rapid"

	"github.com/reluproof/reluproof/approx"
	"github.com/reluproof/reluproof/nn"
	"github.com/reluproof/reluproof/properties/gen"
)

func sProperty(t *testing.T, biasFree bool, check func(sCase) (float64, error)) {
	var worst float64
	rapid.Check(t, func(rt *rapid.T) {
		c := sGen(biasFree).Draw(rt, "case")
		e, err := check(c)
		if err != nil {
			rt.Fatal(err)
		}
		worst = math.Max(worst, e)
	})
	t.Logf("largest error %.3g·S(x)", worst)
}

func TestPropertyS1_PositiveHomogeneity(t *testing.T) { sProperty(t, true, checkS1) }
func TestPropertyS2_RescalingSymmetry(t *testing.T)   { sProperty(t, false, checkS2) }
func TestPropertyS3_PermutationSymmetry(t *testing.T) { sProperty(t, false, checkS3) }

func TestPropertyS4_PiecewiseLinearity(t *testing.T) {
	var worst float64
	rapid.Check(t, func(rt *rapid.T) {
		c := s4Gen().Draw(rt, "inside")
		k := kinkGen().Draw(rt, "across")
		r, err := checkS4(c)
		if err != nil {
			rt.Fatal(err)
		}
		worst = math.Max(worst, r.SecondDiff)
		if _, err := checkKinkCrossing(k.Net, k.X, k.V, k.Rho); err != nil {
			rt.Fatal(err)
		}
	})
	t.Logf("largest second difference inside a region %.3g·S", worst)
}

// withHidden returns a copy of c whose network has the same sizes, seed
// weights and biases but another hidden activation.
func withHidden(t *testing.T, c sCase, hidden nn.Activation) sCase {
	t.Helper()
	net, err := nn.New(c.Net.Sizes(), hidden, c.Net.Output(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := net.SetParams(c.Net.Params()); err != nil {
		t.Fatal(err)
	}
	c.Net = net
	return c
}

// unitLive reports whether hidden unit (layer, unit) of c has a positive
// pre-activation for some sample, so that changing it can change f.
func unitLive(c sCase) bool {
	zs, err := c.Net.PreActivations(c.X)
	if err != nil {
		return false
	}
	r, _ := zs[c.Layer].Dims()
	for i := range r {
		if zs[c.Layer].At(i, c.Unit) > 0 {
			return true
		}
	}
	return false
}

// TestSCheckersCatch: each S check fails on a planted violation wherever
// the violation can change f: a non-homogeneous activation (S1: softplus;
// S2: sigmoid), outgoing weights scaled by c instead of 1/c (S2), rows
// permuted without the matching columns (S3), and a smooth network (S4).
func TestSCheckersCatch(t *testing.T) {
	cases, genB := sGen(false), sGen(true)
	seen, caught := map[string]int{}, map[string]int{}
	try := func(name string, applies bool, err error) {
		if !applies {
			return
		}
		seen[name]++
		if err != nil {
			caught[name]++
		}
	}
	for i := range 60 {
		c, cb := cases.Seeded(uint64(3000+i)), genB.Seeded(uint64(3000+i))
		_, err := checkS1(withHidden(t, cb, nn.Softplus))
		try("S1 with softplus", cb.Net.NumLayers() >= 2 && cb.A != 1, err)
		_, err = checkS2(withHidden(t, c, nn.Sigmoid))
		try("S2 with sigmoid", c.A != 1, err)

		// Outgoing weights multiplied by c = 3 instead of divided.
		wrong := rescaled(c.Net, c.Layer, c.Unit, 3)
		p := wrong.Params()
		for k := range p {
			if l, _, col, bias := wrong.ParamIndex(k); l == c.Layer+1 && !bias && col == c.Unit {
				p[k] *= 9
			}
		}
		if err := wrong.SetParams(p); err != nil {
			t.Fatal(err)
		}
		f0, _ := c.Net.Forward(c.X)
		f1, _ := wrong.Forward(c.X)
		e, _ := compareOutputs(f1, f0, absScale(c.Net, c.X))
		err = nil
		if e > 2*gamma(forwardRounding(c.Net))+4*machEps {
			err = errS
		}
		try("S2 with c instead of 1/c", unitLive(c), err)

		// Rows of W_l and b_l permuted, columns of W_{l+1} left alone.
		rows := permuted(c.Net, c.Layer, c.Perm)
		rp, cp := rows.Params(), c.Net.Params()
		for k := range rp {
			if l, _, _, _ := rows.ParamIndex(k); l == c.Layer+1 {
				rp[k] = cp[k]
			}
		}
		if err := rows.SetParams(rp); err != nil {
			t.Fatal(err)
		}
		f2, _ := rows.Forward(c.X)
		e, _ = compareOutputs(f2, f0, absScale(c.Net, c.X))
		err = nil
		if e > 2*gamma(forwardRounding(c.Net)) {
			err = errS
		}
		moved := false
		for j, v := range c.Perm {
			moved = moved || (v != j && unitLive(sCase{Net: c.Net, X: c.X, Layer: c.Layer, Unit: v}))
		}
		try("S3 rows without columns", moved, err)
	}
	for name, n := range seen {
		t.Logf("%s: caught %d of %d", name, caught[name], n)
		// The preconditions above are necessary, not sufficient, for the
		// planted change to reach the output (a unit above may be inactive
		// on the whole batch), so a few misses are expected; the checks
		// must catch nearly all.
		if caught[name] < n*9/10 || n < 20 {
			t.Errorf("%s: caught %d of %d candidate cases (want ≥ 90%%, and at least 20 cases)", name, caught[name], n)
		}
	}
	// S4: a smooth network is not affine on any segment.
	net, _ := nn.New([]int{3, 8, 1}, nn.Softplus, nn.Identity, 7)
	c := s4Case{Net: net, X: []float64{0.3, -0.7, 1.1}, V: gen.UnitVector(7, 3), Delta: 1e-3}
	if _, err := checkAffineSegment(c); err == nil {
		t.Error("a softplus network passed the inside-a-region check")
	}
	if _, err := checkS4(c); err == nil {
		t.Error("checkS4 accepted a smooth network")
	}
}

var errS = errors.New("changed")

// TestS5CancellingKinks: relu(x − ½) − relu(½ − x) = x − ½ is one piece;
// a sample exactly at ½, where both units sit on their kinks and the
// Jacobian takes relu′(0) = 0 for each, must not be read as a slope of 0.
func TestS5CancellingKinks(t *testing.T) {
	net, err := nn.New([]int{1, 2, 1}, nn.ReLU, nn.Identity, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := net.SetParams([]float64{1, -1, -0.5, 0.5, 1, -1, 0}); err != nil {
		t.Fatal(err)
	}
	n, err := checkPieces(approx.PieceList, net, 0, 1, 101) // the grid holds ½
	if err != nil || n != 1 {
		t.Errorf("relu(x − ½) − relu(½ − x) on [0, 1]: %d pieces, %v; want 1 and no error", n, err)
	}
}
