//go:build race

package gemm

// raceDetector: the race detector slows the sweeps about tenfold, so
// TestGemmEdges sweeps less under it (make test runs it with -race).
const raceDetector = true
