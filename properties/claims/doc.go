// Package claims is reluproof's catalogue: every statement about relu and
// sigmoid networks that reluproof checks, each with the code that checks
// it, as gonum's optimize/functions is a catalogue of test problems beside
// its optimisers.
//
// All returns the claims in the catalogue's order. A Claim's Run checks it
// with the seed and sweep size of a Config and returns a Result: the
// headline figure measured, the bound it was held to, the verdict, and what
// was run; for the claims judged on sweeps of error against width, the
// sweeps themselves, which the reluproof command draws. The same seed gives
// the same figures: a run draws its cases from a PCG stream of its seed and
// its claim's ID (package gen's Seeded), whatever rapid's version.
//
// The families, one file each, with the property tests
// (TestProperty<ID>_…) beside them, which drive the same checks with rapid
// and a test per check that feeds it a planted bug:
//
//	g.go  G1–G6  gradients: parameters, directions, Taylor order, input Jacobian, activations, losses
//	i.go  I1–I5  identities of relu, softplus, sigmoid and tanh, to |x| = 1e300
//	s.go  S1–S5  symmetries of relu networks and their affine pieces
//	n.go  N1–N5  Nair & Hinton's stepped sigmoid units and the noisy relu
//	r.go  R1–R3  relu as a sharpened softplus, ramps and sums of sigmoids
//	u.go  U1–U6  universal approximation: exact interpolants, rates, learned networks, negative control
//	d.go  D1–D3  depth: Telgarsky's sawtooth and Yarotsky's square
//	t.go  T1–T3  training: descent, error against width, teacher recovery
//
// rounding.go holds the rounding bounds the checks share. Formulas, bounds
// and references are in docs/CLAIMS.md.
package claims
