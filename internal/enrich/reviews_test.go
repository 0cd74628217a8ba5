package enrich

import (
	"encoding/json"
	"testing"
)

func TestReviewsFromSourceData(t *testing.T) {
	tests := []struct {
		name                 string
		data                 string
		gRating, yRating     float64
		gReviews, yReviews   int
		wantGoogle, wantYelp bool
	}{
		{"both sources", `{"sources":["google_maps","yelp"],"listings":{"google_maps":{"rating":4.7,"userRatingCount":318},"yelp":{"rating":4.5,"review_count":120}}}`,
			4.7, 4.5, 318, 120, true, true},
		{"google only", `{"listings":{"google_maps":{"rating":3.9,"userRatingCount":12}}}`, 3.9, 0, 12, 0, true, false},
		{"osm has none", `{"listings":{"osm":{"tags":{"name":"x"}}}}`, 0, 0, 0, 0, false, false},
		{"imported", ``, 0, 0, 0, 0, false, false},
		{"garbage", `[1,2`, 0, 0, 0, 0, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := reviewsFrom(json.RawMessage(tt.data))
			if (r.GoogleRating != nil) != tt.wantGoogle || (r.YelpRating != nil) != tt.wantYelp {
				t.Fatalf("reviews = %+v", r)
			}
			if tt.wantGoogle && (*r.GoogleRating != tt.gRating || *r.GoogleReviews != tt.gReviews) {
				t.Errorf("google = %v/%v", *r.GoogleRating, *r.GoogleReviews)
			}
			if tt.wantYelp && (*r.YelpRating != tt.yRating || *r.YelpReviews != tt.yReviews) {
				t.Errorf("yelp = %v/%v", *r.YelpRating, *r.YelpReviews)
			}
		})
	}
}
