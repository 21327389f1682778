package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas/blas64"
)

// indexed returns an r×c matrix with row stride c+2 whose element (i, j)
// is 1000·i + j + 1 (distinct, exact and positive, so a misplaced element
// names where it came from), the padding NaN.
func indexed(r, c int) blas64.General {
	g := blas64.General{Rows: r, Cols: c, Stride: c + 2}
	g.Data = make([]float64, (r-1)*g.Stride+c)
	for idx := range g.Data {
		i, j := idx/g.Stride, idx%g.Stride
		g.Data[idx] = float64(1000*i + j + 1)
		if j >= c {
			g.Data[idx] = math.NaN()
		}
	}
	return g
}

// untouched fills the packing buffers; no packed element can equal it.
const untouched = -1

// untouchedBuffer returns a packing buffer of length size filled with
// untouched.
func untouchedBuffer(size int) []float64 {
	buf := make([]float64, size)
	for idx := range buf {
		buf[idx] = untouched
	}
	return buf
}

// packed is the definition of a packed panel of op(X): rows r0…r0+rows−1
// and columns q0…q0+pk−1 of op(X) as ⌈rows/width⌉ micro-panels of pk×width
// elements, panel[p·width+i] = op(X)[r0+ir+i][q0+p], zero past row rows
// (packA: op(A) with width mr; packB: op(B)ᵀ with width nr), and the
// rest of a buffer of length size untouched.
func packed(x blas64.General, trans bool, r0, rows, q0, pk, width, size int) []float64 {
	at := func(i, j int) float64 {
		if trans {
			i, j = j, i
		}
		return x.Data[i*x.Stride+j]
	}
	want := untouchedBuffer(size)
	for ir := 0; ir < rows; ir += width {
		for p := 0; p < pk; p++ {
			for i := 0; i < width; i++ {
				v := 0.0
				if ir+i < rows {
					v = at(r0+ir+i, q0+p)
				}
				want[ir*pk+p*width+i] = v
			}
		}
	}
	return want
}

// firstDifference reports the first index where got and want differ.
func firstDifference(got, want []float64) error {
	for idx := range want {
		if got[idx] != want[idx] {
			return fmt.Errorf("element %d = %v, want %v", idx, got[idx], want[idx])
		}
	}
	return nil
}

// packCase is one packing: a block of op(X) with rows or columns from r0
// (ic or jc), count of them (mi or nj) in micro-panels of width (mr or nr),
// and inner indices from q0 (pc), pk of them.
type packCase struct {
	trans                    bool
	width, r0, count, q0, pk int
}

// packCases are, for each transpose and each width (the kernels' 6, 8 and
// 16, and 4, 12 and 24, which must take the generic loops where 6, 8 and
// 16 may take the specialised ones), a single row, an edge panel alone,
// one full panel, a full panel then 1, 6 or 8 more rows (the heights
// pack6 and interleave8 handle, here also as edges of wider panels) and
// three full panels, all from a nonzero corner of op(X), 5 deep.
func packCases() []packCase {
	var cs []packCase
	for _, trans := range []bool{false, true} {
		for _, width := range []int{4, 6, 8, 12, 16, 24} {
			for _, count := range []int{1, width - 1, width, width + 1, width + 6, width + 8, 3 * width} {
				cs = append(cs, packCase{trans, width, 3, count, 2, 5})
			}
		}
	}
	return cs
}

func (c packCase) String() string {
	t := "NoTrans"
	if c.trans {
		t = "Trans"
	}
	return fmt.Sprintf("%s/width=%d/count=%d", t, c.width, c.count)
}

// TestPackA checks packA against the definition of a packed block of
// op(A): dst[ir·pk + p·mr + i] = op(A)[ic+ir+i][pc+p] for i < h, zero for
// the rows of the last micro-panel past mi, and nothing written past
// ⌈mi/mr⌉·mr·pk, for A's elements read through its stride (NaN padding).
func TestPackA(t *testing.T) {
	for _, tc := range packCases() {
		t.Run(tc.String(), func(t *testing.T) {
			// op(A) has rows up to ic+mi+1 and columns up to pc+pk+1, one
			// spare on each side of the block.
			rows, cols := tc.r0+tc.count+1, tc.q0+tc.pk+1
			a := indexed(rows, cols)
			if tc.trans {
				a = indexed(cols, rows)
			}
			size := (tc.count+2*tc.width)*tc.pk + 1
			dst := untouchedBuffer(size)
			packA(dst, tc.trans, a, tc.r0, tc.count, tc.q0, tc.pk, tc.width)
			want := packed(a, tc.trans, tc.r0, tc.count, tc.q0, tc.pk, tc.width, size)
			if err := firstDifference(dst, want); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestPackB checks packB against the definition of a packed panel of
// op(B): dst[jr·pk + p·nr + j] = op(B)[pc+p][jc+jr+j] for j < w, zero for
// the columns of the last micro-panel past nj, and nothing written past
// ⌈nj/nr⌉·nr·pk.
func TestPackB(t *testing.T) {
	for _, tc := range packCases() {
		t.Run(tc.String(), func(t *testing.T) {
			// op(B) has rows up to pc+pk+1 and columns up to jc+nj+1.
			rows, cols := tc.q0+tc.pk+1, tc.r0+tc.count+1
			b := indexed(rows, cols)
			if tc.trans {
				b = indexed(cols, rows)
			}
			size := (tc.count+2*tc.width)*tc.pk + 1
			dst := untouchedBuffer(size)
			packB(dst, tc.trans, b, tc.q0, tc.pk, tc.r0, tc.count, tc.width)
			// Column j of op(B) is row j of op(B)ᵀ, so the panel is packA's
			// of op(B)ᵀ: the opposite transpose of the same storage.
			want := packed(b, !tc.trans, tc.r0, tc.count, tc.q0, tc.pk, tc.width, size)
			if err := firstDifference(dst, want); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestGemmWidePanels covers the column panels of B past the first: n =
// nc + 76 and n = 2·nc columns (76 = 4·16 + 12 = 9·8 + 4, an edge tile on
// either kernel, then a panel of exactly nc) with k = kc + 44 (a full
// kc-deep panel then a partial one), m = 3, in each layout, on every
// kernel, against gonum within the bound of propGemm. The products stay
// below splitWork, so blocked alone computes them.
func TestGemmWidePanels(t *testing.T) {
	const nc, kc = 1024, 256
	for _, kern := range Kernels() {
		t.Run(kern, func(t *testing.T) {
			useKernel(t, kern)
			if k := active.Load(); k != nil && (k.nc != nc || k.kc != kc) {
				t.Fatalf("%s: nc %d, kc %d; the shapes below assume %d, %d", kern, k.nc, k.kc, nc, kc)
			}
			for _, l := range layouts {
				for _, n := range []int{nc + 76, 2 * nc} {
					m, k := 3, kc+44
					if m*n*k >= splitWork {
						t.Fatalf("%d×%d×%d would be split", m, n, k)
					}
					ar, ac, br, bc := operandShapes(l.tA, l.tB, m, n, k)
					rng := rand.New(rand.NewPCG(uint64(n), 7))
					draw := func() float64 { return 2*rng.Float64() - 1 }
					a, b, c := operand(ar, ac, 1, draw), operand(br, bc, 2, draw), operand(m, n, 3, draw)
					if err := checkProduct(l.tA, l.tB, -0.5, a, b, 0.5, c); err != nil {
						t.Fatalf("%s %d×%d×%d: %v", l.name, m, n, k, err)
					}
				}
			}
		})
	}
}

// TestWorkspaceSize: a new workspace holds the largest block and panel
// blocked packs and no more: mc·kc for A (mc a multiple of mr, so
// ⌈mc/mr⌉·mr·kc = mc·kc), kc·nc for B (nc a multiple of nr, likewise) and
// one mr×nr tile, about 2.2 MB (2.19 MiB) on either kernel.
func TestWorkspaceSize(t *testing.T) {
	for _, name := range Kernels()[:len(Kernels())-1] {
		t.Run(name, func(t *testing.T) {
			useKernel(t, name)
			kern := active.Load()
			if kern.mc%kern.mr != 0 || kern.nc%kern.nr != 0 {
				t.Fatalf("mc %d not a multiple of mr %d, or nc %d of nr %d", kern.mc, kern.mr, kern.nc, kern.nr)
			}
			var free workspaces
			ws := free.get(kern)
			if len(ws.a) != kern.mc*kern.kc || len(ws.b) != kern.kc*kern.nc || len(ws.tile) != kern.mr*kern.nr {
				t.Fatalf("buffers of %d, %d and %d elements, want %d, %d and %d",
					len(ws.a), len(ws.b), len(ws.tile), kern.mc*kern.kc, kern.kc*kern.nc, kern.mr*kern.nr)
			}
			if mib := float64(8*(len(ws.a)+len(ws.b)+len(ws.tile))) / (1 << 20); mib < 2.1 || mib > 2.3 {
				t.Fatalf("workspace of %.2f MiB, want about 2.2", mib)
			}
		})
	}
}
