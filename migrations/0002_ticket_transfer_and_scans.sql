ALTER TABLE `tickets` ADD `replaced_by_id` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `first_scanned_at` integer;