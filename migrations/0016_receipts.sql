CREATE TABLE `invoice_counters` (
	`organizer_id` text PRIMARY KEY NOT NULL,
	`last_number` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `order_items` ADD `ticket_type` text;--> statement-breakpoint
ALTER TABLE `order_items` ADD `base_cents` integer;--> statement-breakpoint
ALTER TABLE `order_items` ADD `fees_cents` integer;--> statement-breakpoint
ALTER TABLE `order_items` ADD `tax_cents` integer;--> statement-breakpoint
ALTER TABLE `orders` ADD `order_number` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `invoice_number` integer;--> statement-breakpoint
ALTER TABLE `orders` ADD `order_fee_json` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `voucher_code` text;--> statement-breakpoint
-- Orders made before order numbers: random ones from hex, with 0 and 1 (easily misread) spelled W and X.
UPDATE `orders` SET `order_number` = replace(replace('ORD-' || hex(randomblob(2)) || '-' || hex(randomblob(2)), '0', 'W'), '1', 'X') WHERE `order_number` IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `orders_number` ON `orders` (`order_number`);