CREATE TABLE `event_availability` (
	`event_id` text PRIMARY KEY NOT NULL,
	`level` text NOT NULL,
	`sold_out` integer NOT NULL,
	`sections_json` text NOT NULL,
	`version` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `notifications` (
	`dedupe_key` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`event_id` text NOT NULL,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`provider_message_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `notifications_event_status` ON `notifications` (`event_id`,`status`);--> statement-breakpoint
CREATE INDEX `notifications_status` ON `notifications` (`status`);--> statement-breakpoint
CREATE TABLE `outbox_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`to_address` text NOT NULL,
	`kind` text NOT NULL,
	`subject` text NOT NULL,
	`text` text NOT NULL,
	`html` text NOT NULL,
	`order_id` text,
	`event_id` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `outbox_to_created` ON `outbox_messages` (`to_address`,`created_at`);--> statement-breakpoint
CREATE INDEX `outbox_created` ON `outbox_messages` (`created_at`);--> statement-breakpoint
ALTER TABLE `events` ADD `waitlist_offer_minutes` integer DEFAULT 15 NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `email` text;