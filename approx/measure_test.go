package approx_test

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/reluproof/reluproof/approx"
)

// TestRefinedGridPer: per = 1 is valid (the uniform grid and the knots),
// per = 2 adds every interval's midpoint, per = 0 is ErrKnots; the result
// is sorted.
func TestRefinedGridPer(t *testing.T) {
	knots := []float64{0, 0.1, 1}
	for _, per := range []int{1, 2} {
		t.Run(fmt.Sprintf("per=%d", per), func(t *testing.T) {
			xs, err := approx.RefinedGrid(knots, 3, per)
			if err != nil {
				t.Fatalf("per = %d: %v", per, err)
			}
			want := []float64{0, 0.5, 1, 0.1}
			if per == 2 {
				want = append(want, 0.05, 0.55)
			}
			for _, w := range want {
				if !slices.Contains(xs, w) {
					t.Errorf("per = %d: %v lacks %v", per, xs, w)
				}
			}
			if !slices.IsSorted(xs) {
				t.Errorf("per = %d: %v not sorted", per, xs)
			}
		})
	}
	if _, err := approx.RefinedGrid(knots, 3, 0); !errors.Is(err, approx.ErrKnots) {
		t.Errorf("per = 0: %v, want ErrKnots", err)
	}
}

// TestFitRateTwoPoints: two points are enough (the line through them),
// width 1 is a valid width and FitPower's x = 0 is not: errors 1 and 1/16 at widths 1 and 4 lie on
// width^−2, so the slope is −2 and the intercept 0, up to the rounding of
// log 4 and of the regression's few operations (1e-14).
func TestFitRateTwoPoints(t *testing.T) {
	r, err := approx.FitRate([]int{1, 4}, []float64{1, 1.0 / 16})
	if err != nil {
		t.Fatal(err)
	}
	if !(math.Abs(r.Slope+2) <= 1e-14 && math.Abs(r.Intercept) <= 1e-14) {
		t.Errorf("rate %+v, want slope −2, intercept 0", r)
	}
	// FitPower takes any x > 0; x = 0 has no logarithm.
	if _, err := approx.FitPower([]float64{0, 1}, []float64{1, 1}); !errors.Is(err, approx.ErrDomain) {
		t.Errorf("FitPower at x = 0: %v, want ErrDomain", err)
	}
}

// TestMedianRows: Median groups rows by width in order of first
// appearance; an odd number of seeds gives the middle value, an even
// number the mean of the two middle values (exact here: small integers
// and halves), and Seconds is the total.
func TestMedianRows(t *testing.T) {
	rows := []approx.SweepRow{
		{Width: 8, Seed: 1, SupErr: 5, RMS: 1, Seconds: 1},
		{Width: 4, Seed: 1, SupErr: 1, RMS: 7, Seconds: 2},
		{Width: 8, Seed: 2, SupErr: 1, RMS: 3, Seconds: 1},
		{Width: 4, Seed: 2, SupErr: 4, RMS: 2, Seconds: 2},
		{Width: 8, Seed: 3, SupErr: 2, RMS: 2, Seconds: 1},
		{Width: 4, Seed: 3, SupErr: 2, RMS: 9, Seconds: 2},
		{Width: 4, Seed: 4, SupErr: 9, RMS: 1, Seconds: 2},
	}
	want := []approx.SweepRow{
		{Width: 8, SupErr: 2, RMS: 2, Seconds: 3},
		{Width: 4, SupErr: 3, RMS: 4.5, Seconds: 8},
	}
	if got := approx.Median(rows); !slices.Equal(got, want) {
		t.Errorf("Median = %+v, want %+v", got, want)
	}
}
