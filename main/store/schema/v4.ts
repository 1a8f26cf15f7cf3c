/**
 * Schema version 4: user policies (scripts) in the library, versioned. A save with a changed
 * source appends a version instead of overwriting, so the code an archived run names by sha256
 * stays findable and the editor can show the history.
 */
export const V4_SQL = `
CREATE TABLE user_policies (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  language TEXT NOT NULL CHECK (language IN ('js', 'ts')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE user_policy_versions (
  id INTEGER PRIMARY KEY,
  policy_id INTEGER NOT NULL REFERENCES user_policies (id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  source TEXT NOT NULL,
  source_sha256 TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (policy_id, version)
);

CREATE INDEX user_policy_versions_sha ON user_policy_versions (source_sha256);
`
