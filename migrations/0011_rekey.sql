CREATE TABLE `data_key_retirements` (
	`workspace_id` text NOT NULL,
	`version` integer NOT NULL,
	`created_at` integer NOT NULL,
	`retired_at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `version`)
);
--> statement-breakpoint
CREATE TABLE `rekey_jobs` (
	`workspace_id` text PRIMARY KEY NOT NULL,
	`target_version` integer NOT NULL,
	`rotated_at` integer NOT NULL,
	`pass_started_at` integer,
	`bucket` text DEFAULT 'ATTACHMENTS' NOT NULL,
	`cursor` text,
	`pass_clean` integer DEFAULT true NOT NULL,
	`resealed` integer DEFAULT 0 NOT NULL,
	`unreadable` integer DEFAULT 0 NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`finished_at` integer
);
