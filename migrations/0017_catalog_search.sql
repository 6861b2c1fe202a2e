-- Full-text search over the catalog (src/db/catalog-search.ts): one row per event with its title,
-- artist, venue, city and description, folded (case, diacritics) by FTS5's unicode61 tokenizer,
-- with prefix indexes for type-ahead. Triggers keep it in step with events and venues, so no write
-- path can forget it.
CREATE VIRTUAL TABLE `events_fts` USING fts5(
  event_id UNINDEXED, title, artist, venue, city, description,
  tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
--> statement-breakpoint
CREATE TRIGGER `events_fts_insert` AFTER INSERT ON `events` BEGIN
  INSERT INTO events_fts (event_id, title, artist, venue, city, description)
  SELECT new.id, new.title, coalesce(new.artist, ''), v.name, v.city, coalesce(new.description, '')
  FROM venues v WHERE v.id = new.venue_id;
END;
--> statement-breakpoint
CREATE TRIGGER `events_fts_update` AFTER UPDATE ON `events`
WHEN old.title IS NOT new.title OR old.artist IS NOT new.artist OR old.description IS NOT new.description
  OR old.venue_id IS NOT new.venue_id
BEGIN
  DELETE FROM events_fts WHERE event_id = old.id;
  INSERT INTO events_fts (event_id, title, artist, venue, city, description)
  SELECT new.id, new.title, coalesce(new.artist, ''), v.name, v.city, coalesce(new.description, '')
  FROM venues v WHERE v.id = new.venue_id;
END;
--> statement-breakpoint
CREATE TRIGGER `events_fts_delete` AFTER DELETE ON `events` BEGIN
  DELETE FROM events_fts WHERE event_id = old.id;
END;
--> statement-breakpoint
CREATE TRIGGER `venues_fts_update` AFTER UPDATE ON `venues`
WHEN old.name IS NOT new.name OR old.city IS NOT new.city
BEGIN
  UPDATE events_fts SET venue = new.name, city = new.city
  WHERE event_id IN (SELECT id FROM events WHERE venue_id = new.id);
END;
--> statement-breakpoint
INSERT INTO events_fts (event_id, title, artist, venue, city, description)
SELECT e.id, e.title, coalesce(e.artist, ''), v.name, v.city, coalesce(e.description, '')
FROM events e JOIN venues v ON v.id = e.venue_id;
