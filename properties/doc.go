// Package properties checks claimed gradients against finite differences.
//
// A Function pairs a scalar function of a vector with the gradient claimed
// for it; it can be any Go code. GradCheck compares every coordinate (or a
// chosen few) with a central difference; DirectionalCheck compares one
// directional derivative, ⟨∇f, u⟩, with a central difference along u;
// TaylorCheck fits the order of the Taylor remainder f(x+hu) − f(x) −
// h⟨∇f, u⟩, which is 2 for a right gradient and 1 for a wrong one;
// SymmetryCheck checks second order without Hessian code, asking that the
// finite-difference Jacobian of the gradient be symmetric, as the Hessian
// of any f is; and DescentCheck asks that a small step against the gradient
// lowers f.
//
// The checks are kink-aware: for a piecewise-linear function, Function.Pattern
// says which piece a point lies on, steps shrink until both ends of a
// difference are on the point's piece, and a coordinate that still
// straddles a kink is reported as skipped, never as passed. Steps are powers
// of two and tolerances come from the truncation and rounding of the
// central difference (see DefaultStep).
//
// NetworkLoss, NetworkOutput, ActivationFunction and LossFunction make a
// Function of an nn network, activation or loss; GradCheckNetwork and
// JacobianCheck check a network's parameter gradient and input Jacobian,
// naming a failing parameter as "layer 2, W[3][1]".
//
// Bad arguments (a nil function, an empty or non-finite point, a zero
// direction, negative settings) give an error wrapping ErrInvalidCheck; a
// wrong gradient is not an error but a result whose Pass is false and whose
// Err method names the worst coordinate. The checkers keep no state: any
// number of checks may run at once on different goroutines, provided the
// Functions they check may be called concurrently (those NetworkLoss and
// NetworkOutput return work on a private clone of the network and may not:
// give each goroutine its own).
package properties
