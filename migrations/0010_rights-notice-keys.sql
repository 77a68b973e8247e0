CREATE TABLE `workspace_data_keys` (
	`workspace_id` text NOT NULL,
	`version` integer NOT NULL,
	`wrapped` text NOT NULL,
	`created_by` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`workspace_id`, `version`)
);
--> statement-breakpoint
ALTER TABLE `contact_consents` ADD `basis` text DEFAULT 'agreed' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `contact_consents_notice_uq` ON `contact_consents` (`workspace_id`,`contact_id`,`channel`) WHERE basis = 'notice';