package scenario

import (
	"strings"
	"testing"
)

const closureHead = "name: x\nstart: 2026Q1\nquarters: 4\nentities:\n  - {id: a, kind: lab}\n  - {id: c, kind: cloud}\n  - {id: n, kind: chipmaker}\neconomy:\n  closure:\n"

func TestClosureDecode(t *testing.T) {
	src := closureHead + `    enabled: true
    target_utilization: {triangular: [0.7, 0.8, 0.9]}
    build_lag: 3
    price_decline: 0.3
    labs:
      - entity: a
        models: [{model: gpt-5, share: 0.4}, {model: haiku-4-5, share: 0.6}]
        free_share: 0.2
        buy_from: [{entity: c, share: 1}]
    clouds:
      - {entity: c, ai_share: 0.3, chips: [{entity: n, share: 1}]}
`
	m, err := Decode("x.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	cl := m.ClosureOn()
	if cl == nil {
		t.Fatal("closure not enabled")
	}
	if len(m.Params) != 1 || m.Params[0].Name != "economy.closure.target_utilization" {
		t.Errorf("params %+v, want the target utilization drawn (a Monte Carlo parameter)", m.Params)
	}
	if cl.BuildLag.Fixed != 3 || cl.PriceDecline.Fixed != 0.3 || cl.TrainingShare.Set {
		t.Errorf("closure values %+v", cl)
	}
	l := cl.Labs[0]
	if l.Entity != "a" || len(l.Models) != 2 || l.Models[1].Model != "haiku-4-5" || l.Models[1].Share != 0.6 || l.FreeShare.Fixed != 0.2 || l.BuyFrom[0].Entity != "c" {
		t.Errorf("lab %+v", l)
	}
	if c := cl.Clouds[0]; c.Entity != "c" || c.AIShare.Fixed != 0.3 || c.Chips[0].Entity != "n" {
		t.Errorf("cloud %+v", c)
	}
	m.Economy.Closure.Enabled = false
	if m.ClosureOn() != nil {
		t.Error("ClosureOn with enabled: false")
	}
}

func TestClosureErrors(t *testing.T) {
	tests := []struct{ body, want string }{
		{"    enabled: yes please\n", "x.yaml:10:14: economy.closure.enabled"},
		{"    target_utilization: 0\n", "x.yaml:10:25: economy.closure.target_utilization: want a share above 0"},
		{"    build_lag: 20\n", "economy.closure.build_lag: at most 16 quarters"},
		{"    price_decline: 1\n", "economy.closure.price_decline: want a yearly decline below 1"},
		{"    training_share: 1\n", "economy.closure.training_share: want a share below 1"},
		{"    rent_yield: 0\n", "economy.closure.rent_yield: the value is outside the valid range: want a number > 0"},
		{"    labs:\n      - {entity: zz, models: [{model: gpt-5, share: 1}]}\n", `x.yaml:11:18: economy.closure.labs[0].entity: unknown entity "zz"`},
		{"    labs:\n      - {entity: a, models: [{model: gpt-5, share: 0.5}]}\n", "economy.closure.labs[0].models: shares sum to 0.5"},
		{"    labs:\n      - {entity: a}\n", "economy.closure.labs[0].models: missing"},
		{"    labs:\n      - {entity: a, models: [{model: gpt-5, share: 1}]}\n      - {entity: a, models: [{model: gpt-5, share: 1}]}\n", `economy.closure.labs[1].entity: "a" is listed twice`},
		{"    labs:\n      - {entity: a, models: [{model: gpt-5, share: 1}]}\n    clouds:\n      - {entity: a}\n", `economy.closure.clouds[0].entity: "a" is listed as a lab too`},
		{"    clouds:\n      - {entity: c, chips: [{entity: n, share: 0.5}]}\n", "economy.closure.clouds[0].chips: shares sum to 0.5"},
		{"    clouds:\n      - {entity: c, aishare: 1}\n", `economy.closure.clouds[0].aishare: unknown field; did you mean "ai_share"?`},
	}
	for _, tt := range tests {
		_, err := Decode("x.yaml", []byte(closureHead+tt.body))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: error %v, want it to contain %q", tt.body, err, tt.want)
		}
	}
}
