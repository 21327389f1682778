package bench

import (
	"testing"
	"time"
)

// meter accumulates the wall-clock and process CPU time of timed sections.
type meter struct {
	wall, cpu time.Duration
	w0        time.Time
	c0        time.Duration
}

func (m *meter) start() { m.w0, m.c0 = time.Now(), ProcessCPUTime() }

func (m *meter) stop() {
	m.wall += time.Since(m.w0)
	if c := ProcessCPUTime(); c >= 0 && m.c0 >= 0 {
		m.cpu += c - m.c0
	}
}

// seconds is the CPU time when the CPU clock works, else the wall time.
func (m *meter) seconds() float64 {
	if m.cpu > 0 {
		return m.cpu.Seconds()
	}
	return m.wall.Seconds()
}

// report adds the CPU time per op (cpu-ns/op) to b's results, for a
// benchmark whose whole b.N loop m timed.
func (m *meter) report(b *testing.B, prefix string) {
	if m.cpu > 0 {
		b.ReportMetric(float64(m.cpu.Nanoseconds())/float64(b.N), prefix+"cpu-ns/op")
	}
}

// timeLoop runs f b.N times under a meter and reports cpu-ns/op.
func timeLoop(b *testing.B, f func()) *meter {
	var m meter
	b.ResetTimer()
	m.start()
	for i := 0; i < b.N; i++ {
		f()
	}
	m.stop()
	b.StopTimer()
	m.report(b, "")
	return &m
}
