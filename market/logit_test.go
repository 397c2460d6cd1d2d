package market

import (
	"math"
	"testing"
)

// TestNestedLogitHand checks the shares of three alternatives against
// values computed by hand. A and B share nest 1, C is alone in nest 2;
// V = (1, 0, 0.5).
//
// λ = 0.5, equal nest constants: exp(V/λ) = (e², 1, e) = (7.389056,
// 1, 2.718282); S₁ = 8.389056, S₂ = 2.718282; nest weights S^λ = 2.896387
// and 1.648721, total 4.545108; P(n₁) = 0.637254, P(n₂) = 0.362746;
// P_A = 0.637254 × 7.389056/8.389056 = 0.561291, P_B = 0.637254 ×
// 1/8.389056 = 0.075962, P_C = 0.362746.
//
// λ = 1 is the flat logit: exp(V) = (2.718282, 1, 1.648721), sum 5.367003:
// (0.506480, 0.186324, 0.307196).
//
// λ = 0.5 with nest 1's weight 3 (c₁ = ln 3): nest weights 3 × 2.896387 =
// 8.689161 and 1.648721, total 10.337882; P(n₁) = 0.840517; P_A =
// 0.840517 × 0.880797 = 0.740324, P_B = 0.100192, P_C = 0.159483.
func TestNestedLogitHand(t *testing.T) {
	v, nest := []float64{1, 0, 0.5}, []int{0, 0, 1}
	for _, tc := range []struct {
		name   string
		c      []float64
		lambda float64
		want   []float64
	}{
		{"nested", []float64{0, 0}, 0.5, []float64{0.561291, 0.075962, 0.362746}},
		{"flat", []float64{0, 0}, 1, []float64{0.506480, 0.186324, 0.307196}},
		{"weighted nest", []float64{math.Log(3), 0}, 0.5, []float64{0.740324, 0.100192, 0.159483}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := make([]float64, 3)
			NestedLogit(got, v, nest, tc.c, tc.lambda, make([]float64, 2))
			var sum float64
			for j := range got {
				sum += got[j]
				if math.Abs(got[j]-tc.want[j]) > 1e-6 {
					t.Errorf("P[%d] = %.6f, want %.6f", j, got[j], tc.want[j])
				}
			}
			if math.Abs(sum-1) > 1e-12 {
				t.Errorf("shares sum to %v, want 1", sum)
			}
		})
	}
}

// TestElasticityAnalytic checks the analytic own- and cross-price
// elasticities against central differences of NestedLogit's shares, with
// V_j = q_j − α ln p_j.
func TestElasticityAnalytic(t *testing.T) {
	q := []float64{1, 0.2, 0.6, 0.9}
	nest := []int{0, 0, 1, 1}
	c := []float64{math.Log(0.7), math.Log(0.3)}
	for _, lambda := range []float64{1, 0.6, 0.3} {
		const alpha, h = 1.7, 1e-5
		shares := func(j int, dlnp float64) []float64 {
			v := make([]float64, len(q))
			for i := range q {
				v[i] = q[i]
				if i == j {
					v[i] -= alpha * dlnp
				}
			}
			out := make([]float64, len(q))
			NestedLogit(out, v, nest, c, lambda, make([]float64, 2))
			return out
		}
		p0 := shares(-1, 0)
		within := func(j int) float64 {
			var s float64
			for i := range p0 {
				if nest[i] == nest[j] {
					s += p0[i]
				}
			}
			return p0[j] / s
		}
		for j := range q {
			up, down := shares(j, h), shares(j, -h)
			for i := range q {
				num := (math.Log(up[i]) - math.Log(down[i])) / (2 * h)
				var want float64
				if i == j {
					want = OwnElasticity(alpha, lambda, p0[j], within(j))
				} else {
					want = CrossElasticity(alpha, lambda, p0[j], within(j), nest[i] == nest[j])
				}
				if math.Abs(num-want) > 1e-6 {
					t.Errorf("λ=%g: ∂ln P%d/∂ln p%d = %.8f numerically, analytic %.8f", lambda, i, j, num, want)
				}
			}
		}
	}
}
