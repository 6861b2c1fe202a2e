CREATE TABLE `vouchers` (
	`id` text PRIMARY KEY NOT NULL,
	`event_id` text NOT NULL,
	`code` text NOT NULL,
	`kind` text NOT NULL,
	`value` real,
	`max_uses` integer NOT NULL,
	`valid_from` integer,
	`valid_until` integer,
	`ticket_types_json` text,
	`sections_json` text,
	`disabled` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `vouchers_event_code` ON `vouchers` (`event_id`,`code`);