package server

import (
	"net/http"
	"time"
)

// SessionCookie is the browser session cookie's name, read by the User
// access level and set by whichever surface signs people in.
const SessionCookie = "prospector_session"

// SetSessionCookie sets the browser session, or clears it when value is "".
// secure marks it Secure (PUBLIC_URL is https). The attributes live here so
// the API's login and the dashboard's set the same cookie.
func SetSessionCookie(w http.ResponseWriter, value string, expires time.Time, secure bool) {
	c := &http.Cookie{
		Name: SessionCookie, Value: value, Path: "/", HttpOnly: true,
		Secure: secure, SameSite: http.SameSiteLaxMode,
	}
	if value == "" {
		c.MaxAge = -1
	} else {
		c.Expires = expires
	}
	http.SetCookie(w, c)
}
