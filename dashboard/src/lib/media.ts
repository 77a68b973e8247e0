/** `useMedia("(max-width: 720px)")`: re-renders when a media query starts or stops matching. */
import { useEffect, useState } from "preact/hooks";

export function useMedia(query: string): boolean {
  const [on, setOn] = useState(() => matchMedia(query).matches);
  useEffect(() => {
    const mq = matchMedia(query);
    const change = () => setOn(mq.matches);
    mq.addEventListener("change", change);
    change();
    return () => mq.removeEventListener("change", change);
  }, [query]);
  return on;
}
