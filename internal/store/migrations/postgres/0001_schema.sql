-- The spec's schema (spec/technical-architecture.md) plus what our own auth
-- needs. Differences from the spec, on purpose:
--   * users holds credentials (the spec's Supabase auth.users);
--   * every tenant table carries user_id so row-level security is one
--     indexed equality, not a join;
--   * pain_points / personalization_hooks are JSONB lists, like tech_stack,
--     so both engines read them with the same code;
--   * prospects.domain is the registrable domain used for de-duplication.

CREATE TABLE users (
  id            UUID PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  created_at    TIMESTAMPTZ NOT NULL,
  updated_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE profiles (
  id                     UUID PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  email                  TEXT NOT NULL,
  full_name              TEXT,
  company_name           TEXT,
  plan                   TEXT NOT NULL DEFAULT 'starter',
  lead_credits           INTEGER NOT NULL DEFAULT 500,
  credits_reset_at       TIMESTAMPTZ,
  stripe_customer_id     TEXT,
  stripe_subscription_id TEXT,
  created_at             TIMESTAMPTZ NOT NULL,
  updated_at             TIMESTAMPTZ NOT NULL
);

-- A session is one login: a browser cookie and/or a family of rotating
-- refresh tokens. Revoking it ends both.
CREATE TABLE sessions (
  id            UUID PRIMARY KEY,
  user_id       UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  cookie_hash   TEXT UNIQUE,
  created_at    TIMESTAMPTZ NOT NULL,
  expires_at    TIMESTAMPTZ NOT NULL,
  revoked_at    TIMESTAMPTZ,
  revoke_reason TEXT
);
CREATE INDEX idx_sessions_user ON sessions(user_id);
CREATE INDEX idx_sessions_expires ON sessions(expires_at);

CREATE TABLE refresh_tokens (
  id         UUID PRIMARY KEY,
  session_id UUID NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  used_at    TIMESTAMPTZ
);
CREATE INDEX idx_refresh_tokens_session ON refresh_tokens(session_id);
CREATE INDEX idx_refresh_tokens_expires ON refresh_tokens(expires_at);

CREATE TABLE campaigns (
  id              UUID PRIMARY KEY,
  user_id         UUID NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
  name            TEXT NOT NULL,
  business_type   TEXT NOT NULL,
  target_location TEXT NOT NULL,
  target_criteria JSONB NOT NULL DEFAULT '{}',
  status          TEXT NOT NULL DEFAULT 'draft',
  status_reason   TEXT,
  leads_found     INTEGER NOT NULL DEFAULT 0,
  leads_enriched  INTEGER NOT NULL DEFAULT 0,
  leads_qualified INTEGER NOT NULL DEFAULT 0,
  outreach_sent   INTEGER NOT NULL DEFAULT 0,
  created_at      TIMESTAMPTZ NOT NULL,
  updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX idx_campaigns_user ON campaigns(user_id, id);
CREATE INDEX idx_campaigns_status ON campaigns(status);

CREATE TABLE prospects (
  id            UUID PRIMARY KEY,
  user_id       UUID NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
  campaign_id   UUID NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  company_name  TEXT NOT NULL,
  website       TEXT,
  domain        TEXT,
  phone         TEXT,
  address       TEXT,
  city          TEXT,
  state         TEXT,
  zip           TEXT,
  source        TEXT NOT NULL,
  source_id     TEXT,
  source_data   JSONB,
  status        TEXT NOT NULL DEFAULT 'discovered',
  tier          TEXT,
  discovered_at TIMESTAMPTZ NOT NULL,
  enriched_at   TIMESTAMPTZ,
  qualified_at  TIMESTAMPTZ,
  contacted_at  TIMESTAMPTZ
);
CREATE INDEX idx_prospects_campaign ON prospects(campaign_id, id);
CREATE INDEX idx_prospects_user ON prospects(user_id, id);
CREATE INDEX idx_prospects_status ON prospects(campaign_id, status, id);
CREATE INDEX idx_prospects_tier ON prospects(campaign_id, tier, id);
CREATE UNIQUE INDEX idx_prospects_unique ON prospects(campaign_id, source, source_id);
CREATE INDEX idx_prospects_domain ON prospects(campaign_id, domain) WHERE domain IS NOT NULL;
CREATE INDEX idx_prospects_phone ON prospects(campaign_id, phone) WHERE phone IS NOT NULL;

CREATE TABLE enrichments (
  id                      UUID PRIMARY KEY,
  user_id                 UUID NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
  prospect_id             UUID NOT NULL REFERENCES prospects(id) ON DELETE CASCADE,
  website_score           INTEGER,
  mobile_score            INTEGER,
  page_speed              NUMERIC,
  ssl_valid               BOOLEAN,
  google_rating           NUMERIC,
  google_reviews          INTEGER,
  yelp_rating             NUMERIC,
  yelp_reviews            INTEGER,
  employee_count_estimate TEXT,
  revenue_estimate        TEXT,
  year_founded            INTEGER,
  tech_stack              JSONB,
  pain_points             JSONB,
  personalization_hooks   JSONB,
  company_summary         TEXT,
  enriched_at             TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX idx_enrichments_prospect ON enrichments(prospect_id);
CREATE INDEX idx_enrichments_user ON enrichments(user_id);

CREATE TABLE contacts (
  id                        UUID PRIMARY KEY,
  user_id                   UUID NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
  prospect_id               UUID NOT NULL REFERENCES prospects(id) ON DELETE CASCADE,
  name                      TEXT,
  first_name                TEXT,
  last_name                 TEXT,
  title                     TEXT,
  email                     TEXT,
  email_verified            BOOLEAN NOT NULL DEFAULT FALSE,
  email_verification_status TEXT,
  phone                     TEXT,
  linkedin_url              TEXT,
  is_primary                BOOLEAN NOT NULL DEFAULT FALSE,
  is_decision_maker         BOOLEAN NOT NULL DEFAULT FALSE,
  source                    TEXT,
  created_at                TIMESTAMPTZ NOT NULL
);
CREATE INDEX idx_contacts_prospect ON contacts(prospect_id);
CREATE INDEX idx_contacts_email ON contacts(email);
CREATE INDEX idx_contacts_user ON contacts(user_id);
-- At most one primary contact per prospect: exports and sends rely on it.
CREATE UNIQUE INDEX idx_contacts_primary ON contacts(prospect_id) WHERE is_primary;

CREATE TABLE lead_scores (
  id                  UUID PRIMARY KEY,
  user_id             UUID NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
  prospect_id         UUID NOT NULL REFERENCES prospects(id) ON DELETE CASCADE,
  overall_score       INTEGER NOT NULL,
  website_opportunity INTEGER,
  review_strength     INTEGER,
  contact_quality     INTEGER,
  timing_signals      INTEGER,
  tier                TEXT NOT NULL,
  tier_reason         TEXT,
  scoring_factors     JSONB,
  scored_at           TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX idx_lead_scores_prospect ON lead_scores(prospect_id);
CREATE INDEX idx_lead_scores_user ON lead_scores(user_id);

CREATE TABLE outreach_sequences (
  id                    UUID PRIMARY KEY,
  user_id               UUID NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
  campaign_id           UUID NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  prospect_id           UUID NOT NULL REFERENCES prospects(id) ON DELETE CASCADE,
  contact_id            UUID NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  sequence_type         TEXT NOT NULL,
  status                TEXT NOT NULL DEFAULT 'draft',
  subject               TEXT,
  emails                JSONB NOT NULL,
  generated_by          TEXT,
  checks                JSONB,
  approved_by           UUID REFERENCES profiles(id),
  approved_at           TIMESTAMPTZ,
  sent_at               TIMESTAMPTZ,
  opens                 INTEGER NOT NULL DEFAULT 0,
  clicks                INTEGER NOT NULL DEFAULT 0,
  replies               INTEGER NOT NULL DEFAULT 0,
  instantly_campaign_id TEXT,
  created_at            TIMESTAMPTZ NOT NULL
);
CREATE INDEX idx_outreach_prospect ON outreach_sequences(prospect_id);
CREATE INDEX idx_outreach_status ON outreach_sequences(status);
CREATE INDEX idx_outreach_user ON outreach_sequences(user_id, id);

CREATE TABLE api_usage (
  id            UUID PRIMARY KEY,
  user_id       UUID NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
  service       TEXT NOT NULL,
  endpoint      TEXT,
  credits_used  INTEGER NOT NULL DEFAULT 1,
  cost_estimate NUMERIC,
  metadata      JSONB,
  created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX idx_api_usage_user ON api_usage(user_id);
CREATE INDEX idx_api_usage_created ON api_usage(created_at);
