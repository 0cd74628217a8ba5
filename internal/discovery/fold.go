package discovery

import "github.com/prospectorhq/prospector/internal/textfold"

// fold lowercases s and replaces accented Latin letters with plain ones.
func fold(s string) string { return textfold.Latin(s) }
