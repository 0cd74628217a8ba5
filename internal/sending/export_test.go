package sending

// CrashAfterClaim and CrashAfterAccept make every send of s fail at that
// point, as a crash there would.
func CrashAfterClaim(s *Service, on bool)  { s.setCrash(afterClaim, on) }
func CrashAfterAccept(s *Service, on bool) { s.setCrash(afterAccept, on) }

func (s *Service) setCrash(p crashPoint, on bool) {
	if s.crash == nil {
		s.crash = crashPoints{}
	}
	s.crash[p] = on
}
