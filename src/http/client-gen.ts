/**
 * Writes the typed TypeScript client (src/contract/client.gen.ts) from the OpenAPI document alone:
 * one type per component schema and per object request body (each written once: a type that
 * repeats another's fields builds on it), and one table entry per operation (method, path, and as
 * a type its path parameters, query, JSON body and success body). The fetch that serves every entry
 * is src/contract/client-runtime.ts. test/worker/route-table.test.ts keeps the committed file
 * identical to what this renders (`npm run docs:api` rewrites it).
 */

import type { JsonSchema, OpenApiDocument, Parameter } from "./openapi-doc";

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const key = (name: string): string => (IDENT.test(name) ? name : JSON.stringify(name));
const refName = (ref: string): string => ref.split("/").at(-1) ?? "unknown";

/** A JSON Schema (the subset zod writes) as a TypeScript type. */
export function tsType(schema: JsonSchema | undefined, indent = ""): string {
  if (!schema || Object.keys(schema).length === 0) return "unknown";
  if (schema.$ref) return refName(schema.$ref);
  if (schema.anyOf) return schema.anyOf.map((s) => tsType(s, indent)).join(" | ");
  if (schema.oneOf) return schema.oneOf.map((s) => tsType(s, indent)).join(" | ");
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
      const props = Object.entries(schema.properties ?? {});
      const inner = `${indent}  `;
      const lines = props.map(([name, prop]) => member(inner, name, !required.has(name), tsType(prop, inner)));
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

/** As wide as biome.json lets the hand-written code be. */
const WIDTH = 120;

/** A type written on one line: `{ perOrder: number; perUser: number }`. */
const flatten = (type: string): string =>
  type
    .split("\n")
    .map((line) => line.trim())
    .join(" ")
    .replace(/; \}/g, " }");

/** `head` + `type` + `tail` on one line when it fits, else as the type is written. */
const oneLine = (head: string, type: string, tail: string): string => {
  const flat = `${head}${flatten(type)}${tail}`;
  return flat.length <= WIDTH ? flat : `${head}${type}${tail}`;
};

/** One field of an object type, on one line when it fits. */
const member = (indent: string, name: string, optional: boolean, type: string): string =>
  oneLine(`${indent}${key(name)}${optional ? "?" : ""}: `, type, ";");

interface Field {
  name: string;
  optional: boolean;
  type: string;
}
interface Named {
  name: string;
  fields: Field[] | undefined;
  type: string;
  /** Request bodies borrow fields from each other; answers only extend one another whole. */
  body: boolean;
}

const fieldsOf = (schema: JsonSchema): Field[] | undefined => {
  if (schema.type !== "object" || !schema.properties || Object.keys(schema.properties).length === 0) return undefined;
  const required = new Set<string>(schema.required ?? []);
  return Object.entries(schema.properties).map(([name, prop]) => ({
    name,
    optional: !required.has(name),
    type: tsType(prop, "  "),
  }));
};
const sameField = (a: Field, b: Field): boolean => a.name === b.name && a.optional === b.optional && a.type === b.type;
const objectType = (fields: Field[]): string =>
  `{\n${fields.map((f) => member("  ", f.name, f.optional, f.type)).join("\n")}\n}`;

/** `"a" | "b" | ...`, broken into lines of about a hundred characters. */
const union = (names: string[]): string =>
  names
    .join(" | ")
    .replace(/.{1,100}(?: \| |$)/g, (line) => `${line.trim()}\n  `)
    .trim();

/**
 * A named type written once: one that has all of an earlier type's fields is `Earlier & { rest }`,
 * and a request body that shares five or more fields with an earlier one picks them from it.
 */
function render(named: Named, earlier: Named[]): string {
  const fields = named.fields;
  if (!fields) return named.type;
  let best: { base: Named; shared: Field[] } | undefined;
  for (const base of earlier) {
    if (!base.fields || (base.body && !named.body)) continue;
    const shared = base.fields.filter((f) => fields.some((g) => sameField(f, g)));
    const whole = shared.length === base.fields.length && shared.length >= 3;
    const enough = whole || (named.body && base.body && shared.length >= 5);
    if (enough && shared.length > (best?.shared.length ?? 0)) best = { base, shared };
  }
  if (!best) return named.type;
  const { base, shared } = best;
  const rest = fields.filter((f) => !shared.some((g) => g.name === f.name));
  const picked = `\n  ${base.name},\n  ${union(shared.map((f) => JSON.stringify(f.name)))}\n`;
  const from = shared.length === base.fields?.length ? base.name : oneLine("Pick<", picked, ">");
  return rest.length === 0 ? from : `${from} & ${objectType(rest)}`;
}

const GENERATED = "// Generated from the OpenAPI document (GET /api/v1/openapi.json) by src/http/client-gen.ts.";

/** Named types, each on its own line or (when longer) set off by a blank line. */
function typeLines(named: Named[], earlier: Named[]): string[] {
  return named
    .map((n, i) => oneLine(`export type ${n.name} = `, render(n, [...earlier, ...named.slice(0, i)]), ";"))
    .map((line, i) => (i > 0 && line.includes("\n") ? `\n${line}` : line));
}

/** `import type { A, B, ... } from "from";`, wrapped as biome would. */
function importTypes(names: string[], from: string): string {
  const one = `import type { ${names.join(", ")} } from ${JSON.stringify(from)};`;
  if (one.length <= WIDTH) return one;
  const lines: string[] = [];
  for (const name of names) {
    const last = lines.at(-1);
    if (last !== undefined && `${last} ${name},`.length <= WIDTH) lines[lines.length - 1] = `${last} ${name},`;
    else lines.push(`  ${name},`);
  }
  return `import type {\n${lines.join("\n")}\n} from ${JSON.stringify(from)};`;
}

/**
 * The client as two files: `types` (src/contract/client-types.gen.ts), one type per component
 * schema, and `client` (src/contract/client.gen.ts), the request bodies and the operations table,
 * which re-exports the types so that callers import from one place.
 */
export function generateClientFiles(doc: OpenApiDocument): { types: string; client: string } {
  const answers: Named[] = Object.entries(doc.components?.schemas ?? {}).map(([name, schema]) => ({
    name,
    fields: fieldsOf(schema),
    type: tsType(schema),
    body: false,
  }));
  const bodies: Named[] = [];
  const taken = new Set(answers.map((n) => n.name));
  const entries: string[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item)) {
      const params = (op.parameters ?? []).filter((p: Parameter) => p.in === "path" || p.in === "query");
      const pathParams = params.filter((p) => p.in === "path");
      const queryParams = params.filter((p) => p.in === "query");
      const success = Object.entries(op.responses ?? {}).find(([status]) => /^2\d\d$/.test(status))?.[1];
      const body: JsonSchema | undefined = op.requestBody?.content?.["application/json"]?.schema;
      const response = success?.content?.["application/json"]?.schema;
      let bodyType = body && tsType(body);
      const fields = body && fieldsOf(body);
      const name = `${pascal(op.operationId)}Body`;
      if (body && fields && !taken.has(name)) {
        // An object body gets a name, so that callers can build one and other bodies can share it.
        bodies.push({ name, fields, type: tsType(body), body: true });
        taken.add(name);
        bodyType = name;
      }
      const shape = [
        pathParams.length && `params: { ${pathParams.map((p) => `${key(p.name)}: string`).join("; ")} }`,
        queryParams.length && `query: { ${queryParams.map((p) => `${key(p.name)}?: ${tsType(p.schema)}`).join("; ")} }`,
        bodyType && `body: ${bodyType}`,
        `response: ${response ? tsType(response) : "unknown"}`,
      ].filter(Boolean);
      const [verb, where] = [JSON.stringify(method.toUpperCase()), JSON.stringify(path)];
      entries.push(
        `  /** ${method.toUpperCase()} ${path}: ${op.summary} */`,
        `  ${op.operationId}: op<{ ${shape.join("; ")} }>(${verb}, ${where}),`,
      );
    }
  }
  const requests = typeLines(bodies, answers);
  const table = [...requests, ...entries].join("\n");
  const used = answers
    .map((n) => n.name)
    .sort()
    .filter((n) => new RegExp(`\\b${n}\\b`).test(table));
  const types = [
    GENERATED,
    "// Do not edit: test/domain/client-gen.test.ts fails when it is out of date, and with `--update` rewrites it",
    "// from docs/openapi.json (which `npm run docs:api` rewrites).",
    "",
    ...typeLines(answers, []),
  ];
  const client = [
    GENERATED,
    "// Do not edit: `npm run docs:api` rewrites it, and a test fails when it is out of date.",
    "// The answers' types are in client-types.gen.ts; the fetch that serves every operation is client-runtime.ts.",
    'import { type CallArgs, clientFor, operation as op, type ShapeOf } from "./client-runtime";',
    importTypes(used, "./client-types.gen"),
    "",
    'export type { Answer, ApiErrorBody, ClientOptions } from "./client-runtime";',
    'export type * from "./client-types.gen";',
    "",
    ...requests,
    "",
    "/** Every operation by its operationId: method and path, and (as a type) what it takes and answers. */",
    "export const OPERATIONS = {",
    ...entries,
    "};",
    "",
    "export type OperationId = keyof typeof OPERATIONS;",
    "export type Operations = { [K in OperationId]: ShapeOf<(typeof OPERATIONS)[K]> };",
    "export type Args<K extends OperationId> = CallArgs<Operations[K]>;",
    'export type ResponseOf<K extends OperationId> = Operations[K]["response"];',
    "export const { urlFor, createClient } = clientFor(OPERATIONS);",
  ];
  return { types: `${types.join("\n")}\n`, client: `${client.join("\n")}\n` };
}

/** src/contract/client.gen.ts (test/worker/route-table.test.ts keeps it in step with the document). */
export const generateClient = (doc: OpenApiDocument): string => generateClientFiles(doc).client;
