package claims

import (
	"math"
	"testing"

	"pgregory.net/rapid"

	"github.com/reluproof/reluproof/approx"
	"github.com/reluproof/reluproof/nn"
)

func TestPropertyR1_SoftplusBetaGap(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		beta := math.Exp2(rapid.Float64Range(-10, 20).Draw(t, "log2beta"))
		var x float64
		if rapid.Bool().Draw(t, "huge") {
			x = drawX(t, "log10x", 1) * math.Pow(10, rapid.Float64Range(-10, 300).Draw(t, "exp10"))
		} else {
			x = drawX(t, "x", 50/beta)
		}
		if _, err := checkSoftplusGap(approx.SharpenedSoftplus, x, beta); err != nil {
			t.Fatal(err)
		}
		if _, err := checkSoftplusGap(approx.SharpenedSoftplus, 0, beta); err != nil {
			t.Fatal(err)
		}
	})
	if r := runR1(Config{Quick: true}); !r.Pass {
		t.Errorf("runR1: %s", r.Detail)
	}
}

func TestR1CatchesNaiveSoftplus(t *testing.T) {
	naive := func(x, beta float64) float64 { return math.Log(1+math.Exp(beta*x)) / beta }
	if _, err := checkSoftplusGap(naive, 800, 1); err == nil {
		t.Error("R1 check accepted log(1+exp(800)) = +Inf")
	}
	half := func(x, beta float64) float64 { return approx.SharpenedSoftplus(x, 2*beta) }
	if _, err := checkSoftplusGap(half, 0, 1); err == nil {
		t.Error("R1 check accepted a gap of log 2/(2β) at 0")
	}
}

func TestPropertyR2_ReluRampAndSigmoids(t *testing.T) {
	ramp := approx.RampNetwork()
	rapid.Check(t, func(t *rapid.T) {
		xs := []float64{drawX(t, "x", 4), drawX(t, "big", 0x1p52-1)}
		if err := checkRamp(approx.Ramp, ramp, xs); err != nil {
			t.Fatal(err)
		}
		L := rapid.Float64Range(1, 12).Draw(t, "L")
		n := rapid.IntRange(1, 300).Draw(t, "n")
		if _, err := checkPLSigmoid(approx.PLSigmoid, L, n); err != nil {
			t.Fatal(err)
		}
	})
	if r := runR2(Config{Quick: true}); !r.Pass {
		t.Errorf("runR2: %s", r.Detail)
	}
}

func TestR2CatchesBrokenRampsAndSigmoids(t *testing.T) {
	// A ramp with its second kink at 1 + 2^-20 is off by 2^-20 above 1.
	off := func(x float64) float64 { return nn.ReLU.Eval(x) - nn.ReLU.Eval(x-1-0x1p-20) }
	if err := checkRamp(off, approx.RampNetwork(), []float64{0.5, 2}); err == nil {
		t.Error("ramp check accepted a shifted kink")
	}
	if err := checkRamp(approx.Ramp, approx.HardSigmoidNetwork(), []float64{0.5}); err == nil {
		t.Error("ramp check accepted the hardsigmoid network as the ramp")
	}
	// hardsigmoid with the kinks at ±2.5 is a different function.
	if _, err := checkHardSigmoid(func(x float64) float64 { return (nn.ReLU.Eval(x+2.5) - nn.ReLU.Eval(x-2.5)) / 5 }); err == nil {
		t.Error("hardsigmoid check accepted kinks at ±2.5")
	}
	// The interpolant of σ without the final slope jump keeps rising past L.
	noClamp := func(L float64, n int) (*nn.Network, error) {
		k, err := approx.UniformKnots(-L, L, n)
		if err != nil {
			return nil, err
		}
		// n units only: not the n+1 the claim counts, and wrong beyond L.
		return approx.Interpolant(nn.Sigmoid.Eval, k)
	}
	if _, err := checkPLSigmoid(noClamp, 6, 16); err == nil {
		t.Error("PL sigmoid check accepted a network that is not clamped at L")
	}
	// A PL sigmoid with too few pieces for the claimed n breaks the bound.
	coarse := func(L float64, n int) (*nn.Network, error) {
		net, err := approx.PLSigmoid(L, max(1, n/4))
		if err != nil {
			return nil, err
		}
		return padUnits(net, n+1)
	}
	if _, err := checkPLSigmoid(coarse, 12, 64); err == nil {
		t.Error("PL sigmoid check accepted a sigmoid with a quarter of the pieces")
	}
}

// padUnits widens a one-hidden-layer relu network to width units with dead
// units (zero weights, bias −1), leaving its function unchanged.
func padUnits(net *nn.Network, width int) (*nn.Network, error) {
	w, b := net.Layer(0)
	v, c := net.Layer(1)
	old, _ := w.Dims()
	p := make([]float64, 3*width+1)
	for j := 0; j < width; j++ {
		if j < old {
			p[j], p[width+j], p[2*width+j] = w.At(j, 0), b[j], v.At(0, j)
		} else {
			p[width+j] = -1
		}
	}
	p[3*width] = c[0]
	out, err := nn.New([]int{1, width, 1}, nn.ReLU, nn.Identity, 0)
	if err != nil {
		return nil, err
	}
	return out, out.SetParams(p)
}

func TestPropertyR3_ReluFromSigmoidUnits(t *testing.T) {
	withRapidChecks(t, 40)
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 400).Draw(t, "n")
		h := drawStep(t, -3, 1)
		beta := math.Exp2(rapid.Float64Range(-1, 6).Draw(t, "log2beta"))
		if _, err := checkSigmoidReLU(approx.SigmoidReLUNetwork, n, h, beta, r3Points(n, h, beta, 101)); err != nil {
			t.Fatal(err)
		}
	})
	if r := runR3(Config{Quick: true}); !r.Pass {
		t.Errorf("runR3: %s", r.Detail)
	}
}

func TestR3CatchesMissingOneOverBeta(t *testing.T) {
	// Planted bug: the β left out of the unit (weight 1, step hβ), so the
	// network is S_{n,hβ}(x) and not (1/β)·S_{n,h}(βx).
	bad := func(n int, h, beta float64) (*nn.Network, error) { return approx.SigmoidReLUNetwork(n, h*beta, 1) }
	if _, err := checkSigmoidReLU(bad, 40, 1, 4, r3Points(40, 1, 4, 101)); err == nil {
		t.Error("R3 check accepted a network without the 1/β scale")
	}
}
