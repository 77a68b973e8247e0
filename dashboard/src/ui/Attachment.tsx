/**
 * Message attachments in the timeline: images as thumbnails loaded through signed,
 * short-lived links (GET /api/conversations/:id/attachment-urls), a click opens them full
 * size; other files as download links. Links are cached until shortly before they expire.
 */
import { useEffect, useState } from "preact/hooks";
import type { AttachmentRef } from "../../../workers/protocol/frames.ts";
import { linkify } from "../../../workers/protocol/linkify.ts";
import { attachmentLinks } from "../api/endpoints.ts";
import { useT } from "../lib/i18n.ts";
import { Modal } from "./common.tsx";

const cache = new Map<string, Promise<{ url: string; expiresAt: number } | null>>();

async function linkFor(conversationId: string, key: string): Promise<string | null> {
  const hit = await cache.get(key);
  if (hit && hit.expiresAt - 30_000 > Date.now()) return hit.url;
  const next = attachmentLinks(conversationId, [key]).then(
    (r) => r.items[0] ?? null,
    () => null,
  );
  cache.set(key, next);
  return (await next)?.url ?? null;
}

export function Attachment({ conversationId, a }: { conversationId: string; a: AttachmentRef }) {
  const t = useT();
  const [src, setSrc] = useState<string | null>(null);
  const [big, setBig] = useState(false);
  useEffect(() => {
    let live = true;
    void linkFor(conversationId, a.key).then((u) => live && setSrc(u));
    return () => {
      live = false;
    };
  }, [conversationId, a.key]);
  if (!src) return <span class="attachment">📎 {a.name}</span>;
  if (!a.mimeType.startsWith("image/"))
    return (
      <a class="attachment" href={src} download={a.name}>
        📎 {a.name}
      </a>
    );
  return (
    <>
      <button class="thumb-btn" aria-label={`${t("enlarge")}: ${a.name}`} onClick={() => setBig(true)}>
        <img class="thumb" src={src} alt={a.name} data-key={a.key} />
      </button>
      {big && (
        <Modal title={a.name} onClose={() => setBig(false)}>
          <img class="zoomed" src={src} alt={a.name} onClick={() => setBig(false)} />
        </Modal>
      )}
    </>
  );
}

/** Message text with web addresses and tracking numbers as links. */
export function Linked({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((s) =>
        s.href ? (
          <a href={s.href} target="_blank" rel="noopener noreferrer">
            {s.text}
          </a>
        ) : (
          s.text
        ),
      )}
    </>
  );
}
