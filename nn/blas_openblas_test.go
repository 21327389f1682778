//go:build openblas

package nn

import (
	"testing"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/netlib/blas/netlib"
)

// TestOpenBLASInstalled confirms that the openblas build tag put the cgo
// binding in blas64, so that the products of nn (and of anything else that
// goes through blas64) run on OpenBLAS.
func TestOpenBLASInstalled(t *testing.T) {
	if _, ok := blas64.Implementation().(netlib.Implementation); !ok {
		t.Fatalf("blas64 implementation is %T, want netlib.Implementation", blas64.Implementation())
	}
}
