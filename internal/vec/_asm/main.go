// Command _asm generates the AVX kernels of package vec with avo:
//
//	cd internal/vec/_asm && go run . -out ../vec_amd64.s -stubs ../vec_amd64_stub.go -pkg vec
//
// (go generate ./internal/vec runs the same). It is a module of its own so
// that the main module does not require avo.
package main

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

func main() {
	ConstraintExpr("!purego")
	biasReLU()
	reluBackSum()
	Generate()
}

// gtOQ is VCMPPD's predicate "greater than, ordered, quiet": false when
// either operand is NaN.
const gtOQ = 0x1e

// biasReLU emits
//
//	func biasReLUAVX(dst, z, b *float64, rows, stride, n int)
//
// which, for each of rows rows (row r at element r·stride of z and of dst)
// and each of the first n columns (n a multiple of 4), sets z ← z + b[j]
// and dst ← max(z, 0) with Go's max: NaN stays NaN and −0 gives +0.
// VMAXPD(0, v) returns v when v is NaN (its second operand) and when both
// are zeros, so max(v, 0) + 0 gives Go's answer: −0 + 0 = +0 in the
// default rounding, NaN + 0 = NaN and v + 0 = v for every other v.
func biasReLU() {
	TEXT("biasReLUAVX", NOSPLIT, "func(dst, z, b *float64, rows, stride, n int)")
	Pragma("noescape")
	Doc("biasReLUAVX adds b to the first n columns (n a multiple of 4) of rows rows of z",
		"and writes max(z, 0) there in dst; row r starts at element r·stride.")
	dst := Load(Param("dst"), GP64())
	z := Load(Param("z"), GP64())
	b := Load(Param("b"), GP64())
	rows := Load(Param("rows"), GP64())
	stride := Load(Param("stride"), GP64())
	n := Load(Param("n"), GP64())
	SHLQ(Imm(3), stride)
	zero := reg.Y15
	VXORPD(zero, zero, zero)
	j, cnt := GP64(), GP64()

	one := func(u int) {
		v, r := ymm[u], ymm[4+u]
		VMOVUPD(Mem{Base: z, Index: j, Scale: 1, Disp: 32 * u}, v)
		VADDPD(Mem{Base: b, Index: j, Scale: 1, Disp: 32 * u}, v, v)
		VMOVUPD(v, Mem{Base: z, Index: j, Scale: 1, Disp: 32 * u})
		VMAXPD(v, zero, r)
		VADDPD(zero, r, r)
		VMOVUPD(r, Mem{Base: dst, Index: j, Scale: 1, Disp: 32 * u})
	}

	rowLoop(rows, stride, n, j, cnt, one, z, dst)
}

// reluBackSum emits
//
//	func reluBackSumAVX(grad, z, sum *float64, rows, stride, n int)
//
// which, for each of the first n columns (n a multiple of 4) of rows rows
// of g and z (row r at element r·stride), replaces g by g where z > 0 and
// by +0 elsewhere (a NaN z gives +0: the comparison is ordered), and
// writes into sum[j] the column's sum 0 + d_0 + d_1 + … in row order, the
// order of additions of summing each column on its own. The matrix is read
// row by row, as it lies in memory, and the sums are kept in sum itself
// (n·8 bytes, in L1): each row adds its n/4 vectors to them.
func reluBackSum() {
	TEXT("reluBackSumAVX", NOSPLIT, "func(grad, z, sum *float64, rows, stride, n int)")
	Pragma("noescape")
	Doc("reluBackSumAVX masks the first n columns (n a multiple of 4) of rows rows of grad",
		"by z > 0 and writes their column sums into sum; row r starts at element r·stride.")
	g := Load(Param("grad"), GP64())
	z := Load(Param("z"), GP64())
	sum := Load(Param("sum"), GP64())
	rows := Load(Param("rows"), GP64())
	stride := Load(Param("stride"), GP64())
	n := Load(Param("n"), GP64())
	SHLQ(Imm(3), stride)
	zero := reg.Y15
	VXORPD(zero, zero, zero)
	j, cnt := GP64(), GP64()

	// sum[0:n] = +0
	XORQ(j, j)
	MOVQ(n, cnt)
	Label("clear")
	CMPQ(cnt, Imm(4))
	JL(LabelRef("row"))
	VMOVUPD(zero, Mem{Base: sum, Index: j, Scale: 1})
	ADDQ(Imm(32), j)
	SUBQ(Imm(4), cnt)
	JMP(LabelRef("clear"))

	one := func(u int) {
		m := ymm[u]
		VMOVUPD(Mem{Base: z, Index: j, Scale: 1, Disp: 32 * u}, m)
		VCMPPD(Imm(gtOQ), zero, m, m)
		VANDPD(Mem{Base: g, Index: j, Scale: 1, Disp: 32 * u}, m, m)
		VMOVUPD(m, Mem{Base: g, Index: j, Scale: 1, Disp: 32 * u})
		VADDPD(Mem{Base: sum, Index: j, Scale: 1, Disp: 32 * u}, m, m) // d + sum: addition commutes
		VMOVUPD(m, Mem{Base: sum, Index: j, Scale: 1, Disp: 32 * u})
	}

	rowLoop(rows, stride, n, j, cnt, one, z, g)
}

// rowLoop emits the loop both passes share, and the function's end: for
// each of rows rows, one(u) on the vectors at byte offset j + 32u of the
// row, sixteen columns (four vectors) at a time while cnt ≥ 16 of the n
// columns are left and then four at a time, then every pointer in ptrs
// moves on by stride bytes.
func rowLoop(rows, stride, n, j, cnt reg.Register, one func(u int), ptrs ...reg.Register) {
	Label("row")
	TESTQ(rows, rows)
	JZ(LabelRef("done"))
	XORQ(j, j)
	MOVQ(n, cnt)
	Label("col16")
	CMPQ(cnt, Imm(16))
	JL(LabelRef("col4"))
	for u := 0; u < 4; u++ {
		one(u)
	}
	ADDQ(Imm(128), j)
	SUBQ(Imm(16), cnt)
	JMP(LabelRef("col16"))
	Label("col4")
	CMPQ(cnt, Imm(4))
	JL(LabelRef("next"))
	one(0)
	ADDQ(Imm(32), j)
	SUBQ(Imm(4), cnt)
	JMP(LabelRef("col4"))
	Label("next")
	for _, p := range ptrs {
		ADDQ(stride, p)
	}
	DECQ(rows)
	JMP(LabelRef("row"))
	Label("done")
	VZEROUPPER()
	RET()
}

var ymm = []reg.VecPhysical{
	reg.Y0, reg.Y1, reg.Y2, reg.Y3, reg.Y4, reg.Y5, reg.Y6, reg.Y7,
	reg.Y8, reg.Y9, reg.Y10, reg.Y11, reg.Y12, reg.Y13, reg.Y14, reg.Y15,
}
