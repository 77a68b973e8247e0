CREATE TABLE `analytics_layer_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`layer` integer NOT NULL,
	`key` text NOT NULL,
	`content` text NOT NULL,
	`status` text DEFAULT 'proposed' NOT NULL,
	`created_by` text,
	`reviewed_by` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `analytics_layers_ws_idx` ON `analytics_layer_entries` (`workspace_id`,`layer`,`status`);--> statement-breakpoint
CREATE TABLE `analytics_pins` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`operator_id` text NOT NULL,
	`title` text NOT NULL,
	`question` text NOT NULL,
	`sql` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `analytics_pins_op_idx` ON `analytics_pins` (`workspace_id`,`operator_id`);--> statement-breakpoint
CREATE TABLE `analytics_threads` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`operator_id` text NOT NULL,
	`title` text NOT NULL,
	`queries` integer DEFAULT 0 NOT NULL,
	`last_query` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `analytics_threads_op_idx` ON `analytics_threads` (`workspace_id`,`operator_id`,`updated_at`);--> statement-breakpoint
CREATE TABLE `analytics_turns` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`thread_id` text NOT NULL,
	`operator_id` text NOT NULL,
	`question` text NOT NULL,
	`engine` text NOT NULL,
	`sql` text,
	`refused` integer DEFAULT false NOT NULL,
	`answer` text NOT NULL,
	`row_count` integer DEFAULT 0 NOT NULL,
	`warnings` text DEFAULT '[]' NOT NULL,
	`layers` text DEFAULT '[]' NOT NULL,
	`feedback` text,
	`correction` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `analytics_turns_thread_idx` ON `analytics_turns` (`workspace_id`,`thread_id`,`created_at`);