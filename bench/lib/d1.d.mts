/** Types of d1.mjs. */
import type { Platform } from "./processes.mjs";

export function d1Query(
  platform: Platform,
  sql: string,
  params?: Array<string | number | null>,
): Array<Record<string, unknown>>;
