package approx

import (
	"fmt"
	"testing"
)

// Sawtooth and YarotskySquare are exact at dyadic points (claims D1, D3).
func TestDepthNetworksExactAtDyadics(t *testing.T) {
	for k := 1; k <= 12; k++ {
		t.Run(fmt.Sprintf("k=%d", k), func(t *testing.T) {
			saw, err := Sawtooth(k)
			if err != nil {
				t.Fatal(err)
			}
			sq, err := YarotskySquare(k)
			if err != nil {
				t.Fatal(err)
			}
			xs, _ := Grid(0, 1, 1<<(k+1)+1)
			ys, _ := Eval(saw, xs)
			zs, _ := Eval(sq, xs)
			for i, x := range xs {
				if ys[i] != TentPower(x, k) {
					t.Fatalf("sawtooth k=%d at %v: %v, want %v", k, x, ys[i], TentPower(x, k))
				}
				if zs[i] != YarotskyValue(x, k) {
					t.Fatalf("Yarotsky m=%d at %v: %v, want %v", k, x, zs[i], YarotskyValue(x, k))
				}
			}
		})
	}
}
