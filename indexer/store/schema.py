"""The SQLite schema of an index generation (records, FTS5 for BM25)."""

SCHEMA_VERSION = 3  # 2: documents.council and .reference, passages.paragraph_spans_json; 3: figures, metrics
# How papers are read into records (parsing, passages, entities, figures). A change that alters what an
# unchanged paper gives bumps it, and the next build of an index read by another version re-reads every paper.
# 1: a figure going on a list takes the measure the list named. 2: a table of places by period is named by its caption.
# 3: every number of a list of references ("Sections 32 and 43") is a reference. 4: a numbered heading
# a sentence runs on to ("1. Background") is not a figure. 5: nor is the rest of a telephone number ("03000 416833").
# 6: "0344 800 8020" and a paragraph number that ends a sentence ("(Item 2)\n1.") are no figures either.
# 7: a PDF table header printed over several lines gives each column its unit ("£m £m £m Rate" over "%").
READER_VERSION = 7

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    source_file TEXT NOT NULL UNIQUE,
    sha256 TEXT NOT NULL,
    media_type TEXT NOT NULL,
    encoding TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT,
    meeting_date TEXT,
    venue TEXT,
    kind TEXT NOT NULL,
    council TEXT,
    reference TEXT,
    text TEXT NOT NULL,
    pages_json TEXT NOT NULL,
    warnings_json TEXT NOT NULL,
    indexed_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS agenda (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    number TEXT NOT NULL,
    title TEXT NOT NULL,
    page INTEGER
);
CREATE TABLE IF NOT EXISTS parts (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    item_number TEXT,
    meeting_date TEXT,
    start_page INTEGER,
    responsible_director TEXT,
    cabinet_member TEXT,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sections (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    part_ordinal INTEGER NOT NULL,
    heading_path_json TEXT NOT NULL,
    number TEXT,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    page INTEGER
);
CREATE TABLE IF NOT EXISTS passages (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    part_id INTEGER NOT NULL REFERENCES parts(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    text TEXT NOT NULL,
    header TEXT NOT NULL,
    context TEXT NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    section_path_json TEXT NOT NULL,
    paragraph_nos_json TEXT NOT NULL,
    paragraph_spans_json TEXT NOT NULL,
    page INTEGER,
    kind TEXT NOT NULL,
    boilerplate INTEGER NOT NULL,
    token_count INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    vector BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS passages_document ON passages(document_id, ordinal);
CREATE INDEX IF NOT EXISTS passages_fingerprint ON passages(fingerprint);
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(
    body, context, tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TABLE IF NOT EXISTS entities (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL,
    norm TEXT NOT NULL,
    UNIQUE(label, norm)
);
CREATE TABLE IF NOT EXISTS mentions (
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    passage_id INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS mentions_entity ON mentions(entity_id);
CREATE INDEX IF NOT EXISTS mentions_passage ON mentions(passage_id);
CREATE TABLE IF NOT EXISTS document_people (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    role TEXT,
    is_councillor INTEGER NOT NULL,
    meeting_date TEXT
);
CREATE TABLE IF NOT EXISTS document_acronyms (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    acronym TEXT NOT NULL,
    long_form TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT,
    is_councillor INTEGER NOT NULL,
    meetings_json TEXT NOT NULL,
    documents_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS glossary (
    acronym TEXT NOT NULL,
    long_form TEXT NOT NULL,
    source TEXT NOT NULL,
    UNIQUE(acronym, long_form)
);
CREATE TABLE IF NOT EXISTS figures (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    passage_id INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
    metric TEXT NOT NULL,
    metric_printed TEXT NOT NULL,
    metric_key TEXT NOT NULL,
    value REAL NOT NULL,
    value_text TEXT NOT NULL,
    unit TEXT NOT NULL,
    period TEXT,
    period_start TEXT,
    period_end TEXT,
    geography TEXT,
    comparator TEXT,
    role TEXT NOT NULL,
    kind TEXT NOT NULL,
    table_caption TEXT,
    row_label TEXT,
    column_header TEXT,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    context_start INTEGER NOT NULL,
    context_end INTEGER NOT NULL,
    paragraph TEXT,
    page INTEGER
);
CREATE INDEX IF NOT EXISTS figures_key ON figures(metric_key, unit);
CREATE INDEX IF NOT EXISTS figures_document ON figures(document_id);
CREATE INDEX IF NOT EXISTS figures_passage ON figures(passage_id);
CREATE TABLE IF NOT EXISTS metric_vectors (
    metric_key TEXT PRIMARY KEY,
    vector BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS metrics (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    keys_json TEXT NOT NULL,
    figures INTEGER NOT NULL,
    documents INTEGER NOT NULL,
    first_period TEXT,
    last_period TEXT,
    vector BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS metric_members (
    metric_id INTEGER NOT NULL REFERENCES metrics(id) ON DELETE CASCADE,
    metric_key TEXT NOT NULL,
    unit TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS metric_members_key ON metric_members(metric_key, unit);
CREATE INDEX IF NOT EXISTS metric_members_metric ON metric_members(metric_id);
"""
