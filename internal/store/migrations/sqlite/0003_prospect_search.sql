-- Substring search over prospects (GET /api/prospects?q=). The list matches
-- company_name, website or city with LIKE '%q%', which on a large campaign
-- with few matches reads every row. prospects_fts indexes the three columns
-- by trigram, so that the store finds the rows that may contain a term of
-- three characters or more without reading the others. It still applies the
-- LIKE to them: FTS5 folds the case of every letter while LIKE folds ASCII
-- letters only, so the index may offer a row that LIKE rejects, never miss
-- one that LIKE accepts.
--
-- External content: the index keeps no copy of the text, only trigrams keyed
-- by prospects.rowid. prospects has no INTEGER PRIMARY KEY, so that rowid is
-- implicit; SQLite keeps it across VACUUM because the table has indexes (the
-- store's tests VACUUM and search again to hold it to that).
--
-- The triggers keep the index in step with every INSERT, DELETE (the cascades
-- from campaigns and profiles fire them too) and UPDATE of the three columns.
-- Never write prospects with INSERT OR REPLACE: a REPLACE deletes the old row
-- without firing the delete trigger and would leave its trigrams behind.

CREATE VIRTUAL TABLE prospects_fts USING fts5(
  company_name, website, city,
  content = 'prospects', content_rowid = 'rowid',
  tokenize = 'trigram', columnsize = 0
);

CREATE TRIGGER prospects_fts_insert AFTER INSERT ON prospects BEGIN
  INSERT INTO prospects_fts (rowid, company_name, website, city)
  VALUES (new.rowid, new.company_name, new.website, new.city);
END;

CREATE TRIGGER prospects_fts_delete AFTER DELETE ON prospects BEGIN
  INSERT INTO prospects_fts (prospects_fts, rowid, company_name, website, city)
  VALUES ('delete', old.rowid, old.company_name, old.website, old.city);
END;

CREATE TRIGGER prospects_fts_update AFTER UPDATE OF company_name, website, city ON prospects BEGIN
  INSERT INTO prospects_fts (prospects_fts, rowid, company_name, website, city)
  VALUES ('delete', old.rowid, old.company_name, old.website, old.city);
  INSERT INTO prospects_fts (rowid, company_name, website, city)
  VALUES (new.rowid, new.company_name, new.website, new.city);
END;

-- Index the prospects that exist already.
INSERT INTO prospects_fts (prospects_fts) VALUES ('rebuild');
