package discovery

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"

	"github.com/prospectorhq/prospector/internal/textfield"
)

// Whole-file import failures. The HTTP layer maps ErrTooManyRows to 413 and
// the others to 400; their messages are written for the user who uploaded
// the file.
var (
	ErrNotCSV        = errors.New("the file is not CSV text")
	ErrMissingColumn = errors.New("the header has no column")
	ErrMalformedCSV  = errors.New("the file is not valid CSV")
	ErrTooManyRows   = errors.New("the file has too many rows")
)

// DefaultMaxImportRows is the number of data rows one import may hold when
// ImportOptions.MaxRows is zero.
const DefaultMaxImportRows = 50_000

// The columns of the import contract, in the order of importColumns.
const (
	colCompanyName = iota
	colWebsite
	colPhone
	colAddress
	colCity
	colState
	colZip
	colEmail
	colFirstName
	colLastName
	colTitle
	numColumns
)

// importColumns are the contract's column names, as the header writes them.
var importColumns = [numColumns]string{
	"company_name", "website", "phone", "address", "city", "state", "zip",
	"email", "first_name", "last_name", "title",
}

// ColumnMaxChars is the most characters each column's cell may hold, after
// trimming: generous for any real business or person, and small enough that
// a row stays a few kilobytes and every index key built from it (the dedup
// key of name, street and zip; the phone; the email) stays far below
// PostgreSQL's 2,704-byte bound. A longer cell rejects its row. The README's
// "Field limits" table lists them.
var ColumnMaxChars = [numColumns]int{
	colCompanyName: 200,
	colWebsite:     2048,
	colPhone:       40,
	colAddress:     200,
	colCity:        100,
	colState:       100,
	colZip:         20,
	colEmail:       254, // RFC 5321's bound on a forward path
	colFirstName:   100,
	colLastName:    100,
	colTitle:       200,
}

// ImportOptions tune ParseImport.
type ImportOptions struct {
	// Region is the ISO 3166 region national phone numbers are read in,
	// usually RegionFromLocation of the campaign's target location; "" is US.
	Region string
	// MaxRows caps the data rows of one file; 0 means DefaultMaxImportRows.
	MaxRows int
}

// ImportRow is one accepted row, normalized.
type ImportRow struct {
	// Row is the row's number among the data rows, the header excluded:
	// row 1 is the line after the header, and blank lines count, so the
	// number matches the spreadsheet row minus one.
	Row         int            `json:"row"`
	CompanyName string         `json:"company_name"`
	Website     string         `json:"website,omitempty"` // NormalizeWebsite form
	Domain      string         `json:"domain,omitempty"`  // DomainKey of Website
	Phone       string         `json:"phone,omitempty"`   // E.164 when readable, else as written
	Address     string         `json:"address,omitempty"`
	City        string         `json:"city,omitempty"`
	State       string         `json:"state,omitempty"`
	Zip         string         `json:"zip,omitempty"`
	Contact     *ImportContact `json:"contact,omitempty"` // nil when the row names no one
}

// ImportContact is the person a row names.
type ImportContact struct {
	Email     string `json:"email,omitempty"` // lowercased
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	Title     string `json:"title,omitempty"`
}

// Business returns the row as a listing from the "manual" source, ready for
// a Deduper.
func (r ImportRow) Business() Business {
	return Business{
		Name:    r.CompanyName,
		Website: r.Website,
		Domain:  r.Domain,
		Phone:   r.Phone,
		Address: r.Address,
		City:    r.City,
		State:   r.State,
		Zip:     r.Zip,
		Source:  "manual",
		Sources: []string{"manual"},
	}
}

// Rejection says why one row was not imported.
type Rejection struct {
	Row    int    `json:"row"`
	Reason string `json:"reason"`
}

// Header describes the file's header row, so the user can be told which
// columns were ignored.
type Header struct {
	Columns []string `json:"columns"` // the contract's columns found, in file order
	Ignored []string `json:"ignored"` // columns not used, as written: unknown names and repeats
}

// ImportSummary is the outcome of a whole file.
type ImportSummary struct {
	Header   Header      `json:"header"`
	Rows     int         `json:"rows"`     // data rows read, blank ones not counted
	Accepted int         `json:"accepted"` // rows passed to emit
	Rejected []Rejection `json:"rejected"` // rows refused, in file order
}

// ParseImport reads a CSV file of businesses and passes each valid row to
// emit, in file order, without holding the file in memory.
//
// The first non-blank line is the header: column names are matched without
// regard to case, surrounding space, a byte order mark, or spaces and
// hyphens for underscores ("Company Name"); unknown columns are ignored and
// listed in the summary. A company_name column is required. A file whose
// header holds no comma but semicolons or tabs is read with that separator,
// as spreadsheets set to European locales export it.
//
// A row is rejected, with a reason, when it has no company name, a website
// that is not a URL, or an email that is not an address. A phone that
// cannot be read is kept as written. Cells missing at the end of a short row
// are empty, cells beyond the header are ignored, and rows with no value at
// all are skipped.
//
// The whole file is refused (ErrNotCSV, ErrMissingColumn, ErrMalformedCSV,
// ErrTooManyRows, ctx's error, or emit's error, returned as is) as soon as
// the problem is found, which may be after some rows were emitted: callers
// apply the rows in one transaction, or buffer them.
func ParseImport(ctx context.Context, r io.Reader, opts ImportOptions, emit func(ImportRow) error) (ImportSummary, error) {
	p := importParser{maxRows: opts.MaxRows, region: opts.Region}
	p.sum.Rejected = []Rejection{}
	if p.maxRows <= 0 {
		p.maxRows = DefaultMaxImportRows
	}
	if p.region == "" {
		p.region = "US"
	}
	return p.parse(ctx, r, emit)
}

type importParser struct {
	maxRows int
	region  string
	text    *textReader
	cols    [numColumns]int // column index per importColumns entry, -1 when absent
	sum     ImportSummary
}

// sniffSize is how much of the file is looked at before reading it as CSV:
// enough for the header row of any sensible file.
const sniffSize = 4096

func (p *importParser) parse(ctx context.Context, r io.Reader, emit func(ImportRow) error) (ImportSummary, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return p.sum, err
	}
	if len(head) == 0 {
		return p.sum, fmt.Errorf("%w: it is empty", ErrNotCSV)
	}
	bom := []byte("\uFEFF")
	comma := sniffSeparator(bytes.TrimPrefix(head, bom))
	if bytes.HasPrefix(head, bom) {
		if _, err := br.Discard(len(bom)); err != nil {
			return p.sum, err
		}
	}

	p.text = &textReader{r: br}
	cr := csv.NewReader(p.text)
	cr.Comma = comma
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1

	// Row numbers follow the file's lines, so blank lines, which the CSV
	// reader skips, still count; a quoted cell spanning lines counts once.
	lastLine, err := p.readHeader(cr)
	if err != nil {
		return p.sum, err
	}
	row := 0
	for {
		if err := ctx.Err(); err != nil {
			return p.sum, err
		}
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return p.sum, p.readError(err)
		}
		line, _ := cr.FieldPos(0)
		row += line - lastLine
		lastLine = recordEndLine(cr, rec)
		if blankRecord(rec) {
			continue
		}
		p.sum.Rows++
		if p.sum.Rows > p.maxRows {
			return p.sum, fmt.Errorf("%w: more than %d data rows", ErrTooManyRows, p.maxRows)
		}
		ir, reason := p.row(rec, row)
		if reason != "" {
			p.sum.Rejected = append(p.sum.Rejected, Rejection{Row: row, Reason: reason})
			continue
		}
		if err := emit(ir); err != nil {
			return p.sum, err
		}
		p.sum.Accepted++
	}
	return p.sum, nil
}

// readHeader reads the header, the first record with a value, and maps the
// contract's columns. It returns the line the header ends on, from which
// data rows are numbered.
func (p *importParser) readHeader(cr *csv.Reader) (lastLine int, err error) {
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return 0, fmt.Errorf("%w: it has no header row", ErrNotCSV)
		}
		if err != nil {
			return 0, p.readError(err)
		}
		if blankRecord(rec) {
			continue
		}
		for i := range p.cols {
			p.cols[i] = -1
		}
		h := &p.sum.Header
		h.Columns, h.Ignored = []string{}, []string{}
		for i, cell := range rec {
			name := headerName(cell)
			if name == "" {
				continue
			}
			known := false
			for c, col := range importColumns {
				if name == col && p.cols[c] < 0 {
					p.cols[c] = i
					h.Columns = append(h.Columns, col)
					known = true
					break
				}
			}
			if !known {
				h.Ignored = append(h.Ignored, strings.TrimSpace(strings.TrimPrefix(cell, "\uFEFF")))
			}
		}
		if p.cols[colCompanyName] < 0 {
			return 0, fmt.Errorf("%w %s", ErrMissingColumn, importColumns[colCompanyName])
		}
		return recordEndLine(cr, rec), nil
	}
}

func headerName(cell string) string {
	s := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(cell), "\uFEFF")))
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return '_'
		}
		return r
	}, s)
}

// row normalizes one record, or says why it is rejected.
func (p *importParser) row(rec []string, row int) (ImportRow, string) {
	var cells [numColumns]string
	for c, i := range p.cols {
		if i < 0 || i >= len(rec) {
			continue
		}
		v := strings.TrimSpace(rec[i])
		// A quoted cell may span lines (an address on two lines); every
		// column is one line, so its breaks become spaces. Other control
		// characters reject the row.
		if msg := textfield.Problem(v, textfield.Lines, ColumnMaxChars[c]); msg != "" {
			return ImportRow{Row: row}, importColumns[c] + " " + msg
		}
		cells[c] = joinLines(v)
	}
	cell := func(c int) string { return cells[c] }
	ir := ImportRow{
		Row:         row,
		CompanyName: cell(colCompanyName),
		Address:     cell(colAddress),
		City:        cell(colCity),
		State:       cell(colState),
		Zip:         cell(colZip),
	}
	if ir.CompanyName == "" {
		return ir, importColumns[colCompanyName] + " is required"
	}
	if w := cell(colWebsite); w != "" {
		nw, host, err := normalizeWebsite(w)
		if err != nil {
			return ir, fmt.Sprintf("website %s is not a valid URL", quoteCell(w))
		}
		ir.Website, ir.Domain = nw, hostDomainKey(host)
	}
	if ph := cell(colPhone); ph != "" {
		ir.Phone = ph
		if e, ok := NormalizePhone(ph, p.region); ok {
			ir.Phone = e
		}
	}
	c := ImportContact{FirstName: cell(colFirstName), LastName: cell(colLastName), Title: cell(colTitle)}
	if e := cell(colEmail); e != "" {
		addr, ok := normalizeEmail(e)
		if !ok {
			return ir, fmt.Sprintf("email %s is not a valid address", quoteCell(e))
		}
		c.Email = addr
	}
	if c != (ImportContact{}) {
		ir.Contact = &c
	}
	return ir, ""
}

// joinLines puts a multi-line cell on one line, each line break (and the
// space around it) becoming one space.
func joinLines(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	lines := strings.FieldsFunc(s, func(r rune) bool { return r == '\r' || r == '\n' })
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	return strings.Join(slices.DeleteFunc(lines, func(l string) bool { return l == "" }), " ")
}

// normalizeEmail accepts an address as net/mail reads it ("bob@x.com",
// "Bob <bob@x.com>"), whose domain is a public DNS name, and returns the
// bare address in lowercase: mailbox names are case-insensitive in practice
// and contacts are matched by address.
func normalizeEmail(s string) (string, bool) {
	addr := s
	if !plainAddress(s) {
		a, err := mail.ParseAddress(s)
		if err != nil {
			return "", false
		}
		addr = a.Address
	}
	at := strings.LastIndexByte(addr, '@')
	if at <= 0 {
		return "", false
	}
	domain := strings.ToLower(addr[at+1:])
	var err error
	if !isASCII(domain) {
		if domain, err = idna.Lookup.ToASCII(domain); err != nil {
			return "", false
		}
	}
	if !validDomain(domain) {
		return "", false
	}
	return strings.ToLower(addr[:at]) + "@" + domain, true
}

// plainAddress reports whether s is a bare address whose local part is a
// dot-atom of letters, digits and ".-_+", which net/mail would accept as
// is: nearly every address in a CRM export, checked without its parser.
func plainAddress(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || domain == "" || local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return false
	}
	for i := 0; i < len(local); i++ {
		c := local[i] | 0x20
		if !(c >= 'a' && c <= 'z' || local[i] >= '0' && local[i] <= '9' || strings.IndexByte(".-_+", local[i]) >= 0) {
			return false
		}
	}
	return !strings.ContainsRune(domain, '@')
}

// quoteCell quotes a cell for a rejection reason, shortened so one absurd
// cell cannot bloat the response.
func quoteCell(s string) string {
	const maxRunes = 80
	if utf8.RuneCountInString(s) > maxRunes {
		s = string([]rune(s)[:maxRunes]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

func (p *importParser) readError(err error) error {
	if p.text.err != nil {
		return p.text.err
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%w: %w", ErrMalformedCSV, pe)
	}
	return err
}

// recordEndLine is the line the record just read ends on.
func recordEndLine(cr *csv.Reader, rec []string) int {
	if len(rec) == 0 {
		return 0
	}
	line, _ := cr.FieldPos(len(rec) - 1)
	return line + strings.Count(rec[len(rec)-1], "\n")
}

func blankRecord(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// sniffSeparator picks the field separator from the first non-blank line.
func sniffSeparator(head []byte) rune {
	for len(head) > 0 {
		line := head
		if i := bytes.IndexByte(head, '\n'); i >= 0 {
			line, head = head[:i], head[i+1:]
		} else {
			head = nil
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		switch {
		case bytes.IndexByte(line, ',') >= 0:
			return ','
		case bytes.IndexByte(line, ';') >= 0:
			return ';'
		case bytes.IndexByte(line, '\t') >= 0:
			return '\t'
		}
		return ','
	}
	return ','
}

// textReader passes a file through while checking that it is text: no NUL
// byte, which no text file holds but every spreadsheet, image or UTF-16 file
// does, and valid UTF-8 throughout, since a file in a legacy encoding would
// be imported as garbled names.
type textReader struct {
	r       io.Reader
	partial []byte // the start of a character split across two reads
	err     error
}

func (t *textReader) Read(b []byte) (int, error) {
	if t.err != nil {
		return 0, t.err
	}
	n, err := t.r.Read(b)
	if n > 0 {
		if t.err = t.check(b[:n]); t.err != nil {
			return 0, t.err
		}
	}
	if err == io.EOF && len(t.partial) > 0 {
		t.err = errNotUTF8
		return n, t.err
	}
	return n, err
}

var (
	errBinary  = fmt.Errorf("%w: it holds binary data (is it a spreadsheet? export it as CSV)", ErrNotCSV)
	errNotUTF8 = fmt.Errorf("%w: it is not UTF-8 text (save it as \"CSV UTF-8\")", ErrNotCSV)
)

func (t *textReader) check(b []byte) error {
	if bytes.IndexByte(b, 0) >= 0 {
		return errBinary
	}
	for len(t.partial) > 0 && len(b) > 0 && !utf8.FullRune(t.partial) {
		t.partial = append(t.partial, b[0])
		b = b[1:]
	}
	if len(t.partial) > 0 {
		if !utf8.FullRune(t.partial) {
			return nil
		}
		if !utf8.Valid(t.partial) {
			return errNotUTF8
		}
		t.partial = t.partial[:0]
	}
	// Keep back a character cut by the end of this read.
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				t.partial = append(t.partial, b[i:]...)
				b = b[:i]
			}
			break
		}
	}
	if !utf8.Valid(b) {
		return errNotUTF8
	}
	return nil
}
