/**
 * A multi-select as chips: the chosen values as removable chips, a text box that filters
 * the remaining options (Enter or click adds, Backspace on an empty box removes the last).
 * Replaces <select multiple>, which needs Ctrl-click and hides what is selected.
 */
import { useState } from "preact/hooks";

export function ChipInput({
  value,
  options,
  onChange,
  label,
  disabled = false,
}: {
  value: string[];
  options: Array<{ value: string; label: string }>;
  onChange: (next: string[]) => void;
  label: string;
  disabled?: boolean;
}) {
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const nameOf = (v: string) => options.find((o) => o.value === v)?.label ?? v;
  const rest = options.filter(
    (o) => !value.includes(o.value) && o.label.toLowerCase().includes(text.trim().toLowerCase()),
  );
  const add = (v: string) => {
    onChange([...value, v]);
    setText("");
  };
  return (
    <div class="chips" data-testid="chip-input" onFocusOut={() => setTimeout(() => setOpen(false), 150)}>
      {value.map((v) => (
        <span class="chip">
          {nameOf(v)}
          {!disabled && (
            <button type="button" aria-label={`× ${nameOf(v)}`} onClick={() => onChange(value.filter((x) => x !== v))}>
              ×
            </button>
          )}
        </span>
      ))}
      {!disabled && (
        <input
          aria-label={label}
          placeholder={value.length ? "" : label}
          value={text}
          onFocus={() => setOpen(true)}
          onInput={(e) => (setText(e.currentTarget.value), setOpen(true))}
          onKeyDown={(e) => {
            const first = rest[0];
            if (e.key === "Enter" && first) {
              e.preventDefault();
              add(first.value);
            } else if (e.key === "Backspace" && !text && value.length) onChange(value.slice(0, -1));
          }}
        />
      )}
      {open && rest.length > 0 && (
        <ul class="chip-options" role="listbox">
          {rest.map((o) => (
            <li role="option" aria-selected={false} onMouseDown={(e) => (e.preventDefault(), add(o.value))}>
              {o.label}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
