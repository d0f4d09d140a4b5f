-- A database sipladder must refuse: a sipladder database (its
-- application_id) from a newer sipladder (schema 2).
PRAGMA application_id = 1397515362;
PRAGMA user_version = 2;
CREATE TABLE captures (id INTEGER PRIMARY KEY);
