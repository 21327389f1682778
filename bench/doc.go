// Package bench holds reluproof's benchmarks: the speed of package nn's
// forward and gradient passes against the matrix products they cannot
// avoid, of the gradient checkers, and of the approximation constructions.
//
// The benchmarks run only with -bench (`make bench`, or
// `go test -run '^$' -bench . ./bench`); the plain test suite compiles them
// and runs nothing here but a few quick consistency tests. The shapes are
// the ones of BENCHMARKS.md; bench/torch_compare.py runs the same shapes in
// PyTorch, and `make compare` prints the ratios side by side.
package bench
