CREATE TABLE `checkins` (
	`id` text PRIMARY KEY NOT NULL,
	`ticket_id` text NOT NULL,
	`event_id` text NOT NULL,
	`scan_id` text,
	`device_id` text,
	`result` text NOT NULL,
	`scanned_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `checkins_ticket` ON `checkins` (`ticket_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `checkins_scan` ON `checkins` (`scan_id`);--> statement-breakpoint
CREATE TABLE `events` (
	`id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`venue_id` text NOT NULL,
	`title` text NOT NULL,
	`category` text NOT NULL,
	`artist` text,
	`starts_at` integer NOT NULL,
	`on_sale_at` integer NOT NULL,
	`sales_end_at` integer,
	`currency` text NOT NULL,
	`hold_seconds` integer NOT NULL,
	`extensions` integer NOT NULL,
	`payment_grace_seconds` integer NOT NULL,
	`per_order` integer NOT NULL,
	`per_user` integer NOT NULL,
	`waiting_room_mode` text NOT NULL,
	`admit_per_minute` integer NOT NULL,
	`max_active` integer NOT NULL,
	`prequeue_minutes` integer NOT NULL,
	`access_minutes` integer NOT NULL,
	`state` text NOT NULL,
	`search_text` text NOT NULL,
	`min_price_cents` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`venue_id`) REFERENCES `venues`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `events_state_starts` ON `events` (`state`,`starts_at`);--> statement-breakpoint
CREATE INDEX `events_organizer` ON `events` (`organizer_id`);--> statement-breakpoint
CREATE TABLE `generations` (
	`name` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`key` text PRIMARY KEY NOT NULL,
	`fingerprint` text NOT NULL,
	`status` integer NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `order_items` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`seat_id` text,
	`section_id` text,
	`quantity` integer NOT NULL,
	`price_cents` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `order_items_order` ON `order_items` (`order_id`);--> statement-breakpoint
CREATE TABLE `orders` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`event_id` text NOT NULL,
	`hold_id` text NOT NULL,
	`status` text NOT NULL,
	`total_cents` integer NOT NULL,
	`currency` text NOT NULL,
	`payment_intent_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `orders_hold` ON `orders` (`hold_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `orders_payment_intent` ON `orders` (`payment_intent_id`);--> statement-breakpoint
CREATE INDEX `orders_user` ON `orders` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `payments` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`provider` text NOT NULL,
	`amount_cents` integer NOT NULL,
	`currency` text NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `payments_order` ON `payments` (`order_id`);--> statement-breakpoint
CREATE TABLE `presales` (
	`id` text PRIMARY KEY NOT NULL,
	`event_id` text NOT NULL,
	`name` text NOT NULL,
	`code` text NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `presales_event` ON `presales` (`event_id`);--> statement-breakpoint
CREATE TABLE `prices` (
	`event_id` text NOT NULL,
	`section_id` text NOT NULL,
	`price_cents` integer NOT NULL,
	PRIMARY KEY(`event_id`, `section_id`),
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `processed_webhook_events` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`processed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sections` (
	`venue_id` text NOT NULL,
	`id` text NOT NULL,
	`position` integer NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`capacity` integer NOT NULL,
	`rows_json` text DEFAULT '[]' NOT NULL,
	PRIMARY KEY(`venue_id`, `id`),
	FOREIGN KEY (`venue_id`) REFERENCES `venues`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `tickets` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`event_id` text NOT NULL,
	`user_id` text NOT NULL,
	`seat_id` text,
	`section_id` text,
	`status` text NOT NULL,
	`code` text NOT NULL,
	`version` integer NOT NULL,
	`issued_at` integer NOT NULL,
	`voided_at` integer,
	`replaces_id` text,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `tickets_user` ON `tickets` (`user_id`);--> statement-breakpoint
CREATE INDEX `tickets_order` ON `tickets` (`order_id`);--> statement-breakpoint
CREATE INDEX `tickets_event_voided` ON `tickets` (`event_id`,`voided_at`);--> statement-breakpoint
CREATE TABLE `venues` (
	`id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`name` text NOT NULL,
	`city` text NOT NULL,
	`country` text NOT NULL,
	`timezone` text NOT NULL,
	`created_at` integer NOT NULL
);
