package nn

import (
	"fmt"
	"math"
	"testing"
)

// TestFirstNonFinite plants NaN and ±Inf at every position of short
// lengths and of lengths that span several screened blocks.
func TestFirstNonFinite(t *testing.T) {
	for _, n := range []int{0, 1, 2, 3, 4, 5, 7, 10, 63, 64, 65, 130, 200} {
		t.Run(fmt.Sprintf("length %d", n), func(t *testing.T) {
			s := make([]float64, n)
			for i := range s {
				s[i] = float64(i) - 3.5
			}
			if got := firstNonFinite(s); got != -1 {
				t.Fatalf("finite slice of length %d: got %d", n, got)
			}
			for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
				for p := 0; p < n; p++ {
					s2 := append([]float64(nil), s...)
					s2[p] = bad
					if p+1 < n {
						s2[n-1] = bad // a later one must not hide the first
					}
					if got := firstNonFinite(s2); got != p {
						t.Fatalf("length %d, %v at %d: got %d", n, bad, p, got)
					}
				}
			}
		})
	}
}
