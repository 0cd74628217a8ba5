package fetch

import (
	"compress/gzip"
	"io"
	"net/http"
	"strings"
)

// wireReader counts what comes off the connection and stops after limit
// bytes. It keeps the connection's own errors apart from the decoder's, so a
// timeout is not mistaken for a corrupt body.
type wireReader struct {
	r     io.Reader
	left  int64
	n     int64
	err   error // first error other than io.EOF from r
	ended bool  // stopped at the limit, not by the server
}

func (w *wireReader) Read(p []byte) (int, error) {
	if w.left <= 0 {
		w.ended = true
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), w.left)]
	n, err := w.r.Read(p)
	w.n += int64(n)
	w.left -= int64(n)
	if err != nil && err != io.EOF && w.err == nil {
		w.err = err
	}
	return n, err
}

// readBody reads at most maxBody decoded bytes of resp's body. Neither the
// bytes taken off the wire nor the bytes decoded from them go past
// maxBody+1, so neither a huge body nor a gzip bomb can make it hold more;
// truncated says there was more to read.
func readBody(resp *http.Response, maxBody int64) (body []byte, truncated bool, wire int64, err error) {
	// A gzip stream larger than maxBody decodes to more than maxBody in any
	// real page; stopping the wire there also ends streams of empty gzip
	// members that would otherwise be read until the deadline.
	w := &wireReader{r: resp.Body, left: maxBody + 1}
	var src io.Reader = w
	gzipped := isGzip(resp.Header.Get("Content-Encoding"))
	if gzipped {
		zr, err := gzip.NewReader(w)
		switch {
		case err == io.EOF && w.n == 0:
			return nil, false, 0, nil // an empty body is empty in any encoding
		case err != nil:
			return nil, false, w.n, bodyError(w, err)
		}
		defer zr.Close()
		src = zr
	}
	hint := int64(512)
	if !gzipped && resp.ContentLength > 0 {
		hint = resp.ContentLength
	}
	body, truncated, err = readCapped(src, maxBody, hint)
	if err != nil {
		if !w.ended {
			return nil, false, w.n, bodyError(w, err)
		}
		// The wire limit cut a gzip stream short: the body is bigger
		// than we keep, not broken.
		truncated = true
	}
	return body, truncated, w.n, nil
}

func isGzip(contentEncoding string) bool {
	ce := strings.TrimSpace(contentEncoding)
	return strings.EqualFold(ce, "gzip") || strings.EqualFold(ce, "x-gzip")
}

// bodyError tells a failing connection (classified by the caller) from a
// body that is not the gzip it claims to be: an error that did not come off
// the wire came from the decoder.
func bodyError(w *wireReader, err error) error {
	if w.err != nil {
		return w.err
	}
	return &Error{Kind: KindProtocol, Msg: "the page claims gzip compression but is not valid gzip", Err: err}
}

// readCapped reads r to its end or to limit bytes, whichever comes first,
// never growing its buffer beyond limit. hint sizes the first allocation.
func readCapped(r io.Reader, limit, hint int64) ([]byte, bool, error) {
	buf := make([]byte, 0, max(min(hint, limit), 1))
	for int64(len(buf)) < limit {
		if len(buf) == cap(buf) {
			grown := make([]byte, len(buf), min(2*int64(cap(buf)), limit))
			copy(grown, buf)
			buf = grown
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, false, nil
		}
		if err != nil {
			return buf, false, err
		}
	}
	// Full: one more byte tells "exactly limit" from "more than limit".
	var probe [1]byte
	for {
		n, err := r.Read(probe[:])
		switch {
		case n > 0:
			return buf, true, nil
		case err == io.EOF:
			return buf, false, nil
		case err != nil:
			return buf, false, err
		}
	}
}
