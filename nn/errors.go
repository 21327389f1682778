package nn

import (
	"errors"
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// Sentinel errors. Every error returned by this package wraps exactly one of
// them, with a message that names the offending value.
var (
	// ErrConfig reports an invalid configuration: fewer than two sizes, a
	// width below 1, a nil or invalid activation, loss or optimiser, or a
	// bad training setting.
	ErrConfig = errors.New("nn: invalid configuration")
	// ErrShape reports mismatched dimensions: an input or target with the
	// wrong number of columns or rows, an empty batch, a nil matrix, or a
	// parameter or gradient slice of the wrong length; and a gradient
	// slice that shares memory with the input or target it is computed
	// from.
	ErrShape = errors.New("nn: shape mismatch")
	// ErrNonFinite reports NaN or ±Inf in inputs, targets or parameters, or
	// a loss, output or gradient that overflowed.
	ErrNonFinite = errors.New("nn: non-finite value")
)

func errorf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("nn: "+format+": %w", append(args, sentinel)...)
}

// firstNonFinite returns the index of the first NaN or ±Inf in s, or -1.
// v·0 is ±0 for finite v and NaN for NaN and ±Inf, and a sum with a NaN
// term is NaN: blocks of 64 elements are screened with four independent
// sums of v·0, and only a block that fails is searched element by element.
func firstNonFinite(s []float64) int {
	const block = 64
	i := 0
	for ; i+block <= len(s); i += block {
		b := s[i : i+block]
		var a0, a1, a2, a3 float64
		for j := 0; j < block; j += 4 {
			a0 += b[j] * 0
			a1 += b[j+1] * 0
			a2 += b[j+2] * 0
			a3 += b[j+3] * 0
		}
		if (a0+a1)+(a2+a3) != 0 {
			break
		}
	}
	for ; i < len(s); i++ {
		if s[i]-s[i] != 0 {
			return i
		}
	}
	return -1
}

// checkMatrix validates a batch matrix: non-nil, the given number of columns,
// at least one row, and finite entries. It returns the number of rows.
func checkMatrix(what string, m *mat.Dense, cols int) (int, error) {
	if m == nil {
		return 0, errorf(ErrShape, "%s is nil", what)
	}
	if m.IsEmpty() {
		return 0, errorf(ErrShape, "%s is empty", what)
	}
	r, c := m.Dims()
	if c != cols {
		return 0, errorf(ErrShape, "%s has %d columns, want %d", what, c, cols)
	}
	raw := m.RawMatrix()
	for i := 0; i < r; i++ {
		if j := firstNonFinite(raw.Data[i*raw.Stride : i*raw.Stride+c]); j >= 0 {
			return 0, errorf(ErrNonFinite, "%s[%d][%d] = %v", what, i, j, raw.Data[i*raw.Stride+j])
		}
	}
	return r, nil
}
