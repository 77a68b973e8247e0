/** Plain SVG bar charts (no chart library): horizontal for categories, vertical for time. */
import type { Series } from "./reports-model.ts";

export function BarChart({
  data,
  vertical = false,
  width = 340,
}: {
  data: Series;
  vertical?: boolean;
  width?: number;
}) {
  const max = Math.max(1, ...data.map(([, v]) => v));
  if (!data.length) return <div class="muted small">—</div>;
  if (vertical) {
    const h = 140;
    const bw = (width - 20) / data.length;
    return (
      <svg width={width} height={h + 20} role="img" aria-label="chart">
        {data.map(([label, v], i) => {
          const bh = (v / max) * h;
          return (
            <g>
              <rect x={10 + i * bw + 1} y={h - bh} width={Math.max(1, bw - 2)} height={bh} fill="var(--accent)" rx="2">
                <title>{`${label}: ${v}`}</title>
              </rect>
              {(data.length <= 12 || i % 3 === 0) && (
                <text x={10 + i * bw + bw / 2} y={h + 14} text-anchor="middle">
                  {label}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    );
  }
  const row = 22;
  const labelW = 110;
  return (
    <svg width={width} height={data.length * row + 4} role="img" aria-label="chart">
      {data.map(([label, v], i) => {
        const w = ((width - labelW - 40) * v) / max;
        return (
          <g>
            <text x={labelW - 6} y={i * row + 15} text-anchor="end">
              {label.length > 18 ? label.slice(0, 17) + "…" : label}
            </text>
            <rect x={labelW} y={i * row + 4} width={Math.max(1, w)} height={row - 8} fill="var(--accent)" rx="2">
              <title>{`${label}: ${v}`}</title>
            </rect>
            <text x={labelW + w + 4} y={i * row + 15}>
              {Number.isInteger(v) ? v : v.toFixed(2)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
