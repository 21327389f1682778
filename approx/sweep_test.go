package approx_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/reluproof/reluproof/approx"
)

// TestWidthsDoubling: Widths(lo, hi) is lo, 2lo, 4lo, … up to and
// including hi, with lo raised to 1, and empty for lo > hi.
func TestWidthsDoubling(t *testing.T) {
	cases := []struct {
		lo, hi int
		want   []int
	}{
		{1, 8, []int{1, 2, 4, 8}},
		{3, 24, []int{3, 6, 12, 24}},
		{3, 23, []int{3, 6, 12}},
		{0, 4, []int{1, 2, 4}},
		{4, 4, []int{4}},
		{5, 4, nil},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("Widths(%d,%d)", c.lo, c.hi), func(t *testing.T) {
			if got := approx.Widths(c.lo, c.hi); !slices.Equal(got, c.want) {
				t.Errorf("Widths(%d, %d) = %v, want %v", c.lo, c.hi, got, c.want)
			}
		})
	}
}

// TestBumpSweepWidth: a row of BumpSweep for n cells has n + 1 sigmoid
// units, its documented Width.
func TestBumpSweepWidth(t *testing.T) {
	tg, _ := approx.TargetByName("sin3x")
	rows, err := approx.BumpSweep(tg, []int{2, 5}, 40)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Width != 3 || rows[1].Width != 6 {
		t.Errorf("BumpSweep widths = %+v, want widths 3 and 6", rows)
	}
}

// TestBumpSweepGrid: a row of BumpSweep measures Bumps on the documented
// grid, 8n + 1 points when that exceeds 4097: its errors are those of
// Errors on Grid(A, B, max(8n + 1, 4097)), computed here apart by the same
// operations, so bit for bit. n = 600 (4801 points) is past the floor;
// n = 2 is on it.
func TestBumpSweepGrid(t *testing.T) {
	tg, _ := approx.TargetByName("sin3x")
	const steep = 40
	ns := []int{2, 600}
	rows, err := approx.BumpSweep(tg, ns, steep)
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range ns {
		t.Run(fmt.Sprintf("n=%d", n), func(t *testing.T) {
			net, err := approx.Bumps(tg.F, tg.A, tg.B, n, steep)
			if err != nil {
				t.Fatal(err)
			}
			xs, err := approx.Grid(tg.A, tg.B, max(8*n+1, 4097))
			if err != nil {
				t.Fatal(err)
			}
			sup, rms, err := approx.Errors(net, tg.F, xs)
			if err != nil {
				t.Fatal(err)
			}
			if rows[i].SupErr != sup || rows[i].RMS != rms {
				t.Errorf("BumpSweep n = %d: sup %v, rms %v; want %v, %v (on %d grid points)",
					n, rows[i].SupErr, rows[i].RMS, sup, rms, len(xs))
			}
		})
	}
}
