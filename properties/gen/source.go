package gen

import (
	"math/rand/v2"

	"pgregory.net/rapid"
)

// Source is a stream of random choices: rapid's *rapid.T inside a property
// (so that rapid can shrink a failing case), or a seeded PCG stream in a
// claim's run (so that the same seed gives the same cases whatever rapid's
// version). The label names the choice for rapid's failure reports.
type Source interface {
	// IntRange returns an int in [lo, hi]; lo ≤ hi.
	IntRange(lo, hi int, label string) int
	// Float64Range returns a float64 in [lo, hi]; lo ≤ hi, both finite.
	Float64Range(lo, hi float64, label string) float64
	// Uint64 returns any uint64.
	Uint64(label string) uint64
	// Bool returns true or false.
	Bool(label string) bool
}

// Gen draws values of type V from a Source. A Gen always draws a valid
// value: its ranges are valid by construction, so that no draw is
// rejected.
type Gen[V any] func(s Source) V

// Draw draws a value inside a rapid property, as rapid's Generator.Draw.
func (g Gen[V]) Draw(t *rapid.T, label string) V { return g.Rapid().Draw(t, label) }

// Rapid returns g as a rapid generator, to compose with rapid's own.
func (g Gen[V]) Rapid() *rapid.Generator[V] {
	return rapid.Custom(func(t *rapid.T) V { return g(rapidSource{t}) })
}

// Seeded draws the value of seed: every choice comes from the PCG stream
// of seed, so the same seed gives the same value.
func (g Gen[V]) Seeded(seed uint64) V { return g(NewSeeded(seed)) }

// Tag packs up to eight bytes of a short name ("G1", "bias") into a
// uint64, big-endian: the second word of a PCG seed that keeps the streams
// of different claims or purposes apart.
func Tag(name string) uint64 {
	var t uint64
	for i := 0; i < len(name) && i < 8; i++ {
		t = t<<8 | uint64(name[i])
	}
	return t
}

// NewSeeded returns the Source that draws from the PCG stream (seed,
// Tag("source")). IntRange and Float64Range are uniform on their ranges.
func NewSeeded(seed uint64) Source {
	return seeded{rand.New(rand.NewPCG(seed, Tag("source")))}
}

type seeded struct{ r *rand.Rand }

func (s seeded) IntRange(lo, hi int, _ string) int {
	if lo >= hi {
		return lo
	}
	span := uint64(hi) - uint64(lo) // hi − lo as a uint64, exact even when it overflows int
	if span == ^uint64(0) {
		return lo + int(s.r.Uint64())
	}
	return lo + int(s.r.Uint64N(span+1))
}

func (s seeded) Float64Range(lo, hi float64, _ string) float64 {
	v := lo + (hi-lo)*s.r.Float64()
	return min(max(v, lo), hi)
}

func (s seeded) Uint64(string) uint64 { return s.r.Uint64() }
func (s seeded) Bool(string) bool     { return s.r.IntN(2) == 1 }

type rapidSource struct{ t *rapid.T }

func (s rapidSource) IntRange(lo, hi int, label string) int {
	return rapid.IntRange(lo, hi).Draw(s.t, label)
}

func (s rapidSource) Float64Range(lo, hi float64, label string) float64 {
	return rapid.Float64Range(lo, hi).Draw(s.t, label)
}

func (s rapidSource) Uint64(label string) uint64 { return rapid.Uint64().Draw(s.t, label) }
func (s rapidSource) Bool(label string) bool     { return rapid.Bool().Draw(s.t, label) }

// Pick returns one of choices; it panics if choices is empty.
func Pick[V any](s Source, choices []V, label string) V {
	if len(choices) == 0 {
		panic("gen: Pick from no choices")
	}
	return choices[s.IntRange(0, len(choices)-1, label)]
}

// Signed returns sign × a magnitude in [lo, hi], the sign a fair coin.
func Signed(s Source, lo, hi float64, label string) float64 {
	v := s.Float64Range(lo, hi, label)
	if s.Bool(label + "Sign") {
		return -v
	}
	return v
}

// Permutation returns a uniformly random permutation of 0, …, n−1
// (Fisher–Yates, one IntRange a position).
func Permutation(s Source, n int, label string) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	for i := n - 1; i > 0; i-- {
		j := s.IntRange(0, i, label)
		p[i], p[j] = p[j], p[i]
	}
	return p
}
