package verify_test

import (
	"context"
	"fmt"
	"time"

	"github.com/prospectorhq/prospector/internal/enrich/verify"
)

func ExampleNormalize() {
	fmt.Println(verify.Normalize(" Maria.Gonzalez@Example.COM "))
	_, err := verify.Normalize("maria@@example.com")
	fmt.Println(err)
	// Output:
	// maria.gonzalez@example.com <nil>
	// invalid address: more than one @ sign
}

func ExampleIsRoleAccount() {
	for _, e := range []string{"info@example.com", "sales-east@example.com", "maria@example.com"} {
		fmt.Println(e, verify.IsRoleAccount(e))
	}
	// Output:
	// info@example.com true
	// sales-east@example.com true
	// maria@example.com false
}

// A Verifier with the defaults: syntax, lists and DNS through the system
// resolver; no Hunter, no SMTP probe. (Not run: it needs the network.)
func ExampleVerifier_Verify() {
	v, err := verify.New(verify.Config{Timeout: 5 * time.Second})
	if err != nil {
		panic(err)
	}
	r := v.Verify(context.Background(), "maria@example.com")
	fmt.Println(r.Status, r.Reasons)
}
