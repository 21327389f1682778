package approx_test

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/reluproof/reluproof/approx"
	"github.com/reluproof/reluproof/nn"
	"gonum.org/v1/gonum/mat"
)

// TestFeatureLayerAsDocumented: the random first layer is what
// RandomFeatures documents. Unit k computes φ(w_k x + b_k) = φ(w_k(x − t_k))
// with centre t_k = −b_k/w_k in [a, b]; |w_k| = 2/(b − a) for the
// scale-free relu and identity, and |w_k| ∈ [1, 1 + width/2]·2/(b − a)
// for every other activation; both signs occur. With 64 units the ranges
// are filled: the largest steepness factor is above 1 + width/4 and the
// smallest below it, and some centre lies in each outer quarter of [a, b]
// (each fails for one unit with probability 3/4, for all 64 with
// 0.75^64 ≈ 1e-8; the seed is fixed, so the test is deterministic). The centres are checked to
// a relative rounding of a few ε: t = −(−s·t)/s is exact up to two
// roundings.
func TestFeatureLayerAsDocumented(t *testing.T) {
	const width = 64
	a, b := 0.5, 3.0 // b + a > b − a, so a centre drawn on [a, a + b + a] would show
	xs, err := approx.Grid(a, b, 33)
	if err != nil {
		t.Fatal(err)
	}
	ys := make([]float64, len(xs))
	for i, x := range xs {
		ys[i] = math.Sin(x)
	}
	unit := 2 / (b - a)
	for _, act := range []nn.Activation{nn.ReLU, nn.Identity, nn.Sigmoid, nn.Tanh, nn.Softplus, nn.Square} {
		t.Run(act.Name(), func(t *testing.T) {
			fit, err := approx.RandomFeatures(act, width, a, b, xs, ys, 11)
			if err != nil {
				t.Fatalf("%s: %v", act.Name(), err)
			}
			if got := fit.Net.Sizes(); len(got) != 3 || got[0] != 1 || got[1] != width || got[2] != 1 {
				t.Fatalf("%s: sizes %v, want [1 %d 1]", act.Name(), got, width)
			}
			if fit.Net.Activation(0) != act || fit.Net.Activation(1) != nn.Identity {
				t.Errorf("%s: activations %s, %s; want %s, identity", act.Name(),
					fit.Net.Activation(0).Name(), fit.Net.Activation(1).Name(), act.Name())
			}
			w, bias := fit.Net.Layer(0)
			scaleFree := act == nn.ReLU || act == nn.Identity
			lo, hi := math.Inf(1), math.Inf(-1)
			cmin, cmax := math.Inf(1), math.Inf(-1)
			var pos, neg int
			for k := 0; k < width; k++ {
				wk := w.At(k, 0)
				if wk > 0 {
					pos++
				} else {
					neg++
				}
				f := math.Abs(wk) / unit
				lo, hi = math.Min(lo, f), math.Max(hi, f)
				c := -bias[k] / wk
				cmin, cmax = math.Min(cmin, c), math.Max(cmax, c)
				if c < a-4e-16*math.Abs(a) || c > b+4e-16*math.Abs(b) {
					t.Errorf("%s: unit %d has centre %v outside [%v, %v]", act.Name(), k, c, a, b)
				}
			}
			if q := (b - a) / 4; cmin > a+q || cmax < b-q {
				t.Errorf("%s: centres in [%v, %v] do not reach the outer quarters of [%v, %v]", act.Name(), cmin, cmax, a, b)
			}
			if pos == 0 || neg == 0 {
				t.Errorf("%s: %d positive and %d negative slopes; want both signs", act.Name(), pos, neg)
			}
			const eps = 0x1p-52
			if scaleFree {
				if lo < 1-2*eps || hi > 1+2*eps {
					t.Errorf("%s: steepness factors in [%v, %v], want exactly 1", act.Name(), lo, hi)
				}
				return
			}
			if lo < 1-2*eps || hi > 1+width/2*(1+2*eps) {
				t.Errorf("%s: steepness factors in [%v, %v], outside [1, %v]", act.Name(), lo, hi, 1+width/2)
			}
			if hi < 1+width/4 || lo > 1+width/4 {
				t.Errorf("%s: steepness factors in [%v, %v] do not straddle 1 + width/4 = %v",
					act.Name(), lo, hi, 1+width/4)
			}
		})
	}
}

// TestRandomFeaturesEdges: width 1 is a valid model (width ≥ 1), and a
// design with all-zero columns — relu units whose centre lies right of
// every sample, here with samples only in [0, 0.01] of [0, 1] — still fits:
// a zero column is left unscaled (its norm 0 would divide 0 by 0) and
// drops out of the rank. The samples lie on a line, which the affine
// network can match with any unit that is active, so the fit is exact to
// rounding: residual within 1e-12 of data of size 1 (a least-squares
// solve of a 9-column, rank-limited system, a few hundred roundings).
func TestRandomFeaturesEdges(t *testing.T) {
	xs := []float64{0, 0.2, 0.5, 1}
	ys := []float64{1, 0, 2, 3}
	if fit, err := approx.RandomFeatures(nn.Sigmoid, 1, 0, 1, xs, ys, 1); err != nil || fit.Net.Sizes()[1] != 1 {
		t.Errorf("width 1: %v, %v; want a fit with one hidden unit", fit.Net, err)
	}

	xs, _ = approx.Grid(0, 0.01, 11)
	ys = make([]float64, len(xs))
	for i, x := range xs {
		ys[i] = 3*x + 0.5
	}
	fit, err := approx.RandomFeatures(nn.ReLU, 8, 0, 1, xs, ys, 2)
	if err != nil {
		t.Fatal(err)
	}
	w, b := fit.Net.Layer(0)
	zero := 0
	for k := 0; k < 8; k++ {
		if w.At(k, 0) > 0 && -b[k]/w.At(k, 0) > 0.01 {
			zero++
		}
	}
	if zero == 0 {
		t.Fatalf("seed 2 gives no all-zero column; the case needs one")
	}
	if fit.Rank > 9-zero {
		t.Errorf("rank %d with %d zero columns of 9", fit.Rank, zero)
	}
	got, err := approx.Eval(fit.Net, xs)
	if err != nil {
		t.Fatal(err)
	}
	for i, x := range xs {
		if !(math.Abs(got[i]-ys[i]) <= 1e-12) {
			t.Errorf("fit at %v = %v, want %v", x, got[i], ys[i])
		}
	}
}

// TestFeatureFitCondition: Cond is the ratio of the largest to the
// smallest kept singular value of the column-scaled design (each column
// of [φ(w_k x_i + b_k) | 1] divided by its 2-norm). The test rebuilds that
// matrix from the fitted first layer and factorises it with gonum's SVD
// itself; both sides compute the same singular values up to the backward
// error of the SVD, ~p·ε·s_max for a p-column matrix, so the two ratios
// agree within 1e-9 relative for a well-conditioned 40×7 design.
func TestFeatureFitCondition(t *testing.T) {
	xs, _ := approx.Grid(-1, 1, 40)
	ys := make([]float64, len(xs))
	for i, x := range xs {
		ys[i] = math.Exp(x)
	}
	fit, err := approx.RandomFeatures(nn.Tanh, 6, -1, 1, xs, ys, 5)
	if err != nil {
		t.Fatal(err)
	}
	w, b := fit.Net.Layer(0)
	d := mat.NewDense(len(xs), 7, nil)
	for i, x := range xs {
		for k := 0; k < 6; k++ {
			d.Set(i, k, math.Tanh(w.At(k, 0)*x+b[k]))
		}
		d.Set(i, 6, 1)
	}
	for k := 0; k < 7; k++ {
		col := d.ColView(k)
		norm := mat.Norm(col, 2)
		for i := range xs {
			d.Set(i, k, d.At(i, k)/norm)
		}
	}
	var svd mat.SVD
	if !svd.Factorize(d, mat.SVDNone) {
		t.Fatal("SVD failed")
	}
	sv := svd.Values(nil)
	if fit.Rank != 7 {
		t.Fatalf("rank %d, want 7 (a full-rank design)", fit.Rank)
	}
	if want := sv[0] / sv[6]; !(math.Abs(fit.Cond/want-1) <= 1e-9) {
		t.Errorf("Cond = %v, want s_max/s_min = %v", fit.Cond, want)
	}
}

// TestPolyLeastSquaresEdges: degree 0 is valid and gives the mean of the
// samples; exactly d + 1 samples are valid and interpolate (residual 0 up
// to the rounding of a 3×3 QR solve, ~10ε of data of size 10).
func TestPolyLeastSquaresEdges(t *testing.T) {
	c, rms, err := approx.PolyLeastSquares([]float64{0, 1, 2, 3}, []float64{1, 2, 4, 5}, 0)
	if err != nil || len(c) != 1 || !(math.Abs(c[0]-3) <= 1e-15) || !(math.Abs(rms-math.Sqrt(2.5)) <= 1e-15) {
		t.Errorf("degree 0: %v, %v, %v; want [3], √2.5", c, rms, err)
	}
	xs, ys := []float64{-1, 0, 2}, []float64{3, 1, 9} // on p(x) = 1 + 2x²
	c, rms, err = approx.PolyLeastSquares(xs, ys, 2)
	if err != nil || len(c) != 3 || !(rms <= 1e-14) {
		t.Fatalf("3 samples, degree 2: %v, %v, %v; want an interpolant", c, rms, err)
	}
	for j, want := range []float64{1, 0, 2} {
		if !(math.Abs(c[j]-want) <= 1e-14) {
			t.Errorf("coefficient %d = %v, want %v (p = 1 + 2x²)", j, c[j], want)
		}
	}
}

// TestRandomFeaturesWideInterval: on [−MaxFloat64, MaxFloat64], where
// b − a overflows, the steepness unit 2/(b − a) is computed as
// 1/(b/2 − a/2) = 1/MaxFloat64, so the first layer is neither zero nor
// infinite and every feature w_k x + b_k stays within |w_k|·2·MaxFloat64
// of 0 (U5). For relu |w_k| is that unit exactly; for the sigmoid it is
// the unit times a factor in [1, 1 + width/2]. The unit, ≈ 5.6e−309, is
// subnormal with about 50 significant bits, so the product is rounded to
// 2^−50 relative and the factor is checked to 2^−48.
func TestRandomFeaturesWideInterval(t *testing.T) {
	const m, width = math.MaxFloat64, 16
	unit := 1 / (m/2 + m/2)
	if unit == 0 {
		t.Fatal("1/MaxFloat64 underflowed")
	}
	xs, err := approx.Grid(-m, m, 9)
	if err != nil {
		t.Fatal(err)
	}
	ys := make([]float64, len(xs))
	for i := range ys {
		ys[i] = math.Sin(float64(i))
	}
	for _, act := range []nn.Activation{nn.ReLU, nn.Sigmoid} {
		t.Run(act.Name(), func(t *testing.T) {
			fit, err := approx.RandomFeatures(act, width, -m, m, xs, ys, 3)
			if err != nil {
				t.Fatalf("%s on [−M, M]: %v", act.Name(), err)
			}
			w, _ := fit.Net.Layer(0)
			hi := 1.0
			if act != nn.ReLU {
				hi = 1 + width/2
			}
			const tol = 0x1p-48
			for k := 0; k < width; k++ {
				if f := math.Abs(w.At(k, 0)) / unit; !(f >= 1-tol && f <= hi*(1+tol)) {
					t.Errorf("%s: unit %d has |w| = %v, %v times 1/MaxFloat64, want a factor in [1, %v]",
						act.Name(), k, w.At(k, 0), f, hi)
				}
			}
		})
	}
}

// TestRandomFeaturesDesignLimit: the design [φ(w_k x_i + b_k) | 1] has
// len(xs)·(width + 1) entries and may have exactly MaxCount: 4096 samples
// with width 4095 pass the size check and reach the data check, which a
// NaN target fails with ErrSolve (after building the 128 MiB design, about
// 0.1 s); width 4096, MaxCount + 4096 entries, is refused with ErrDomain
// before anything is built.
func TestRandomFeaturesDesignLimit(t *testing.T) {
	xs, err := approx.Grid(0, 1, 4096)
	if err != nil {
		t.Fatal(err)
	}
	ys := make([]float64, len(xs))
	ys[0] = math.NaN()
	for _, c := range []struct {
		width int
		want  error
	}{
		{4095, approx.ErrSolve},
		{4096, approx.ErrDomain},
	} {
		t.Run(fmt.Sprint(c.width), func(t *testing.T) {
			if _, err := approx.RandomFeatures(nn.ReLU, c.width, 0, 1, xs, ys, 1); !errors.Is(err, c.want) {
				t.Errorf("%d samples, width %d: %v, want %v", len(xs), c.width, err, c.want)
			}
		})
	}
}

// TestPolyLeastSquaresDesignLimit: the Vandermonde matrix has
// len(xs)·(d + 1) entries and may have exactly MaxCount. With NaN samples
// the size check is the only thing that tells the cases apart: a matrix
// within the limit reaches the data check (ErrSolve), one beyond it is
// refused first (ErrDomain), and neither is allocated. 4096·4096 =
// MaxCount and 4097·4095 = MaxCount − 1 fit; 4097·4096 does not.
func TestPolyLeastSquaresDesignLimit(t *testing.T) {
	for _, c := range []struct {
		n, d int
		want error
	}{
		{4096, 4095, approx.ErrSolve},
		{4097, 4094, approx.ErrSolve},
		{4097, 4095, approx.ErrDomain},
	} {
		t.Run(fmt.Sprintf("%d samples, degree %d", c.n, c.d), func(t *testing.T) {
			xs, ys := make([]float64, c.n), make([]float64, c.n)
			xs[0] = math.NaN()
			if _, _, err := approx.PolyLeastSquares(xs, ys, c.d); !errors.Is(err, c.want) {
				t.Errorf("%d samples, degree %d: %v, want %v", c.n, c.d, err, c.want)
			}
		})
	}
}
