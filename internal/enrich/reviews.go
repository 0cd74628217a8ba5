package enrich

import "encoding/json"

// Reviews are the ratings the discovery sources reported.
type Reviews struct {
	GoogleRating  *float64
	GoogleReviews *int
	YelpRating    *float64
	YelpReviews   *int
}

// reviewsFrom reads ratings from a prospect's source_data, which discovery
// saves as {"sources": [...], "listings": {"google_maps": {...}, "yelp": {...}}}.
func reviewsFrom(sourceData json.RawMessage) Reviews {
	var data struct {
		Listings struct {
			Google *struct {
				Rating          *float64 `json:"rating"`
				UserRatingCount *int     `json:"userRatingCount"`
			} `json:"google_maps"`
			Yelp *struct {
				Rating      *float64 `json:"rating"`
				ReviewCount *int     `json:"review_count"`
			} `json:"yelp"`
		} `json:"listings"`
	}
	var r Reviews
	if json.Unmarshal(sourceData, &data) != nil {
		return r
	}
	if g := data.Listings.Google; g != nil {
		r.GoogleRating, r.GoogleReviews = g.Rating, g.UserRatingCount
	}
	if y := data.Listings.Yelp; y != nil {
		r.YelpRating, r.YelpReviews = y.Rating, y.ReviewCount
	}
	return r
}
