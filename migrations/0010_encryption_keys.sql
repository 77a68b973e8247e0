CREATE TABLE `workspace_data_keys` (
	`workspace_id` text NOT NULL,
	`version` integer NOT NULL,
	`wrapped` text NOT NULL,
	`created_by` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`workspace_id`, `version`)
);
