/** A round avatar with the initials of a name on a colour derived from it (workers/protocol/names.ts). */
import { avatarOf } from "../../../workers/protocol/names.ts";

export function Avatar({ name, size = 24 }: { name: string; size?: number }) {
  const a = avatarOf(name);
  return (
    <span
      class="avatar"
      aria-hidden="true"
      style={{
        width: `${size}px`,
        height: `${size}px`,
        fontSize: `${Math.round(size * 0.42)}px`,
        background: `hsl(${a.hue} 55% 42%)`,
      }}
    >
      {a.initials}
    </span>
  );
}
