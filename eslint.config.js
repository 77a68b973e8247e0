// Lint: typescript-eslint's recommended rules on all TypeScript; generated files ignored;
// the folder boundaries of the READMEs ("may import" lines) as import-x zones, and no
// import cycles. test/unit/lint/boundaries.test.ts proves a crossing fails the lint.
import js from "@eslint/js";
import { importX } from "eslint-plugin-import-x";
import tseslint from "typescript-eslint";

/**
 * The email channel's Worker glue (inbound handler, outbound reply for the delivery queue) lives with
 * its adapters in workers/channels/email but talks to D1, the inbox lookup and the intake like
 * webhooks/ and queues/ do, so the adapter zone leaves exactly these two files out.
 */
const EMAIL_GLUE = ["./workers/channels/email/handler.ts", "./workers/channels/email/reply.ts"];
const CHANNEL_ADAPTERS = [
  "./workers/channels/*.ts",
  "./workers/channels/!(email)/**",
  "./workers/channels/email/!(handler|reply).ts",
];

/**
 * Who may import whom. Each zone: files under `target` must not import files under `from`
 * (paths relative to the repository root), except the `except` paths (relative to `from`).
 * Keep in step with the "May import" line of each folder's README.
 */
const ZONES = [
  {
    target: ["./workers", "./durable-objects", "./dashboard", "./widget"],
    from: ["./test", "./bench", "./evals", "./scripts"],
    message: "Runtime code never imports tests, benchmarks, evals or scripts.",
  },
  {
    target: ["./workers", "./durable-objects"],
    from: ["./dashboard", "./widget"],
    message: "The server never imports the front ends.",
  },
  {
    target: "./widget/src",
    from: "./workers",
    except: ["./protocol"],
    message: "The widget may import only workers/protocol (widget/README.md).",
  },
  { target: "./widget", from: ["./durable-objects", "./dashboard"], message: "See widget/README.md." },
  {
    target: "./dashboard",
    from: "./workers",
    except: ["./protocol", "./lib/categories.ts", "./lib/csv.ts"],
    message:
      "The dashboard may import only workers/protocol, workers/lib/categories.ts and workers/lib/csv.ts (dashboard/README.md).",
  },
  {
    target: "./dashboard",
    from: "./durable-objects",
    except: ["./lib/canned.ts"],
    message: "The dashboard may import only durable-objects/lib/canned.ts of the objects (dashboard/README.md).",
  },
  { target: "./dashboard", from: "./widget", message: "See dashboard/README.md." },
  {
    target: "./workers/protocol",
    from: "./workers",
    except: ["./protocol", "./lib"],
    message:
      "workers/protocol is shared with the browser: it may import only workers/lib (workers/protocol/README.md).",
  },
  { target: "./workers/protocol", from: "./durable-objects", message: "See workers/protocol/README.md." },
  {
    target: "./durable-objects/lib",
    from: "./workers",
    except: ["./lib", "./protocol"],
    message: "Pure rule modules may import only workers/lib and workers/protocol (durable-objects/lib/README.md).",
  },
  {
    target: "./durable-objects/lib",
    from: "./durable-objects",
    except: ["./lib"],
    message: "Pure rule modules never import the objects (durable-objects/lib/README.md).",
  },
  {
    target: CHANNEL_ADAPTERS,
    from: "./workers",
    except: ["./channels", "./lib", "./protocol"],
    message: "Channel adapters may import only workers/lib and workers/protocol (workers/README.md).",
  },
  { target: CHANNEL_ADAPTERS, from: "./durable-objects", message: "See workers/README.md." },
  {
    target: "./workers/ai/router",
    from: "./workers",
    except: ["./ai/router", "./lib"],
    message: "The router may import only workers/lib (workers/ai/router/README.md).",
  },
  {
    target: "./workers/ai",
    from: ["./workers/api", "./workers/webhooks", "./workers/queues", ...EMAIL_GLUE, "./durable-objects"],
    message: "The AI engine is called by the room and the API; it never calls them (workers/ai/README.md).",
  },
  {
    target: "./workers/lib",
    from: "./workers",
    except: ["./lib", "./protocol", "./db", "./channels"],
    message:
      "workers/lib is the bottom layer: it may import only workers/protocol, workers/db and workers/channels (workers/README.md).",
  },
  {
    target: "./workers/lib",
    from: EMAIL_GLUE,
    message: "workers/lib may import channel adapters, not the email channel's Worker glue (workers/README.md).",
  },
  {
    target: "./workers/lib",
    from: "./durable-objects",
    except: ["./lib"],
    message: "workers/lib may import only the pure rule modules of durable-objects/lib (workers/README.md).",
  },
  {
    target: "./workers",
    from: "./durable-objects/intake",
    except: ["./journal.ts", "./object.ts"],
    message:
      "The intake is one folder: outside it, only journal.ts (what is journaled) and the class export may be imported (durable-objects/intake/README.md).",
  },
  { target: "./test/unit", from: "./bench", message: "Unit tests never import from bench/ (test/README.md)." },
];

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      "public/**",
      "dist/**",
      ".wrangler/**",
      "workers/worker-configuration.d.ts",
      "**/*.generated.*",
      "test/e2e/screenshots/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { "import-x": importX },
    settings: { "import-x/extensions": [".ts", ".tsx", ".js", ".mjs"] },
    rules: {
      "import-x/no-restricted-paths": ["error", { zones: ZONES }],
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-empty": ["error", { allowEmptyCatch: false }],
    },
  },
  {
    files: ["**/*.mjs", "**/*.js"],
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        URL: "readonly",
        fetch: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        performance: "readonly",
        Buffer: "readonly",
        AbortController: "readonly",
        TextEncoder: "readonly",
        TextDecoder: "readonly",
        crypto: "readonly",
        WebSocket: "readonly",
        structuredClone: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        document: "readonly",
        window: "readonly",
        navigator: "readonly",
        localStorage: "readonly",
        location: "readonly",
        HTMLImageElement: "readonly",
        FormData: "readonly",
        Blob: "readonly",
      },
    },
  },
);
