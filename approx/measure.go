package approx

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"

	"github.com/reluproof/reluproof/nn"
)

// Grid returns n ≥ 2 equally spaced points from a to b inclusive, the
// first exactly a and the last exactly b: x_i = a + (b − a)·i/(n − 1). When
// that product would overflow (b − a beyond MaxFloat64, as on
// [−MaxFloat64, MaxFloat64]) the points are a·(1 − t_i) + b·t_i with
// t_i = i/(n − 1) instead, finite, non-decreasing and within a few ulps of
// the exact points or of 0. It returns an error wrapping ErrDomain for
// n < 2, n > MaxCount or a bad interval.
func Grid(a, b float64, n int) ([]float64, error) {
	if err := checkInterval(a, b); err != nil {
		return nil, err
	}
	if n < 2 || n > MaxCount {
		return nil, errorf(ErrDomain, "grid needs 2 ≤ n ≤ MaxCount points, got %d", n)
	}
	xs := make([]float64, n)
	wide := math.IsInf((b-a)*float64(n-1), 0)
	for i := range xs {
		if wide {
			t := float64(i) / float64(n-1)
			xs[i] = a*(1-t) + b*t
		} else {
			xs[i] = a + (b-a)*float64(i)/float64(n-1)
		}
	}
	xs[n-1] = b
	return xs, nil
}

// lerp returns a + (b − a)·t for t in [0, 1] without overflow: the plain
// form when b − a is finite, a·(1 − t) + b·t when it is not (then a < 0 < b,
// so the two terms have opposite signs and their sum cannot overflow).
func lerp(a, b, t float64) float64 {
	if d := b - a; !math.IsInf(d, 0) {
		return a + d*t
	}
	return a*(1-t) + b*t
}

// RefinedGrid returns the union of a uniform grid of n points on
// [knots[0], knots[len−1]] and of every knot interval cut into per equal
// parts (so each interval's midpoint is on it for even per), sorted. The sup
// error of an interpolant is measured on it: a uniform grid alone misses the
// tiny first intervals of graded knots. It returns the errors of Grid,
// ErrKnots for bad knots or per < 1, and ErrDomain if the union would have
// more than MaxCount points.
func RefinedGrid(knots []float64, n, per int) ([]float64, error) {
	if err := checkKnots(knots); err != nil {
		return nil, err
	}
	if per < 1 {
		return nil, errorf(ErrKnots, "per = %d, need ≥ 1", per)
	}
	if per > (MaxCount-1-max(n, 0))/(len(knots)-1) {
		return nil, errorf(ErrDomain, "%d points and %d parts of %d intervals exceed MaxCount = %d", n, per, len(knots)-1, MaxCount)
	}
	xs, err := Grid(knots[0], knots[len(knots)-1], n)
	if err != nil {
		return nil, err
	}
	for i := 0; i+1 < len(knots); i++ {
		lo, hi := knots[i], knots[i+1]
		for j := 0; j < per; j++ {
			if d := hi - lo; !math.IsInf(d, 0) {
				xs = append(xs, lo+d*float64(j)/float64(per))
			} else {
				xs = append(xs, lerp(lo, hi, float64(j)/float64(per)))
			}
		}
	}
	xs = append(xs, knots[len(knots)-1])
	sort.Float64s(xs)
	return xs, nil
}

// Eval returns the outputs of a one-input, one-output network at xs in one
// batched forward pass. It returns an error wrapping ErrNetwork for a nil or
// wrong-shaped network, and nn's errors from Forward (ErrNonFinite for a
// non-finite x or an overflow).
func Eval(net *nn.Network, xs []float64) ([]float64, error) {
	if net == nil {
		return nil, errorf(ErrNetwork, "nil network")
	}
	sizes := net.Sizes()
	if sizes[0] != 1 || sizes[len(sizes)-1] != 1 {
		return nil, errorf(ErrNetwork, "network has sizes %v, need one input and one output", sizes)
	}
	if len(xs) == 0 {
		return nil, errorf(ErrDomain, "no points")
	}
	y, err := net.Forward(mat.NewDense(len(xs), 1, append([]float64(nil), xs...)))
	if err != nil {
		return nil, errorf(ErrDomain, "forward: %w", err)
	}
	return append([]float64(nil), y.RawMatrix().Data...), nil
}

// Errors returns the sup and root-mean-square differences between the
// network and f at the points xs. Both are NaN if f is NaN at some point,
// and +Inf if a difference is +Inf or exceeds MaxFloat64 (f infinite, or
// the network and f of opposite signs beyond MaxFloat64/2); the RMS is
// computed scaled by the sup when the plain sum of squares overflows, so it
// is finite whenever the sup is. It returns an error wrapping ErrKnots for a
// nil f, and the errors of Eval.
func Errors(net *nn.Network, f func(float64) float64, xs []float64) (sup, rms float64, err error) {
	if f == nil {
		return 0, 0, errorf(ErrKnots, "nil function")
	}
	ys, err := Eval(net, xs)
	if err != nil {
		return 0, 0, err
	}
	ds := make([]float64, len(xs))
	var ss float64
	for i, x := range xs {
		d := math.Abs(ys[i] - f(x))
		if !(d <= sup) { // also propagates NaN
			sup = d
		}
		ss += d * d
		ds[i] = d
	}
	if math.IsInf(ss, 1) && !math.IsInf(sup, 1) && !math.IsNaN(sup) {
		// Σd² overflowed although every d is finite: sum (d/sup)² ≤ len(xs).
		ss = 0
		for _, d := range ds {
			ss += (d / sup) * (d / sup)
		}
		return sup, sup * math.Sqrt(ss/float64(len(xs))), nil
	}
	return sup, math.Sqrt(ss / float64(len(xs))), nil
}

// Rate is a power law err ≈ e^Intercept·width^Slope fitted by least squares
// on log err against log width (gonum's stat.LinearRegression), with the
// fit's coefficient of determination R2 so that a noisy "rate" is visible.
type Rate struct {
	Slope, Intercept, R2 float64
}

// FitRate fits a Rate to errs against widths. It returns an error wrapping
// ErrDomain for fewer than two points, lengths that differ, a width below 1
// or an error that is not finite and positive.
func FitRate(widths []int, errs []float64) (Rate, error) {
	xs := make([]float64, len(widths))
	for i, w := range widths {
		if w < 1 {
			return Rate{}, errorf(ErrDomain, "point %d: width %d", i, w)
		}
		xs[i] = float64(w)
	}
	return FitPower(xs, errs)
}

// FitPower fits errs ≈ e^Intercept·xs^Slope by least squares on the logs
// (stat.LinearRegression), with R²: the order of a method in a step h
// (claim N3) or a width. It returns an error wrapping ErrDomain for fewer
// than two points, lengths that differ, or a value that is not finite and
// positive.
func FitPower(xs, errs []float64) (Rate, error) {
	if len(xs) != len(errs) || len(xs) < 2 {
		return Rate{}, errorf(ErrDomain, "rate needs ≥ 2 (x, error) pairs, got %d and %d", len(xs), len(errs))
	}
	lx, ly := make([]float64, len(xs)), make([]float64, len(errs))
	for i, x := range xs {
		if !(x > 0) || math.IsInf(x, 1) || !(errs[i] > 0) || math.IsInf(errs[i], 1) {
			return Rate{}, errorf(ErrDomain, "point %d: x %v, error %v", i, x, errs[i])
		}
		lx[i], ly[i] = math.Log(x), math.Log(errs[i])
	}
	alpha, beta := stat.LinearRegression(lx, ly, nil, false)
	return Rate{Slope: beta, Intercept: alpha, R2: stat.RSquared(lx, ly, nil, alpha, beta)}, nil
}

// SupRate fits a Rate to the sup errors of rows (one row per width).
func SupRate(rows []SweepRow) (Rate, error) {
	w, e := columns(rows)
	return FitRate(w, e.sup)
}

// RMSRate fits a Rate to the RMS errors of rows (one row per width).
func RMSRate(rows []SweepRow) (Rate, error) {
	w, e := columns(rows)
	return FitRate(w, e.rms)
}

type errCols struct{ sup, rms []float64 }

func columns(rows []SweepRow) ([]int, errCols) {
	w := make([]int, len(rows))
	e := errCols{make([]float64, len(rows)), make([]float64, len(rows))}
	for i, r := range rows {
		w[i], e.sup[i], e.rms[i] = r.Width, r.SupErr, r.RMS
	}
	return w, e
}

// Median returns, for each width of rows in order of first appearance, one
// row with the median SupErr and median RMS over that width's rows (the
// seeds) and the total Seconds; Seed is 0.
func Median(rows []SweepRow) []SweepRow {
	var order []int
	by := map[int][]SweepRow{}
	for _, r := range rows {
		if _, ok := by[r.Width]; !ok {
			order = append(order, r.Width)
		}
		by[r.Width] = append(by[r.Width], r)
	}
	out := make([]SweepRow, 0, len(order))
	for _, w := range order {
		rs := by[w]
		sup, rms := make([]float64, len(rs)), make([]float64, len(rs))
		var secs float64
		for i, r := range rs {
			sup[i], rms[i] = r.SupErr, r.RMS
			secs += r.Seconds
		}
		out = append(out, SweepRow{Width: w, SupErr: median(sup), RMS: median(rms), Seconds: secs})
	}
	return out
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
