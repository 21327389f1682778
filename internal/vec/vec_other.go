//go:build purego || !amd64

package vec

// useAVX is false: the passes run in Go.
var useAVX = false

func biasReLUAVX(dst, z, b *float64, rows, stride, n int) {
	panic("vec: no AVX kernel in this build")
}

func reluBackSumAVX(grad, z, sum *float64, rows, stride, n int) {
	panic("vec: no AVX kernel in this build")
}
