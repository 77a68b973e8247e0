CREATE TABLE `contact_consents` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`channel` text NOT NULL,
	`text_version` text NOT NULL,
	`language` text NOT NULL,
	`granted` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `contact_consents_contact_idx` ON `contact_consents` (`workspace_id`,`contact_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `contact_memories` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`category` text NOT NULL,
	`fact` text NOT NULL,
	`fact_key` text NOT NULL,
	`source_conversation_id` text,
	`source_message_id` text,
	`confidence` real NOT NULL,
	`origin` text NOT NULL,
	`status` text DEFAULT 'proposed' NOT NULL,
	`expires_at` integer,
	`decided_by` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contact_memories_fact_uq` ON `contact_memories` (`workspace_id`,`contact_id`,`fact_key`);--> statement-breakpoint
CREATE INDEX `contact_memories_contact_idx` ON `contact_memories` (`workspace_id`,`contact_id`,`status`);--> statement-breakpoint
CREATE TABLE `contact_profiles` (
	`workspace_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`preferred_language` text,
	`preferred_channel` text,
	`tone` text,
	`subscription_facts` text DEFAULT '{}' NOT NULL,
	`recurring_issues` text DEFAULT '[]' NOT NULL,
	`last_resolution` text,
	`updated_by` text,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contact_profiles_uq` ON `contact_profiles` (`workspace_id`,`contact_id`);--> statement-breakpoint
CREATE TABLE `retention_policies` (
	`workspace_id` text PRIMARY KEY NOT NULL,
	`conversation_days` integer,
	`attachment_days` integer,
	`trace_days` integer,
	`last_run_at` integer,
	`last_result` text,
	`updated_by` text,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
