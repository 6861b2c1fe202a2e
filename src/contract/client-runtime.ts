/**
 * What the generated client (src/contract/client.gen.ts) runs: one typed table entry per operation
 * (`operation<Shape>(method, path)`) and one fetch for all of them. Written by hand, plain `fetch`,
 * no dependencies; the generated file holds only the document's types and its table.
 */

/** What a call of one operation takes and answers, as the OpenAPI document says. */
export interface OperationShape {
  params?: Record<string, string>;
  query?: Record<string, unknown>;
  body?: unknown;
  response: unknown;
}

declare const shape: unique symbol;
/** An operation's method and path; its shape rides along as a type only. */
export type Operation<S extends OperationShape> = readonly [method: string, path: string] & { readonly [shape]?: S };

/** An entry of the operations table: `operation<{ params: { eventId: string }; response: Event }>("GET", path)`. */
export const operation = <S extends OperationShape>(method: string, path: string): Operation<S> => [method, path];

export type ShapeOf<O> = O extends Operation<infer S extends OperationShape> ? S : never;
type Params<S> = S extends { params: infer P } ? { params: P } : { params?: undefined };
type Body<S> = S extends { body: infer B } ? { body: B } : { body?: undefined };
type Query<S> = S extends { query: infer Q } ? { query?: Q } : { query?: undefined };
/** What a call takes: path parameters and body where the operation has them, an optional query, extra headers. */
export type CallArgs<S> = Params<S> & Body<S> & Query<S> & { headers?: Record<string, string> };

export interface ApiErrorBody {
  error: { code: string; message: string; [detail: string]: unknown };
}
export type Answer<T> =
  | { ok: true; status: number; data: T; headers: Headers }
  | { ok: false; status: number; error: ApiErrorBody["error"]; headers: Headers };

export interface ClientOptions {
  /** Where the API is: `https://tickets.example`; empty for the page's own origin. */
  baseUrl?: string;
  /** A bearer token (user or queue token), or a function that returns the current one. */
  token?: string | (() => string | undefined);
  headers?: Record<string, string>;
  fetch?: typeof fetch;
}

type Table = Record<string, Operation<OperationShape>>;
type ArgsIn<T extends Table, K extends keyof T> = CallArgs<ShapeOf<T[K]>>;
type ResponseIn<T extends Table, K extends keyof T> = ShapeOf<T[K]>["response"];

/** `urlFor` and `createClient` for a table of operations. */
export function clientFor<T extends Table>(table: T) {
  /** The path of an operation with its parameters and query filled in. */
  function urlFor<K extends keyof T>(operation: K, args: ArgsIn<T, K>): string {
    const [, template] = table[operation] as Operation<OperationShape>;
    // Object(): the generic parameter and query types, read as plain records.
    const params: Record<string, unknown> = Object(args.params);
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(params[name] ?? "")));
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries<unknown>(Object(args.query))) {
      if (value !== undefined && value !== null) query.set(name, String(value));
    }
    const search = query.toString();
    return search ? `${path}?${search}` : path;
  }

  /**
   * A client for every operation: `client("getEvent", { params: { eventId } })` answers
   * `{ ok: true, data: Event }` or `{ ok: false, error: { code, message, ... } }`. The data is
   * typed by the document and not checked at run time; parse it where you do not trust the server.
   */
  function createClient(options: ClientOptions = {}) {
    const send = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
    return async function call<K extends keyof T>(operation: K, args: ArgsIn<T, K>): Promise<Answer<ResponseIn<T, K>>> {
      const [method] = table[operation] as Operation<OperationShape>;
      const token = typeof options.token === "function" ? options.token() : options.token;
      const headers: Record<string, string> = { accept: "application/json", ...options.headers, ...args.headers };
      if (token) headers.authorization = `Bearer ${token}`;
      if (args.body !== undefined) headers["content-type"] = "application/json";
      const response = await send(`${options.baseUrl ?? ""}${urlFor(operation, args)}`, {
        method,
        headers,
        body: args.body === undefined ? undefined : JSON.stringify(args.body),
      });
      const text = await response.text();
      const body: unknown = text ? JSON.parse(text) : undefined;
      if (response.ok) {
        return { ok: true, status: response.status, data: body as ResponseIn<T, K>, headers: response.headers };
      }
      const error = (body as ApiErrorBody | undefined)?.error ?? { code: "UNKNOWN", message: response.statusText };
      return { ok: false, status: response.status, error, headers: response.headers };
    };
  }

  return { urlFor, createClient };
}
