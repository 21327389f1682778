//go:build openblas

package nn

import (
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/netlib/blas/netlib"
)

// Built with the openblas tag, package nn installs the cgo binding of
// gonum.org/v1/netlib in blas64 at initialisation, so that nn and every
// package that imports it (and uses blas64, or gonum/mat on float64) run
// their matrix products on the system's CBLAS. Link it with
//
//	CGO_LDFLAGS=-lopenblas go test -tags openblas ./...
//
// (Debian: apt-get install libopenblas-dev, or make install-openblas).
func init() { blas64.Use(netlib.Implementation{}) }
