package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/server"
	"github.com/prospectorhq/prospector/internal/store"
)

// maxJSONBody is the contract's cap on JSON request bodies.
const maxJSONBody = 1 << 20

// internalMessage is all a caller learns of a failure on our side.
const internalMessage = "Something went wrong on our side. Please try again."

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// writeJSON sends v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // the client has gone; nothing left to tell it
}

// writeResult answers err when there is one, else v with status: how
// most handlers end.
func writeResult(w http.ResponseWriter, r *http.Request, status int, v any, err error) {
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, status, v)
}

// The handlers that decode, call one service method for the caller and
// render its answer share these: what differs between them is the method,
// the status and what the path's id names.

// answer responds with status what call returns for the caller, or with
// its error.
func answer[T any](w http.ResponseWriter, r *http.Request, status int, call func(ctx context.Context, userID string) (T, error)) {
	v, err := call(r.Context(), identityFrom(r.Context()).UserID)
	writeResult(w, r, status, v, err)
}

// answerBody decodes the request's JSON into an In and answers what call
// makes of it.
func answerBody[In, T any](w http.ResponseWriter, r *http.Request, status int, call func(ctx context.Context, userID string, in In) (T, error)) {
	var in In
	if err := decodeJSON(w, r, &in); err != nil {
		writeError(w, r, err)
		return
	}
	answer(w, r, status, func(ctx context.Context, userID string) (T, error) { return call(ctx, userID, in) })
}

// answerOn answers what call makes of the caller's record (a what) whose
// id is in the path; a malformed id is that record not found.
func answerOn[T any](w http.ResponseWriter, r *http.Request, what string, status int, call func(ctx context.Context, userID, id string) (T, error)) {
	id, err := pathID(r, what)
	if err != nil {
		writeError(w, r, err)
		return
	}
	answer(w, r, status, func(ctx context.Context, userID string) (T, error) { return call(ctx, userID, id) })
}

// answerOnBody is answerOn for a call that also takes the request's JSON;
// the id is checked before the body is read.
func answerOnBody[In, T any](w http.ResponseWriter, r *http.Request, what string, status int, call func(ctx context.Context, userID, id string, in In) (T, error)) {
	id, err := pathID(r, what)
	if err != nil {
		writeError(w, r, err)
		return
	}
	answerBody(w, r, status, func(ctx context.Context, userID string, in In) (T, error) { return call(ctx, userID, id, in) })
}

// deleteOn deletes the caller's record (a what) whose id is in the path and
// answers 204.
func deleteOn(w http.ResponseWriter, r *http.Request, what string, del func(ctx context.Context, userID, id string) error) {
	id, err := pathID(r, what)
	if err == nil {
		err = del(r.Context(), identityFrom(r.Context()).UserID, id)
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// writeError renders err in the contract's shape. Errors that are not
// *apperr.Error are logged and answered as a bare 500: their text may hold
// internals (SQL, paths, addresses) and never leaves the process.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	e, ok := apperr.As(err)
	if !ok && errors.Is(err, store.ErrNotFound) {
		e, ok = apperr.NotFound("resource"), true
	}
	if !ok {
		server.Logger(r.Context()).ErrorContext(r.Context(), "request failed", slog.String("request_id", server.RequestID(r.Context())),
			slog.String("method", r.Method),
			slog.String("route", r.Pattern), slog.Any("error", err))
		e = &apperr.Error{Code: apperr.CodeInternal, Message: internalMessage}
	}
	status, known := server.StatusOf(e.Code)
	if !known {
		// A code added to apperr without a line in server.StatusOf: a programming
		// error (TestEveryErrorCodeHasAStatus), so not the caller's fault.
		server.Logger(r.Context()).ErrorContext(r.Context(), "error code has no HTTP status", slog.String("request_id", server.RequestID(r.Context())),
			slog.String("method", r.Method), slog.String("route", r.Pattern), slog.String("code", e.Code))
		e, status = &apperr.Error{Code: apperr.CodeInternal, Message: internalMessage}, http.StatusInternalServerError
	}
	server.SetRetryAfter(w, e.RetryAfter)
	writeJSON(w, status, errorBody{errorDetail{Code: e.Code, Message: e.Message, Fields: e.Fields}})
}

// list is the contract's list envelope.
type list[T any] struct {
	Data       []T     `json:"data"`
	NextCursor *string `json:"next_cursor"`
}

func newList[T any](items []T, next string) list[T] {
	if items == nil {
		items = []T{}
	}
	l := list[T]{Data: items}
	if next != "" {
		l.NextCursor = &next
	}
	return l
}

// decodeJSON reads a JSON object into dst: at most 1 MiB, no unknown fields,
// keys spelled exactly and each once (checkKeys), nothing after it, and a
// JSON content type when one is given. It is the one way every endpoint
// reads a JSON body.
func decodeJSON(w http.ResponseWriter, r *http.Request, dst any) error {
	if err := jsonContentType(r); err != nil {
		return err
	}
	// Read whole, within the cap, so the keys can be checked before
	// decoding: encoding/json matches them case-insensitively and keeps
	// the last of duplicates.
	data, err := readBody(w, r)
	if err != nil {
		return err
	}
	if err := checkKeys(data, reflect.TypeOf(dst)); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return apperr.New(apperr.CodeInvalidJSON, "The request body must hold a single JSON object.")
	}
	return nil
}

// jsonContentType refuses a body sent as anything but JSON; no
// Content-Type at all is taken as JSON.
func jsonContentType(r *http.Request) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return apperr.New(apperr.CodeUnsupportedMediaType, "Send the request body as application/json.")
		}
	}
	return nil
}

// readBody reads the whole request body within the JSON cap (webhooks
// need its exact bytes for their signatures).
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxJSONBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, tooLarge()
		}
		// The caller went away or stalled past the deadline: theirs to
		// retry, and no failure of ours to log.
		return nil, apperr.New(apperr.CodeInvalidJSON, "The request body could not be read.")
	}
	return data, nil
}

func tooLarge() error {
	return apperr.New(apperr.CodePayloadTooLarge, "The request body is larger than 1 MiB.")
}

// jsonError turns a decoding failure into a message that helps the caller
// without echoing their data back.
func jsonError(err error) error {
	var tooBig *http.MaxBytesError
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &tooBig):
		return tooLarge()
	case errors.Is(err, io.EOF):
		return apperr.New(apperr.CodeInvalidJSON, "The request body is empty; send a JSON object.")
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.New(apperr.CodeInvalidJSON, "The request body is not valid JSON.")
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			return apperr.New(apperr.CodeInvalidJSON, "The request body must be a JSON object.")
		}
		return apperr.Invalid(field, "must be "+jsonTypeName(typeErr.Type.String()))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return apperr.New(apperr.CodeInvalidJSON, "Unknown field %q.", name)
	default:
		return apperr.New(apperr.CodeInvalidJSON, "The request body is not valid JSON.")
	}
}

func jsonTypeName(goType string) string {
	switch {
	case strings.Contains(goType, "int"), strings.Contains(goType, "float"):
		return "a number"
	case strings.Contains(goType, "string"):
		return "a string"
	case strings.Contains(goType, "bool"):
		return "true or false"
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	default:
		return fmt.Sprintf("a %s", "JSON object")
	}
}

// pageFrom reads limit and cursor: limit 1–200, default 50.
func pageFrom(r *http.Request) (store.Page, error) {
	p := store.Page{Limit: 50}
	q := r.URL.Query()
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			return p, apperr.Invalid("limit", "must be a whole number from 1 to 200")
		}
		p.Limit = n
	}
	if c := q.Get("cursor"); c != "" {
		id, ok := decodeCursor(c)
		if !ok {
			return p, apperr.Invalid("cursor", "is not a cursor from a previous page")
		}
		p.After = id
	}
	return p, nil
}

// pathID reads an id from the URL; a malformed one is simply not found.
func pathID(r *http.Request, what string) (string, error) {
	id := r.PathValue("id")
	if !store.ValidID(id) {
		return "", apperr.NotFound(what)
	}
	return strings.ToLower(id), nil
}
