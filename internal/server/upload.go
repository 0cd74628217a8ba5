package server

import (
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/prospectorhq/prospector/internal/apperr"
)

// multipartOverhead allows for the multipart framing around a file.
const multipartOverhead = 64 << 10

// UploadedFile finds an uploaded CSV file, for the JSON API and the
// dashboard alike: the whole body for text/csv (or application/csv,
// text/plain), or the multipart/form-data field "file" (a browser's
// upload). At most max bytes of it are read; a larger file fails the read
// with an *http.MaxBytesError, which UploadError answers.
func UploadedFile(w http.ResponseWriter, r *http.Request, max int64) (io.Reader, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		mt = ""
	}
	switch mt {
	case "text/csv", "application/csv", "text/plain":
		return http.MaxBytesReader(w, r.Body, max), nil
	case "multipart/form-data":
		r.Body = http.MaxBytesReader(w, r.Body, max+multipartOverhead)
		mr, err := r.MultipartReader()
		if err != nil {
			return nil, malformedUpload()
		}
		for {
			part, err := mr.NextPart()
			var tooBig *http.MaxBytesError
			switch {
			case errors.As(err, &tooBig):
				return nil, tooLarge(max)
			case errors.Is(err, io.EOF):
				return nil, &apperr.Error{Code: apperr.CodeValidation, Message: "Attach the CSV as the form field \"file\".",
					Fields: map[string]string{"file": "is required"}}
			case err != nil:
				return nil, malformedUpload()
			}
			if part.FormName() == "file" {
				return part, nil
			}
		}
	default:
		return nil, apperr.New(apperr.CodeUnsupportedMediaType, "Send the CSV as text/csv, or as the multipart/form-data field \"file\".")
	}
}

// UploadError answers a file that passed UploadedFile's bound of max bytes
// while it was being read as too large; any other error is as it was.
func UploadError(err error, max int64) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return tooLarge(max)
	}
	return err
}

func tooLarge(max int64) error {
	return apperr.New(apperr.CodePayloadTooLarge, "The file is larger than %d MiB; split it into smaller files.", max>>20)
}

func malformedUpload() error {
	return &apperr.Error{Code: apperr.CodeValidation, Message: "The multipart body is malformed.",
		Fields: map[string]string{"file": "could not be read"}}
}
