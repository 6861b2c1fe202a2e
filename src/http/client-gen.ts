/**
 * Writes the typed TypeScript client (src/contract/client.gen.ts) from the OpenAPI document alone:
 * one type per component schema, one entry per operation (method, path, path parameters, query,
 * JSON body, success body), and a fetch-based `createClient`. test/worker/route-table.test.ts keeps
 * the committed file identical to what this renders (`npm run docs:api` rewrites it).
 */

type Json = Record<string, any>;

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const key = (name: string): string => (IDENT.test(name) ? name : JSON.stringify(name));
const refName = (ref: string): string => ref.split("/").at(-1) ?? "unknown";

/** A JSON Schema (the subset zod writes) as a TypeScript type. */
export function tsType(schema: Json | undefined, indent = ""): string {
  if (!schema || Object.keys(schema).length === 0) return "unknown";
  if (schema.$ref) return refName(schema.$ref);
  if (schema.anyOf) return schema.anyOf.map((s: Json) => tsType(s, indent)).join(" | ");
  if (schema.oneOf) return schema.oneOf.map((s: Json) => tsType(s, indent)).join(" | ");
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v: unknown) => JSON.stringify(v)).join(" | ");
  if (Array.isArray(schema.type))
    return schema.type.map((t: string) => tsType({ ...schema, type: t }, indent)).join(" | ");
  switch (schema.type) {
    case "string":
      return "string";
    case "number":
    case "integer":
      return "number";
    case "boolean":
      return "boolean";
    case "null":
      return "null";
    case "array":
      return `Array<${tsType(schema.items, indent)}>`;
    case "object": {
      const required = new Set<string>(schema.required ?? []);
      const props = Object.entries<Json>(schema.properties ?? {});
      const inner = `${indent}  `;
      const lines = props.map(
        ([name, prop]) => `${inner}${key(name)}${required.has(name) ? "" : "?"}: ${tsType(prop, inner)};`,
      );
      const extra = schema.additionalProperties;
      if (props.length === 0 && extra && typeof extra === "object") return `Record<string, ${tsType(extra, indent)}>`;
      // Answers may carry fields the document does not list yet (the contract allows it).
      if (props.length === 0) return "Record<string, unknown>";
      return `{\n${lines.join("\n")}\n${indent}}`;
    }
    default:
      return "unknown";
  }
}

const pascal = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

const RUNTIME = `
export type OperationId = keyof Operations;
type Op<K extends OperationId> = Operations[K];
type Params<K extends OperationId> = Op<K> extends { params: infer P } ? { params: P } : { params?: undefined };
type Body<K extends OperationId> = Op<K> extends { body: infer B } ? { body: B } : { body?: undefined };
type Query<K extends OperationId> = Op<K> extends { query: infer Q } ? { query?: Q } : { query?: undefined };
/** What a call takes: path parameters and body where the operation has them, an optional query, extra headers. */
export type Args<K extends OperationId> = Params<K> & Body<K> & Query<K> & { headers?: Record<string, string> };
export type ResponseOf<K extends OperationId> = Op<K>["response"];

export interface ApiErrorBody {
  error: { code: string; message: string; [detail: string]: unknown };
}
export type Answer<T> =
  | { ok: true; status: number; data: T; headers: Headers }
  | { ok: false; status: number; error: ApiErrorBody["error"]; headers: Headers };

/** The path of an operation with its parameters and query filled in. */
export function urlFor<K extends OperationId>(operation: K, args: Args<K>): string {
  const [, template] = OPERATIONS[operation];
  // Object(): the generic parameter and query types, read as plain records.
  const params: Record<string, unknown> = Object(args.params);
  const path = template.replace(/\\{(\\w+)\\}/g, (_, name: string) => encodeURIComponent(String(params[name] ?? "")));
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries<unknown>(Object(args.query))) {
    if (value !== undefined && value !== null) query.set(name, String(value));
  }
  const search = query.toString();
  return search ? \`\${path}?\${search}\` : path;
}

export interface ClientOptions {
  /** Where the API is: \`https://tickets.example\`; empty for the page's own origin. */
  baseUrl?: string;
  /** A bearer token (user or queue token), or a function that returns the current one. */
  token?: string | (() => string | undefined);
  headers?: Record<string, string>;
  fetch?: typeof fetch;
}

/**
 * A client for every operation: \`client("getEvent", { params: { eventId } })\` answers
 * \`{ ok: true, data: Event }\` or \`{ ok: false, error: { code, message, ... } }\`. The data is
 * typed by the document and not checked at run time; parse it where you do not trust the server.
 */
export function createClient(options: ClientOptions = {}) {
  const send = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  return async function call<K extends OperationId>(operation: K, args: Args<K>): Promise<Answer<ResponseOf<K>>> {
    const [method] = OPERATIONS[operation];
    const token = typeof options.token === "function" ? options.token() : options.token;
    const headers: Record<string, string> = { accept: "application/json", ...options.headers, ...args.headers };
    if (token) headers.authorization = \`Bearer \${token}\`;
    if (args.body !== undefined) headers["content-type"] = "application/json";
    const response = await send(\`\${options.baseUrl ?? ""}\${urlFor(operation, args)}\`, {
      method,
      headers,
      body: args.body === undefined ? undefined : JSON.stringify(args.body),
    });
    const text = await response.text();
    const body: unknown = text ? JSON.parse(text) : undefined;
    if (response.ok) return { ok: true, status: response.status, data: body as ResponseOf<K>, headers: response.headers };
    const error = (body as ApiErrorBody | undefined)?.error ?? { code: "UNKNOWN", message: response.statusText };
    return { ok: false, status: response.status, error, headers: response.headers };
  };
}
`;

export function generateClient(doc: Json): string {
  const out: string[] = [
    "// Generated from the OpenAPI document (GET /api/v1/openapi.json) by src/http/client-gen.ts.",
    "// Do not edit: `npm run docs:api` rewrites it, and a test fails when it is out of date.",
    "",
  ];
  for (const [name, schema] of Object.entries<Json>(doc.components?.schemas ?? {})) {
    out.push(`export type ${name} = ${tsType(schema)};`, "");
  }
  const table: string[] = [];
  const ops: string[] = [];
  for (const [path, item] of Object.entries<Json>(doc.paths ?? {})) {
    for (const [method, op] of Object.entries<Json>(item)) {
      const params = (op.parameters ?? []).filter((p: Json) => p.in === "path" || p.in === "query");
      const pathParams = params.filter((p: Json) => p.in === "path");
      const queryParams = params.filter((p: Json) => p.in === "query");
      const success = Object.entries<Json>(op.responses ?? {}).find(([status]) => /^2\d\d$/.test(status))?.[1];
      const body = op.requestBody?.content?.["application/json"]?.schema;
      const response = success?.content?.["application/json"]?.schema;
      const fields = [
        pathParams.length && `    params: { ${pathParams.map((p: Json) => `${key(p.name)}: string`).join("; ")} };`,
        queryParams.length &&
          `    query: { ${queryParams.map((p: Json) => `${key(p.name)}?: ${tsType(p.schema)}`).join("; ")} };`,
        body && `    body: ${tsType(body, "    ")};`,
        `    response: ${response ? tsType(response, "    ") : "unknown"};`,
      ].filter(Boolean);
      ops.push(`  /** ${method.toUpperCase()} ${path}: ${op.summary} */`, `  ${op.operationId}: {`, ...fields, "  };");
      table.push(`  ${op.operationId}: [${JSON.stringify(method.toUpperCase())}, ${JSON.stringify(path)}],`);
    }
  }
  out.push("export interface Operations {", ...ops, "}", "");
  out.push(
    `/** Method and path of each operation (${pascal("operationId")} → [method, path]). */`,
    "export const OPERATIONS = {",
    ...table,
    "} as const;",
  );
  out.push(RUNTIME);
  return `${out.join("\n").trimEnd()}\n`;
}
