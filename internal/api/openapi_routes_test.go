package api

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/server"
)

// routeSources are the route tables openapi.json describes: this surface,
// the health checks and the public links in mail.
var routeSources = []string{".", "../server/health.go", "../links"}

// servedRoutes reads every `mux.Handle("METHOD /path", …)` of the route
// tables' sources: "METHOD /path" → where it is registered.
func servedRoutes(t *testing.T) map[string]string {
	t.Helper()
	var files []string
	for _, src := range routeSources {
		if strings.HasSuffix(src, ".go") {
			files = append(files, src)
			continue
		}
		matches, err := filepath.Glob(filepath.Join(src, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range matches {
			if !strings.HasSuffix(m, "_test.go") {
				files = append(files, m)
			}
		}
	}
	routes := map[string]string{}
	fset := token.NewFileSet()
	for _, path := range files {
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 2 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "Handle" {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			pattern, _ := strconv.Unquote(lit.Value)
			if method, p, ok := strings.Cut(pattern, " "); ok && strings.HasPrefix(p, "/") {
				routes[method+" "+p] = fset.Position(lit.Pos()).String()
			}
			return true
		})
	}
	if len(routes) < 10 {
		t.Fatalf("read only %d routes from %v: has the route table moved?", len(routes), routeSources)
	}
	return routes
}

type openAPIDoc struct {
	OpenAPI string                                `json:"openapi"`
	Paths   map[string]map[string]json.RawMessage `json:"paths"`
}

var httpMethods = map[string]bool{"get": true, "put": true, "post": true, "delete": true, "patch": true, "head": true, "options": true}

func documentedRoutes(t *testing.T) map[string]json.RawMessage {
	t.Helper()
	var doc openAPIDoc
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	out := map[string]json.RawMessage{}
	for path, item := range doc.Paths {
		for method, op := range item {
			if httpMethods[method] {
				out[strings.ToUpper(method)+" "+path] = op
			}
		}
	}
	return out
}

// TestOpenAPIDocumentsEveryRoute holds openapi.json to the route tables
// both ways: every route served is documented, and every documented
// route is in a route table. When it fails after merging routes, add each
// route it names to internal/api/openapi.json (paths → path → method).
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	served, documented := servedRoutes(t), documentedRoutes(t)
	var missing, stale []string
	for route, where := range served {
		if _, ok := documented[route]; !ok {
			method, path, _ := strings.Cut(route, " ")
			missing = append(missing, fmt.Sprintf("%s (registered at %s): add paths[%q].%s", route, where, path, strings.ToLower(method)))
		}
	}
	for route := range documented {
		if _, ok := served[route]; !ok {
			stale = append(stale, route)
		}
	}
	sort.Strings(missing)
	sort.Strings(stale)
	for _, m := range missing {
		t.Errorf("route not documented in internal/api/openapi.json: %s", m)
	}
	for _, s := range stale {
		t.Errorf("internal/api/openapi.json documents %s, which no route table serves: remove it, or add the route", s)
	}
}

// TestOpenAPIPathParametersAreDeclared: each {name} of a documented path
// is a declared path parameter of each of its operations.
func TestOpenAPIPathParametersAreDeclared(t *testing.T) {
	for route, raw := range documentedRoutes(t) {
		var op struct {
			OperationID string `json:"operationId"`
			Parameters  []struct {
				Name string `json:"name"`
				In   string `json:"in"`
			} `json:"parameters"`
			Responses map[string]json.RawMessage `json:"responses"`
		}
		if err := json.Unmarshal(raw, &op); err != nil {
			t.Fatalf("%s: %v", route, err)
		}
		if op.OperationID == "" || len(op.Responses) == 0 {
			t.Errorf("%s: no operationId or no responses", route)
		}
		_, path, _ := strings.Cut(route, " ")
		for _, seg := range strings.Split(path, "/") {
			if !strings.HasPrefix(seg, "{") {
				continue
			}
			name := strings.Trim(seg, "{}")
			declared := false
			for _, p := range op.Parameters {
				declared = declared || (p.In == "path" && p.Name == name)
			}
			if !declared {
				t.Errorf("%s: path parameter %s is not declared", route, name)
			}
		}
	}
}

// TestOpenAPIErrorCodesExist: every error code the document names (the
// Error schema's enum and each error response's x-error-codes) is one
// apperr declares, answered with the status it is documented under.
func TestOpenAPIErrorCodesExist(t *testing.T) {
	declared := declaredCodes(t)
	var doc struct {
		Paths map[string]map[string]struct {
			Responses map[string]struct {
				Codes []string `json:"x-error-codes"`
			}
		}
		Components struct {
			Schemas struct {
				Error struct {
					Properties struct {
						Error struct {
							Properties struct {
								Code struct {
									Enum []string `json:"enum"`
								} `json:"code"`
							} `json:"properties"`
						} `json:"error"`
					} `json:"properties"`
				} `json:"Error"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatal(err)
	}
	enum := doc.Components.Schemas.Error.Properties.Error.Properties.Code.Enum
	if len(enum) == 0 {
		t.Fatal("the Error schema lists no codes")
	}
	for _, c := range enum {
		if _, ok := declared[c]; !ok {
			t.Errorf("the Error schema names code %q, which internal/apperr does not declare", c)
		}
	}
	for path, item := range doc.Paths {
		for method, op := range item {
			for status, resp := range op.Responses {
				for _, c := range resp.Codes {
					if _, ok := declared[c]; !ok {
						t.Errorf("%s %s %s names code %q, which internal/apperr does not declare", strings.ToUpper(method), path, status, c)
					} else if code, _ := server.StatusOf(c); strconv.Itoa(code) != status {
						got := strconv.Itoa(code)
						t.Errorf("%s %s documents %q under %s, but it is answered with %s", strings.ToUpper(method), path, c, status, got)
					}
				}
			}
		}
	}
}
