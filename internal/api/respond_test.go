package api

import (
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/server"
)

// declaredCodes reads every Code… string constant declared in
// internal/apperr's source, so a code added there is checked here without
// anyone remembering to list it.
func declaredCodes(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "apperr", "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("apperr sources: %v %v", files, err)
	}
	codes := map[string]string{} // value → constant name
	fset := token.NewFileSet()
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, path, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.CONST {
				continue
			}
			for _, spec := range gen.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if !strings.HasPrefix(name.Name, "Code") || i >= len(vs.Values) {
						continue
					}
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						t.Fatalf("%s: write %s as a string literal so this test can read it", fset.Position(name.Pos()), name.Name)
					}
					v, _ := strconv.Unquote(lit.Value)
					codes[v] = name.Name
				}
			}
		}
	}
	return codes
}

func TestEveryErrorCodeHasAStatus(t *testing.T) {
	codes := declaredCodes(t)
	for code, name := range codes {
		if _, ok := server.StatusOf(code); !ok {
			t.Errorf("apperr.%s (%q) has no HTTP status in server.StatusOf", name, code)
		}
	}
	for _, code := range server.StatusCodes() {
		if _, ok := codes[code]; !ok {
			t.Errorf("server.StatusOf maps %q, which apperr does not declare", code)
		}
	}
}

func TestAnUnmappedCodeIsAnInternalError(t *testing.T) {
	// The route fails with a code the status table does not know.
	rec, logs := getAnything(t, func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, apperr.New("no_such_code", "A message for nobody."))
	})
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), `"code":"internal"`) ||
		strings.Contains(rec.Body.String(), "nobody") {
		t.Errorf("unmapped code answered %d %s, want a bare 500 internal", rec.Code, rec.Body)
	}
	if !strings.Contains(logs, "error code has no HTTP status") || !strings.Contains(logs, "no_such_code") {
		t.Errorf("the unmapped code was not logged as a programming error: %s", logs)
	}
}
