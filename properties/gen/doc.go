// Package gen draws the random cases of reluproof's property suite:
// networks, batches of inputs and targets, whole network problems and unit
// directions, always valid, for pgregory.net/rapid properties and for
// seeded runs alike.
//
// A Gen is a function of a Source. Inside a rapid property, Draw takes its
// choices from rapid, which can then shrink a failing case; outside tests,
// Seeded takes them from a PCG stream, so that a seed gives the same case
// whatever rapid's version. Every generator draws from ranges that are
// valid by construction, so no draw is ever rejected (rapid's Filter gives
// up after a few rejections).
//
// Structure (depth, widths, activations, batch, loss) and the magnitudes of
// inputs and targets are drawn from the Source, so rapid can shrink them;
// weights and directions are filled from a drawn PCG seed, so that they are
// generic real numbers (rapid's float draws favour simple values such as 0,
// 1 and 0.5, which would put pre-activations exactly on a kink far more
// often than real data does).
package gen
