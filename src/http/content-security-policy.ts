/**
 * A Content-Security-Policy header value for a response that carries HTML (the API reference, the
 * pages). It starts from nothing allowed — no framing by other sites, no <base> that re-points
 * relative links, no plugins, no form posts — and each response names only what it needs.
 */
export function contentSecurityPolicy(allow: Record<string, string>): string {
  const directives: Record<string, string> = {
    "default-src": "'none'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'none'",
    "frame-ancestors": "'none'",
    ...allow,
  };
  return Object.entries(directives)
    .map(([name, value]) => `${name} ${value}`)
    .join("; ");
}
