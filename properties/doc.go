// Package properties holds reluproof's reusable checkers and its property
// suite.
//
// The checkers (GradCheck, the directional check, the Taylor-remainder
// order check) verify any Go gradient against finite differences, with
// kink-awareness for piecewise-linear functions. The rapid generators make
// random networks, inputs, targets and directions that are always valid.
//
// Every claim of reluproof's catalogue (CLAIMS.md: families G, I, S, N, R,
// U, D, T) is a registered Claim whose Run function is plain, exported,
// non-test code: the TestProperty… tests drive the same checks with rapid,
// and the reluproof command runs them with a fixed seed and reports them.
package properties
