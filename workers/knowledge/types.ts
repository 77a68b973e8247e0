/**
 * Contracts of the knowledge base. Production and the embedded default implement the
 * same interfaces, so the agent and the tests never know which one they talk to.
 */
export type DocumentKind = "pdf" | "docx" | "txt" | "md" | "html";

/** A parsed document: plain text split into sections that keep their heading path. */
export interface ParsedDocument {
  kind: DocumentKind;
  title: string;
  sections: Array<{ heading: string[]; text: string; page?: number }>;
  pageCount?: number;
}

export interface Chunk {
  /** Position of the chunk within its document, from 0. */
  ordinal: number;
  text: string;
  /** Heading path, e.g. ["Shipping", "International delivery"]. Shown in citations. */
  heading: string[];
  page?: number;
  tokenCount: number;
}

export interface Embedder {
  readonly id: string;
  readonly dimensions: number;
  embed(texts: string[]): Promise<Float32Array[]>;
}

export interface VectorRecord {
  id: string;
  values: Float32Array;
  /** Namespace = category key, or "workspace" for documents without a category. */
  namespace: string;
  metadata: { workspaceId: string; documentId: string; chunkId: string; category: string | null };
}

export interface VectorMatch {
  id: string;
  score: number;
  metadata: VectorRecord["metadata"];
}

export interface VectorQuery {
  workspaceId: string;
  namespace?: string;
  topK: number;
}

export interface VectorIndex {
  upsert(records: VectorRecord[]): Promise<void>;
  query(values: Float32Array, query: VectorQuery): Promise<VectorMatch[]>;
  deleteByIds(ids: string[]): Promise<void>;
}

/** One retrieved passage with everything a reply needs to cite it. */
export interface RetrievedPassage {
  chunkId: string;
  documentId: string;
  documentTitle: string;
  heading: string[];
  text: string;
  score: number;
  citation: string;
}
