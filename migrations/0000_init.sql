CREATE TABLE `actions` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`contact_id` text,
	`customer_ref` text,
	`tool` text NOT NULL,
	`args` text NOT NULL,
	`summary` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`proposed_by` text NOT NULL,
	`decided_by` text,
	`decided_at` integer,
	`executed_at` integer,
	`expires_at` integer NOT NULL,
	`result` text,
	`error` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `actions_conv_idx` ON `actions` (`workspace_id`,`conversation_id`,`status`);--> statement-breakpoint
CREATE TABLE `ai_traces` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`conversation_id` text,
	`turn_id` text NOT NULL,
	`step` text NOT NULL,
	`provider` text,
	`model` text,
	`latency_ms` real NOT NULL,
	`input_tokens` integer DEFAULT 0 NOT NULL,
	`output_tokens` integer DEFAULT 0 NOT NULL,
	`cost_usd` real DEFAULT 0 NOT NULL,
	`detail` text DEFAULT '{}' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `traces_conv_idx` ON `ai_traces` (`workspace_id`,`conversation_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`actor_type` text NOT NULL,
	`actor_id` text,
	`action` text NOT NULL,
	`target_type` text,
	`target_id` text,
	`detail` text DEFAULT '{}' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_ws_idx` ON `audit_log` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `canned_responses` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`short_code` text NOT NULL,
	`content` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `canned_code_uq` ON `canned_responses` (`workspace_id`,`short_code`);--> statement-breakpoint
CREATE TABLE `categories` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`key` text NOT NULL,
	`name` text NOT NULL,
	`instructions` text NOT NULL,
	`allowed_tools` text DEFAULT '[]' NOT NULL,
	`provider` text DEFAULT 'local' NOT NULL,
	`model` text DEFAULT 'local-answer-v1' NOT NULL,
	`reasoning_level` text DEFAULT 'low' NOT NULL,
	`auto_send` text DEFAULT 'confident' NOT NULL,
	`retention_offer` text,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_by` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `categories_key_uq` ON `categories` (`workspace_id`,`key`);--> statement-breakpoint
CREATE TABLE `category_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`category_key` text NOT NULL,
	`version` integer NOT NULL,
	`snapshot` text NOT NULL,
	`created_by` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `category_versions_uq` ON `category_versions` (`workspace_id`,`category_key`,`version`);--> statement-breakpoint
CREATE TABLE `contact_identities` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`original_contact_id` text NOT NULL,
	`channel` text NOT NULL,
	`inbox_id` text NOT NULL,
	`external_id` text NOT NULL,
	`phone` text,
	`email` text,
	`verified` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `identities_external_uq` ON `contact_identities` (`workspace_id`,`inbox_id`,`external_id`);--> statement-breakpoint
CREATE INDEX `identities_contact_idx` ON `contact_identities` (`workspace_id`,`contact_id`);--> statement-breakpoint
CREATE INDEX `identities_phone_idx` ON `contact_identities` (`workspace_id`,`phone`);--> statement-breakpoint
CREATE TABLE `contacts` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text,
	`email` text,
	`phone` text,
	`language` text,
	`tags` text DEFAULT '[]' NOT NULL,
	`merged_into_id` text,
	`customer_ref` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `contacts_email_idx` ON `contacts` (`workspace_id`,`email`);--> statement-breakpoint
CREATE INDEX `contacts_phone_idx` ON `contacts` (`workspace_id`,`phone`);--> statement-breakpoint
CREATE TABLE `conversations` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`inbox_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`identity_id` text NOT NULL,
	`channel` text NOT NULL,
	`thread_key` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`owner` text DEFAULT 'bot' NOT NULL,
	`assignee_id` text,
	`team_id` text,
	`priority` text DEFAULT 'normal' NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`category` text,
	`secondary_categories` text DEFAULT '[]' NOT NULL,
	`language` text,
	`subject` text,
	`last_message_at` integer,
	`last_message_preview` text,
	`last_seq` integer DEFAULT 0 NOT NULL,
	`first_response_due_at` integer,
	`resolution_due_at` integer,
	`first_responded_at` integer,
	`resolved_at` integer,
	`snoozed_until` integer,
	`csat_score` integer,
	`csat_comment` text,
	`nps_score` integer,
	`ai_resolved` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `conv_inbox_list_idx` ON `conversations` (`workspace_id`,`status`,`last_message_at`);--> statement-breakpoint
CREATE INDEX `conv_assignee_idx` ON `conversations` (`workspace_id`,`assignee_id`,`status`);--> statement-breakpoint
CREATE INDEX `conv_team_idx` ON `conversations` (`workspace_id`,`team_id`,`status`);--> statement-breakpoint
CREATE INDEX `conv_contact_idx` ON `conversations` (`workspace_id`,`contact_id`);--> statement-breakpoint
CREATE INDEX `conv_category_idx` ON `conversations` (`workspace_id`,`category`);--> statement-breakpoint
CREATE INDEX `conv_thread_idx` ON `conversations` (`workspace_id`,`inbox_id`,`thread_key`);--> statement-breakpoint
CREATE TABLE `crawl_sources` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`start_url` text NOT NULL,
	`depth` integer DEFAULT 2 NOT NULL,
	`include` text DEFAULT '[]' NOT NULL,
	`exclude` text DEFAULT '[]' NOT NULL,
	`category` text,
	`interval_minutes` integer DEFAULT 1440 NOT NULL,
	`last_run_at` integer,
	`last_result` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `crawl_ws_idx` ON `crawl_sources` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `dead_letters` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`queue` text NOT NULL,
	`body` text NOT NULL,
	`error` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`replayed_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `dead_letters_ws_idx` ON `dead_letters` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `few_shot_examples` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`category` text NOT NULL,
	`question` text NOT NULL,
	`answer` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`source_message_id` text,
	`marked_by` text,
	`reviewed_by` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `fewshot_ws_idx` ON `few_shot_examples` (`workspace_id`,`category`,`status`);--> statement-breakpoint
CREATE TABLE `inbound_events` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`inbox_id` text NOT NULL,
	`channel_message_id` text NOT NULL,
	`kind` text NOT NULL,
	`payload` text NOT NULL,
	`status` text DEFAULT 'received' NOT NULL,
	`error` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inbound_events_uq` ON `inbound_events` (`inbox_id`,`kind`,`channel_message_id`);--> statement-breakpoint
CREATE INDEX `inbound_events_status_idx` ON `inbound_events` (`status`);--> statement-breakpoint
CREATE TABLE `inboxes` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`channel` text NOT NULL,
	`settings` text DEFAULT '{}' NOT NULL,
	`secrets_enc` text,
	`enabled` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `inboxes_ws_idx` ON `inboxes` (`workspace_id`,`channel`);--> statement-breakpoint
CREATE TABLE `knowledge_chunks` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`document_id` text NOT NULL,
	`ordinal` integer NOT NULL,
	`heading` text DEFAULT '[]' NOT NULL,
	`text` text NOT NULL,
	`page` integer,
	`token_count` integer NOT NULL,
	`category` text
);
--> statement-breakpoint
CREATE INDEX `kchunks_doc_idx` ON `knowledge_chunks` (`workspace_id`,`document_id`,`ordinal`);--> statement-breakpoint
CREATE TABLE `knowledge_documents` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`title` text NOT NULL,
	`file_name` text NOT NULL,
	`kind` text NOT NULL,
	`size` integer NOT NULL,
	`r2_key` text NOT NULL,
	`category` text,
	`status` text DEFAULT 'queued' NOT NULL,
	`progress` real DEFAULT 0 NOT NULL,
	`error` text,
	`chunk_count` integer DEFAULT 0 NOT NULL,
	`content_hash` text,
	`source` text DEFAULT 'upload' NOT NULL,
	`source_url` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `kdocs_ws_idx` ON `knowledge_documents` (`workspace_id`,`status`);--> statement-breakpoint
CREATE INDEX `kdocs_url_idx` ON `knowledge_documents` (`workspace_id`,`source_url`);--> statement-breakpoint
CREATE TABLE `login_attempts` (
	`key` text PRIMARY KEY NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`window_start` integer NOT NULL,
	`locked_until` integer
);
--> statement-breakpoint
CREATE TABLE `messages` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`seq` integer NOT NULL,
	`type` text NOT NULL,
	`sender_type` text NOT NULL,
	`sender_id` text,
	`content` text NOT NULL,
	`content_attributes` text DEFAULT '{}' NOT NULL,
	`attachments` text DEFAULT '[]' NOT NULL,
	`client_id` text,
	`inbox_id` text,
	`channel_message_id` text,
	`delivery_status` text,
	`delivery_error` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messages_seq_uq` ON `messages` (`conversation_id`,`seq`);--> statement-breakpoint
CREATE UNIQUE INDEX `messages_channel_uq` ON `messages` (`inbox_id`,`channel_message_id`);--> statement-breakpoint
CREATE INDEX `messages_ws_conv_idx` ON `messages` (`workspace_id`,`conversation_id`,`seq`);--> statement-breakpoint
CREATE TABLE `operators` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`handle` text NOT NULL,
	`role` text NOT NULL,
	`password_hash` text NOT NULL,
	`skills` text DEFAULT '[]' NOT NULL,
	`languages` text DEFAULT '[]' NOT NULL,
	`max_concurrent` integer DEFAULT 5 NOT NULL,
	`totp_secret_enc` text,
	`totp_enabled` integer DEFAULT false NOT NULL,
	`disabled` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `operators_email_uq` ON `operators` (`email`);--> statement-breakpoint
CREATE UNIQUE INDEX `operators_handle_uq` ON `operators` (`workspace_id`,`handle`);--> statement-breakpoint
CREATE TABLE `store_customers` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`phone` text,
	`address` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `store_customers_email_uq` ON `store_customers` (`workspace_id`,`email`);--> statement-breakpoint
CREATE TABLE `store_damage_claims` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`order_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`description` text NOT NULL,
	`photos` text DEFAULT '[]' NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `store_claims_customer_idx` ON `store_damage_claims` (`workspace_id`,`customer_id`);--> statement-breakpoint
CREATE TABLE `store_orders` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`number` text NOT NULL,
	`customer_id` text NOT NULL,
	`subscription_id` text NOT NULL,
	`box_month` text NOT NULL,
	`items` text NOT NULL,
	`status` text NOT NULL,
	`total_cents` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `store_orders_customer_idx` ON `store_orders` (`workspace_id`,`customer_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `store_orders_number_uq` ON `store_orders` (`workspace_id`,`number`);--> statement-breakpoint
CREATE TABLE `store_payments` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`subscription_id` text,
	`kind` text NOT NULL,
	`amount_cents` integer NOT NULL,
	`currency` text DEFAULT 'USD' NOT NULL,
	`status` text NOT NULL,
	`failure_reason` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `store_payments_customer_idx` ON `store_payments` (`workspace_id`,`customer_id`);--> statement-breakpoint
CREATE TABLE `store_shipments` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`order_id` text NOT NULL,
	`carrier` text NOT NULL,
	`tracking_number` text NOT NULL,
	`status` text NOT NULL,
	`events` text DEFAULT '[]' NOT NULL,
	`estimated_delivery` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `store_shipments_order_idx` ON `store_shipments` (`workspace_id`,`order_id`);--> statement-breakpoint
CREATE TABLE `store_subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`plan` text NOT NULL,
	`price_cents` integer NOT NULL,
	`currency` text DEFAULT 'USD' NOT NULL,
	`frequency` text NOT NULL,
	`status` text NOT NULL,
	`next_box_date` text,
	`skipped_months` text DEFAULT '[]' NOT NULL,
	`paused_until` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `store_subs_customer_idx` ON `store_subscriptions` (`workspace_id`,`customer_id`);--> statement-breakpoint
CREATE TABLE `team_members` (
	`workspace_id` text NOT NULL,
	`team_id` text NOT NULL,
	`operator_id` text NOT NULL,
	PRIMARY KEY(`team_id`, `operator_id`)
);
--> statement-breakpoint
CREATE INDEX `team_members_op_idx` ON `team_members` (`workspace_id`,`operator_id`);--> statement-breakpoint
CREATE TABLE `teams` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `teams_name_uq` ON `teams` (`workspace_id`,`name`);--> statement-breakpoint
CREATE TABLE `verification_codes` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`email` text NOT NULL,
	`code_hash` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`expires_at` integer NOT NULL,
	`consumed_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `vcodes_conv_idx` ON `verification_codes` (`workspace_id`,`conversation_id`);--> statement-breakpoint
CREATE TABLE `workspaces` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`slug` text NOT NULL,
	`widget_key` text NOT NULL,
	`settings` text DEFAULT '{}' NOT NULL,
	`identity_secret_enc` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workspaces_slug_unique` ON `workspaces` (`slug`);--> statement-breakpoint
CREATE UNIQUE INDEX `workspaces_widget_key_unique` ON `workspaces` (`widget_key`);