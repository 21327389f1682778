package claims

import "github.com/reluproof/reluproof/approx"

// Sweep is one error-against-width sweep a claim measured.
type Sweep struct {
	Name string            // what was swept, "interpolant, sin 3x"
	Rows []approx.SweepRow // one row per width and seed, as measured
	// Theory is the log-log slope the mathematics predicts for the sup
	// error (−2 for a relu interpolant of a C² target), NaN for none.
	Theory float64
	// Level is a horizontal reference the errors are held to (the
	// least-squares optimum a polynomial activation cannot beat), NaN for
	// none.
	Level float64
}

// Points is a set of points a claim measured, for a figure: coordinates X,
// Y and a weight W for each (a marker size or a class).
type Points struct {
	Name    string
	X, Y, W []float64
}
