/** Types of processes.mjs for the TypeScript tests that start the platform. */
import type { ChildProcess } from "node:child_process";

export interface Platform {
  child: ChildProcess;
  base: string;
  port: number;
  persist: string;
  tree: string;
}
export const ROOT: string;
export function startPlatform(port: number): Promise<Platform>;
export function stopAll(): Promise<void>;
export function workerdPid(rootPid: number, publicPort?: number): number | null;
export function rssBytes(pid: number): number | null;
