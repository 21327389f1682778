// Package nn is a minimal, fast float64 multilayer perceptron built on gonum.
//
// A Network is a stack of dense layers z_l = a_{l-1}·W_lᵀ + b_l, a_l = φ_l(z_l),
// with one activation for every hidden layer and one for the output layer.
// Forward and backward passes are batched: a batch is a *mat.Dense with one
// sample per row, and each layer costs a few GEMM calls (gonum's blas64), with
// no per-sample loop on the hot path. Workspaces are kept inside the Network,
// so a steady-state GradientInto on a fixed batch shape allocates nothing.
// New refuses networks of more than MaxParams parameters.
//
// The matrix products run, by default (no cgo), on the AVX-512F or
// AVX2+FMA assembly kernels of reluproof's internal/gemm package where the
// CPU has them, and on gonum's native pure-Go Dgemm, called serially in
// panels, elsewhere and under the purego build tag. Built with the
// openblas tag (CGO_LDFLAGS=-lopenblas go test -tags openblas ./...),
// nn installs gonum.org/v1/netlib's cgo binding with blas64.Use for nn
// and every package that imports it, and runs its products on OpenBLAS.
// Tiny products run as plain loops on every backend.
// BENCHMARKS.md has the figures.
//
// Parameters are one flat []float64, layer by layer: W_l (out×in, row-major)
// then b_l. Params, SetParams, Gradient and GradientInto all use that order.
//
// Every activation and loss is numerically safe for any finite input: the
// sigmoid and softplus never overflow and the cross-entropy is computed on
// logits.
//
// Errors. Functions that take user data return errors rather than panic. The
// errors wrap the sentinels ErrConfig (bad sizes, nil or invalid activation or
// loss, bad training settings), ErrShape (mismatched dimensions, empty batch,
// params slice of the wrong length) and ErrNonFinite (NaN or ±Inf in inputs,
// targets or parameters, or a result that overflowed), so callers can test
// them with errors.Is. A call that returns an error leaves the Network as it
// was.
//
// Concurrency. The methods that only read a Network (Forward, Loss,
// Gradient, GradientInto, PreActivations, InputJacobian and the accessors)
// may run on one Network from several goroutines at once, with results
// bit-identical to serial calls; each call borrows a workspace of its own.
// SetParams and Train write the parameters and must not overlap any other
// call on the same Network. The package-level activations and losses are
// immutable values, safe everywhere.
package nn
