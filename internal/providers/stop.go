package providers

import "errors"

// ErrStop, returned by a page callback, ends a paged search early without an
// error: the caller has what it wanted or its campaign was paused.
var ErrStop = errors.New("stop paging")
