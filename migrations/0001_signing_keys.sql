CREATE TABLE `signing_keys` (
	`kid` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`private_jwk` text NOT NULL,
	`public_jwk` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `signing_keys_name_unique` ON `signing_keys` (`name`);