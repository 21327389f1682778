package vec

import "math"

// BiasReLU adds b to every row of z and writes relu of the result into dst:
// z[r·c+j] ← z[r·c+j] + b[j] and dst[r·c+j] ← max(z[r·c+j], 0), with Go's
// max (NaN stays NaN, −0 gives +0), for c = len(b) and every whole row of
// z. It panics if b is empty, if len(z) is not a multiple of len(b) or if
// dst is shorter than z.
func BiasReLU(dst, z, b []float64) {
	c, rows := shape(z, b, len(dst), "dst")
	n := 0
	if useAVX && rows > 0 {
		n = c &^ 3
		if n > 0 {
			biasReLUAVX(&dst[0], &z[0], &b[0], rows, c, n)
		}
	}
	if n < c {
		biasReLUGo(dst, z, b, n)
	}
}

// ReLUBackSum multiplies g by relu′(z) element-wise, g ← g where z > 0 and
// +0 elsewhere (also where z is NaN), and writes the column sums of the
// product into sum, each summed in row order from +0; c = len(sum), and g
// and z hold whole rows of c. It panics if sum is empty, if len(z) is not a
// multiple of len(sum) or if g is shorter than z.
func ReLUBackSum(g, z, sum []float64) {
	c, rows := shape(z, sum, len(g), "g")
	n := 0
	if useAVX && rows > 0 {
		n = c &^ 3
		if n > 0 {
			reluBackSumAVX(&g[0], &z[0], &sum[0], rows, c, n)
		}
	}
	if n < c {
		reluBackSumGo(g, z, sum, n)
	}
}

// shape checks the operands of the two passes and returns the row length
// and the number of rows.
func shape(z, row []float64, other int, name string) (c, rows int) {
	c = len(row)
	switch {
	case c == 0:
		panic("vec: empty row")
	case len(z)%c != 0:
		panic("vec: z is not a whole number of rows")
	case other < len(z):
		panic("vec: " + name + " is shorter than z")
	}
	return c, len(z) / c
}

// biasReLUGo is BiasReLU in Go on the columns from j0 on.
func biasReLUGo(dst, z, b []float64, j0 int) {
	c := len(b)
	for r := 0; r+c <= len(z); r += c {
		zr, dr := z[r+j0:r+c], dst[r+j0:r+c]
		for j, w := range b[j0:] {
			v := zr[j] + w
			zr[j] = v
			dr[j] = max(v, 0) // branch-free; NaN stays NaN, −0 gives 0
		}
	}
}

// reluBackSumGo is ReLUBackSum in Go on the columns from j0 on.
func reluBackSumGo(g, z, sum []float64, j0 int) {
	c := len(sum)
	s := sum[j0:]
	clear(s)
	for r := 0; r+c <= len(z); r += c {
		gr, zr := g[r+j0:r+c], z[r+j0:r+c]
		for j, v := range zr {
			d := KeepPositive(gr[j], v)
			gr[j] = d
			s[j] += d
		}
	}
}

// KeepPositive returns g where z > 0 and +0 elsewhere, also for a NaN z:
// relu′(z)·g without a branch (relu's zero pattern is data-dependent, so a
// branch would mispredict about half the time; relu′(NaN)·g would be NaN).
func KeepPositive(g, z float64) float64 {
	var mask uint64
	if z > 0 {
		mask = ^uint64(0)
	}
	return math.Float64frombits(math.Float64bits(g) & mask)
}
