CREATE TABLE `contact_claims` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`conversation_id` text,
	`field` text NOT NULL,
	`value` text NOT NULL,
	`candidate_contact_id` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`decided_by` text,
	`decided_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `contact_claims_contact_idx` ON `contact_claims` (`workspace_id`,`contact_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `contact_claims_unique_idx` ON `contact_claims` (`workspace_id`,`contact_id`,`field`,`value`);