package money_test

import (
	"fmt"

	"github.com/roundtrip-dev/roundtrip/money"
)

func ExampleParse() {
	a, err := money.Parse("$1.2T")
	if err != nil {
		panic(err)
	}
	fmt.Println(a, a.Decimal())
	parts := money.Allocate(nil, 100*money.Dollar, []int64{1, 1, 1})
	fmt.Println(parts[0], parts[1], parts[2])
	// Output:
	// $1.20T 1200000000000
	// $33.33 $33.33 $33.34
}
