// Package vec holds the element-wise passes of nn's relu layers over
// row-major float64 matrices: the forward pass's bias and relu, and the
// backward pass's relu′ mask with the bias gradient's column sums. Each is
// one pass over the matrix, in AVX assembly (generated with avo by the _asm
// module beside this file) where the CPU has AVX and in Go everywhere else
// and under the purego build tag.
//
// The two paths give the same results bit for bit (NaN payloads aside):
// the assembly does the same IEEE operations on the same operands in the
// same order, four lanes at a time, and sums each column in row order as
// the Go loop does.
package vec
