package api

import (
	"net/http"
)

func (a *API) listCampaigns(w http.ResponseWriter, r *http.Request) {
	writeListPage(w, r, a.campaigns.List)
}

func (a *API) createCampaign(w http.ResponseWriter, r *http.Request) {
	answerBody(w, r, http.StatusCreated, a.campaigns.Create)
}

func (a *API) getCampaign(w http.ResponseWriter, r *http.Request) {
	answerOn(w, r, "campaign", http.StatusOK, a.campaigns.Get)
}

func (a *API) updateCampaign(w http.ResponseWriter, r *http.Request) {
	answerOnBody(w, r, "campaign", http.StatusOK, a.campaigns.Update)
}

func (a *API) deleteCampaign(w http.ResponseWriter, r *http.Request) {
	deleteOn(w, r, "campaign", a.campaigns.Delete)
}

func (a *API) startCampaign(w http.ResponseWriter, r *http.Request) {
	answerOn(w, r, "campaign", http.StatusAccepted, a.campaigns.Start)
}

func (a *API) pauseCampaign(w http.ResponseWriter, r *http.Request) {
	answerOn(w, r, "campaign", http.StatusOK, a.campaigns.Pause)
}

func (a *API) campaignStats(w http.ResponseWriter, r *http.Request) {
	answerOn(w, r, "campaign", http.StatusOK, a.campaigns.Stats)
}
