ALTER TABLE `orders` ADD `refund_failure` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `refund_attempts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `refund_retry_at` integer;