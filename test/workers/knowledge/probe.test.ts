import { expect, it } from "vitest";
import pdf from "../../fixtures/knowledge/corrupt.pdf?inline";
import md from "../../../workers/db/seed/faq/pause-skip-cancel.md?raw";
it("probe", () => {
  console.log(typeof pdf, String(pdf).slice(0, 60), typeof md, String(md).slice(0, 40));
  expect(1).toBe(1);
});
