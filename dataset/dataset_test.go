package dataset

import "testing"

func TestDefaultDecodes(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range m.Warnings {
		t.Log(w)
	}
}
