// Package approx is reluproof's approximation theory made executable: the
// formulas and the constructive networks behind the claims of families N
// (Nair & Hinton's stepped sigmoid units), R (relu and sigmoid build each
// other), U (universal approximation and its rates) and D (depth) of the
// catalogue CLAIMS.md.
//
// The scalar functions (SigmoidSum, SoftplusBeta, StepVariance, …) follow
// package math: they never panic and return NaN outside their domain (a
// count below 1, a non-positive step or sharpness, a NaN argument).
//
// The constructions (Interpolant, PiecewiseLinear, Sawtooth, YarotskySquare,
// PLSigmoid, RampNetwork, HardSigmoidNetwork, SigmoidReLUNetwork, Bumps,
// RandomFeatures, TrainNetwork) return real *nn.Network values built with
// nn.New and SetParams, so every claim is checked on the same forward pass
// that trains and serves networks. Pieces and PieceList count the exact
// affine pieces of any one-input, one-output network with piecewise-linear
// activations by propagating breakpoints layer by layer (at most
// MaxSegments at a time).
//
// The sweeps (InterpolationSweep, BumpSweep, FeatureSweep, TrainSweep)
// return tables of SweepRow that the property suite, the benchmarks and the
// report share, and FitRate fits a log-log slope with its R².
//
// Errors. Every error returned by this package wraps one of the sentinels
// ErrKnots, ErrDomain, ErrNetwork or ErrSolve, or an error of package nn,
// so callers can test them with errors.Is. Counts above MaxCount are refused
// (ErrDomain, or NaN from a scalar function) before anything is allocated,
// and intervals may reach ±MaxFloat64.
//
// Concurrency. The package holds no mutable state, so every function may be
// called from several goroutines at once on distinct arguments: the scalar
// functions, the constructions (each returns a network of its own), Grid
// and the knots, the fits and the sweeps. PieceList and Pieces only read
// their network, so they may also share one network between goroutines, as
// long as nothing modifies it (SetParams, Train) meanwhile. Eval, Errors and
// anything that runs a network use its forward pass, which by package nn's
// rules may not run on one *nn.Network in two goroutines at once: give each
// goroutine its own network (nn's Clone). Targets returns fresh values on
// every call.
package approx
