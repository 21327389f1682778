package approx

import (
	"time"
)

// SweepRow is one row of a width sweep: the approximant of the given width
// (hidden units), built or fitted from Seed where randomness enters, its sup
// and RMS errors on the sweep's evaluation grid, and the wall time it took
// to build and measure.
type SweepRow struct {
	Width   int
	Seed    uint64
	SupErr  float64
	RMS     float64
	Seconds float64
}

// Widths returns lo, 2lo, 4lo, … up to hi, the doubling widths of a sweep
// (lo below 1 is raised to 1; empty if lo > hi). It stops before the next
// doubling would pass hi, so it never overflows int: Widths(1, math.MaxInt)
// is the 63 powers 1 … 2^62.
func Widths(lo, hi int) []int {
	var w []int
	for n := max(lo, 1); n <= hi; n *= 2 {
		w = append(w, n)
		if n > hi/2 { // 2n > hi, or 2n would overflow
			break
		}
	}
	return w
}

// InterpolationSweep builds Interpolant(t.F, knots) for each width n (n
// pieces, n hidden units) on the knots t.A + (t.B − t.A)(i/n)^grading
// (grading 1: uniform; claims U2, U3) and measures it on RefinedGrid(knots,
// 4097, 8). It returns the errors of GradedKnots, Interpolant and Errors.
func InterpolationSweep(t Target, widths []int, grading float64) ([]SweepRow, error) {
	rows := make([]SweepRow, 0, len(widths))
	for _, n := range widths {
		start := time.Now()
		knots, err := GradedKnots(t.A, t.B, n, grading)
		if err != nil {
			return nil, err
		}
		net, err := Interpolant(t.F, knots)
		if err != nil {
			return nil, err
		}
		xs, err := RefinedGrid(knots, 4097, 8)
		if err != nil {
			return nil, err
		}
		sup, rms, err := Errors(net, t.F, xs)
		if err != nil {
			return nil, err
		}
		rows = append(rows, SweepRow{Width: n, SupErr: sup, RMS: rms, Seconds: time.Since(start).Seconds()})
	}
	return rows, nil
}

// BumpSweep builds Bumps(t.F, t.A, t.B, n, steep) for each n (width n + 1
// sigmoid units; the row's Width is n + 1) and measures it on a uniform grid
// with 8 points per cell (and at least 4097) on [t.A, t.B] (claim U4). It
// returns the errors of Bumps, Grid and Errors.
func BumpSweep(t Target, ns []int, steep float64) ([]SweepRow, error) {
	rows := make([]SweepRow, 0, len(ns))
	for _, n := range ns {
		start := time.Now()
		net, err := Bumps(t.F, t.A, t.B, n, steep)
		if err != nil {
			return nil, err
		}
		xs, err := Grid(t.A, t.B, max(8*n+1, 4097))
		if err != nil {
			return nil, err
		}
		sup, rms, err := Errors(net, t.F, xs)
		if err != nil {
			return nil, err
		}
		rows = append(rows, SweepRow{Width: n + 1, SupErr: sup, RMS: rms, Seconds: time.Since(start).Seconds()})
	}
	return rows, nil
}
