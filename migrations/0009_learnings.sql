CREATE TABLE `learning_examples` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`proposal_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`text` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `learning_examples_uq` ON `learning_examples` (`workspace_id`,`proposal_id`,`conversation_id`);--> statement-breakpoint
CREATE INDEX `learning_examples_contact_idx` ON `learning_examples` (`workspace_id`,`contact_id`);--> statement-breakpoint
CREATE TABLE `learning_proposals` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`kind` text NOT NULL,
	`category` text NOT NULL,
	`signature` text NOT NULL,
	`title` text NOT NULL,
	`pattern` text,
	`occurrences` integer NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`decided_by` text,
	`decided_at` integer,
	`document_id` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `learning_proposals_sig_uq` ON `learning_proposals` (`workspace_id`,`kind`,`category`,`signature`);--> statement-breakpoint
CREATE INDEX `learning_proposals_status_idx` ON `learning_proposals` (`workspace_id`,`status`);