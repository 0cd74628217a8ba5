package api

import "net/http"

func (a *API) importProspects(w http.ResponseWriter, r *http.Request) {
	panic("not yet")
}
