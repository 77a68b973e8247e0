/**
 * Cross-customer learning proposals (issue 20, Memory 3) on the wire: served by
 * /api/learnings, read by the dashboard's Knowledge page.
 */
import { z } from "zod";

export const LearningProposalSchema = z.object({
  id: z.string(),
  kind: z.enum(["knowledge", "category_rule"]),
  category: z.string(),
  title: z.string(),
  pattern: z.object({ added: z.array(z.string()), removed: z.array(z.string()) }).nullable(),
  occurrences: z.number().int(),
  status: z.enum(["open", "approved", "dismissed"]),
  documentId: z.string().nullable(),
  /** Example questions (or corrected replies), stripped of emails, phones, numbers and names. */
  examples: z.array(z.string()),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type LearningProposal = z.infer<typeof LearningProposalSchema>;

export const LearningRunSchema = z.object({ knowledge: z.number().int(), rules: z.number().int() });
