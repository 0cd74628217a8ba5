package providerstest

import "context"

// Pages runs a paged search (a client's Search method) and gathers the
// pages it delivers, in order.
func Pages[Q, T any](search func(context.Context, Q, func([]T) error) error, q Q) ([][]T, error) {
	var pages [][]T
	err := search(context.Background(), q, func(page []T) error {
		pages = append(pages, page)
		return nil
	})
	return pages, err
}
