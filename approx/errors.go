package approx

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error returned by this package wraps one of them
// (or an nn error, for a network nn refused), with a message naming the
// offending value.
var (
	// ErrKnots reports fewer than two knots, knots that are not strictly
	// increasing, a non-finite knot, a nil function (in a Target too), or a
	// function value at a knot that is NaN or ±Inf.
	ErrKnots = errors.New("approx: invalid knots")
	// ErrDomain reports an argument outside its domain: an interval with
	// a ≥ b or a non-finite end, a count (k, m, n, width) below its
	// minimum or above MaxCount, a non-positive or non-finite step,
	// steepness or length, or a result that does not fit in float64.
	ErrDomain = errors.New("approx: argument out of domain")
	// ErrNetwork reports a nil network, one that does not have exactly one
	// input and one output, or one with an activation that is not
	// piecewise linear where Pieces needs one.
	ErrNetwork = errors.New("approx: unsupported network")
	// ErrSolve reports a least-squares problem that could not be solved:
	// a failed factorisation, a design matrix of rank 0, or non-finite data.
	ErrSolve = errors.New("approx: least squares failed")
)

// MaxCount is the largest count (points, knots, pieces, units, samples,
// terms or depth) that any function of this package accepts: 2^24, about 16.8
// million. A larger count is refused before anything is allocated, with an
// error wrapping ErrDomain, or NaN from a scalar function, so that a count
// near math.MaxInt can neither wrap around in n + 1 nor ask for terabytes.
// Counts up to MaxCount cost time and memory in proportion (8 bytes a point,
// 3 parameters a unit, one evaluation a term).
const MaxCount = 1 << 24

func errorf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("approx: "+format+": %w", append(args, sentinel)...)
}
