package nn_test

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/reluproof/reluproof/nn"
)

// A 2-3-1 relu network: forward a batch, then take the MSE gradient.
func Example() {
	net, err := nn.New([]int{2, 3, 1}, nn.ReLU, nn.Identity, 1)
	if err != nil {
		panic(err)
	}
	x := mat.NewDense(2, 2, []float64{0.5, -1, 2, 0.25})
	t := mat.NewDense(2, 1, []float64{1, 0})
	y, _ := net.Forward(x)
	loss, grad, _ := net.Gradient(x, t, nn.MSE)
	fmt.Println(y.Dims())
	fmt.Println(len(grad) == net.NumParams(), loss > 0)
	fmt.Println(net.ParamName(9))
	// Output:
	// 2 1
	// true true
	// layer 2, W[0][0]
}

func ExampleActivationByName() {
	act, err := nn.ActivationByName("softplus")
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s(0) = %.6f, derivative %.2f\n", act.Name(), act.Eval(0), act.Deriv(0))
	_, err = nn.ActivationByName("gelu")
	fmt.Println(err)
	// Output:
	// softplus(0) = 0.693147, derivative 0.50
	// nn: unknown activation "gelu" (want one of [relu leaky_relu sigmoid tanh softplus identity square]): nn: invalid configuration
}

// Train fits a 1-8-1 tanh network to sin x on [−2, 2] by full-batch Adam;
// the same seed gives the same network and the same losses, bit for bit.
func ExampleNetwork_Train() {
	const n = 33
	x, t := mat.NewDense(n, 1, nil), mat.NewDense(n, 1, nil)
	for i := range n {
		v := -2 + 4*float64(i)/(n-1)
		x.Set(i, 0, v)
		t.Set(i, 0, math.Sin(v))
	}
	net, err := nn.New([]int{1, 8, 1}, nn.Tanh, nn.Identity, 7)
	if err != nil {
		panic(err)
	}
	before, err := net.Loss(x, t, nn.MSE)
	if err != nil {
		panic(err)
	}
	res, err := net.Train(x, t, nn.TrainConfig{Loss: nn.MSE, Optimizer: nn.Adam{LearningRate: 0.02}, MaxSteps: 2000, Tol: 1e-5})
	if err != nil {
		panic(err)
	}
	fmt.Printf("loss %.1g before; converged to ≤ 1e-5 within 2000 steps: %v\n", before, res.Converged)
	// Output:
	// loss 0.01 before; converged to ≤ 1e-5 within 2000 steps: true
}
