CREATE TABLE `email_address_claims` (
	`inbox_id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`address` text NOT NULL,
	`code_hash` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`expires_at` integer NOT NULL,
	`verified_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `email_claims_verified_uq` ON `email_address_claims` (`address`) WHERE verified_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX `email_claims_ws_idx` ON `email_address_claims` (`workspace_id`);--> statement-breakpoint
ALTER TABLE `operators` ADD `totp_last_step` integer;