// The cache's connection type, apart from open-database.ts: the modules the migrations run (the
// generation writer, the browse tables) name it without importing the opener, so no import circle.
import type Database from 'better-sqlite3';

export type Db = Database.Database;
