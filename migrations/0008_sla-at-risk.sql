ALTER TABLE `conversations` ADD `first_response_at_risk_at` integer;--> statement-breakpoint
ALTER TABLE `conversations` ADD `resolution_at_risk_at` integer;