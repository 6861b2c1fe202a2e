ALTER TABLE `events` ADD `description` text;--> statement-breakpoint
ALTER TABLE `events` ADD `doors_at` integer;--> statement-breakpoint
ALTER TABLE `events` ADD `ends_at` integer;--> statement-breakpoint
ALTER TABLE `events` ADD `age_rule` text;--> statement-breakpoint
ALTER TABLE `events` ADD `image_key` text;--> statement-breakpoint
ALTER TABLE `venues` ADD `address` text;--> statement-breakpoint
ALTER TABLE `venues` ADD `lat` real;--> statement-breakpoint
ALTER TABLE `venues` ADD `lon` real;