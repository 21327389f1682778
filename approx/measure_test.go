package approx_test

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
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

// TestGridAtMaxCount: n = MaxCount points are in Grid's domain, each the
// plain a + (b − a)·i/(n − 1) bit for bit (b − a = 1, no overflow), the
// last exactly b. About 0.1 s for the 128 MiB of points.
func TestGridAtMaxCount(t *testing.T) {
	a, b, n := 0.0, 1.0, approx.MaxCount
	xs, err := approx.Grid(a, b, n)
	if err != nil {
		t.Fatalf("Grid(0, 1, MaxCount): %v", err)
	}
	if len(xs) != n || xs[n-1] != b {
		t.Fatalf("%d points ending at %v, want MaxCount ending at 1", len(xs), xs[len(xs)-1])
	}
	for i, x := range xs[:n-1] {
		if want := a + (b-a)*float64(i)/float64(n-1); x != want {
			t.Fatalf("point %d = %v, want %v", i, x, want)
		}
	}
}

// TestGridPlainFormulaBoundary: Grid switches to a·(1 − t) + b·t only when
// (b − a)·(n − 1) itself overflows, not a larger multiple. With
// a = −2^969, b = 2^1022·(1 + 2^−52) and n = 3, b − a rounds (a tie, to
// even) up to 2^1022·(1 + 2^−51), so (b − a)·2 is finite though
// (b − a)·4 is not, and the middle point is the plain
// a + (b − a)/2 = 2^1021·(1 + 2^−52); the other form gives
// −2^968 + 2^1021·(1 + 2^−52), a tie that rounds to 2^1021. Both are
// within half an ulp of the exact midpoint; the documented one is the
// plain one.
func TestGridPlainFormulaBoundary(t *testing.T) {
	a, b, n := -math.Ldexp(1, 969), math.Ldexp(1+0x1p-52, 1022), 3
	if math.IsInf((b-a)*2, 0) || !math.IsInf((b-a)*4, 0) {
		t.Fatalf("(b − a)·2 = %v, (b − a)·4 = %v; the case needs the first finite, the second not", (b-a)*2, (b-a)*4)
	}
	want := a + (b-a)*1/2
	if other := a*0.5 + b*0.5; want == other {
		t.Fatalf("both forms give %v; the case does not tell them apart", want)
	}
	xs, err := approx.Grid(a, b, n)
	if err != nil {
		t.Fatal(err)
	}
	if xs[0] != a || xs[1] != want || xs[2] != b {
		t.Errorf("Grid(%v, %v, 3) = %v, want [%v %v %v]", a, b, xs, a, want, b)
	}
}

// TestRefinedGridPoints: RefinedGrid is the grid's n points, per points
// lo + (hi − lo)·j/per (j = 0…per − 1) on each of the K knot intervals and
// the last knot, n + per·K + 1 in all (the count its MaxCount check
// bounds), knots repeated and sorted. On [−MaxFloat64, MaxFloat64], where
// hi − lo overflows, the interior point is lerp(lo, hi, ½) = 0 exactly.
// Every point here is a small dyadic or ±MaxFloat64, so the comparison is
// exact.
func TestRefinedGridPoints(t *testing.T) {
	const m = math.MaxFloat64
	for _, c := range []struct {
		name   string
		knots  []float64
		n, per int
		want   []float64
	}{
		{"two intervals", []float64{0, 1, 2}, 2, 2, []float64{0, 0, 0.5, 1, 1.5, 2, 2}},
		{"two intervals, per 4", []float64{0, 1, 2}, 3, 4, []float64{0, 0, 0.25, 0.5, 0.75, 1, 1, 1.25, 1.5, 1.75, 2, 2}},
		{"wider than MaxFloat64", []float64{-m, m}, 2, 2, []float64{-m, -m, 0, m, m}},
	} {
		t.Run(c.name, func(t *testing.T) {
			xs, err := approx.RefinedGrid(c.knots, c.n, c.per)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(xs, c.want) {
				t.Errorf("RefinedGrid(%v, %d, %d) = %v, want %v", c.knots, c.n, c.per, xs, c.want)
			}
		})
	}
}

// TestRefinedGridMaxCount: the union has n + per·K + 1 points (K knot
// intervals) and may have exactly MaxCount. On one interval n = MaxCount − 3
// with per = 2 is MaxCount points and is built (about 0.2 s: the grid is
// sorted, so sorting the union is nearly linear); per = 3 is one point too
// many. On two intervals n = 2 with per = 8388607 is MaxCount + 1 points;
// both are refused with ErrDomain before anything is allocated, and the
// message names the two intervals.
func TestRefinedGridMaxCount(t *testing.T) {
	for _, c := range []struct {
		name   string
		knots  []float64
		n, per int
		ok     bool
	}{
		{"MaxCount points", []float64{0, 1}, approx.MaxCount - 3, 2, true},
		{"one interval, MaxCount + 1", []float64{0, 1}, approx.MaxCount - 3, 3, false},
		{"two intervals, MaxCount + 1", []float64{0, 1, 2}, 2, (approx.MaxCount-3)/2 + 1, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			xs, err := approx.RefinedGrid(c.knots, c.n, c.per)
			if c.ok {
				if err != nil || len(xs) != approx.MaxCount {
					t.Errorf("%d points and %d parts of %d intervals: %d points, %v; want MaxCount points",
						c.n, c.per, len(c.knots)-1, len(xs), err)
				}
				return
			}
			intervals := fmt.Sprintf("of %d intervals", len(c.knots)-1)
			if !errors.Is(err, approx.ErrDomain) || !strings.Contains(err.Error(), intervals) {
				t.Errorf("%d points and %d parts of %d intervals: %v; want ErrDomain naming %q",
					c.n, c.per, len(c.knots)-1, err, intervals)
			}
		})
	}
}

// TestErrorsRescaledRMS: when Σd² overflows although every difference d
// is finite, the RMS is sup·√(Σ(d/sup)²/N). Against a zero network the
// differences 3e200 and 4e200 give sup = 4e200 exactly and
// RMS = 1e200·√((9 + 16)/2) = 1e200·√12.5. Each side is a handful of
// roundings (two quotients, their squares, a sum, a square root and a
// product on one side; the decimal constants and √12.5 on the other),
// so they agree within 8ε relative.
func TestErrorsRescaledRMS(t *testing.T) {
	zero, err := approx.Interpolant(func(float64) float64 { return 0 }, []float64{0, 1})
	if err != nil {
		t.Fatal(err)
	}
	f := func(x float64) float64 { return 3e200 + 1e200*x }
	sup, rms, err := approx.Errors(zero, f, []float64{0, 1})
	if err != nil {
		t.Fatal(err)
	}
	if sup != 4e200 {
		t.Errorf("sup = %v, want 4e200", sup)
	}
	if want := 1e200 * math.Sqrt(12.5); !(math.Abs(rms-want) <= 8*0x1p-52*want) {
		t.Errorf("RMS = %v, want %v within 8ε", rms, want)
	}
}
