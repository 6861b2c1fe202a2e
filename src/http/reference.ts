/**
 * The API reference, rendered from the OpenAPI document alone: as HTML for GET /docs (no script,
 * no CDN: one inline stylesheet under a nonce) and as Markdown for docs/API-REFERENCE.md, which a
 * test keeps identical to what this renders. Knows nothing of the routes but the document.
 */

import type { JsonSchema, Method, OpenApiDocument, Operation, Parameter, ResponseObject } from "./openapi-doc";

const METHODS: readonly Method[] = ["get", "post", "put", "patch", "delete"];

interface Op {
  method: string;
  path: string;
  op: Operation;
}

function operationsByTag(doc: OpenApiDocument): Map<string, Op[]> {
  const byTag = new Map<string, Op[]>();
  for (const tag of doc.tags ?? []) byTag.set(tag.name, []);
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? "Other";
      byTag.set(tag, [...(byTag.get(tag) ?? []), { method: method.toUpperCase(), path, op }]);
    }
  }
  return byTag;
}

const refName = (ref: string): string => ref.split("/").at(-1) ?? ref;

/** A `$ref` to `#/components/<section>/<name>` replaced by what it names (the value itself otherwise). */
function resolve<T extends { $ref?: string }>(doc: OpenApiDocument, value: T): T {
  if (typeof value.$ref !== "string") return value;
  const [, , section, name] = value.$ref.split("/");
  const components = doc.components?.[section ?? ""] as Record<string, T> | undefined;
  return (name && components?.[name]) || value;
}

function who(op: Operation): string {
  const security = op.security ?? [];
  if (security.length === 0) return "public";
  if (security.some((s) => "queueToken" in s)) return "queue token";
  const roles = op["x-roles"];
  return roles ? `bearer token, role ${roles.join(" or ")}` : "bearer token";
}

/** A schema in one line: `Event`, `array of Ticket`, `string (date-time)`, `{ ... }`. */
function typeOf(schema: JsonSchema | undefined): string {
  if (!schema) return "";
  if (schema.$ref) return refName(schema.$ref);
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(" | ");
  if (schema.enum) return schema.enum.map((v: unknown) => JSON.stringify(v)).join(" | ");
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.type === "array") return `array of ${typeOf(schema.items)}`;
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : (schema.type ?? "any");
  const bounds = [
    schema.format,
    schema.minimum !== undefined && `≥ ${schema.minimum}`,
    schema.maximum !== undefined && `≤ ${schema.maximum}`,
    schema.maxLength !== undefined && `≤ ${schema.maxLength} chars`,
    schema.pattern && `/${schema.pattern}/`,
    schema.default !== undefined && `default ${JSON.stringify(schema.default)}`,
  ].filter(Boolean);
  return bounds.length ? `${type} (${bounds.join(", ")})` : type;
}

function parameterRows(doc: OpenApiDocument, op: Operation): string[][] {
  return (op.parameters ?? []).map((p: Parameter) => {
    const param = resolve(doc, p);
    return [param.name, param.in, param.required ? "yes" : "no", typeOf(param.schema), param.description ?? ""];
  });
}

function responseRows(doc: OpenApiDocument, op: Operation): string[][] {
  return Object.entries(op.responses ?? {}).map(([status, r]: [string, ResponseObject]) => {
    const response = resolve(doc, r);
    const [media, content] = Object.entries(response.content ?? {})[0] ?? [];
    return [status, response.description ?? "", media ? `${media} ${typeOf(content?.schema)}`.trim() : ""];
  });
}

const bodyOf = (op: Operation): JsonSchema | undefined => op.requestBody?.content?.["application/json"]?.schema;

// ---------------------------------------------------------------- HTML

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);

function table(head: string[], rows: string[][]): string {
  if (rows.length === 0) return "";
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const body = rows.map((r) => `<tr>${r.map((cell) => `<td>${escapeHtml(cell)}</td>`).join("")}</tr>`).join("");
  return `<table><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d232a;background:#fff}
header{background:#12263a;color:#fff;padding:1.2rem 2rem}header a{color:#9cd3ff}
main{display:grid;grid-template-columns:16rem 1fr;gap:2rem;padding:1rem 2rem;max-width:90rem}
nav{position:sticky;top:0;align-self:start;max-height:100vh;overflow:auto;font-size:14px}
nav a{display:block;color:#12263a;text-decoration:none;padding:.1rem 0}nav a:hover{text-decoration:underline}
section.op{border:1px solid #d5dbe1;border-radius:6px;padding:.8rem 1rem;margin:1rem 0}
.m{display:inline-block;min-width:4.2rem;font-weight:700;font-family:ui-monospace,monospace}
.GET{color:#0b6b2f}.POST{color:#0a4fa8}.PATCH{color:#8a5a00}.DELETE{color:#a3161b}
code,pre{font-family:ui-monospace,monospace;font-size:13px}pre{background:#f4f6f8;padding:.6rem;overflow:auto;border-radius:4px}
table{border-collapse:collapse;margin:.4rem 0;width:100%}td,th{border:1px solid #d5dbe1;padding:.2rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f6f8}.muted{color:#55606b}`;

function htmlOperation(doc: OpenApiDocument, { method, path, op }: Op): string {
  const body = bodyOf(op);
  return `<section class="op" id="${escapeHtml(op.operationId)}">
<h3><span class="m ${method}">${method}</span> <code>${escapeHtml(path)}</code></h3>
<p>${escapeHtml(op.summary ?? "")} <span class="muted">— <code>${escapeHtml(op.operationId)}</code>, ${escapeHtml(who(op))}</span></p>
${op.description ? `<p>${escapeHtml(op.description)}</p>` : ""}
${table(["parameter", "in", "required", "schema", "meaning"], parameterRows(doc, op))}
${body ? `<p>Body (application/json):</p><pre>${escapeHtml(JSON.stringify(body, null, 2))}</pre>` : ""}
${table(["status", "meaning", "body"], responseRows(doc, op))}
</section>`;
}

export function referenceHtml(doc: OpenApiDocument, nonce: string): string {
  const byTag = operationsByTag(doc);
  const nav = [...byTag]
    .map(
      ([tag, ops]) =>
        `<p><strong>${escapeHtml(tag)}</strong></p>${ops
          .map((o) => `<a href="#${escapeHtml(o.op.operationId)}">${o.method} ${escapeHtml(o.path)}</a>`)
          .join("")}`,
    )
    .join("");
  const sections = [...byTag]
    .map(([tag, ops]) => `<h2>${escapeHtml(tag)}</h2>${ops.map((o) => htmlOperation(doc, o)).join("")}`)
    .join("");
  const schemas = Object.entries(doc.components?.schemas ?? {})
    .map(
      ([name, schema]) =>
        `<section class="op" id="schema-${escapeHtml(name)}"><h3>${escapeHtml(name)}</h3><pre>${escapeHtml(JSON.stringify(schema, null, 2))}</pre></section>`,
    )
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<link rel="icon" href="data:,"><title>${escapeHtml(doc.info?.title ?? "API")} reference</title><style nonce="${nonce}">${STYLE}</style></head>
<body><header><h1>${escapeHtml(doc.info?.title ?? "API")} <small>${escapeHtml(doc.info?.version ?? "")}</small></h1>
<p>${escapeHtml(doc.info?.description ?? "")}</p><p>Rendered from <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI ${escapeHtml(doc.openapi ?? "")}).</p></header>
<main><nav aria-label="Operations">${nav}<p><a href="#schemas"><strong>Schemas</strong></a></p></nav>
<div>${sections}<h2 id="schemas">Schemas</h2>${schemas}</div></main></body></html>`;
}

// ---------------------------------------------------------------- Markdown

const cell = (s: string): string => s.replaceAll("|", "\\|").replaceAll("\n", " ");

function mdTable(head: string[], rows: string[][]): string {
  if (rows.length === 0) return "";
  return [
    `| ${head.join(" | ")} |`,
    `| ${head.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
    "",
  ].join("\n");
}

export function referenceMarkdown(doc: OpenApiDocument): string {
  const out: string[] = [
    `# ${doc.info?.title ?? "API"} reference`,
    "",
    "<!-- Generated from GET /api/v1/openapi.json by src/http/reference.ts; test/worker/openapi.test.ts",
    "     fails when it is out of date (`npm run docs:api` rewrites it). Do not edit by hand. -->",
    "",
    doc.info?.description ?? "",
    "",
    "Served at `GET /docs` (HTML) and `GET /api/v1/openapi.json` (OpenAPI 3.1).",
    "",
  ];
  for (const [tag, ops] of operationsByTag(doc)) {
    if (ops.length === 0) continue;
    out.push(`## ${tag}`, "");
    for (const { method, path, op } of ops) {
      out.push(`### \`${method} ${path}\``, "", `${op.summary} — \`${op.operationId}\`, ${who(op)}.`, "");
      if (op.description) out.push(op.description, "");
      out.push(mdTable(["parameter", "in", "required", "schema", "meaning"], parameterRows(doc, op)));
      const body = bodyOf(op);
      if (body) out.push("Body (`application/json`):", "", "```json", JSON.stringify(body, null, 2), "```", "");
      out.push(mdTable(["status", "meaning", "body"], responseRows(doc, op)));
    }
  }
  out.push("## Schemas", "");
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
    out.push(`### ${name}`, "", "```json", JSON.stringify(schema, null, 2), "```", "");
  }
  return `${out
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}
