CREATE TABLE `eval_cases` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`version_id` text NOT NULL,
	`idx` integer NOT NULL,
	`data` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `eval_cases_uq` ON `eval_cases` (`version_id`,`idx`);--> statement-breakpoint
CREATE TABLE `eval_evaluators` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`definition` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `eval_evaluators_uq` ON `eval_evaluators` (`workspace_id`,`name`);--> statement-breakpoint
CREATE TABLE `eval_judge_settings` (
	`workspace_id` text PRIMARY KEY NOT NULL,
	`rubric` text NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `eval_results` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`run_id` text NOT NULL,
	`case_idx` integer NOT NULL,
	`repeat` integer DEFAULT 0 NOT NULL,
	`case_id` text NOT NULL,
	`category` text,
	`pass` integer NOT NULL,
	`red_line` integer DEFAULT false NOT NULL,
	`unsure` integer DEFAULT false NOT NULL,
	`cost_usd` real DEFAULT 0 NOT NULL,
	`latency_ms` integer DEFAULT 0 NOT NULL,
	`detail` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `eval_results_uq` ON `eval_results` (`run_id`,`case_idx`,`repeat`);--> statement-breakpoint
CREATE TABLE `eval_reviews` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`result_id` text NOT NULL,
	`run_id` text NOT NULL,
	`reviewer_id` text NOT NULL,
	`pass` integer NOT NULL,
	`criteria` text DEFAULT '{}' NOT NULL,
	`corrected_reply` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `eval_reviews_uq` ON `eval_reviews` (`result_id`,`reviewer_id`);--> statement-breakpoint
CREATE INDEX `eval_reviews_run_idx` ON `eval_reviews` (`run_id`);--> statement-breakpoint
CREATE TABLE `eval_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`test_set_id` text NOT NULL,
	`version_id` text NOT NULL,
	`variant` text NOT NULL,
	`repeats` integer DEFAULT 1 NOT NULL,
	`total` integer NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`cost_cap_usd` real,
	`estimate_usd` real DEFAULT 0 NOT NULL,
	`metrics` text,
	`reason` text,
	`promoted_at` integer,
	`promotion` text,
	`created_by` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `eval_runs_ws_idx` ON `eval_runs` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `eval_test_set_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`test_set_id` text NOT NULL,
	`version` integer NOT NULL,
	`rows` integer NOT NULL,
	`columns` text DEFAULT '[]' NOT NULL,
	`mapping` text DEFAULT '{}' NOT NULL,
	`file_key` text,
	`status` text DEFAULT 'importing' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `eval_versions_uq` ON `eval_test_set_versions` (`workspace_id`,`test_set_id`,`version`);--> statement-breakpoint
CREATE TABLE `eval_test_sets` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`source` text NOT NULL,
	`latest_version` integer DEFAULT 0 NOT NULL,
	`created_by` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `eval_sets_ws_idx` ON `eval_test_sets` (`workspace_id`,`created_at`);