package properties

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/reluproof/reluproof/approx"
)

func TestPropertyT2_TrainedErrorFalls(t *testing.T) {
	withRapidChecks(t, 2) // each check trains 6 networks (about 1–3 s)
	rapid.Check(t, func(t *rapid.T) {
		act := rapid.SampledFrom(T2Activations()).Draw(t, "activation")
		base := rapid.Uint64Range(0, 1<<20).Draw(t, "seed")
		rows, err := TrainedSweep(act, []int{4, 128}, U5Seeds(base, 3), 1000)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := CheckTrainedFalls("trained "+act.Name(), rows); err != nil {
			t.Fatal(err)
		}
	})
}

// TestT2CatchesErrorThatDoesNotFall plants sweeps whose error is flat or
// grows with width, and one that falls, and sees CheckTrainedFalls judge
// each rightly.
func TestT2CatchesErrorThatDoesNotFall(t *testing.T) {
	sweep := func(rms ...float64) []approx.SweepRow {
		var rows []approx.SweepRow
		for i, e := range rms {
			for s := range 3 { // three seeds, spread around the median
				rows = append(rows, approx.SweepRow{Width: 4 << (2 * i), RMS: e * (0.9 + 0.1*float64(s))})
			}
		}
		return rows
	}
	for name, rows := range map[string][]approx.SweepRow{
		"flat":           sweep(0.1, 0.1, 0.1),
		"grows":          sweep(0.01, 0.02, 0.04),
		"falls then up":  sweep(0.1, 0.01, 0.2),
		"single width":   sweep(0.1),
		"last above 1st": sweep(0.05, 0.001, 0.06),
	} {
		if _, err := CheckTrainedFalls(name, rows); err == nil {
			t.Errorf("%s: CheckTrainedFalls accepted an error that does not fall", name)
		}
	}
	if r, err := CheckTrainedFalls("falls", sweep(0.1, 0.03, 0.01)); err != nil || r < 9.99 || r > 10.01 {
		t.Errorf("falling sweep: ratio %v, error %v; want 10, nil", r, err)
	}
}
