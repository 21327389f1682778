package main

import (
	"fmt"
	"io"
	"strconv"
	"time"
)

// progress tells the user on stderr how far a run has got. On a terminal
// (live) it redraws one line, "[ 3/37] U3  12/40", and clears it when the
// step ends; elsewhere (a pipe, a log file, CI) it prints one plain line per
// finished step, "[ 3/37] U3 PASS 0.46s", and nothing while a step runs.
type progress struct {
	w        io.Writer
	live     bool
	prefix   string // "[ 3/37] U3", the step being run
	last     time.Time
	lastDone int
}

// begin starts step i of n, named label.
func (p *progress) begin(i, n int, label string) {
	p.prefix = fmt.Sprintf("[%*d/%d] %s", len(strconv.Itoa(n)), i, n, label)
	p.lastDone = -1
	if p.live {
		fmt.Fprintf(p.w, "\r\033[K%s", p.prefix)
	}
}

// update is a claims.Config.Progress function for a live line. It redraws
// at most ten times a second, and always for the last step.
func (p *progress) update(done, total int) {
	if done == p.lastDone || (done < total && time.Since(p.last) < 100*time.Millisecond) {
		return
	}
	p.last, p.lastDone = time.Now(), done
	fmt.Fprintf(p.w, "\r\033[K%s %d/%d", p.prefix, done, total)
}

// end finishes the step begun last: it clears the live line, or prints the
// plain line with the step's outcome ("PASS", "drawn" …) and wall time.
func (p *progress) end(outcome string, seconds float64) {
	if p.live {
		fmt.Fprint(p.w, "\r\033[K")
		return
	}
	fmt.Fprintf(p.w, "%s %s %.2fs\n", p.prefix, outcome, seconds)
}
