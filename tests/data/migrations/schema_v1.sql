-- A data dir's briefing.sqlite3 as the first release (schema version 1) wrote it.
CREATE TABLE IF NOT EXISTS articles (
    doc_id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    outlet TEXT,
    published TEXT,
    url TEXT,
    author TEXT,
    source_path TEXT,
    content_hash TEXT NOT NULL,
    text TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'complete', 'deleting')),
    chunks INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published);
CREATE TABLE IF NOT EXISTS passages (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES articles(doc_id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    first_sentence INTEGER NOT NULL,
    last_sentence INTEGER NOT NULL,
    parties TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc_id);
CREATE TABLE IF NOT EXISTS sentences (
    doc_id TEXT NOT NULL REFERENCES articles(doc_id) ON DELETE CASCADE,
    sentence_index INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    paragraph INTEGER NOT NULL,
    speaker TEXT,
    speaker_start INTEGER,
    speaker_end INTEGER,
    party TEXT NOT NULL,
    cue TEXT NOT NULL,
    cue_text TEXT,
    confidence REAL NOT NULL,
    quotes TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (doc_id, sentence_index)
);
CREATE INDEX IF NOT EXISTS sentences_party ON sentences(party);
CREATE TABLE IF NOT EXISTS party_aliases (
    alias TEXT PRIMARY KEY,
    canonical TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO articles VALUES ('doc-1', 'Kalat clash', 'Wire', '2026-03-10', NULL, NULL, 'a.txt', 'h1', 'Kalat clash. The group said it killed 25 soldiers. The army said it killed 23 fighters.', '2026-03-10T00:00:00+00:00', 'complete', 1);
INSERT INTO passages VALUES ('doc-1:0', 'doc-1', 0, 0, 87, 'Kalat clash. The group said it killed 25 soldiers. The army said it killed 23 fighters.', 0, 2, 'The group|The army');
INSERT INTO sentences VALUES ('doc-1', 0, 0, 12, 0, NULL, NULL, NULL, 'narrator', 'none', NULL, 0.9, '[]');
INSERT INTO sentences VALUES ('doc-1', 1, 13, 50, 0, 'The group', 13, 22, 'The group', 'explicit', 'said', 0.95, '[]');
INSERT INTO sentences VALUES ('doc-1', 2, 51, 87, 0, 'The army', 51, 59, 'The army', 'explicit', 'said', 0.95, '[]');
INSERT INTO party_aliases VALUES ('Northern Front', 'Northern Front');
INSERT INTO party_aliases VALUES ('NF', 'Northern Front');
INSERT INTO meta VALUES ('embedding_model', 'hash');
