package approx

import (
	"math"
	"math/rand/v2"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/reluproof/reluproof/nn"
)

// FeatureFit is a least-squares fit on random features (claims U5, U6).
type FeatureFit struct {
	// Net is the fitted one-hidden-layer network: the random first layer
	// and the least-squares output weights and bias.
	Net *nn.Network
	// Rank is the numerical rank of the column-scaled design matrix (the
	// singular values above max(rows, cols)·ε·s_max), Cond the ratio of the
	// largest to the smallest singular value kept: the condition check.
	Rank int
	Cond float64
}

// featureLayer draws the random first layer of a width-unit feature model
// on [a, b]: unit k is φ(w_k(x − t_k)) with the centre t_k uniform on [a, b],
// a random sign, and for every activation but relu and identity (which are
// scale-free up to the output weight) a steepness uniform on
// [1, 1 + width/2]·2/(b − a), so that wider models resolve finer detail.
// On an interval wider than MaxFloat64 the centres are lerp(a, b, u) and
// 2/(b − a) is 1/(b/2 − a/2), so that nothing overflows.
func featureLayer(act nn.Activation, width int, a, b float64, seed uint64) (w, bias []float64) {
	rng := rand.New(rand.NewPCG(seed, 0x6665617475726573)) // "features"
	w, bias = make([]float64, width), make([]float64, width)
	scaleFree := act == nn.ReLU || act == nn.Identity
	unit := 2 / (b - a)
	if math.IsInf(b-a, 0) {
		unit = 1 / (b/2 - a/2)
	}
	for k := range w {
		t := lerp(a, b, rng.Float64())
		s := unit
		if !scaleFree {
			s *= 1 + rng.Float64()*float64(width)/2
		}
		if rng.IntN(2) == 0 {
			s = -s
		}
		w[k], bias[k] = s, -s*t
	}
	return w, bias
}

// RandomFeatures fits a one-hidden-layer network φ-width-identity to the
// samples (xs, ys) by least squares on random features (claims U5, U6): the
// first layer is drawn from seed (see featureLayer: centres uniform on
// [a, b]) and the output weights and bias minimise Σ(net(x_i) − y_i)². The
// columns of the design matrix are scaled to unit norm and the problem is
// solved by gonum's SVD with numerical rank max(rows, cols)·ε (minimum-norm
// solution), which copes with the rank-deficient designs of polynomial
// activations. The same arguments give the same network.
//
// It returns an error wrapping ErrDomain for a nil activation, width < 1,
// a bad interval, xs and ys of different or zero length, or a design matrix
// of more than MaxCount entries (len(xs)·(width + 1)), and ErrSolve for
// non-finite data or features, or a failed factorisation.
func RandomFeatures(act nn.Activation, width int, a, b float64, xs, ys []float64, seed uint64) (FeatureFit, error) {
	if act == nil || width < 1 {
		return FeatureFit{}, errorf(ErrDomain, "random features need an activation and width ≥ 1, got width %d", width)
	}
	if err := checkInterval(a, b); err != nil {
		return FeatureFit{}, err
	}
	if len(xs) == 0 || len(xs) != len(ys) {
		return FeatureFit{}, errorf(ErrDomain, "%d inputs and %d targets", len(xs), len(ys))
	}
	if width > MaxCount/len(xs)-1 {
		return FeatureFit{}, errorf(ErrDomain, "a %d×(%d + 1) design exceeds MaxCount = %d entries", len(xs), width, MaxCount)
	}
	w, bias := featureLayer(act, width, a, b, seed)
	m, p := len(xs), width+1
	design := mat.NewDense(m, p, nil)
	for i, x := range xs {
		for k := 0; k < width; k++ {
			design.Set(i, k, act.Eval(w[k]*x+bias[k]))
		}
		design.Set(i, width, 1)
	}
	if !finite(design.RawMatrix().Data) || !finite(ys) {
		return FeatureFit{}, errorf(ErrSolve, "non-finite data or features")
	}
	scale := make([]float64, p)
	for k := 0; k < p; k++ {
		scale[k] = mat.Norm(design.ColView(k), 2)
		if scale[k] == 0 {
			scale[k] = 1
		}
	}
	for i := 0; i < m; i++ {
		row := design.RawRowView(i)
		for k := range row {
			row[k] /= scale[k]
		}
	}
	var svd mat.SVD
	if !svd.Factorize(design, mat.SVDThin) {
		return FeatureFit{}, errorf(ErrSolve, "SVD of the %d×%d design failed", m, p)
	}
	rank := svd.Rank(float64(max(m, p)) * 0x1p-52)
	if rank == 0 {
		return FeatureFit{}, errorf(ErrSolve, "design matrix has rank 0")
	}
	sv := svd.Values(nil)
	var c mat.Dense
	svd.SolveTo(&c, mat.NewDense(m, 1, append([]float64(nil), ys...)), rank)
	params := make([]float64, 3*width+1)
	copy(params, w)
	copy(params[width:], bias)
	for k := 0; k < p; k++ {
		params[2*width+k] = c.At(k, 0) / scale[k]
	}
	net, err := build([]int{1, width, 1}, act, nn.Identity, params)
	if err != nil {
		return FeatureFit{}, errorf(ErrSolve, "fitted weights: %w", err)
	}
	return FeatureFit{Net: net, Rank: rank, Cond: sv[0] / sv[rank-1]}, nil
}

func finite(v []float64) bool {
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// PolyLeastSquares returns the coefficients c_0…c_d of the polynomial of
// degree ≤ d that minimises Σ(p(x_i) − y_i)² and the RMS of its residual on
// the samples: the exact optimum of claim U6's negative control, computed
// independently of the networks (monomial basis, gonum's QR). It returns
// an error wrapping ErrDomain for d < 0, xs and ys of different length,
// fewer than d + 1 samples or a Vandermonde matrix of more than MaxCount
// entries (len(xs)·(d + 1)), and ErrSolve for non-finite data or a singular
// system.
func PolyLeastSquares(xs, ys []float64, d int) (coef []float64, rms float64, err error) {
	if d < 0 || len(xs) != len(ys) || len(xs) <= d || d >= MaxCount/max(len(xs), 1) {
		return nil, 0, errorf(ErrDomain, "degree %d with %d inputs and %d targets", d, len(xs), len(ys))
	}
	if !finite(xs) || !finite(ys) {
		return nil, 0, errorf(ErrSolve, "non-finite samples")
	}
	m := len(xs)
	v := mat.NewDense(m, d+1, nil)
	for i, x := range xs {
		p := 1.0
		for j := 0; j <= d; j++ {
			v.Set(i, j, p)
			p *= x
		}
	}
	var qr mat.QR
	qr.Factorize(v)
	var c mat.Dense
	if err := qr.SolveTo(&c, false, mat.NewDense(m, 1, append([]float64(nil), ys...))); err != nil {
		return nil, 0, errorf(ErrSolve, "polynomial least squares: %v", err)
	}
	coef = make([]float64, d+1)
	for j := range coef {
		coef[j] = c.At(j, 0)
	}
	var ss float64
	for i, x := range xs {
		r := Horner(coef, x) - ys[i]
		ss += r * r
	}
	return coef, math.Sqrt(ss / float64(m)), nil
}

// Horner evaluates Σ coef[j]·x^j.
func Horner(coef []float64, x float64) float64 {
	var p float64
	for j := len(coef) - 1; j >= 0; j-- {
		p = p*x + coef[j]
	}
	return p
}

// FeatureSweep fits RandomFeatures(act, n, t.A, t.B, train, t.F(train),
// seed) for every width n and seed, and measures each fit on eval (claims
// U5, U6): one row per (width, seed), widths outer. Use Median to summarise
// the seeds. It returns an error wrapping ErrKnots for a nil t.F, and the
// errors of RandomFeatures and Errors.
func FeatureSweep(act nn.Activation, t Target, widths []int, seeds []uint64, train, eval []float64) ([]SweepRow, error) {
	if t.F == nil {
		return nil, errorf(ErrKnots, "target %q has a nil function", t.Name)
	}
	ys := make([]float64, len(train))
	for i, x := range train {
		ys[i] = t.F(x)
	}
	var rows []SweepRow
	for _, n := range widths {
		for _, seed := range seeds {
			start := time.Now()
			fit, err := RandomFeatures(act, n, t.A, t.B, train, ys, seed)
			if err != nil {
				return nil, err
			}
			sup, rms, err := Errors(fit.Net, t.F, eval)
			if err != nil {
				return nil, err
			}
			rows = append(rows, SweepRow{Width: n, Seed: seed, SupErr: sup, RMS: rms, Seconds: time.Since(start).Seconds()})
		}
	}
	return rows, nil
}
